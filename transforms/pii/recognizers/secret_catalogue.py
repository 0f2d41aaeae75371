"""Every secret recognizer, from the modules of the secrets family:
:mod:`.secrets` (provider tokens with recognizers of their own, JWTs, AWS
keys, PEM blocks, HTTP Basic/Bearer, URLs, key-value syntaxes),
:mod:`.vendor_tokens` (the table of other providers' tokens),
:mod:`.credential_syntax` (command flags, SQL, ``user:password@host``, other
authorization schemes) and :mod:`.key_material` (encoded private keys).
"""

from __future__ import annotations

from transforms.pii.recognizers.credential_syntax import (
    AuthHeaderRecognizer,
    CommandPasswordRecognizer,
    HostCredentialRecognizer,
)
from transforms.pii.recognizers.key_material import EncodedPrivateKeyRecognizer
from transforms.pii.recognizers.secrets import CORE_SECRET_RECOGNIZERS
from transforms.pii.recognizers.vendor_tokens import VendorTokenRecognizer

SECRET_RECOGNIZERS = (
    *CORE_SECRET_RECOGNIZERS,
    VendorTokenRecognizer,
    CommandPasswordRecognizer,
    HostCredentialRecognizer,
    AuthHeaderRecognizer,
    EncodedPrivateKeyRecognizer,
)


def secret_recognizers(supported_language: str = "en") -> list:
    """One instance of every secret recognizer, for a ``RecognizerRegistry``
    of secrets alone (the secrets evaluations and their tests)."""
    return [cls(supported_language=supported_language) for cls in SECRET_RECOGNIZERS]
