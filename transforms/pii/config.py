"""PII settings (``config/pii.yaml``), loaded into a small, picklable dataclass."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

DEFAULT_PII_CONFIG_PATH = Path(__file__).resolve().parents[2] / "config" / "pii.yaml"


@dataclass(frozen=True)
class PiiConfig:
    model: str = "en_core_web_md"
    language: str = "en"
    entities: tuple[str, ...] = ()
    score_threshold: float = 0.4
    max_chars_per_analysis: int = 100_000
    min_batch_size: int = 8
    max_batch_size: int = 64
    extra: dict = field(default_factory=dict, compare=False)


def load_pii_config(path: Optional[str] = None, model: Optional[str] = None) -> PiiConfig:
    """Read the PII settings; ``model`` (the --spacy-model flag) overrides the file."""
    path = Path(path) if path else DEFAULT_PII_CONFIG_PATH
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read PII config {path}: {exc}") from None
    batch = doc.pop("batch_size", {}) or {}
    known = {"model", "language", "entities", "score_threshold", "max_chars_per_analysis"}
    return PiiConfig(
        model=model or doc.get("model", PiiConfig.model),
        language=doc.get("language", PiiConfig.language),
        entities=tuple(doc.get("entities") or ()),
        score_threshold=float(doc.get("score_threshold", PiiConfig.score_threshold)),
        max_chars_per_analysis=int(doc.get("max_chars_per_analysis", PiiConfig.max_chars_per_analysis)),
        min_batch_size=int(batch.get("min", PiiConfig.min_batch_size)),
        max_batch_size=int(batch.get("max", PiiConfig.max_batch_size)),
        extra={k: v for k, v in doc.items() if k not in known},
    )
