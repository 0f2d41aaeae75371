"""Recognizers of dates of birth and national identity numbers.

- ``DATE_OF_BIRTH``: :class:`DateOfBirthRecognizer`, a date (day, month and
  year, or day and month) right after the words that make it a birth date:
  "date of birth", "DOB:", "born on", "my birthday is", "geboren am", "fecha
  de nacimiento", "né le", "nato il", "geboren op", "nascido em" ... (0.85).
  A release date, a deadline or a date in a log stays.
- ``NATIONAL_ID``: :class:`NationalIdRecognizer`, national identity and tax
  numbers that carry a checksum, validated by it (:data:`NATIONAL_IDS`).
  Shapes that are distinctive on their own (Italy's codice fiscale, Spain's
  DNI/NIE, Finland's HETU, Switzerland's AHV, a Brazilian CPF written with
  its dots, China's resident id, Sweden's personnummer with its dash ...)
  score 0.75-0.9; bare digit runs that a checksum alone cannot tell from
  any number (a Dutch BSN passes 1 in 11 random numbers) need their name or
  an id word within 48 characters before them ("BSN", "Steuer-ID",
  "PESEL", "NIF", "ID number" ...; 0.8), and score 0.3 otherwise, under
  the threshold.
"""

from __future__ import annotations

from datetime import date
from typing import Callable, NamedTuple

import regex as re

from transforms.pii.recognizers.base import LogicRecognizer, context_before
from transforms.pii.recognizers.numbers import luhn_valid

# -- DATE_OF_BIRTH ----------------------------------------------------------------

MONTHS = (
    r"jan(?:uary|uar|vier|eiro|uari)?|enero|gennaio|j[äa]nner|feb(?:ruary|ruar|rero|braio|ruari)?|"
    r"f[ée]vrier|fevereiro|mar(?:ch|zo|s|ço|co)?|m[äa]rz|maart|apr(?:il|ile)?|abril|avril|"
    r"may|mai|mayo|maggio|mei|maio|jun(?:e|i|io|ho)?|juin|giugno|jul(?:y|i|io|ho)?|juillet|"
    r"luglio|aug(?:ust|usti|ustus)?|agosto|ao[uû]t|sep(?:t(?:ember)?|tiembre|tembre)?|"
    r"setiembre|settembre|setembro|oct(?:ober|ubre|obre)?|okt(?:ober)?|ottobre|outubro|"
    r"nov(?:ember|iembre|embre|embro)?|dec(?:ember)?|dez(?:ember|embro)?|dic(?:iembre|embre)?|"
    r"d[ée]cembre"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUM = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"
_MONTH_WORD = rf"(?:{MONTHS})\.?"
_OF = r"(?:[ \t]+(?:of|de|del|di))?"
DATE = (
    rf"(?:{_DAY}[./-]{_MONTH_NUM}[./-](?:{_YEAR}|\d{{2}})|{_YEAR}[./-]{_MONTH_NUM}[./-]{_DAY}|"
    rf"{_MONTH_NUM}/{_DAY}/(?:{_YEAR}|\d{{2}})|"
    rf"{_DAY}(?:st|nd|rd|th|er|º|\.)?{_OF}[ \t]+{_MONTH_WORD}(?:,?{_OF}[ \t]+{_YEAR})?|"
    rf"{_MONTH_WORD}[ \t]+{_DAY}(?:st|nd|rd|th)?(?:,?[ \t]+{_YEAR})?|"
    rf"{_MONTH_WORD}[ \t]+{_YEAR})"
)
_BIRTH_CUE = re.compile(
    r"(?i)\b(?:date[ \t]+of[ \t]+birth|birth[ \t]?date|d\.?o\.?b\.?|born(?:[ \t]+on)?|"
    r"birthday|b-?day|geburtsdatum|geburtstag|geboren(?:[ \t]+am|[ \t]+op)?|geb\.|"
    r"fecha[ \t]+de[ \t]+nacimiento|nac[ií]d[oa][ \t]+el|cumplea[ñn]os|date[ \t]+de[ \t]+"
    r"naissance|n[ée]e?[ \t]+le|anniversaire|data[ \t]+di[ \t]+nascita|nat[oa][ \t]+il|"
    r"compleanno|geboortedatum|verjaardag|data[ \t]+de[ \t]+nascimento|nascid[oa][ \t]+"
    r"(?:em|a)|anivers[aá]rio)"
    r"(?:[ \t]+(?:is|was|ist|war|es|est|è|é|is[ \t]+on|on|am|el|le|il|op|em))?"
    r"[ \t]*[:=-]?[ \t]*(?:the[ \t]+)?"
)
_DATE = re.compile(rf"(?i){DATE}(?![\w/-]|\.\d)")


class DateOfBirthRecognizer(LogicRecognizer):
    """A date right after the words that make it a birth date (0.85): see
    the module docstring."""

    ENTITY = "DATE_OF_BIRTH"

    def find(self, text, nlp_artifacts=None):
        for cue in _BIRTH_CUE.finditer(text):
            found = _DATE.match(text, cue.end())
            if found:
                yield found.start(), found.end(), 0.85, "date after a birth cue"


# -- NATIONAL_ID: checksums --------------------------------------------------------


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _weighted(digits: str, weights) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def iso7064_mod11_10(digits: str) -> bool:
    """ISO 7064 MOD 11,10 (German Steuer-ID, Croatian OIB)."""
    product = 10
    for d in digits[:-1]:
        total = (int(d) + product) % 10 or 10
        product = (2 * total) % 11
    return (11 - product) % 10 == int(digits[-1])


def de_tax_id(value: str) -> bool:
    d = _digits(value)
    counts = sorted(d[:10].count(c) for c in set(d[:10]))
    return d[0] != "0" and counts[-1] in (2, 3) and iso7064_mod11_10(d)


def de_id_card(value: str) -> bool:
    """Personalausweis: nine characters and a 7-3-1 check digit."""
    body = value.upper()
    total = sum(int(c, 36) * (7, 3, 1)[i % 3] for i, c in enumerate(body[:9]))
    return total % 10 == int(body[9])


def fr_nir(value: str) -> bool:
    d = re.sub(r"\s", "", value).upper()
    number = d[:13].replace("2A", "19").replace("2B", "18")
    return number.isdigit() and 97 - int(number) % 97 == int(d[13:])


def es_dni(value: str) -> bool:
    v = re.sub(r"[\s-]", "", value).upper()
    v = str("XYZ".index(v[0])) + v[1:] if v[0] in "XYZ" else v
    return "TRWAGMYFPDXBNJZSQVHLCKE"[int(v[:8]) % 23] == v[8]


# The codice fiscale's values of characters in odd positions (0-9 as A-J).
_CF_ODD = tuple(
    int(n) for n in "1 0 5 7 9 13 15 17 19 21 2 4 18 20 11 3 6 8 12 14 16 10 22 25 24 23".split()
)


def it_fiscal_code(value: str) -> bool:
    v = value.upper()
    total = 0
    for i, c in enumerate(v[:15]):
        n = int(c) if c.isdigit() else ord(c) - 65
        total += _CF_ODD[n] if i % 2 == 0 else n
    return chr(65 + total % 26) == v[15]


def nl_bsn(value: str) -> bool:
    d = _digits(value).zfill(9)
    return (_weighted(d[:8], range(9, 1, -1)) - int(d[8])) % 11 == 0 and int(d) > 0


def pt_nif(value: str) -> bool:
    d = _digits(value)
    check = 11 - _weighted(d[:8], range(9, 1, -1)) % 11
    return d[0] in "123456789" and (0 if check >= 10 else check) == int(d[8])


def be_national(value: str) -> bool:
    d = _digits(value)
    check = int(d[9:])
    return 97 - int(d[:9]) % 97 == check or 97 - int("2" + d[:9]) % 97 == check


def pl_pesel(value: str) -> bool:
    d = _digits(value)
    return (10 - _weighted(d[:10], (1, 3, 7, 9) * 3) % 10) % 10 == int(d[10])


def se_personnummer(value: str) -> bool:
    d = _digits(value)[-10:]
    return _valid_date(d[:2], d[2:4], d[4:6]) and luhn_valid(d)


def fi_hetu(value: str) -> bool:
    v = value.upper()
    return "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(v[:6] + v[7:10]) % 31] == v[10]


def no_birth_number(value: str) -> bool:
    d = _digits(value)
    k1 = 11 - _weighted(d[:9], (3, 7, 6, 1, 8, 9, 4, 5, 2)) % 11
    k2 = 11 - _weighted(d[:10], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)) % 11
    return (k1 % 11, k2 % 11) == (int(d[9]), int(d[10])) and k1 != 10 and k2 != 10


def ch_ahv(value: str) -> bool:
    d = _digits(value)
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(d[:12]))
    return (10 - total % 10) % 10 == int(d[12])


def at_svnr(value: str) -> bool:
    d = _digits(value)
    return _weighted(d[:3] + d[4:], (3, 7, 9, 5, 8, 4, 2, 1, 6)) % 11 == int(d[3])


def ie_pps(value: str) -> bool:
    v = value.upper()
    extra = (ord(v[8]) - 64) * 9 if len(v) > 8 and v[8] != "W" else 0
    total = _weighted(v[:7], range(8, 1, -1)) + extra
    return "WABCDEFGHIJKLMNOPQRSTUV"[total % 23] == v[7]


def ro_cnp(value: str) -> bool:
    d = _digits(value)
    check = _weighted(d[:12], (2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9)) % 11
    return (1 if check == 10 else check) == int(d[12])


def br_cpf(value: str) -> bool:
    d = _digits(value)
    if len(set(d)) == 1:
        return False
    first = _weighted(d[:9], range(10, 1, -1)) * 10 % 11 % 10
    second = _weighted(d[:10], range(11, 1, -1)) * 10 % 11 % 10
    return (first, second) == (int(d[9]), int(d[10]))


def cn_resident(value: str) -> bool:
    v = value.upper()
    total = _weighted(v[:17], (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2))
    return "10X98765432"[total % 11] == v[17] and _valid_date(v[8:10], v[10:12], v[12:14])


_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def in_aadhaar(value: str) -> bool:
    check = 0
    for i, ch in enumerate(reversed(_digits(value))):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(ch)]]
    return check == 0


def _valid_date(yy: str, mm: str, dd: str) -> bool:
    try:
        date(2000 + int(yy), int(mm), int(dd))
    except ValueError:
        return False
    return True


class NationalId(NamedTuple):
    """One kind of national id: its shape, its check, whether the shape is
    distinctive enough to report without an id word (its score), and the
    words that name it."""

    name: str
    shape: str
    check: Callable[[str], bool]
    score: float  # without an id word before it; 0.3 = needs the word
    words: str


_SEP = r"[ \t./-]?"
NATIONAL_IDS = [
    NationalId(
        "IT codice fiscale",
        r"[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z][\dLMNP-V]{3}[A-Z]",
        it_fiscal_code,
        0.9,
        r"codice\s+fiscale|c\.?f\.?",
    ),
    NationalId("ES DNI", r"\d{8}[ -]?[A-Z]", es_dni, 0.75, r"dni|nif|documento"),
    NationalId("ES NIE", r"[XYZ][ -]?\d{7}[ -]?[A-Z]", es_dni, 0.85, r"nie|nif"),
    NationalId(
        "FI HETU",
        r"[0-3]\d[01]\d{3}[-+A-FU-Y]\d{3}[0-9A-Y]",
        fi_hetu,
        0.85,
        r"hetu|henkil[öo]tunnus",
    ),
    NationalId("CH AHV", r"756[. ]?\d{4}[. ]?\d{4}[. ]?\d{2}", ch_ahv, 0.9, r"ahv|avs|svn"),
    NationalId("BR CPF", r"\d{3}\.\d{3}\.\d{3}-\d{2}", br_cpf, 0.85, r"cpf"),
    NationalId("BR CPF digits", r"\d{11}", br_cpf, 0.3, r"cpf"),
    NationalId(
        "CN resident id",
        r"[1-8]\d{5}(?:19|20)\d{9}[\dX]",
        cn_resident,
        0.8,
        r"身份证|resident\s+id|id\s+card",
    ),
    NationalId(
        "SE personnummer",
        r"(?:19|20)?\d{6}[-+]\d{4}",
        se_personnummer,
        0.75,
        r"personnummer|person\s*nr",
    ),
    NationalId(
        "FR NIR",
        r"[12][ ]?\d{2}[ ]?(?:0[1-9]|1[0-2]|[2-9]\d)[ ]?(?:\d{2}|2[AB])[ ]?"
        r"\d{3}[ ]?\d{3}[ ]?\d{2}",
        fr_nir,
        0.75,
        r"s[ée]curit[ée]\s+sociale|s[ée]cu|nir|insee|carte\s+vitale",
    ),
    NationalId(
        "BE national number",
        r"\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}",
        be_national,
        0.8,
        r"rijksregister|registre\s+national|national\s+number|nn",
    ),
    NationalId(
        "BE national number digits",
        r"\d{11}",
        be_national,
        0.3,
        r"rijksregister(?:nummer)?|registre\s+national|national\s+number",
    ),
    NationalId(
        "DE Steuer-ID",
        r"[1-9]\d{10}|[1-9]\d\s\d{3}\s\d{3}\s\d{3}",
        de_tax_id,
        0.3,
        r"steuer-?id|steueridentifikationsnummer|identifikationsnummer|idnr|tax\s+id",
    ),
    NationalId(
        "DE Personalausweis",
        r"[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\d",
        de_id_card,
        0.3,
        r"personalausweis(?:nummer)?|ausweis(?:nummer)?|id\s+card",
    ),
    NationalId(
        "NL BSN",
        r"\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3}",
        nl_bsn,
        0.3,
        r"bsn|burgerservicenummer|sofi-?nummer",
    ),
    NationalId(
        "PT NIF",
        r"[1-9]\d{8}|[1-9]\d{2}[ ]\d{3}[ ]\d{3}",
        pt_nif,
        0.3,
        r"nif|contribuinte|n[úu]mero\s+fiscal",
    ),
    NationalId("PL PESEL", r"\d{11}", pl_pesel, 0.3, r"pesel"),
    NationalId(
        "NO fodselsnummer",
        r"\d{6}[ ]?\d{5}",
        no_birth_number,
        0.3,
        r"f[øo]dselsnummer|personnummer",
    ),
    NationalId(
        "AT SVNR",
        r"\d{4}[ ]?\d{6}",
        at_svnr,
        0.3,
        r"sozialversicherungsnummer|svnr|sv-nummer|versicherungsnummer",
    ),
    NationalId("IE PPS", r"\d{7}[A-W][A-IW]?", ie_pps, 0.3, r"pps(?:n|\s+number)?"),
    NationalId("RO CNP", r"[1-8]\d{12}", ro_cnp, 0.3, r"cnp"),
    NationalId("HR OIB", r"\d{11}", lambda v: iso7064_mod11_10(_digits(v)), 0.3, r"oib"),
    NationalId("IN Aadhaar", r"[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}", in_aadhaar, 0.3, r"aadhaa?r|uid"),
    NationalId(
        "CA SIN",
        r"[1-79]\d{2}[ -]?\d{3}[ -]?\d{3}",
        lambda v: luhn_valid(_digits(v)),
        0.3,
        r"sin|social\s+insurance",
    ),
]
# Words that name any national id, in the six languages and English.
ID_WORDS = (
    r"national\s+id(?:entity)?(?:\s+(?:number|no\.?))?|id\s+(?:number|no\.?|nr\.?)|"
    r"identity\s+(?:card|number)|personal\s+(?:id|number)|tax\s+(?:id|number|code)|"
    r"ausweis|personalausweis|steuernummer|identifikationsnummer|n[úu]mero\s+de\s+identidad|"
    r"n[úu]mero\s+de\s+identifica[cç][ãa]o|carte\s+d'identit[ée]|num[ée]ro\s+d'identit[ée]|"
    r"carta\s+d'identit[àa]|identiteitsnummer|identiteitskaart|cart[ãa]o\s+de\s+cidad[ãa]o"
)
_BOUNDARY = r"(?<![\w.-])(?:{})(?![\w-]|\.\w)"


class NationalIdRecognizer(LogicRecognizer):
    """National identity and tax numbers validated by their checksum (see
    the module docstring and :data:`NATIONAL_IDS`)."""

    ENTITY = "NATIONAL_ID"
    SHAPES = [
        (kind, re.compile(_BOUNDARY.format(kind.shape), re.IGNORECASE)) for kind in NATIONAL_IDS
    ]
    WORDS = [re.compile(rf"(?i)\b(?:{kind.words}|{ID_WORDS})\b") for kind in NATIONAL_IDS]
    # Any of the shapes: one search decides whether each is looked for.
    ANY_SHAPE = re.compile(
        _BOUNDARY.format("|".join(f"(?:{kind.shape})" for kind in NATIONAL_IDS)), re.IGNORECASE
    )

    def find(self, text, nlp_artifacts=None):
        if not any(c.isdigit() for c in text) or not self.ANY_SHAPE.search(text):
            return
        for (kind, shape), words in zip(self.SHAPES, self.WORDS, strict=True):
            for match in shape.finditer(text):
                if not self._valid(kind, match.group()):
                    continue
                named = context_before(words, text, match.start(), 48)
                score = 0.8 if named else kind.score
                yield match.start(), match.end(), max(score, kind.score), kind.name

    @staticmethod
    def _valid(kind: NationalId, value: str) -> bool:
        if len(set(_digits(value))) <= 1:
            return False
        try:
            return kind.check(value)
        except (ValueError, IndexError):
            return False
