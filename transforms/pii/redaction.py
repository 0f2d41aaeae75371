"""The Beam side of the PII stage, in the shape of Beam's RunInference.

``PiiModelHandler`` holds configuration only (it is pickled into the job
graph, so the record-id key travels in it as a reference); ``load_model``
builds the Presidio engine once per worker process (RunInference shares it
through ``shared.Shared``), resolving the key there. ``run_inference``
redacts and reviews a batch and returns, per conversation, the redacted
conversation, a P1 rejection or the error, so one bad record never
dead-letters its neighbours and nothing is written unredacted.

Outputs of :class:`RedactPii`: ``redacted`` (to be written), ``dead_letter``
(``pii_failed``; ``residual_pii`` when the independent post-redaction check
still finds an identifier) and ``excluded`` (the optional
``pii_density_exceeded`` and ``unsupported_language`` policies).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Iterable, Optional, Sequence, cast

import apache_beam as beam
from apache_beam.ml.inference.base import ModelHandler, PredictionResult, RunInference

from schemas import reasons
from schemas.records import Eligible, RedactedConversation
from transforms.outcomes import DEAD_LETTER, EXCLUDED, dead_letter, excluded
from transforms.pii.config import PiiConfig
from transforms.pii.engine import PiiEngine
from transforms.pii.review import PiiRejection


class PiiModelHandler(ModelHandler[Eligible, Any, PiiEngine]):
    def __init__(self, config: PiiConfig):
        super().__init__()
        self._config = config

    def load_model(self) -> PiiEngine:
        return PiiEngine(self._config)

    def run_inference(
        self, batch: Sequence[Eligible], model: PiiEngine, inference_args: Optional[dict] = None
    ) -> Iterable[PredictionResult]:
        outcomes = model.process_batch(batch)
        return [PredictionResult(e, r) for e, r in zip(batch, outcomes, strict=True)]

    def get_num_bytes(self, batch: Sequence[Eligible]) -> int:
        return sum(len(m.content) for e in batch for m in e.conversation.messages)

    def get_metrics_namespace(self) -> str:
        return "pii"

    def batch_elements_kwargs(self):
        return {
            "min_batch_size": self._config.min_batch_size,
            "max_batch_size": self._config.max_batch_size,
        }

    def share_model_across_processes(self) -> bool:
        return False  # spaCy on CPU: one engine per process


def _split_outcome(prediction: PredictionResult):
    outcome = prediction.inference
    if isinstance(outcome, RedactedConversation):
        yield outcome
        return
    eligible = cast(Eligible, prediction.example)
    conv = eligible.conversation
    if isinstance(outcome, PiiRejection) and not outcome.dead_letter:
        yield excluded(outcome.code, conv.source, conv.conversation_id)
        return
    if isinstance(outcome, PiiRejection):
        code, detail = outcome.code, outcome.detail
    else:  # the exception text may quote the message, so only its type is recorded
        code, detail = reasons.PII_FAILED, f"{type(outcome).__name__} during PII processing"
    yield dead_letter(
        reasons.STAGE_PII, code, detail, conv.location, conv.conversation_id, asdict(conv)
    )


class RedactPii(beam.PTransform):
    """Eligible conversations → redacted conversations, dead letters and exclusions."""

    def __init__(self, config: PiiConfig):
        super().__init__()
        self._config = config

    def expand(self, eligible):
        return (
            eligible
            | "DetectAndRedact" >> RunInference(PiiModelHandler(self._config))
            | "SplitOutcomes"
            >> beam.FlatMap(_split_outcome).with_outputs(DEAD_LETTER, EXCLUDED, main="redacted")
        )
