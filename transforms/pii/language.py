"""Offline language identification for the optional ``unsupported_language``
policy (off by default; ``language_filter`` in ``config/pii.yaml``).

The NER model reads one language; names in text of another language are
mostly missed, so such a conversation can be excluded instead of written
under-redacted. Identification uses ``py3langid`` (BSD-3-Clause): a naive
Bayes model over byte n-grams for 97 languages that ships inside the package
(4.5 MB, loaded in half a second, never downloaded), deterministic, fast on
short texts, with no dependency beyond numpy. Code is removed before
identification (it reads as no language); texts shorter than ``min_chars`` are
not judged, and neither is a guess below ``min_confidence``.
"""

from __future__ import annotations

from typing import Optional

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from transforms.pii import chat
from transforms.pii.config import LanguageConfig


class LanguageDetector:
    """Built once per engine (per worker process), on first use."""

    def __init__(self, settings: LanguageConfig):
        self._settings = settings
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def unsupported(self, text: str) -> Optional[str]:
        """The identified language when it is confidently not a supported one."""
        prose = " ".join(chat.ner_view(text, chat.code_regions(text)).split())
        if len(prose) < self._settings.min_chars:
            return None
        language, confidence = self._identifier.classify(prose)
        if language in self._settings.supported or confidence < self._settings.min_confidence:
            return None
        return language
