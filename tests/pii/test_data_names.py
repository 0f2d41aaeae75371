"""People named in code, data and custom instructions; the stricter bar for
name recurrences in a conversation. Real model, real engine."""

import pytest

from transforms.pii.recognizers.data_names import name_key

FOUND = [
    ('```json\n{"id": 17, "full_name": "Maria Lopez", "email": "m@x.io"}\n```', "Maria Lopez"),
    ('```python\nuser = {"first_name": "Kwame", "last_name": "Mensah"}\n```', "Mensah"),
    ("```yaml\n- name: Ingrid Bergstrom\n  role: nurse\n```", "Ingrid Bergstrom"),
    ('```json\n{"name": "pkg", "author": "Tomasz Wozniak <t@w.dev>"}\n```', "Tomasz Wozniak"),
    ("```\ncommit 3f1c9a5\nAuthor: Saoirse Dunleavy <s@mail.ie>\n```", "Saoirse Dunleavy"),
    ("```csv\nid,name,email\n1,Halima Bakshi,h@x.com\n```", "Halima Bakshi"),
    (
        "```sql\nINSERT INTO users (id, full_name) VALUES (1, 'Piotr Cieslak');\n```",
        "Piotr Cieslak",
    ),
    ("```java\n/*\n * Copyright (c) 2021 Radek Szabo\n */\nclass A {}\n```", "Radek Szabo"),
    ("```js\nnew Person({ firstName: 'Leocadia', lastName: 'Pellegrini' });\n```", "Leocadia"),
    ("Please call me Kiki from now on.", "Kiki"),
    ("Preferred name: Sunny", "Sunny"),
    ("What would you like ChatGPT to call you? Juju", "Juju"),
]
KEPT = [
    "```python\nclass JohnsonParser:\n    def parse(self, name):\n        return name\n```",
    '```json\n{"name": "my-package", "author": "OpenAI"}\n```',
    "```yaml\nsteps:\n  - name: Checkout\n  - name: Run Tests\n```",
    '```toml\n[project]\nname = "requests"\n```',
    'button = Button(name="Submit Button")',
    "```java\n// Copyright 2024 The Apache Software Foundation\n```",
    "```csv\nid,product_name,price\n1,Standing Desk,299\n```",
]


@pytest.mark.parametrize("text, name", FOUND)
def test_names_in_code_data_and_custom_instructions(found, text, name):
    assert ("PERSON", name) in found(text)


@pytest.mark.parametrize("text", KEPT)
def test_identifiers_packages_steps_and_organisations_stay(found, text):
    assert [v for e, v in found(text) if e == "PERSON"] == []


@pytest.mark.parametrize(
    "key, kind",
    [
        ("full_name", "strong"),
        ("firstName", "strong"),
        ("author", "strong"),
        ("created_by", "strong"),
        ("Vorname", "strong"),
        ("name", "weak"),
        ("file_name", None),
        ("project_owner_id", None),
        ("hostname", None),
    ],
)
def test_keys_that_hold_a_person(key, kind):
    assert name_key(key) == kind


def people(engine, texts):
    detections = engine.detect(texts, engine.analyze_texts(texts))
    return [
        [t[r.start : r.end] for r in d if r.entity_type == "PERSON"]
        for t, d in zip(texts, detections, strict=True)
    ]


def test_a_single_guess_on_a_product_word_does_not_recur(pii_engine):
    texts = ["Is Weaviate better than Qdrant?", "sure", "I export from weaviate to qdrant daily"]
    assert people(pii_engine, texts)[2] == []


def test_names_after_a_cue_and_full_names_recur(pii_engine):
    texts = ["I'm Kateryna Holm but everyone calls me Katya.", "ok", "thx, katya and holm it is"]
    assert set(people(pii_engine, texts)[2]) == {"katya", "holm"}


def test_a_name_that_is_an_english_word_recurs_only_capitalised(pii_engine):
    texts = ["My name is Rose.", "Hi Rose!", "Rose asked why the rose wilted"]
    assert people(pii_engine, texts)[2] == ["Rose"]
