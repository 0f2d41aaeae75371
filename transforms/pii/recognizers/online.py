"""Recognizers of online identifiers: e-mail addresses and IP addresses.

- ``EMAIL_ADDRESS``: :class:`OfflineEmailRecognizer`, Presidio's, validating
  domains offline.
- ``IP_ADDRESS``: Presidio's ``IpRecognizer`` as it is (IPv4 and IPv6);
  private, loopback and documentation ranges are left in by the allow-list
  (``config/pii.yaml``), not here.

The e-mail recognizer runs Presidio's pattern only on a text where it occurs
(:class:`~transforms.pii.recognizers.base.GatedPatternRecognizer`).
"""

from __future__ import annotations

import tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer, IpRecognizer

from transforms.pii.recognizers.base import GatedPatternRecognizer

__all__ = ["IpRecognizer", "OfflineEmailRecognizer"]


class OfflineEmailRecognizer(GatedPatternRecognizer, EmailRecognizer):
    """Presidio's e-mail recognizer, validating domains against tldextract's
    bundled public-suffix snapshot instead of fetching the list."""

    _extract = tldextract.TLDExtract(suffix_list_urls=())

    def validate_result(self, pattern_text: str):
        return self._extract(pattern_text).fqdn != ""
