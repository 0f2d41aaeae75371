"""Our recognizers must not shadow Presidio's predefined ones: Presidio's
registry loader finds predefined recognizers by class name among all loaded
subclasses, so a same-named class of ours would replace its own."""

from presidio_analyzer import EntityRecognizer, RecognizerRegistry

import transforms.pii.registry  # noqa: F401 - loads every recognizer of ours


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_no_recognizer_of_ours_shares_a_name_with_one_of_presidio():
    ours = {
        c.__name__ for c in subclasses(EntityRecognizer) if c.__module__.startswith("transforms.")
    }
    theirs = {
        c.__name__
        for c in subclasses(EntityRecognizer)
        if c.__module__.startswith("presidio_analyzer.")
    }
    assert ours and not ours & theirs


def test_presidio_predefined_recognizers_still_load_next_to_ours():
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(languages=["en"])
    modules = {type(r).__module__ for r in registry.recognizers}
    assert all(m.startswith("presidio_analyzer.") for m in modules)
