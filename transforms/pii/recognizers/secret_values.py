"""The entity types of secrets and the checks on candidate values that every
secret recognizer shares: entropy, placeholders, references, words, UUIDs,
versions, paths. A module of its own so that the vendor token table
(:mod:`.vendor_tokens`) and the recognizers of :mod:`.secrets` use the same
guards without importing each other.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Optional

import regex as re

API_KEY = "API_KEY"
AWS_ACCESS_KEY = "AWS_ACCESS_KEY"
AWS_SECRET_KEY = "AWS_SECRET_KEY"
JWT = "JWT"
PRIVATE_KEY = "PRIVATE_KEY"
CREDENTIAL = "CREDENTIAL"
SECRET_ENTITIES = (API_KEY, AWS_ACCESS_KEY, AWS_SECRET_KEY, JWT, PRIVATE_KEY, CREDENTIAL)

# Provider prefixes are case-sensitive (``AKIA`` is a key id, ``akia`` is not):
# no IGNORECASE, unlike Presidio's default flags.
_FLAGS = re.DOTALL | re.MULTILINE

# Token boundaries: a token is not part of a longer run of token characters.
_B = r"(?<![A-Za-z0-9_-])"
_E = r"(?![A-Za-z0-9_-])"


# --------------------------------------------------------------------------
# Value checks shared by the recognizers
# --------------------------------------------------------------------------


def shannon_entropy(value: str) -> float:
    """Shannon entropy of ``value`` in bits per character.

    ``H = -sum(p(c) * log2 p(c))`` over the distinct characters ``c`` of the
    string, with ``p(c)`` the share of ``c`` among its characters; 0.0 for an
    empty string. It can never exceed ``log2(len(value))`` nor the log2 of the
    alphabet size (4 for hex, 6 for base64). Reference points: ``xxxxxxxx`` 0.0,
    ``changeme`` 2.75, ``hunter2`` 2.81, a random 20-character base62 token
    about 4.0-4.3, a 40-character AWS secret key about 4.6-5.0.
    """
    if not value:
        return 0.0
    length = len(value)
    return -sum(n / length * math.log2(n / length) for n in Counter(value).values())


def min_entropy(length: int) -> float:
    """Entropy a generic token of ``length`` characters must reach: 3.0 bits per
    character, relaxed for short values whose entropy is capped by log2(length)."""
    return min(3.0, 0.75 * math.log2(max(length, 2)))


def longest_sequential_run(value: str) -> int:
    """Longest run of characters that each follow the previous one by +1 or -1
    code point (``abcdef``, ``123456``, ``987``)."""
    best = run = 1 if value else 0
    step = 0
    for prev, cur in zip(value, value[1:], strict=False):
        diff = ord(cur) - ord(prev)
        if diff in (1, -1) and (run == 1 or diff == step):
            run, step = run + 1, diff
        elif diff in (1, -1):
            run, step = 2, diff
        else:
            run, step = 1, 0
        best = max(best, run)
    return best


_REPEAT_RE = re.compile(r"(.)\1{5,}")
_TOKEN_PLACEHOLDER_RE = re.compile(r"(?i)xxxx|your|placeholder|redacted|dummy|here")


def looks_like_fake_token(token: str, min_bits: float = 3.0) -> bool:
    """Guard for prefix-specific tokens: True for a placeholder with a real prefix.

    Rejects entropy below ``min_bits``, six or more identical characters in a
    row, a sequential run of six or more (``1234567890abcdef``), and the words
    ``xxxx``, ``your``, ``placeholder``, ``redacted``, ``dummy``, ``here``.
    Random tokens fail these with negligible probability.
    """
    return (
        shannon_entropy(token) < min_bits
        or bool(_REPEAT_RE.search(token))
        or longest_sequential_run(token) >= 6
        or bool(_TOKEN_PLACEHOLDER_RE.search(token))
    )


_PLACEHOLDER_VALUES = frozenset(
    """password passwd pass pwd secret token apikey api_key key changeme changeit
    none null nil undefined true false yes no on off empty default test testing
    string str value required optional foo bar baz hidden masked todo tbd fixme
    admin root user username""".split()
)
_PLACEHOLDER_PARTS = re.compile(
    r"(?i)xxx|\*\*\*|•••|\.\.\.|…|example|dummy|placeholder|changeme|change_me|"
    r"change-me|your|redacted|sample|\{\{|\}\}|\$\{|%\(|%s\b|%d\b"
)
_REFERENCE_RE = re.compile(
    r"(?i)^[$%&]|^!!?[A-Za-z]+$|os\.environ|getenv|process\.env|\benv\[|\benv\(|\bsecrets\.|"
    r"^vault:|^ssm:|^arn:|^data:"
)
_IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z_.-]*$")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_HEX_RE = re.compile(r"^[0-9a-fA-F]+$")
_LOWERCASE_NAME_RE = re.compile(r"^[a-z]+(?:[-_.][a-z]+)*$")
_VERSION_RE = re.compile(r"^[vV]?\d+(?:\.\d+)+(?:[-+][\w.]+)?$")
_URL_OR_PATH_RE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|/|~/|\./|\.\./|[A-Za-z]:\\)")
_HOST_OR_EMAIL_RE = re.compile(r"^(?:[\w.+-]+@)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$")


def is_wordlike(value: str) -> bool:
    """A single word of up to 20 letters in one case style (``hunter``,
    ``Sunshine``, ``SECRET``, ``mysecretpassword``): dictionary words, stock
    placeholders and constant names, not credentials. Longer runs of letters
    are passphrases."""
    return (
        value.isalpha()
        and len(value) <= 20
        and (value.islower() or value.isupper() or value.istitle())
    )


def reject_reason(value: str, bare: bool = False) -> Optional[str]:
    """Why ``value`` is not a credential worth redacting, or None if it may be.

    Guards (after detect-secrets' heuristic filters and gitleaks' allowlists):
    placeholders (``changeme``, ``xxxx``, ``<your-key>``, ``****``, ``example``,
    ``None``, ``true`` ...), templates and references (``${VAR}``, ``$VAR``,
    ``{{ var }}``, ``%s``, ``os.environ[...]``, ``process.env.X``,
    ``secrets.X``, ``!vault``), names without digits when unquoted
    (``settings.SECRET_KEY``, ``api_key``, ``ConvertTo-SecureString``), single
    words, UUIDs, version strings, URLs, paths, host names, e-mail addresses,
    values of fewer than three distinct characters and mostly-sequential
    values (``123456``).
    """
    if value.lower() in _PLACEHOLDER_VALUES or _PLACEHOLDER_PARTS.search(value):
        return "placeholder"
    if _REFERENCE_RE.search(value):
        return "reference"
    if bare and _IDENTIFIER_RE.match(value):
        return "identifier"
    if is_wordlike(value):
        return "word"
    if _UUID_RE.match(value):
        return "uuid"
    if _VERSION_RE.match(value):
        return "version"
    if _URL_OR_PATH_RE.match(value) or _HOST_OR_EMAIL_RE.match(value):
        return "url, path, host or e-mail"
    if len(set(value)) < 3 or longest_sequential_run(value) >= max(4, 0.6 * len(value)):
        return "repeated or sequential"
    return None
