"""Private keys in the encodings that the PEM recognizer of :mod:`.secrets`
does not see: a whole PEM block encoded once more in base64 (Kubernetes
secrets, CI variables: ``LS0tLS1CRUdJTi...``), PuTTY ``.ppk`` files, the
private members of a JSON Web Key (``"d"``, ``"p"``, ``"q"``, ``"dp"``,
``"dq"``, ``"qi"``, ``"k"``) and age encryption keys. All ``PRIVATE_KEY``.

Each format has a fixed marker (``LS0tLS1CRUdJT``, ``PuTTY-User-Key-File-``,
``"kty"``, ``AGE-SECRET-KEY-1``), so a message without one pays four
substring tests.
"""

from __future__ import annotations

import base64
import binascii
from typing import Iterable

import regex as re

from transforms.pii.recognizers.base import LogicRecognizer
from transforms.pii.recognizers.secret_values import PRIVATE_KEY, looks_like_fake_token

# base64 of "-----BEGIN" (the PEM header) at the start of an encoded block.
_B64_PEM = re.compile(r"(?<![A-Za-z0-9+/])LS0tLS1CRUdJT[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=])")
_PUTTY = re.compile(
    r"PuTTY-User-Key-File-\d:[^\r\n]*"
    r"(?:\r?\n[A-Za-z-]+:[^\r\n]*|\r?\n[ \t]*[A-Za-z0-9+/=]{16,})+"
)
_JWK_TYPE = re.compile(r"[\"']kty[\"']\s*:")
_JWK_PRIVATE = re.compile(
    r"[\"'](?:d|p|q|dp|dq|qi|k)[\"']\s*:\s*[\"'](?P<v>[A-Za-z0-9_-]{16,})[\"']"
)
_AGE = re.compile(r"AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Z0-9])")
_JWK_WINDOW = 4000


def encodes_private_key(value: str) -> bool:
    """True if the base64 ``value`` decodes to a PEM header of a private key."""
    if not value.startswith("LS0tLS1CRUdJT"):
        return False
    head = value[:80]
    try:
        decoded = base64.b64decode(head[: len(head) - len(head) % 4], validate=True)
    except (binascii.Error, ValueError):
        return False
    return decoded.startswith(b"-----BEGIN") and b"PRIVATE KEY" in decoded


class EncodedPrivateKeyRecognizer(LogicRecognizer):
    """Private keys in other encodings: a base64-encoded PEM private key
    block (1.0, checked by decoding its header; certificates and public
    keys encoded the same way are not private keys); a PuTTY key file from
    its header to its last line, when it has ``Private-Lines`` (1.0); each
    private member of a JSON Web Key, inside an object with ``"kty"`` (0.95);
    age secret keys (0.95)."""

    ENTITY = PRIVATE_KEY

    def find(self, text: str, nlp_artifacts=None):
        if "LS0tLS1CRUdJT" in text:
            yield from self._encoded_pem(text)
        if "PuTTY-User-Key-File-" in text:
            for match in _PUTTY.finditer(text):
                if "Private-Lines:" in match.group():
                    yield match.start(), match.end(), 1.0, "PuTTY private key"
        if "kty" in text:
            yield from self._jwk_members(text)
        if "AGE-SECRET-KEY-1" in text:
            for match in _AGE.finditer(text):
                if not looks_like_fake_token(match.group()):
                    yield match.start(), match.end(), 0.95, "age secret key"

    @staticmethod
    def _encoded_pem(text: str) -> Iterable:
        for match in _B64_PEM.finditer(text):
            if encodes_private_key(match.group()):
                yield match.start(), match.end(), 1.0, "base64-encoded PEM private key"

    @staticmethod
    def _jwk_members(text: str) -> Iterable:
        """Private members of the JSON object around each ``"kty"``."""
        seen = -1
        for kty in _JWK_TYPE.finditer(text):
            start = text.rfind("{", max(0, kty.start() - _JWK_WINDOW), kty.start())
            end = text.find("}", kty.end(), kty.end() + _JWK_WINDOW)
            if start < 0 or end < 0 or start <= seen:
                continue
            seen = start
            for member in _JWK_PRIVATE.finditer(text, start, end):
                if not looks_like_fake_token(member.group("v")):
                    yield member.start("v"), member.end("v"), 0.95, "JSON Web Key private member"
