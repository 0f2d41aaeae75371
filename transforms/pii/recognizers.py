"""Presidio recognizers for personal data in chat text, beside Presidio's own.

- ``PERSON``: :class:`NerPersonRecognizer` (spaCy's PERSON entities, without
  the ones that are code, handles or organisations) and
  :class:`PersonCueRecognizer` (names after "my name is", "hi", "my friend",
  "Name:", titles ..., lowercase names included).
- ``LOCATION``: :class:`PersonalLocationRecognizer`, a place named as where
  someone lives, was born or moved to. A city in a travel question is not
  personal data and is left alone.
- ``PHONE_NUMBER``: :class:`PhoneNumberRecognizer`, international and national
  formats; ambiguous digit groups only with phone context.
- ``CREDIT_CARD``: :class:`CardNumberRecognizer`, Luhn plus issuer prefixes.
- ``IBAN_CODE``: :class:`IbanNumberRecognizer`, per-country lengths and mod-97, so
  an IBAN inside a sentence is not swallowed by the words after it.
- ``US_DRIVER_LICENSE``: :class:`DriverLicenseRecognizer`, only after the
  words "driver's license" (numbers alone are too ambiguous).
- ``EMAIL_ADDRESS``: :class:`OfflineEmailRecognizer`, Presidio's, validating
  domains offline.

Street addresses are in :mod:`transforms.pii.address`, secrets in
:mod:`transforms.pii.secrets`. Scores below 0.4 (the default threshold) mark
candidates that need the context the recognizer checks itself.
"""
from __future__ import annotations

from typing import Iterable, List, NamedTuple, Optional

import phonenumbers
import regex as re
import tldextract
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer, UsSsnRecognizer
from spacy.lang.en.stop_words import STOP_WORDS

from transforms.pii.lexicon import EMPTY, Lexicon


class LogicRecognizer(EntityRecognizer):
    """Base for recognizers whose decisions need more than a regex match:
    subclasses yield ``(start, end, score, explanation)`` from :meth:`find`."""

    ENTITY = ""

    def __init__(self, supported_language: str = "en", name: Optional[str] = None):
        super().__init__(supported_entities=[self.ENTITY], name=name,
                         supported_language=supported_language)

    def load(self) -> None:
        """Nothing to load: patterns are compiled at import."""

    def analyze(self, text: str, entities: List[str],
                nlp_artifacts: Optional[NlpArtifacts] = None) -> List[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        return EntityRecognizer.remove_duplicates([
            RecognizerResult(
                entity_type=self.ENTITY, start=start, end=end, score=score,
                analysis_explanation=AnalysisExplanation(
                    recognizer=self.name, original_score=score, textual_explanation=why),
                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                      RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id},
            )
            for start, end, score, why in self.find(text, nlp_artifacts)
        ])

    def find(self, text: str, nlp_artifacts: Optional[NlpArtifacts]) -> Iterable[tuple]:
        raise NotImplementedError


class PersonRecognizer(LogicRecognizer):
    """Base for the recognizers of people's names, which consult the
    :class:`~transforms.pii.lexicon.Lexicon` of names and English words."""

    ENTITY = "PERSON"

    def __init__(self, supported_language: str = "en", name: Optional[str] = None,
                 lexicon: Lexicon = EMPTY):
        super().__init__(supported_language=supported_language, name=name)
        self.lexicon = lexicon

    def ordinary_words(self, tokens) -> bool:
        """Every word is an English word that is not also a name ("Phone",
        "Mission Statement", "Wisdom"): not a name."""
        words = [t.text for t in tokens if not t.is_punct]
        return bool(words) and all(self.lexicon.ordinary_word(w) for w in words)


def context_before(regex: re.Pattern, text: str, start: int, window: int = 48) -> bool:
    """True if ``regex`` matches in the ``window`` characters before ``start``."""
    return bool(regex.search(text[max(0, start - window):start]))


def context_after(regex: re.Pattern, text: str, end: int, window: int = 16) -> bool:
    return bool(regex.match(text[end:end + window]))


# --------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------

# Words that follow greetings and relation words but are not names.
NOT_NAMES = frozenset("""
    team all everyone everybody guys folks there friend friends sir madam mam maam
    dear bot chatgpt gpt assistant ai claude gemini copilot siri alexa google man dude
    bro buddy mate pal boss again so much lot tons god lord world guy girl boy kid baby
    honey love sweetie user admin customer support manager mom mum dad mother father
    brother sister wife husband son daughter apt apartment suite ste unit bldg
""".split())
ORG_WORDS = frozenset("""
    inc inc. ltd ltd. llc llp plc corp corp. corporation company co co. gmbh ag sa
    s.a. bv nv associates group bank university college institute foundation partners
    holdings solutions systems technologies services international
""".split())
_CODE_CHARS = re.compile(r"[0-9@_/\\=(){}\[\]<>#|*`$%^~:;\"“”?!]")


# An inner capital that names do not have (PyCharm, GitHub, iPhone), unlike
# McDonald, DeShawn, O'Brien, LaToya or MacLeod.
_INNER_CAPITAL = re.compile(r"^(?!Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|O'|D')\p{L}\p{Ll}*\p{Lu}")
_ACRONYM = re.compile(r"\p{Lu}{2,}")


def plausible_name(tokens) -> bool:
    """Tokens of a PERSON span that can be a name: no code characters, not
    only stop words or stock words, not ending in an organisation word, no
    product-style inner capital (``PyCharm``), not a lone acronym (``CAP``)."""
    words = [t.text for t in tokens if not t.is_punct]
    if not words or any(_CODE_CHARS.search(w) or _INNER_CAPITAL.match(w) for w in words):
        return False
    if len(words) == 1 and _ACRONYM.fullmatch(words[0]):
        return False
    lowered = [w.lower() for w in words]
    if all(w in STOP_WORDS or w in NOT_NAMES for w in lowered):
        return False
    return lowered[-1] not in ORG_WORDS


class NerPersonRecognizer(PersonRecognizer):
    """PERSON entities of the spaCy model (0.85), trimmed of a possessive,
    surrounding punctuation and any next line, without spans that hold code characters (``@``,
    digits, ``_`` ...), only stop words, or end in an organisation word (see
    :func:`plausible_name`), nor spans of ordinary English words only
    ("Wisdom"); a leading verb is dropped ("Compare Canva")."""

    def find(self, text, nlp_artifacts):
        doc = nlp_artifacts.tokens if nlp_artifacts else None
        for ent in (doc.ents if doc is not None else ()):
            if ent.label_ != "PERSON":
                continue
            tokens = [t for t in ent if not (t.is_punct or t.is_space
                                             or t.text.lower() in ("'s", "’s"))]
            tokens = [t for t in tokens if "\n" not in text[tokens[0].idx:t.idx]]
            while len(tokens) > 1 and (tokens[0].pos_ in ("VERB", "AUX", "ADV", "INTJ")
                                       or self.ordinary_words(tokens[:1])):
                tokens = tokens[1:]  # "Compare Canva": a sentence's first verb is no name
            if tokens and plausible_name(tokens) and not self.ordinary_words(tokens) \
                    and not self.unknown_lowercase(tokens):
                yield tokens[0].idx, tokens[-1].idx + len(tokens[-1]), 0.85, "spaCy PERSON"

    def unknown_lowercase(self, tokens) -> bool:
        """All lowercase and no word a known name ("rebase"): the model's
        guess on a lowercase word is too weak to act on alone."""
        words = [t.text for t in tokens]
        return (bool(self.lexicon.given) and all(w.islower() for w in words)
                and not any(self.lexicon.known_name(w.title()) for w in words))


_RELATIONS = (
    "friend|best friend|wife|husband|partner|boyfriend|girlfriend|fianc[eé]e?|son|daughter|"
    "kid|child|mom|mum|mother|dad|father|brother|sister|cousin|uncle|aunt|nephew|niece|"
    "grandma|grandmother|grandpa|grandfather|grandson|granddaughter|boss|manager|colleague|"
    "coworker|co-worker|teammate|classmate|roommate|flatmate|neighbou?r|landlord|landlady|"
    "tenant|teacher|professor|student|doctor|therapist|lawyer|client|patient|ex|buddy|"
    "stepmom|stepdad|stepson|stepdaughter|in-law|mother-in-law|father-in-law"
)


class Cue(NamedTuple):
    """Words that announce a name; the name starts where ``regex`` ends.
    ``lowercase``: lowercase names are accepted (tagged as proper nouns).
    ``trusted``: the model's entity label of the words is ignored.
    ``proper_nouns``: capitalised words must be tagged as proper nouns.
    ``explicit``: the words say it is a name, so a name that is also an
    ordinary English word is taken ("my name is Hope Page")."""

    regex: re.Pattern
    score: float
    lowercase: bool = True
    trusted: bool = False
    proper_nouns: bool = False
    explicit: bool = False


_CUES = [
    Cue(re.compile(r"(?i)\b(?:my|his|her|their|our|your)\s+(?:full\s+|real\s+|last\s+|first\s+|"
                   r"maiden\s+|legal\s+)?name(?:'s|\s+is|\s+was)\s+"), 0.7, trusted=True,
        explicit=True),
    Cue(re.compile(r"(?i)\b(?:call\s+me|calls\s+me|called\s+me|i\s+am\s+called|i'm\s+called|"
                   r"(?:under|by|in)\s+the\s+name(?:\s+of)?)\s+"), 0.7, trusted=True,
        explicit=True),
    Cue(re.compile(r"(?i)\b(?:named|called|signed|regards,?|cheers,?|sincerely,?|best,|thanks,|"
                   r"yours,?)\s+"), 0.6),
    Cue(re.compile(r"(?i)\b(?:hi|hello|hey|dear|thanks|thank\s+you|thx|ty|bye|attn:?|"
                   r"happy\s+birthday,?|congrat(?:ulation)?s,?|welcome,?)[ \t]+"), 0.55),
    Cue(re.compile(r"(?i)\b(?:email|e-mail|message|letter|note|reply|write|wrote|talk|talked|"
                   r"speak|spoke|meeting)\s+(?:to|with)\s+"), 0.55, lowercase=False),
    Cue(re.compile(rf"(?i)\bmy\s+(?:{_RELATIONS})(?:'s)?\s+(?:named\s+|called\s+)?"), 0.6),
    Cue(re.compile(r"(?i)\b(?:i\s+am|i'm|im)\s+"), 0.55, lowercase=False),
    Cue(re.compile(r"(?i)\b(?:it's|it\s+is|this\s+is)\s+"), 0.55, lowercase=False,
        proper_nouns=True),
    Cue(re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir|Madam|Mme|Mlle|Herr|Frau|Sr|Sra)\.?[ \t]+"),
        0.7, lowercase=False, trusted=True, explicit=True),
    Cue(re.compile(r"(?im)^[ \t>*-]*(?:full\s+)?(?:name|contact|customer|patient|employee|"
                   r"author|owner|recipient|sender|attendee|guest|tenant|passenger|from|to|cc|"
                   r"signed)[ \t]*:[ \t]*"), 0.7, trusted=True),
    # A speaker's label at the start of a line: "Nicole: Remember me?"
    Cue(re.compile(r"(?m)^[ \t>*-]*(?=\p{Lu}[\w'’-]*(?:[ \t]\p{Lu}[\w'’-]*)?:[ \t]*\S)"), 0.55,
        lowercase=False, trusted=True, proper_nouns=True),
]
# First name, middle initial, last name: "Ravil G Yefimov", "Faina D. Yefremova".
_INITIALLED = re.compile(r"(?<![\w-])\p{Lu}\p{Ll}+[ \t]\p{Lu}\.?[ \t]\p{Lu}\p{Ll}[\w'’-]*")
# Parts of speech a lowercase name is never tagged with after "my name is".
_NOT_NAME_POS = frozenset({"VERB", "AUX", "ADV", "ADP", "PART", "DET", "PRON", "CCONJ",
                           "SCONJ", "NUM", "PUNCT", "SYM"})
_INITIAL = re.compile(r"[A-Z]\.?")
_CAPITALISED = re.compile(r"\p{Lu}[\w'’-]*")
_LOWER_WORD = re.compile(r"\p{Ll}[\p{Ll}'’-]*")


class PersonCueRecognizer(PersonRecognizer):
    """Names announced by the words before them: "my name is", "call me",
    greetings ("hi", "thanks"), "my friend/wife/boss ...", "I'm", titles
    (``Dr.``), form fields (``Name:``, ``From:``) and speaker labels at the
    start of a line (``Nicole: ...``, proper nouns only). The name is one to
    three words right after the cue: capitalised words or initials, or, after
    the cues that allow it, lowercase words the tagger reads as proper nouns
    (``my friend tiffany lopez`` but not ``my friend just moved``). Stock
    words (``team``, ``everyone``) and, except after "my name is", titles and
    form fields, words the model tags as another entity (``I'm Canadian``:
    NORP) are not names; nor, except after the explicit cues, ordinary
    English words (``Mission Statement:``). Also names with a middle initial
    (``Ravil G Yefimov``) whose first and last words are tagged as proper nouns."""

    MAX_WORDS = 3

    def find(self, text, nlp_artifacts):
        doc = nlp_artifacts.tokens if nlp_artifacts else None
        if doc is None:
            return
        starts = {t.idx: t.i for t in doc}
        for cue in _CUES:
            for match in cue.regex.finditer(text):
                first = starts.get(match.end())
                name = self._name_tokens(doc, first, cue) if first is not None else []
                if name and plausible_name(name) and (cue.explicit or not self.ordinary_words(name)):
                    yield name[0].idx, name[-1].idx + len(name[-1]), cue.score, "name after a cue"
        for match in _INITIALLED.finditer(text):
            span = doc.char_span(match.start(), match.end())
            if span is not None and span[0].pos_ == span[-1].pos_ == "PROPN":
                yield match.start(), match.end(), 0.6, "name with a middle initial"

    def _name_tokens(self, doc, first: int, cue: Cue) -> list:
        tokens = []
        case = None
        for token in doc[first:first + self.MAX_WORDS]:
            kind = self._kind(token, cue, bool(tokens))
            if kind is None or case not in (None, kind):
                break
            case = kind
            tokens.append(token)
            if token.whitespace_ != " ":
                break
        return tokens

    @staticmethod
    def _kind(token, cue: Cue, after_first: bool) -> Optional[str]:
        """"upper" or "lower" for a word that can be part of a name, else None."""
        word = token.text
        if token.is_space or word.lower() in STOP_WORDS or word.lower() in NOT_NAMES:
            return None
        if _CAPITALISED.fullmatch(word) or (_INITIAL.fullmatch(word) and after_first):
            if cue.proper_nouns and token.pos_ != "PROPN":
                return None
            return "upper" if cue.trusted or token.ent_type_ in ("", "PERSON") else None
        if cue.lowercase and _LOWER_WORD.fullmatch(word) and (
                token.pos_ == "PROPN" or (cue.trusted and token.pos_ not in _NOT_NAME_POS)):
            return "lower"
        return None


class PersonalLocationRecognizer(LogicRecognizer):
    """Places (spaCy GPE, LOC, FAC) named as where a person lives, comes from
    or moved to, right after the words that say so: "I live in Denver", "she
    was born in Lyon", "moving to Austin", "my hometown, Dublin", "I'm from
    Cork" (0.75). A place without them (a trip, the news, a company's office,
    "I live in Leeds and fly to Kyoto": Kyoto) is not reported."""

    ENTITY = "LOCATION"
    LABELS = frozenset({"GPE", "LOC", "FAC"})
    PERSONAL = re.compile(
        r"(?i)\b(?:(?:live|lives|living|lived|reside|resides|residing|born|grew\s+up|raised|"
        r"moved|moving|relocated|relocating|based|settled)\s+(?:\w+\s+){0,2}?(?:in|to|at|near)|"
        r"resident\s+of|hometown(?:\s+is|,)?|home\s+town(?:\s+is|,)?|"
        r"(?:i'm|i\s+am|we're|we\s+are|he's|she's|they're|originally)\s+from)"
        r"\s+(?:the\s+)?(?:city\s+of\s+|town\s+of\s+)?$")

    def find(self, text, nlp_artifacts):
        doc = nlp_artifacts.tokens if nlp_artifacts else None
        for ent in (doc.ents if doc is not None else ()):
            if (ent.label_ in self.LABELS and not any(c.isdigit() for c in ent.text)
                    and context_before(self.PERSONAL, text, ent.start_char, 64)):
                yield ent.start_char, ent.end_char, 0.75, "place with personal context"


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------

def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


_ISSUERS = [  # (prefix regex on the digits, allowed lengths)
    (re.compile(r"4"), {13, 16, 19}),                                      # Visa
    (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)"), {16}),           # Mastercard
    (re.compile(r"3[47]"), {15}),                                          # Amex
    (re.compile(r"6011|64[4-9]|65"), {16, 17, 18, 19}),                    # Discover
    (re.compile(r"35(?:2[89]|[3-8]\d)"), {16, 17, 18, 19}),                # JCB
    (re.compile(r"2131|1800"), {15}),                                      # JCB (old)
    (re.compile(r"30[0-5]|3[689]"), {14, 15, 16, 17, 18, 19}),             # Diners
    (re.compile(r"62|81"), {16, 17, 18, 19}),                              # UnionPay
    (re.compile(r"5[06-9]|6"), {12, 13, 14, 15, 16, 17, 18, 19}),          # Maestro
    (re.compile(r"1"), {15}),                                              # UATP
]


def known_issuer(digits: str) -> bool:
    return any(p.match(digits) and len(digits) in lengths for p, lengths in _ISSUERS)


class CardNumberRecognizer(LogicRecognizer):
    """Payment card numbers: 12-19 digits, contiguous or in groups of 4
    (Amex 4-6-5), passing the Luhn check. With a known issuer prefix and
    length: 0.6, or 0.9 after card words ("card", "visa", "cc" ...). A
    Luhn-valid number without a known issuer needs card words (0.6)."""

    ENTITY = "CREDIT_CARD"
    CANDIDATE = re.compile(r"(?<![\w.+-])\d{4}(?:[ -]?\d{2,7}){2,4}(?![\w-]*\d)|"
                           r"(?<![\w.+-])\d{12,19}(?![\w-]*\d)")
    CONTEXT = re.compile(r"(?i)\b(?:card|cards|credit|debit|cc|visa|master\s?card|amex|"
                         r"american\s+express|discover|jcb|maestro|diners|payment|pay|charge|"
                         r"charged|billing|billed|expir\w*|number\s+is)\b")

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
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
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
        compact = text[start:start + length]
        after = text[start + length:start + length + 1]
        if compact.isalnum() and not after.isalnum():
            return compact
        grouped = self.GROUPED.match(text, start + 4)
        for end in range(grouped.end(), start + 4, -1):
            value = text[start:end]
            if len(re.sub(r"[ -]", "", value)) == length and not text[end:end + 1].isalnum():
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
        r"(?:[ \t]?(?:x|ext\.?|extension)[ \t]?\d{1,5})?(?![\w/]|[.-]\d)")
    CONTEXT = re.compile(
        r"(?i)\b(?:phone|phones|tel|telephone|mobile|mob|cell|cellphone|fax|call|calls|calling|"
        r"called|ring|dial|text|texts|sms|whatsapp|signal|telegram|reach|contact|number|no|"
        r"landline|desk|office|hotline|answer|answering|messages|voicemail)\b[^\n]{0,24}?\n?"
        r"[^\n]{0,24}$")
    CONTEXT_AFTER = re.compile(r"(?i)[ \t,-]*\(?(?:office|mobile|cell|fax|home|work|phone|tel)\b")
    DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
    MONEY = re.compile(r"[$€£¥₹]\s?$|(?i:usd|eur|gbp|chf)\s?$")
    NANP = re.compile(r"(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}"
                      r"(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,5})?")

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
        if (context_before(self.CONTEXT, text, start, 56)
                or context_after(self.CONTEXT_AFTER, text, end)):
            separated = re.search(r"[ \t.()-]", number) is not None
            return 0.65 if separated or len(digits) >= 9 else 0.0
        return 0.0

    def _not_a_phone(self, text: str, start: int, value: str, digits: str) -> bool:
        groups = re.findall(r"\d+", value)
        return bool(
            self.DATE.fullmatch(value)
            or self.MONEY.search(text[max(0, start - 5):start])
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
        r"(?:\s+(?:is|was))?\s*[:#]?\s*|\bDL\s*(?:#|no\.?|number)\s*:?\s*")
    VALUE = re.compile(r"(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,19}(?![\w-])")

    def find(self, text, nlp_artifacts):
        for cue in self.PATTERN.finditer(text):
            value = self.VALUE.match(text, cue.end())
            if value:
                yield value.start(), value.end(), 0.75, "licence number after its name"


class CodeAuthorRecognizer(LogicRecognizer):
    """People named by code conventions: ``TODO(maria.lopez)``,
    ``FIXME(mlopez)``, ``@author Maria Lopez``, and ``Signed-off-by:``,
    ``Co-authored-by:``, ``Reviewed-by:`` trailers (0.7). Found in comments
    and commit messages, which chat code handling keeps as prose."""

    ENTITY = "PERSON"
    PATTERNS = (
        re.compile(r"\b(?:TODO|FIXME|HACK|XXX|NOTE)\((?<name>[A-Za-z][\w.-]{1,40})\)"),
        re.compile(r"@author[ \t]+(?<name>\p{L}[\p{L}'’-]*(?:[ \t]+\p{L}[\p{L}'’.-]*){0,3})"),
        re.compile(r"(?im)^[ \t]*(?:Signed-off-by|Co-authored-by|Reviewed-by|Acked-by):[ \t]*"
                   r"(?<name>\p{L}[\p{L}'’-]*(?:[ \t]+\p{L}[\p{L}'’.-]*){0,3})"),
    )

    def find(self, text, nlp_artifacts):
        for regex in self.PATTERNS:
            for match in regex.finditer(text):
                yield match.start("name"), match.end("name"), 0.7, "author in code"


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, validating domains against tldextract's
    bundled public-suffix snapshot instead of fetching the list."""

    _extract = tldextract.TLDExtract(suffix_list_urls=())

    def validate_result(self, pattern_text: str):
        return self._extract(pattern_text).fqdn != ""


class SsnRecognizer(UsSsnRecognizer):
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
