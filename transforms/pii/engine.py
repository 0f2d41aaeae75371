"""The PII engine: detection, replacement and the P1 review of batches of
conversations, built once per worker process (``PiiModelHandler.load_model``).

Beam-free. :meth:`PiiEngine.redact_batch` takes eligible conversations and
returns, for each, a ``RedactedConversation`` or the exception that stopped it
(the caller dead-letters it; nothing is written unredacted);
:meth:`PiiEngine.process_batch` adds the review of each redacted conversation.
A failure affects only its own conversation. The parts:

- :mod:`transforms.pii.registry`: the spaCy model and the Presidio analyzer
  with the recognizers the config enables;
- :mod:`transforms.pii.detection`: the final detections of each message, and
  the names that recur in a conversation;
- :mod:`transforms.pii.replacement`: detections to redacted messages and
  sidecar records (:mod:`transforms.pii.operators` chooses the text);
- :mod:`transforms.pii.review`: the residual check and the optional density
  and language exclusions.

The config is checked before the model is loaded: unknown residual kinds,
size bounds below 1, or keyed operators without a key are a ValueError.
"""

from __future__ import annotations

from typing import Optional, Sequence, Union

from presidio_analyzer import AnalyzerEngine, RecognizerResult

from schemas.records import Eligible, RedactedConversation
from transforms.pii.config import PiiConfig
from transforms.pii.detection import Detections, Detector, check_bounds
from transforms.pii.registry import build_analyzer
from transforms.pii.replacement import pseudonym_key, redact
from transforms.pii.review import PiiRejection, Reviewer

Outcome = Union[RedactedConversation, PiiRejection, Exception]


class PiiEngine:
    """Detection, replacement and the P1 review for batches of conversations,
    on ``analyzer`` (by default one built from ``config``)."""

    def __init__(self, config: PiiConfig, analyzer: Optional[AnalyzerEngine] = None):
        self.config = config
        self.reviewer = Reviewer(config)
        check_bounds(config)
        self._key = pseudonym_key(config)
        self.analyzer = analyzer or build_analyzer(config)
        self.detector = Detector(config, self.analyzer)

    def analyze_texts(self, texts: Sequence[str]) -> Detections:
        """Final detections for each text (:meth:`Detector.analyze_texts`)."""
        return self.detector.analyze_texts(texts)

    def detect(
        self, texts: Sequence[str], detections: Sequence[Sequence[RecognizerResult]]
    ) -> Detections:
        """One conversation's detections with the recurrences of its names."""
        return self.detector.propagate(texts, detections)

    def redact(
        self, eligible: Eligible, detections: Sequence[Sequence[RecognizerResult]]
    ) -> RedactedConversation:
        """One conversation redacted, from its messages' detections."""
        texts = [m.content for m in eligible.conversation.messages]
        return redact(eligible, self.detect(texts, detections), self.config.operator, self._key)

    def redact_batch(
        self, batch: Sequence[Eligible]
    ) -> list[Union[RedactedConversation, Exception]]:
        """Redact a batch, analysing all its messages together; a failure
        affects only its own conversation."""
        texts = [m.content for e in batch for m in e.conversation.messages]
        try:
            detections = self.analyze_texts(texts)
        except Exception:  # isolate the failing conversation below
            return [self._redact_one(e) for e in batch]
        results: list[Union[RedactedConversation, Exception]] = []
        position = 0
        for eligible in batch:
            n = len(eligible.conversation.messages)
            try:
                results.append(self.redact(eligible, detections[position : position + n]))
            except Exception as exc:  # noqa: BLE001 - reported as a dead letter
                results.append(exc)
            position += n
        return results

    def _redact_one(self, eligible: Eligible) -> Union[RedactedConversation, Exception]:
        try:
            detections = self.analyze_texts([m.content for m in eligible.conversation.messages])
            return self.redact(eligible, detections)
        except Exception as exc:  # noqa: BLE001 - reported as a dead letter
            return exc

    def process_batch(self, batch: Sequence[Eligible]) -> list[Outcome]:
        """:meth:`redact_batch` followed by :meth:`review` of each redacted conversation."""
        outcomes: list[Outcome] = []
        for outcome in self.redact_batch(batch):
            try:
                outcomes.append(
                    self.review(outcome) if isinstance(outcome, RedactedConversation) else outcome
                )
            except Exception as exc:  # noqa: BLE001 - reported as a dead letter
                outcomes.append(exc)
        return outcomes

    def review(self, redacted: RedactedConversation) -> Union[RedactedConversation, PiiRejection]:
        """The P1 review of one redacted conversation (:class:`Reviewer`)."""
        return self.reviewer.review(redacted)
