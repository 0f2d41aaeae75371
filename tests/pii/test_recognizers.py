"""Each PII recognizer on positive and negative examples, through the real engine
(config/pii.yaml: thresholds, code handling, allow-list and overlaps applied)."""

import pytest

POSITIVES = [
    # PERSON: the model, cues, lowercase names, titles, form fields, code authors
    ("Yesterday Maria Gonzalez called about the lease.", "PERSON", "Maria Gonzalez"),
    ("my name is tiffany lopez and i need help", "PERSON", "tiffany lopez"),
    ("wire it under the name tiffany lopez please", "PERSON", "tiffany lopez"),
    ("can you write a note for my friend kofi mensah?", "PERSON", "kofi mensah"),
    ("Please forward this to Dr. Okonkwo today.", "PERSON", "Okonkwo"),
    ("Name: Ingrid Bergstrom\nRole: nurse", "PERSON", "Ingrid Bergstrom"),
    ("Sometimes people call me Csanád.", "PERSON", "Csanád"),
    ("Directed by Ravil G Yefimov in 1998.", "PERSON", "Ravil G Yefimov"),
    ("```python\n# TODO(maria.lopez): add retries\nx = 1\n```", "PERSON", "maria.lopez"),
    ("Signed-off-by: Kofi Mensah <kofi@mensah.dev>", "PERSON", "Kofi Mensah"),
    # LOCATION only as someone's home
    ("I live in Denver with my two cats.", "LOCATION", "Denver"),
    ("She was born in Lyon.", "LOCATION", "Lyon"),
    # STREET_ADDRESS
    (
        "ship it to 216 Menzies Street, Portland, OR 97205 please",
        "STREET_ADDRESS",
        "216 Menzies Street, Portland, OR 97205",
    ),
    (
        "Label:\nMaria Gonzalez\n4548 Harbour Street\nAustin, TX 78701",
        "STREET_ADDRESS",
        "4548 Harbour Street\nAustin, TX 78701",
    ),
    (
        "Mein Adresse: Friedhofstrasse 33, 8048 Zürich",
        "STREET_ADDRESS",
        "Friedhofstrasse 33, 8048 Zürich",
    ),
    ("Envoyez-le au 56 rue La Boétie, Paris", "STREET_ADDRESS", "56 rue La Boétie, Paris"),
    (
        "Rua das Flores 43\n4050-262 Porto\nPortugal",
        "STREET_ADDRESS",
        "Rua das Flores 43\n4050-262 Porto\nPortugal",
    ),
    ("Send it to P.O. Box 242, thanks.", "STREET_ADDRESS", "P.O. Box 242"),
    ("PSC 7951, Box 9972\nAPO AA 69974", "STREET_ADDRESS", "PSC 7951, Box 9972\nAPO AA 69974"),
    (
        "meet me at the corner of Main Street and Elm Avenue",
        "STREET_ADDRESS",
        "Main Street and Elm Avenue",
    ),
    # PHONE_NUMBER, international and national formats
    ("call me on +44 20 7946 0321 tonight", "PHONE_NUMBER", "+44 20 7946 0321"),
    ("Tel: +33 6 12 34 56 78", "PHONE_NUMBER", "+33 6 12 34 56 78"),
    ("my number is (415) 867-5309", "PHONE_NUMBER", "(415) 867-5309"),
    ("Mobile: 0490 75 40 81", "PHONE_NUMBER", "0490 75 40 81"),
    ("reach me at 0049 89 1234567", "PHONE_NUMBER", "0049 89 1234567"),
    ("Desk: +1-903-140-4508x769", "PHONE_NUMBER", "+1-903-140-4508x769"),
    # numbers with checks
    ("I was charged twice on card 4532 0151 1283 0366.", "CREDIT_CARD", "4532 0151 1283 0366"),
    (
        "wire it to ES8897365292534590131788 under the name X",
        "IBAN_CODE",
        "ES8897365292534590131788",
    ),
    ("IBAN DE89 3704 0044 0532 0130 00 please", "IBAN_CODE", "DE89 3704 0044 0532 0130 00"),
    ("Here's my SSN: 460-89-9847", "US_SSN", "460-89-9847"),
    ("My driver's license number is F162823540116", "US_DRIVER_LICENSE", "F162823540116"),
    ("mail maria.gonzalez@fastmail.com now", "EMAIL_ADDRESS", "maria.gonzalez@fastmail.com"),
    ("blocked from 81.2.69.142 again", "IP_ADDRESS", "81.2.69.142"),
]

NEGATIVES = [
    ("What are three things to do in Lisbon on a rainy day?", "LOCATION"),
    ("I live in Leeds and I'm flying to Kyoto next week.", "LOCATION:Kyoto"),
    ("Explain Kafka consumer groups and Docker networking.", "PERSON"),
    ("Is PyCharm better than GitHub Codespaces?", "PERSON"),
    ("Hi team, thanks everyone!", "PERSON"),
    ("my name is spelled wrong on the invoice", "PERSON"),
    ("my friend just moved and I want to send flowers", "PERSON"),
    ("I'm Canadian and I love hockey.", "PERSON"),
    ("I drove 5 miles down the road to see it.", "STREET_ADDRESS"),
    ("connect via SSH 22 and use Windows 10 and Python 3", "STREET_ADDRESS"),
    ("Boarding at Gate 12 in Terminal 2.", "STREET_ADDRESS"),
    ("Meeting on 2024-06-14 at 15:30, budget $12,500.00.", "PHONE_NUMBER"),
    ("Version 10.0.19041.1 is installed; 1 000 000 rows", "PHONE_NUMBER"),
    ("order 4532 0151 1283 0367 failed", "CREDIT_CARD"),  # Luhn fails
    ("DE89 3704 0044 0532 0130 01 is a typo", "IBAN_CODE"),  # mod-97 fails
    ("write to noreply@test.invalid", "EMAIL_ADDRESS"),
    ("router at 192.168.1.1, docs use 203.0.113.5, loopback 127.0.0.1", "IP_ADDRESS"),
    ("request id 3f1c9a52-7b4e-4c1d-9e2f-0a8b6c4d2e10 failed", None),
]


@pytest.mark.parametrize("text, entity, value", POSITIVES)
def test_recognizer_finds(found, text, entity, value):
    assert (entity, value) in found(text)


@pytest.mark.parametrize("text, entity", NEGATIVES)
def test_recognizer_leaves_alone(found, text, entity):
    detections = found(text)
    if entity is None:
        assert detections == []
    elif ":" in entity:
        assert tuple(entity.split(":")) not in detections
    else:
        assert [d for d in detections if d[0] == entity] == []


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("call me at (415) 555-0123 tonight", "PHONE_NUMBER", "(415) 555-0123"),
        ("my card is 4111 1111 1111 1111", "CREDIT_CARD", "4111 1111 1111 1111"),
        ("my ssn is 123-45-6789", "US_SSN", "123-45-6789"),
        ("write to maria.gonzalez@example.com", "EMAIL_ADDRESS", "maria.gonzalez@example.com"),
    ],
)
def test_published_test_values_are_still_redacted(found, text, entity, value):
    """Fictional numbers, test cards, sample SSNs and example.com addresses look
    exactly like real ones in a conversation: they are redacted, not allowed."""
    assert (entity, value) in found(text)


def test_addressee_and_address_are_read_from_each_text_in_turn(pii_engine):
    """The addressee recognizer reuses the addresses the address recognizer
    found in the same text, never those of the text read before."""
    from transforms.pii.recognizers.places import AddresseeRecognizer, StreetAddressRecognizer

    nlp = pii_engine.analyzer.nlp_engine
    addresses, addressee = StreetAddressRecognizer(), AddresseeRecognizer()
    label = "Ship to:\nIngrid Bergstrom\n4548 Harbour Street\nAustin, TX 78701"
    prose = "Ingrid Bergstrom said the parcel never arrived."
    for text in (label, prose, label):
        artifacts = nlp.process_text(text, "en")
        found = [text[s:e] for s, e, _, _ in addresses.find(text, artifacts)]
        names = [text[s:e] for s, e, _, _ in addressee.find(text, artifacts)]
        if text is label:
            assert found == ["4548 Harbour Street\nAustin, TX 78701"]
            assert names == ["Ingrid Bergstrom"]
        else:
            assert found == [] and names == []
