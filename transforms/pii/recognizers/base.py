"""The one base class of our logic recognizers, and the context tests they share.

Presidio has two kinds of recognizer: a ``PatternRecognizer`` is regular
expressions with scores, context words and ``validate_result``; an
``EntityRecognizer`` decides in ``analyze()``. Most of ours need decisions a
pattern cannot express (a Luhn check with issuer and card words, a name after
a cue that the tagger reads as a proper noun, a password that is not a
placeholder), so they are :class:`LogicRecognizer`\\ s: a subclass names its
entity type in ``ENTITY`` and yields ``(start, end, score, explanation)`` from
:meth:`LogicRecognizer.find`; the base turns those into Presidio results.
"""

from __future__ import annotations

from typing import Iterable, List, Optional

import regex as re
from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts

from transforms.pii.lexicon import EMPTY, Lexicon

# (start, end, score, explanation) of one detection.
Finding = tuple[int, int, float, str]


class LogicRecognizer(EntityRecognizer):
    """Base for recognizers whose decisions need more than a regex match:
    subclasses set ``ENTITY`` and yield findings from :meth:`find`. The
    recognizer's name is its class name, as for Presidio's own recognizers."""

    ENTITY = ""
    name: str  # set by Presidio's EntityRecognizer, which does not annotate it

    def __init__(self, supported_language: str = "en", name: Optional[str] = None):
        super().__init__(
            supported_entities=[self.ENTITY],
            name=name or type(self).__name__,
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load: patterns are compiled at import."""

    def analyze(
        self, text: str, entities: List[str], nlp_artifacts: Optional[NlpArtifacts] = None
    ) -> List[RecognizerResult]:
        """Report each finding of :meth:`find`, when this entity is requested."""
        if entities and self.ENTITY not in entities:
            return []
        return EntityRecognizer.remove_duplicates(
            [
                RecognizerResult(
                    entity_type=self.ENTITY,
                    start=start,
                    end=end,
                    score=score,
                    analysis_explanation=AnalysisExplanation(
                        recognizer=self.name, original_score=score, textual_explanation=why
                    ),
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
                for start, end, score, why in self.find(text, nlp_artifacts)
            ]
        )

    def find(self, text: str, nlp_artifacts: Optional[NlpArtifacts] = None) -> Iterable[Finding]:
        """Yield ``(start, end, score, explanation)`` for each detection in ``text``."""
        raise NotImplementedError


class LexiconRecognizer(LogicRecognizer):
    """A logic recognizer that consults the
    :class:`~transforms.pii.lexicon.Lexicon` of names and English words
    (the registry hands it the model's)."""

    def __init__(
        self, supported_language: str = "en", name: Optional[str] = None, lexicon: Lexicon = EMPTY
    ):
        super().__init__(supported_language=supported_language, name=name)
        self.lexicon = lexicon


class GatedPatternRecognizer(PatternRecognizer):
    """A Presidio pattern recognizer that first asks whether any of its
    patterns occurs in the text at all, with one plain search per pattern,
    and runs Presidio's loop only when one does. Presidio's loop times every
    pattern twice and runs it under a regex timeout, which reads the process's
    CPU clock (a system call on these machines): some 3 us a pattern on every
    message, nearly always for nothing, since a token or an address is in few
    messages. A text none of the patterns matches has no result either way,
    so the results are the same."""

    patterns: List[Pattern]  # set by Presidio's PatternRecognizer, which does not annotate it

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        flags = self.global_regex_flags or 0
        self._gate = [re.compile(p.regex, flags=flags) for p in self.patterns]

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if regex_flags is None and not any(p.search(text) for p in self._gate):
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)


def context_before(regex: re.Pattern, text: str, start: int, window: int = 48) -> bool:
    """True if ``regex`` matches in the ``window`` characters before ``start``."""
    return bool(regex.search(text[max(0, start - window) : start]))


def context_after(regex: re.Pattern, text: str, end: int, window: int = 16) -> bool:
    """True if ``regex`` matches right after ``end``, within ``window`` characters."""
    return bool(regex.match(text[end : end + window]))


def near(regex: re.Pattern, text: str, start: int, end: int, before: int, after: int) -> bool:
    """True if ``regex`` matches in the ``before``/``after`` characters around
    ``text[start:end]``."""
    return bool(
        regex.search(text, max(0, start - before), start)
        or regex.search(text, end, min(len(text), end + after))
    )
