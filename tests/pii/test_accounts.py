"""Handles, profile links, user names, home directories, host names, dates
of birth and national ids: each recognizer on positives and on look-alikes
that must stay, through the real engine (config/pii.yaml)."""

import pytest

from eval import identifiers_set
from transforms.pii.recognizers import identity

POSITIVES = [
    # USER_HANDLE
    ("thanks @maria_lopez92 for the fix!", "USER_HANDLE", "@maria_lopez92"),
    ("ping @JaneDoe and the others", "USER_HANDLE", "@JaneDoe"),
    ("ask @kwame.mensah.", "USER_HANDLE", "@kwame.mensah"),
    ("posted by u/throwaway_kat99 on r/python", "USER_HANDLE", "u/throwaway_kat99"),
    ("follow me on instagram: jane.doe.art", "USER_HANDLE", "jane.doe.art"),
    ("my twitter handle is @kofi_codes", "USER_HANDLE", "@kofi_codes"),
    ("follow me on tiktok: nnamdi-vasquez", "USER_HANDLE", "nnamdi-vasquez"),
    # PROFILE_URL: the account only
    ("see https://github.com/mariagonzalez/dotfiles", "PROFILE_URL", "mariagonzalez"),
    ("git clone git@github.com:quilla_uriarte34/notes.git", "PROFILE_URL", "quilla_uriarte34"),
    (
        "my linkedin: https://www.linkedin.com/in/tomasz-wozniak-4a1b2c/",
        "PROFILE_URL",
        "tomasz-wozniak-4a1b2c",
    ),
    ("https://twitter.com/xochitl_u/status/123", "PROFILE_URL", "xochitl_u"),
    ("my blog is janedoe.github.io", "PROFILE_URL", "janedoe"),
    ("channel: youtube.com/@gwilym-fagerlund", "PROFILE_URL", "gwilym-fagerlund"),
    # USERNAME
    ("my username is kwame_92 and I forgot the rest", "USERNAME", "kwame_92"),
    ("Username: jdoe\nEmail verified: yes", "USERNAME", "jdoe"),
    ("I'm logged in as tomasz.w and get 403", "USERNAME", "tomasz.w"),
    ("jdoe@jdoe-ThinkPad-X1:~/projects$ ls", "USERNAME", "jdoe"),
    ("ssh mlopez@10.0.0.5 hangs", "USERNAME", "mlopez"),
    ("Benutzername: hkeller77", "USERNAME", "hkeller77"),
    # HOME_PATH: the user segment
    ('File "/home/mlopez/project/app.py", line 3', "HOME_PATH", "mlopez"),
    ("Saved to C:\\Users\\Tomasz.Wozniak\\Documents\\a.docx", "HOME_PATH", "Tomasz.Wozniak"),
    ("cd /Users/kwame/Desktop", "HOME_PATH", "kwame"),
    ('"cwd": "C:/Users/Giedre/repos/api"', "HOME_PATH", "Giedre"),
    # HOSTNAME
    ("(base) maria@Marias-MacBook-Pro ~ % python3 x.py", "HOSTNAME", "Marias-MacBook-Pro"),
    ("Connection to jdoe-laptop.local closed.", "HOSTNAME", "jdoe-laptop.local"),
    ("worker started on iMac-Giedre pid=4411", "HOSTNAME", "iMac-Giedre"),
    ("hostname prints imogen-imac here", "HOSTNAME", "imogen-imac"),
    # DATE_OF_BIRTH
    ("my date of birth is 12/03/1987", "DATE_OF_BIRTH", "12/03/1987"),
    ("DOB: 1987-03-12", "DATE_OF_BIRTH", "1987-03-12"),
    ("I was born on March 12, 1987 in Lyon.", "DATE_OF_BIRTH", "March 12, 1987"),
    ("her birthday is 4 July 1990, any gift ideas?", "DATE_OF_BIRTH", "4 July 1990"),
    ("geboren am 12.03.1987 in Köln", "DATE_OF_BIRTH", "12.03.1987"),
    ("fecha de nacimiento: 3 de mayo de 1991", "DATE_OF_BIRTH", "3 de mayo de 1991"),
    ("née le 5 mars 1979", "DATE_OF_BIRTH", "5 mars 1979"),
    # NATIONAL_ID: distinctive shapes alone, digit runs after their words
    ("mi codice fiscale è RSSMRA85T10A562S", "NATIONAL_ID", "RSSMRA85T10A562S"),
    ("DNI 12345678Z", "NATIONAL_ID", "12345678Z"),
    ("NIE X1234567L por favor", "NATIONAL_ID", "X1234567L"),
    ("my BSN is 111222333", "NATIONAL_ID", "111222333"),
    ("AHV-Nr. 756.9217.0769.85", "NATIONAL_ID", "756.9217.0769.85"),
    ("CPF 111.444.777-35", "NATIONAL_ID", "111.444.777-35"),
    ("Steuer-ID: 86095742719", "NATIONAL_ID", "86095742719"),
    ("henkilötunnus 131052-308T", "NATIONAL_ID", "131052-308T"),
    ("PESEL 44051401359", "NATIONAL_ID", "44051401359"),
    ("personnummer 811228-9874", "NATIONAL_ID", "811228-9874"),
    ("numéro de sécurité sociale : 2 55 08 14 168 025 38", "NATIONAL_ID", "2 55 08 14 168 025 38"),
]

LOOKALIKES = [
    "Use @dataclass(frozen=True) instead of writing __init__.",
    "```java\n@Override\npublic String toString() {}\n```",
    "```python\n@app.route('/health')\ndef health():\n    return 'ok'\n```",
    "mark it with @pytest.fixture and move on",
    "npm install --save-dev @types/node @typescript-eslint/parser",
    "import { Component } from '@angular/core';",
    "/**\n * @param items the list\n * @returns the sorted list\n */",
    "cc @everyone the release is out",
    "write to support@fastmail.com",
    "clone https://github.com/apache/beam and https://github.com/pytorch/pytorch",
    "pip install git+https://github.com/huggingface/transformers",
    "see https://github.com/pallets/flask/issues/5000",
    "https://github.com/features/actions explains the pricing",
    "posted on r/python",
    'File "/home/user/project/app.py", line 3',
    "cp config.yml /Users/Shared/config.yml",
    "The runner writes to /home/runner/work/repo/repo",
    "C:\\Users\\Public\\Documents\\setup.log and /home/$USER/.bashrc",
    "ssh -i key.pem ubuntu@10.0.3.7",
    "root@server:/# apt update",
    "username: postgres\npassword: ${DB_PASSWORD}",
    "login: admin (default), change it",
    "build-server-01, web-prod-3, ubuntu-laptop and DESKTOP-7F3K2LQ are up",
    "Python 3.12 was released on October 2, 2023.",
    "The deadline is 2024-03-12.",
    "Order number 123456789 shipped",
    "the number 111222333 is in the log",
    "DNI 12345678A is a typo",  # wrong check letter
]
TYPES = set(identifiers_set.TYPES)


@pytest.mark.parametrize("text, entity, value", POSITIVES)
def test_account_and_identity_recognizers_find(found, text, entity, value):
    assert (entity, value) in found(text)


@pytest.mark.parametrize("text", LOOKALIKES)
def test_look_alikes_stay(found, text):
    assert [d for d in found(text) if d[0] in TYPES] == []


@pytest.mark.parametrize(
    "check, valid, invalid",
    [
        (identity.de_tax_id, "86095742719", "86095742718"),
        (identity.it_fiscal_code, "RSSMRA85T10A562S", "RSSMRA85T10A562T"),
        (identity.es_dni, "X1234567L", "X1234567M"),
        (identity.nl_bsn, "123456782", "123456783"),
        (identity.fr_nir, "255081416802538", "255081416802539"),
        (identity.fi_hetu, "131052-308T", "131052-308U"),
        (identity.ch_ahv, "7569217076985", "7569217076984"),
        (identity.br_cpf, "11144477735", "11144477736"),
        (identity.se_personnummer, "811228-9874", "811228-9875"),
        (identity.pl_pesel, "44051401359", "44051401358"),
        (identity.pt_nif, "123456789", "123456788"),
        (identity.ie_pps, "1234567T", "1234567A"),
        (identity.ro_cnp, "1800101221144", "1800101221145"),
        (identity.in_aadhaar, "234123412346", "234123412347"),
        (identity.cn_resident, "11010519491231002X", "110105194912310021"),
        (identity.no_birth_number, "01010750160", "01010750161"),
        (identity.at_svnr, "1237010180", "1238010180"),
        (identity.de_id_card, "T220001293", "T220001294"),
    ],
)
def test_national_id_checksums_on_published_samples(check, valid, invalid):
    assert check(valid) and not check(invalid)


def test_placeholders_replace_the_new_types(pii_engine):
    from eval.harness import as_eligible

    eligible = as_eligible(0, {"messages": ["ping @maria_lopez92 at /home/mlopez/x"]})
    [detections] = [pii_engine.analyze_texts(["ping @maria_lopez92 at /home/mlopez/x"])]
    redacted = pii_engine.redact(eligible, detections)
    assert redacted.messages[0].content == "ping <USER_HANDLE_1> at /home/<HOME_PATH_1>/x"
