"""The analyzer's registry answers each (language, entities) request once, and
the same as Presidio's own registry."""

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerRegistry

from transforms.pii.registry import FixedRecognizerRegistry


def recognizers():
    def one(entity, language):
        return PatternRecognizer(
            supported_entity=entity,
            supported_language=language,
            patterns=[Pattern(entity, r"\d{4}", 0.5)],
            name=f"{entity}-{language}",
        )

    return [one(e, lang) for e in ("A", "B", "C") for lang in ("en", "de")]


def names(found):
    return sorted(r.name for r in found)


def test_same_answers_as_presidio_and_computed_once(monkeypatch):
    fixed = FixedRecognizerRegistry(recognizers=recognizers(), supported_languages=["en", "de"])
    plain = RecognizerRegistry(recognizers=recognizers(), supported_languages=["en", "de"])
    requests = [("en", ["A"]), ("de", ["A", "C"]), ("en", ["B", "C"]), ("de", None)]
    for language, entities in requests:
        all_fields = entities is None
        assert names(fixed.get_recognizers(language, entities, all_fields)) == names(
            plain.get_recognizers(language, entities, all_fields)
        )
    calls = []
    original = RecognizerRegistry.get_recognizers

    def counting(self, *args, **kwargs):
        calls.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RecognizerRegistry, "get_recognizers", counting)
    for _ in range(3):
        for language, entities in requests:
            fixed.get_recognizers(language, entities, entities is None)
    assert calls == []  # every answer was kept from the first round


def test_ad_hoc_recognizers_are_not_cached():
    fixed = FixedRecognizerRegistry(recognizers=recognizers(), supported_languages=["en", "de"])
    extra = PatternRecognizer(supported_entity="A", patterns=[Pattern("x", "x", 0.5)], name="extra")
    assert "extra" in names(fixed.get_recognizers("en", ["A"], ad_hoc_recognizers=[extra]))
    assert "extra" not in names(fixed.get_recognizers("en", ["A"]))


def test_gated_pattern_recognizer_finds_what_presidio_finds_and_skips_the_rest(monkeypatch):
    """The gate only skips Presidio's pattern loop on a text where no pattern
    occurs: the same results on texts with and without a match."""
    from transforms.pii.recognizers.base import GatedPatternRecognizer
    from transforms.pii.recognizers.online import OfflineEmailRecognizer
    from transforms.pii.recognizers.secrets import GitHubTokenRecognizer, JwtRecognizer

    texts = [
        "mail me at ana.lopez@example.org or ops@bigcorp.io",
        "token ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5" + " leaked",
        "header eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig_abcdef rest",
        "no identifiers here at all, just words (#12345)",
        "",
    ]
    for recognizer in (OfflineEmailRecognizer(), GitHubTokenRecognizer(), JwtRecognizer()):
        assert isinstance(recognizer, GatedPatternRecognizer)
        for text in texts:
            gated = recognizer.analyze(text, [])
            plain = PatternRecognizer.analyze(recognizer, text, [])
            assert [(r.entity_type, r.start, r.end, r.score) for r in gated] == [
                (r.entity_type, r.start, r.end, r.score) for r in plain
            ]
    assert OfflineEmailRecognizer().analyze(texts[0], [])  # the gate lets matches through

    calls = []
    monkeypatch.setattr(PatternRecognizer, "analyze", lambda self, *a, **k: calls.append(a) or [])
    OfflineEmailRecognizer().analyze("nothing to see", [])
    assert calls == []
    OfflineEmailRecognizer().analyze("write to a@example.org", [])
    assert len(calls) == 1
