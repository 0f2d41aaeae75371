"""Chat code handling: NER sees prose (and comments) only; regex recognizers see code."""

from transforms.pii import chat

FENCED = "Why?\n```python\nclass UserManager:\n    pass  # ask Maria Lopez\n```\nThanks"


def test_fenced_indented_and_inline_code_are_found():
    text = (
        "Intro\n```js\nlet a = 1;\n```\nThen `inline()` here.\n\n"
        "    indented_code()\n    more()\nAfter"
    )
    regions = [text[s:e] for s, e in chat.code_regions(text)]
    assert regions[0].startswith("```js") and regions[0].endswith("```")
    assert "`inline()`" in regions
    assert "    indented_code()\n    more()" in regions


def test_an_unclosed_fence_runs_to_the_end():
    text = "see:\n```\nx = 1\ny = 2"
    assert chat.code_regions(text) == [(5, len(text))]


def test_list_continuations_are_not_indented_code():
    text = "Steps:\n\n- first item\n    continued text of the item\n- second"
    assert chat.code_regions(text) == []


def test_ner_view_blanks_code_but_keeps_comment_text_and_offsets():
    view = chat.ner_view(FENCED, chat.code_without_comments(FENCED))
    assert len(view) == len(FENCED)
    assert [i for i, c in enumerate(view) if c == "\n"] == [
        i for i, c in enumerate(FENCED) if c == "\n"
    ]
    assert "UserManager" not in view and "class" not in view and "pass" not in view
    assert "ask Maria Lopez" in view and "#" not in view
    assert view.startswith("Why?") and view.endswith("Thanks")


def test_ner_does_not_shred_identifiers_in_code(found):
    text = (
        "How do I fix this?\n```java\npublic class JohnsonParser {\n"
        '    private final Logger logger = Logger.getLogger("Smith");\n}\n```'
    )
    assert [d for d in found(text) if d[0] in ("PERSON", "LOCATION", "STREET_ADDRESS")] == []


def test_secrets_emails_and_ips_inside_code_are_still_found(found):
    key = "sk-proj-" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3k"
    text = (
        '```python\nclient = OpenAI(api_key="' + key + '")\n'
        'notify("maria.gonzalez@fastmail.com", host="81.2.69.142")\n```'
    )
    detections = found(text)
    assert ("API_KEY", key) in detections
    assert ("EMAIL_ADDRESS", "maria.gonzalez@fastmail.com") in detections
    assert ("IP_ADDRESS", "81.2.69.142") in detections


def test_names_in_code_comments_are_found(found):
    text = (
        "```python\ndef fetch(url):\n    # Paloma Azevedo said 5 seconds is enough\n    pass\n```"
    )
    assert ("PERSON", "Paloma Azevedo") in found(text)
