"""The secret recognizers' former import path, kept for the callers outside
the stage that still use it (eval/); they live in
:mod:`transforms.pii.recognizers.secrets`."""

from transforms.pii.recognizers.secrets import SECRET_ENTITIES, secret_recognizers

__all__ = ["SECRET_ENTITIES", "secret_recognizers"]
