"""Recognizers of numbers that identify a person or an account.

- ``PHONE_NUMBER``: :class:`PhoneNumberRecognizer`, international and national
  formats; ambiguous digit groups only with phone context.
- ``CREDIT_CARD``: :class:`CardNumberRecognizer`, Luhn plus issuer prefixes.
- ``IBAN_CODE``: :class:`IbanNumberRecognizer`, per-country lengths and mod-97, so
  an IBAN inside a sentence is not swallowed by the words after it.
- ``US_DRIVER_LICENSE``: :class:`DriverLicenseRecognizer`, only after the
  words "driver's license" (numbers alone are too ambiguous).
- ``US_SSN``: :class:`SsnRecognizer`, Presidio's, without its exemption of
  published sample numbers.

Scores below 0.4 (the default threshold) mark candidates that need the
context the recognizer checks itself.
"""

from __future__ import annotations

from typing import Optional

import phonenumbers
import regex as re
from presidio_analyzer.predefined_recognizers import UsSsnRecognizer

from transforms.pii.recognizers.base import (
    GatedPatternRecognizer,
    LogicRecognizer,
    context_after,
    context_before,
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


_ISSUERS = [  # (prefix regex on the digits, allowed lengths)
    (re.compile(r"4"), {13, 16, 19}),  # Visa
    (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)"), {16}),  # Mastercard
    (re.compile(r"3[47]"), {15}),  # Amex
    (re.compile(r"6011|64[4-9]|65"), {16, 17, 18, 19}),  # Discover
    (re.compile(r"35(?:2[89]|[3-8]\d)"), {16, 17, 18, 19}),  # JCB
    (re.compile(r"2131|1800"), {15}),  # JCB (old)
    (re.compile(r"30[0-5]|3[689]"), {14, 15, 16, 17, 18, 19}),  # Diners
    (re.compile(r"62|81"), {16, 17, 18, 19}),  # UnionPay
    (re.compile(r"5[06-9]|6"), {12, 13, 14, 15, 16, 17, 18, 19}),  # Maestro
    (re.compile(r"1"), {15}),  # UATP
]


def known_issuer(digits: str) -> bool:
    return any(p.match(digits) and len(digits) in lengths for p, lengths in _ISSUERS)


class CardNumberRecognizer(LogicRecognizer):
    """Payment card numbers: 12-19 digits, contiguous or in groups of 4
    (Amex 4-6-5), passing the Luhn check. With a known issuer prefix and
    length: 0.6, or 0.9 after card words ("card", "visa", "cc" ...). A
    Luhn-valid number without a known issuer needs card words (0.6)."""

    ENTITY = "CREDIT_CARD"
    CANDIDATE = re.compile(
        r"(?<![\w.+-])\d{4}(?:[ -]?\d{2,7}){2,4}(?![\w-]*\d)|"
        r"(?<![\w.+-])\d{12,19}(?![\w-]*\d)"
    )
    CONTEXT = re.compile(
        r"(?i)\b(?:card|cards|credit|debit|cc|visa|master\s?card|amex|"
        r"american\s+express|discover|jcb|maestro|diners|payment|pay|charge|"
        r"charged|billing|billed|expir\w*|number\s+is)\b"
    )

    def find(self, text, nlp_artifacts):
        for match in self.CANDIDATE.finditer(text):
            value = match.group()
            digits = re.sub(r"\D", "", value)
            if not 12 <= len(digits) <= 19 or not luhn_valid(digits):
                continue
            if len(set(re.findall(r"[ -]", value))) > 1:
                continue
            context = context_before(self.CONTEXT, text, match.start(), 40)
            if known_issuer(digits):
                yield match.start(), match.end(), 0.9 if context else 0.6, "Luhn, issuer prefix"
            elif context:
                yield match.start(), match.end(), 0.6, "Luhn, card words"


# IBAN length per country (ISO 13616 registry).
IBAN_LENGTHS = {
    "AD": 24,
    "AE": 23,
    "AL": 28,
    "AT": 20,
    "AZ": 28,
    "BA": 20,
    "BE": 16,
    "BG": 22,
    "BH": 22,
    "BI": 27,
    "BR": 29,
    "BY": 28,
    "CH": 21,
    "CR": 22,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DJ": 27,
    "DK": 18,
    "DO": 28,
    "EE": 20,
    "EG": 29,
    "ES": 24,
    "FI": 18,
    "FK": 18,
    "FO": 18,
    "FR": 27,
    "GB": 22,
    "GE": 22,
    "GI": 23,
    "GL": 18,
    "GR": 27,
    "GT": 28,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IL": 23,
    "IQ": 23,
    "IS": 26,
    "IT": 27,
    "JO": 30,
    "KW": 30,
    "KZ": 20,
    "LB": 28,
    "LC": 32,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "LY": 25,
    "MC": 27,
    "MD": 24,
    "ME": 22,
    "MK": 19,
    "MN": 20,
    "MR": 27,
    "MT": 31,
    "MU": 30,
    "NI": 28,
    "NL": 18,
    "NO": 15,
    "OM": 23,
    "PK": 24,
    "PL": 28,
    "PS": 29,
    "PT": 25,
    "QA": 29,
    "RO": 24,
    "RS": 22,
    "RU": 33,
    "SA": 24,
    "SC": 31,
    "SD": 18,
    "SE": 24,
    "SI": 19,
    "SK": 24,
    "SM": 27,
    "SO": 23,
    "ST": 25,
    "SV": 28,
    "TL": 23,
    "TN": 24,
    "TR": 26,
    "UA": 29,
    "VA": 22,
    "VG": 24,
    "XK": 20,
    "YE": 30,
}


def iban_valid(iban: str) -> bool:
    """ISO 7064 mod-97 check of a compact, upper-case IBAN."""
    if len(iban) != IBAN_LENGTHS.get(iban[:2]) or not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


class IbanNumberRecognizer(LogicRecognizer):
    """IBANs, compact (``ES8897365292534590131788``) or in groups of four
    separated by spaces or dashes (``DE89 3704 0044 0532 0130 00``), also
    typed in lowercase: exactly the country's length, then the mod-97 check
    (1.0). Text after the IBAN is never taken into it."""

    ENTITY = "IBAN_CODE"
    START = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}|[a-z]{2})(\d{2})")
    GROUPED = re.compile(r"(?:[ -][A-Za-z0-9]{4})*(?:[ -][A-Za-z0-9]{1,4})?")

    def find(self, text, nlp_artifacts):
        for match in self.START.finditer(text):
            length = IBAN_LENGTHS.get(match.group(1).upper())
            if length is None:
                continue
            candidate = self._candidate(text, match.start(), length)
            if candidate and iban_valid(re.sub(r"[ -]", "", candidate).upper()):
                yield match.start(), match.start() + len(candidate), 1.0, "IBAN, mod-97"

    def _candidate(self, text: str, start: int, length: int) -> Optional[str]:
        compact = text[start : start + length]
        after = text[start + length : start + length + 1]
        if compact.isalnum() and not after.isalnum():
            return compact
        grouped = self.GROUPED.match(text, start + 4)
        for end in range(grouped.end(), start + 4, -1):
            value = text[start:end]
            if len(re.sub(r"[ -]", "", value)) == length and not text[end : end + 1].isalnum():
                return value
        return None


class PhoneNumberRecognizer(LogicRecognizer):
    """Phone numbers in international and national formats.

    Candidates are 7 to 15 digits in groups separated by spaces, dots or
    dashes, optionally with ``+`` or ``00`` and a country code, a trunk
    ``(0)``, an area code in parentheses and an extension (``x123``). Scores:
    a number with ``+``/``00`` that libphonenumber finds valid 0.85 (possible
    0.6); a North American ``(415) 867-5309``/``415-867-5309`` 0.7 when
    valid, else 0.5 (the shape alone is a phone number's); anything else
    only with phone words before it ("call", "phone", "mobile", "fax",
    "reach", "text" ...) or after it ("office", "mobile") 0.65. Dates, times,
    IP addresses, decimals and amounts of money are not numbers to call.
    """

    ENTITY = "PHONE_NUMBER"
    CANDIDATE = re.compile(
        r"(?<![\w+./-])(?:\+|00)?(?:\(\d{1,4}\)|\d{1,15})(?:[ \t]?\(0\))?"
        r"(?:[ \t.-]{1,2}(?:\(\d{1,4}\)|\d{1,8})){0,6}"
        r"(?:[ \t]?(?:x|ext\.?|extension)[ \t]?\d{1,5})?(?![\w/]|[.-]\d)"
    )
    CONTEXT = re.compile(
        r"(?i)\b(?:phone|phones|tel|telephone|mobile|mob|cell|cellphone|fax|call|calls|calling|"
        r"called|ring|dial|text|texts|sms|whatsapp|signal|telegram|reach|contact|number|no|"
        r"landline|desk|office|hotline|answer|answering|messages|voicemail)\b[^\n]{0,24}?\n?"
        r"[^\n]{0,24}$"
    )
    CONTEXT_AFTER = re.compile(r"(?i)[ \t,-]*\(?(?:office|mobile|cell|fax|home|work|phone|tel)\b")
    DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
    MONEY = re.compile(r"[$€£¥₹]\s?$|(?i:usd|eur|gbp|chf)\s?$")
    NANP = re.compile(
        r"(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}"
        r"(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,5})?"
    )

    def find(self, text, nlp_artifacts):
        for match in self.CANDIDATE.finditer(text):
            value = match.group().rstrip(" .-")
            score = self.score(text, match.start(), value)
            if score:
                yield match.start(), match.start() + len(value), score, "phone number"

    def score(self, text: str, start: int, value: str) -> float:
        number = re.split(r"[ \t]?(?:x|ext\.?|extension)[ \t]?\d", value)[0]
        digits = re.sub(r"\D", "", number)
        if not 7 <= len(digits) <= 15 or self._not_a_phone(text, start, value, digits):
            return 0.0
        if value.startswith(("+", "00")):
            parsed = self._parse("+" + value[2:] if value.startswith("00") else value, None)
            if parsed and phonenumbers.is_valid_number(parsed):
                return 0.85
            if parsed and phonenumbers.is_possible_number(parsed):
                return 0.6
        elif self.NANP.fullmatch(value):
            parsed = self._parse(number, "US")
            return 0.7 if parsed and phonenumbers.is_valid_number(parsed) else 0.5
        end = start + len(value)
        if context_before(self.CONTEXT, text, start, 56) or context_after(
            self.CONTEXT_AFTER, text, end
        ):
            separated = re.search(r"[ \t.()-]", number) is not None
            return 0.65 if separated or len(digits) >= 9 else 0.0
        return 0.0

    def _not_a_phone(self, text: str, start: int, value: str, digits: str) -> bool:
        groups = re.findall(r"\d+", value)
        return bool(
            self.DATE.fullmatch(value)
            or self.MONEY.search(text[max(0, start - 5) : start])
            or (len(groups) == 4 and "." in value and all(int(g) <= 255 for g in groups))
            or (len(set(digits)) <= 2)
            or (len(digits) >= 13 and luhn_valid(digits) and known_issuer(digits))
        )

    @staticmethod
    def _parse(value: str, region: Optional[str]):
        try:
            return phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return None


class DriverLicenseRecognizer(LogicRecognizer):
    """Driving licence numbers after the words that announce them ("driver's
    license number is ...", "DL#"): 5-20 letters and digits with at least one
    digit (0.75). A number alone is too ambiguous to report."""

    ENTITY = "US_DRIVER_LICENSE"
    PATTERN = re.compile(
        r"(?i)\b(?:driver'?s'?|driving|drivers)\s+licen[cs]e(?:\s+(?:number|no\.?|#|id))?"
        r"(?:\s+(?:is|was))?\s*[:#]?\s*|\bDL\s*(?:#|no\.?|number)\s*:?\s*"
    )
    VALUE = re.compile(r"(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,19}(?![\w-])")

    def find(self, text, nlp_artifacts):
        for cue in self.PATTERN.finditer(text):
            value = self.VALUE.match(text, cue.end())
            if value:
                yield value.start(), value.end(), 0.75, "licence number after its name"


class SsnRecognizer(GatedPatternRecognizer, UsSsnRecognizer):
    """Presidio's US SSN recognizer without its exemption of published sample
    numbers (``123-45-6789`` ...): in a conversation a sample number looks
    exactly like a real one, and redacting it costs nothing. Numbers that can
    never be issued (area 000/666, group 00, serial 0000, mixed delimiters, one
    repeated digit) are still rejected."""

    _SAMPLES = frozenset({"123456789", "987654320", "078051120"})

    def invalidate_result(self, pattern_text: str) -> bool:
        if "".join(c for c in pattern_text if c.isdigit()) in self._SAMPLES:
            return False
        return super().invalidate_result(pattern_text)
