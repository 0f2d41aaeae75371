"""The recognizer configuration of config/pii.yaml: built-in recognizers turned
off by name, the user's own pattern recognizers in Presidio's YAML shape, and
the checks that refuse a configuration which would silently redact less."""

import pickle
import textwrap

import pytest

from schemas.records import Conversation, Eligible, Message
from transforms.pii.config import load_pii_config
from transforms.pii.engine import PiiEngine
from transforms.pii.recognizers.secret_catalogue import secret_recognizers
from transforms.pii.registry import BUILT_IN, enabled_recognizers

# The recognizers the engine ran before they could be configured.
TODAYS_RECOGNIZERS = [
    "OfflineEmailRecognizer",
    "IpRecognizer",
    "UserHandleRecognizer",
    "ProfileUrlRecognizer",
    "UsernameRecognizer",
    "HomePathRecognizer",
    "HostnameRecognizer",
    "NerPersonRecognizer",
    "PersonCueRecognizer",
    "GivenNameRecognizer",
    "CodeAuthorRecognizer",
    "DataNameRecognizer",
    "JoinedNameRecognizer",
    "AddresseeRecognizer",
    "PersonalLocationRecognizer",
    "StreetAddressRecognizer",
    "PhoneNumberRecognizer",
    "CardNumberRecognizer",
    "IbanNumberRecognizer",
    "DriverLicenseRecognizer",
    "SsnRecognizer",
    "DateOfBirthRecognizer",
    "NationalIdRecognizer",
    *(r.name for r in secret_recognizers()),
]
EMPLOYEE_IDS = textwrap.dedent("""
    recognizers:
      disabled: [CodeAuthorRecognizer]
      custom:
        - name: EmployeeIdRecognizer
          supported_entity: EMPLOYEE_ID
          supported_language: en
          patterns:
            - {name: employee id, regex: "\\\\bEMP-\\\\d{6}\\\\b", score: 0.9}
          context: [employee, badge]
""")


def config_file(tmp_path, text: str) -> str:
    path = tmp_path / "pii.yaml"
    path.write_text('version: "test"\n' + textwrap.dedent(text))
    return str(path)


def refusal(tmp_path, text: str) -> str:
    with pytest.raises(ValueError) as info:
        load_pii_config(config_file(tmp_path, text))
    return str(info.value)


def test_the_default_file_enables_exactly_the_recognizers_of_before():
    config = load_pii_config()
    assert config.recognizers.disabled == () and config.recognizers.custom == ()
    names = [r.name for r in enabled_recognizers(config.recognizers, config.language)]
    assert names == TODAYS_RECOGNIZERS
    assert list(BUILT_IN) == [*TODAYS_RECOGNIZERS, *ROUTED]


# The recognizers of the routed languages only (transforms/pii/routing.py).
ROUTED = ["LocalNameCueRecognizer", "LocalGivenNameRecognizer", "LocalPhoneRecognizer"]


def test_a_routed_language_runs_its_own_recognizers_and_none_that_read_the_model():
    config = load_pii_config()
    names = [r.name for r in enabled_recognizers(config.recognizers, "de", routed=True)]
    assert set(ROUTED) <= set(names)
    assert not {"NerPersonRecognizer", "PersonCueRecognizer", "GivenNameRecognizer"} & set(names)
    assert {"IbanNumberRecognizer", "NationalIdRecognizer", "PhoneNumberRecognizer"} <= set(names)


def test_an_unknown_routed_language_is_refused(tmp_path):
    assert "language_routing" in refusal(tmp_path, "language_routing: {languages: [de, xx]}")


def test_a_misspelt_entity_is_refused_not_ignored(tmp_path):
    message = refusal(tmp_path, "entities: [PERSN, EMAIL_ADDRESS]\n")
    assert "PERSN" in message and "no enabled recognizer" in message and "pii.yaml" in message


def test_an_entity_whose_recognizers_are_all_disabled_is_refused(tmp_path):
    people = [
        "NerPersonRecognizer",
        "PersonCueRecognizer",
        "GivenNameRecognizer",
        "CodeAuthorRecognizer",
        "DataNameRecognizer",
        "JoinedNameRecognizer",
        "AddresseeRecognizer",
    ]
    message = refusal(tmp_path, f"entities: [PERSON]\nrecognizers: {{disabled: {people}}}\n")
    assert "['PERSON']" in message and "no enabled recognizer" in message
    assert load_pii_config(
        config_file(  # one of them is enough
            tmp_path, f"entities: [PERSON]\nrecognizers: {{disabled: {people[1:]}}}\n"
        )
    )


def test_an_unknown_recognizer_name_is_refused(tmp_path):
    message = refusal(tmp_path, "entities: [PERSON]\nrecognizers: {disabled: [GivenNames]}\n")
    assert "GivenNames" in message and "GivenNameRecognizer" in message  # the names it knows


@pytest.mark.parametrize(
    "entry, problem",
    [
        (
            "{name: X, supported_entity: EMPLOYEE_ID, "
            "patterns: [{name: p, regex: 'EMP-(', score: 0.9}]}",
            "Invalid regex",
        ),
        (
            "{name: X, supported_entity: EMPLOYEE_ID, patterns: [{name: p, regex: 'E', score: 2}]}",
            "Invalid score",
        ),
        (
            "{name: X, supported_entity: EMPLOYEE_ID, "
            "patterns: [{name: p, regexp: 'E', score: 0.5}]}",
            "regexp",
        ),
        ("{name: X, supported_entity: EMPLOYEE_ID}", "missing ['patterns']"),
        (
            "{name: X, supported_entity: EMPLOYEE_ID, deny: [a], "
            "patterns: [{name: p, regex: E, score: 1}]}",
            "unknown ['deny']",
        ),
        (
            "{name: SsnRecognizer, supported_entity: EMPLOYEE_ID, "
            "patterns: [{name: p, regex: E, score: 1}]}",
            "taken",
        ),
        (
            "{name: X, supported_entity: EMPLOYEE_ID, supported_language: de, "
            "patterns: [{name: p, regex: E, score: 1}]}",
            "not for 'en'",
        ),
        (
            "{name: X, supported_entity: BADGE, patterns: [{name: p, regex: E, score: 1}]}",
            "not in `entities`",
        ),
    ],
)
def test_an_unusable_custom_recognizer_is_refused_with_its_name(tmp_path, entry, problem):
    message = refusal(tmp_path, f"entities: [EMPLOYEE_ID]\nrecognizers: {{custom: [{entry}]}}\n")
    assert problem in message
    assert "recognizer" in message


def test_unknown_fields_of_the_section_are_refused(tmp_path):
    message = refusal(tmp_path, "entities: [PERSON]\nrecognizers: {disable: [SsnRecognizer]}\n")
    assert "disable" in message
    message = refusal(tmp_path, "entities: [PERSON]\nrecognizers: {disabled: SsnRecognizer}\n")
    assert "a list of recognizer names" in message


@pytest.fixture(scope="module")
def custom_engine(tmp_path_factory):
    """An engine (its own analyzer, on the real model) with a custom recognizer
    and a built-in one turned off."""
    config = load_pii_config(
        config_file(
            tmp_path_factory.mktemp("pii"), "entities: [PERSON, EMPLOYEE_ID]\n" + EMPLOYEE_IDS
        )
    )
    assert pickle.loads(pickle.dumps(config)) == config  # shipped to workers as plain data
    return PiiEngine(config)


def test_a_custom_recognizer_from_yaml_redacts(custom_engine):
    conversation = Eligible(
        Conversation(
            "c",
            "chatgpt_free",
            0,
            (
                Message("user", "My employee badge is EMP-123456, my manager is Maria Gonzalez."),
                Message("assistant", "Noted: EMP-123456."),
            ),
            user_id="u",
        )
    )
    [result] = custom_engine.redact_batch([conversation])
    assert [m.content for m in result.messages] == [
        "My employee badge is <EMPLOYEE_ID_1>, my manager is <PERSON_1>.",
        "Noted: <EMPLOYEE_ID_1>.",
    ]
    assert {(r.entity_type, r.recognizer) for r in result.redactions} >= {
        ("EMPLOYEE_ID", "EmployeeIdRecognizer")
    }


def test_a_disabled_recognizer_does_not_run(custom_engine):
    names = {r.name for r in custom_engine.analyzer.registry.recognizers}
    assert "CodeAuthorRecognizer" not in names
    assert {"EmployeeIdRecognizer", "NerPersonRecognizer"} <= names
