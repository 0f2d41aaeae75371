"""The independent post-redaction check (P1 ``residual_pii``).

Runs on the redacted text, after replacement, and shares no code with the
detectors: strict regular expressions and validators written for this check
alone. If it still finds a structured identifier, the conversation is not
written but dead-lettered, so a detector bug fails closed instead of leaking.

What it looks for (each a "kind", reported by entity type, never by value):

- ``EMAIL_ADDRESS``: ``local@domain.tld`` with a letter-only TLD.
- ``PHONE_NUMBER``: ``+`` and a country code with 8-15 digits in total, or a
  North American ``(415) 555-0132`` / ``415-555-0132`` / ``415.555.0132``.
- ``CREDIT_CARD``: 13-19 digits (contiguous or in groups of four) with a
  Visa, Mastercard, Amex or Discover prefix and a valid Luhn check digit.
- ``IBAN_CODE``: two letters, two digits and 11-30 letters/digits (compact or
  grouped by four) passing the mod-97 check.
- ``US_SSN``: ``AAA-GG-SSSS`` with a possible area (not 000, 666 or 9xx),
  group and serial.
- ``IP_ADDRESS``: dotted IPv4 with four octets up to 255.
- ``SECRET``: a private-key block with a base64 body, a JWT, or a token with a provider prefix
  (``sk-``, ``sk-ant-``, ``ghp_``, ``github_pat_``, ``glpat-``, ``xox?-``,
  ``AKIA``, ``AIza``, ``hf_``, ``npm_``, ``sk_live_``) whose body mixes
  letters and digits, is not a run of one repeated character and is not
  mostly a run of the alphabet (``aBcDeFgH...``).

Values the allow-list permits (example domains, private and documentation
IP ranges, fictional numbers, published test values) are not findings:
they were left in on purpose.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from transforms.pii.allow import AllowList

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}\b")
_PHONE_INTL = re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?!\d)")
_PHONE_NANP = re.compile(r"(?<![\w-])(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}(?![\w-])")
_CARD = re.compile(
    r"(?<![\d-])(?:\d{4}[ -]){3}\d{1,7}(?![\d-])|(?<![\d-])\d{13,19}(?![\d-])|"
    r"(?<![\d-])\d{4}[ -]\d{6}[ -]\d{5}(?![\d-])"
)
_CARD_PREFIX = re.compile(r"4|5[1-5]|2[2-7]|3[47]|6011|65")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
_SSN = re.compile(r"(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?![\w-])")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)")
# A private-key block with a body: header lines (``Proc-Type: ...``) may come
# first; a placeholder body (``<paste your key here>``) is not a key.
_PEM = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----\s*(?:[\w-]+:[^\n]*\n\s*)*[A-Za-z0-9+/=]{4,}"
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
_TOKEN = re.compile(
    r"(?<![A-Za-z0-9_-])(?:sk-(?:proj-|svcacct-|admin-|ant-[a-z]+\d*-)?|ghp_|gho_|ghu_|ghs_|"
    r"github_pat_|glpat-|xox[abpors]-|AKIA|ASIA|AIza|hf_|npm_|[sr]k_live_)"
    r"([A-Za-z0-9_-]{16,})"
)


def _luhn(digits: str) -> bool:
    checksum = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (1 + position % 2)
        checksum += value // 10 + value % 10
    return checksum % 10 == 0


def _mod97(iban: str) -> bool:
    number = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(number) % 97 == 1


def _random_looking(body: str) -> bool:
    return (
        any(c.isdigit() for c in body)
        and any(c.isalpha() for c in body)
        and max(Counter(body).values()) < len(body) / 2
        and not _sequential(body)
    )


def _sequential(body: str) -> bool:
    """Mostly runs of the alphabet or of digits (``aBcDeF...XyZ0123``): a
    placeholder someone typed, not a random token (in one, about 1 pair in 36
    is consecutive)."""
    lowered = body.lower()
    steps = sum(ord(b) - ord(a) == 1 for a, b in zip(lowered, lowered[1:], strict=False))
    return steps >= (len(body) - 1) / 2


def _emails(text: str) -> Iterable[tuple[str, str]]:
    return (("EMAIL_ADDRESS", m.group()) for m in _EMAIL.finditer(text))


def _phones(text: str) -> Iterable[tuple[str, str]]:
    for match in _PHONE_INTL.finditer(text):
        if 8 <= sum(c.isdigit() for c in match.group()) <= 15:
            yield "PHONE_NUMBER", match.group()
    for match in _PHONE_NANP.finditer(text):
        yield "PHONE_NUMBER", match.group()


def _cards(text: str) -> Iterable[tuple[str, str]]:
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and _CARD_PREFIX.match(digits) and _luhn(digits):
            yield "CREDIT_CARD", match.group()


def _ibans(text: str) -> Iterable[tuple[str, str]]:
    for match in _IBAN.finditer(text):
        compact = match.group().replace(" ", "")
        if 15 <= len(compact) <= 34 and _mod97(compact):
            yield "IBAN_CODE", match.group()


def _ssns(text: str) -> Iterable[tuple[str, str]]:
    for match in _SSN.finditer(text):
        area, group, serial = match.groups()
        if area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000":
            yield "US_SSN", match.group()


def _ips(text: str) -> Iterable[tuple[str, str]]:
    for match in _IPV4.finditer(text):
        if all(int(octet) <= 255 for octet in match.group().split(".")):
            yield "IP_ADDRESS", match.group()


def _secrets(text: str) -> Iterable[tuple[str, str]]:
    for regex in (_PEM, _JWT):
        for match in regex.finditer(text):
            yield "SECRET", match.group()
    for match in _TOKEN.finditer(text):
        if _random_looking(match.group(1)):
            yield "SECRET", match.group()


CHECKS = {
    "EMAIL_ADDRESS": _emails,
    "PHONE_NUMBER": _phones,
    "CREDIT_CARD": _cards,
    "IBAN_CODE": _ibans,
    "US_SSN": _ssns,
    "IP_ADDRESS": _ips,
    "SECRET": _secrets,
}


def residual_findings(
    texts: Iterable[str], kinds: Iterable[str], allow: AllowList
) -> list[tuple[int, str]]:
    """(message index, kind) of every identifier still present, in order."""
    checks = [CHECKS[kind] for kind in kinds]
    found = []
    for index, text in enumerate(texts):
        for check in checks:
            for kind, value in check(text):
                if kind == "SECRET" or not allow.permits(kind, value):
                    found.append((index, kind))
    return found
