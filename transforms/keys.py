"""The record-id key, by reference (shared by the write and PII stages).

The key keys the ``record_id`` HMAC and the keyed pseudonyms. The job graph
(what a runner pickles, stores and shows in its UI) carries only a
:class:`KeyRef` — where the key is — and each worker process resolves it once,
when its DoFn is set up; the driver resolves it too, to check it is strong
enough and to record its fingerprint in the audit. References:

* ``env:NAME`` — the environment variable NAME (default
  ``env:ELIGIBILITY_RECORD_ID_KEY``); workers need it in their environment
  (local runners inherit it);
* ``file:PATH`` (or a bare path) — a file holding the key, on any filesystem
  Beam reads (a local path, ``gs://bucket/key``); surrounding whitespace is
  stripped;
* ``gcp-secret:projects/P/secrets/S/versions/V`` — a Google Secret Manager
  secret version (needs the ``google-cloud-secret-manager`` package on the
  workers).

The key is never logged; errors name the reference, never its value.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from typing import Optional

KEY_ENV = "ELIGIBILITY_RECORD_ID_KEY"
DEFAULT_KEY_REF = f"env:{KEY_ENV}"
MIN_KEY_BYTES = 16
MIN_KEY_DISTINCT_BYTES = 8
_SCHEMES = ("env", "file", "gcp-secret")


class KeyUnavailable(ValueError):
    """The reference names no readable key; the message names the reference only."""


@dataclass(frozen=True)
class KeyRef:
    scheme: str  # env | file | gcp-secret
    name: str

    @classmethod
    def parse(cls, text: str) -> "KeyRef":
        scheme, sep, name = text.partition(":")
        if sep and scheme in _SCHEMES and name:
            return cls(scheme, name)
        if sep and scheme in _SCHEMES:
            raise KeyUnavailable(f"the key reference {text!r} names nothing after {scheme}:")
        return cls("file", text)  # a bare path

    def __str__(self) -> str:
        return f"{self.scheme}:{self.name}"

    def resolve(self) -> bytes:
        """The key's bytes (a DoFn reads them once, in ``setup``)."""
        if self.scheme == "env":
            value = os.environ.get(self.name, "")
            if not value:
                raise KeyUnavailable(f"the environment variable {self.name} is not set")
            return value.encode("utf-8")
        if self.scheme == "file":
            from apache_beam.io.filesystems import FileSystems

            try:
                with FileSystems.open(self.name) as handle:
                    return handle.read().strip()
            except (OSError, Exception) as exc:  # noqa: BLE001 - Beam wraps its IO errors
                raise KeyUnavailable(
                    f"cannot read the key file {self.name} ({type(exc).__name__})"
                ) from None
        return _secret_manager(self.name)


def _secret_manager(version: str) -> bytes:
    try:
        from google.cloud import secretmanager
    except ImportError:
        raise KeyUnavailable(
            "gcp-secret: references need the google-cloud-secret-manager package"
        ) from None
    try:
        response = secretmanager.SecretManagerServiceClient().access_secret_version(name=version)
    except Exception as exc:  # noqa: BLE001 - the client raises many kinds
        raise KeyUnavailable(f"cannot read the secret {version} ({type(exc).__name__})") from None
    return response.payload.data.strip()


def weakness(key: bytes) -> Optional[str]:
    """Why a key is too weak, or None: it needs at least 16 bytes, at least 8
    distinct byte values and something other than whitespace. (A count of
    distinct bytes, not an entropy estimate: a random hex key has at most 16.)"""
    if (
        len(key) < MIN_KEY_BYTES
        or len(set(key)) < MIN_KEY_DISTINCT_BYTES
        or key.decode("utf-8", "replace").isspace()
    ):
        return (
            f"it needs at least {MIN_KEY_BYTES} bytes, at least {MIN_KEY_DISTINCT_BYTES} "
            "distinct byte values and something other than whitespace"
        )
    return None


def record_id(key: bytes, conversation_id: str) -> str:
    """HMAC-SHA256 of the conversation id: stable with the same key, irreversible without."""
    return hmac.new(key, conversation_id.encode("utf-8"), hashlib.sha256).hexdigest()


def key_fingerprint(key: bytes) -> str:
    """Names the key in the audit without revealing it."""
    return hmac.new(key, b"eligibility-record-id-key-fingerprint", hashlib.sha256).hexdigest()[:16]
