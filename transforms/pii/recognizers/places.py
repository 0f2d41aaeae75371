"""Recognizers of places that locate a person: street addresses, the
addressee above one, and places named as someone's home.

- ``STREET_ADDRESS``: :class:`StreetAddressRecognizer`, postal addresses in
  many countries' formats, one line or several (below).
- ``PERSON``: :class:`AddresseeRecognizer`, the name line right above an
  address (a shipping label, a letter head).
- ``LOCATION``: :class:`PersonalLocationRecognizer`, a place named as where
  someone lives, was born or moved to. A city in a travel question is not
  personal data and is left alone.

A street address identifies where a person lives or receives mail, so it is
personal data; a city or country on its own is not. The address recognizer
finds an address's core and then takes in the lines and parts that continue
it:

Cores (the street):

- number first, then the street name and type: ``216 Menzies Street``,
  ``1436 Redbud Drive``, ``12 main st``, ``905 William Orchard`` (0.8; USPS
  suffixes that are also everyday nouns, such as ``Key`` or ``Station``, only
  capitalised after capitalised words);
- a street-type word first, then the name and number: ``Rue de Piétrain 371``,
  ``ul. Słowicza 10``, ``Avda. Rio Nalon 58``, ``56 rue La Boétie`` (0.8);
- a compound whose ending names a street, then the number:
  ``Koskikatu 25``, ``Hammarvägen 15``, ``Friedhofstrasse 33``,
  ``Augsburger Strasse 36``, ``hegyalja út 98`` (0.8);
- post-office and military boxes: ``P.O. Box 242``, ``PSC 7951, Box 9972``
  with its ``APO AA 69974`` line, ``USNS Bergman`` + ``FPO AP 93757`` (0.85);
- a street corner: "the corner of ``Main St and 5th Avenue``" (0.75);
- any capitalised name followed by a house number (``Tylova 285``), and a
  named street without a number (``Lahtinen Road``), only with evidence:
  words such as "address", "ship to", "live at", "corner of" before it, or
  a continuation after it (0.7 / 0.6).

Continuation, each part after a comma, a line break (``>`` quoting allowed) or
a space: a unit (``Apt. 864``, ``Suite 727``), a place line (``CHARLEROI``,
``St Georges, QC 54256``, ``United Kingdom 75419``), a state and ZIP, a postal
code. House numbers written before the street (``5049 Harjukuja 54``) are
taken in as well. A part stops at function words ("and", "is", "please"),
so the sentence after an address stays.
"""

from __future__ import annotations

from typing import ClassVar, Iterator, Optional

import regex as re
from spacy.lang.en.stop_words import STOP_WORDS

from transforms.pii.recognizers.base import Finding, LogicRecognizer, context_before
from transforms.pii.recognizers.people import plausible_name

_CAP = r"(?:\p{Lu}[\p{L}'’.-]*)"
_WORD = r"(?:\p{L}[\p{L}'’.-]*)"
_ORDINAL = r"(?:\d{1,4}(?:st|nd|rd|th))"
_NUMBER = r"(?:\d{1,6}[A-Za-z]?(?:[/-]\d{1,4}[A-Za-z]?)?)"
_HOUSE = r"(?:\d{1,5}[A-Za-z]?(?:[/-]\d{1,4})?\.?)"

# Street types (USPS Publication 28 suffixes and common abbreviations, plus
# British ones). These read as a street after a house number in any case.
STREET_TYPES = (
    "street|st|str|road|rd|avenue|ave|av|boulevard|blvd|lane|ln|drive|dr|way|court|ct|"
    "place|pl|square|sq|terrace|terr|crescent|cres|close|highway|hwy|parkway|pkwy|circle|cir|"
    "trail|trl|row|walk|grove|groves|gardens|gdns|mews|parade|alley|plaza|pike|turnpike|"
    "expressway|freeway|loop|crossing|heights|hill|hills|view|green|park|squares|flats|estate|"
    "estates|quay|wharf|rise|vale|meadow|meadows|ridge|bypass|causeway|esplanade|promenade|"
    "orchard|orchards|field|fields|glen|glens|hollow|knoll|knolls|lodge|manor|manors|oval|"
    "ranch|stravenue|summit|throughway|trace|trafficway|valley|vista|viaduct|villa|village|"
    "villages|crest|creek|cove|coves|canyon|burg|brook|brooks|branch|bluff|bluffs|bend|dale|"
    "divide|extension|falls|ferry|forest|forge|forges|fort|garden|gateway|harbor|harbour|haven|"
    "inlet|isle|junction|landing|motorway|overpass|pines|plains|prairie|radial|ramp|rapids|"
    "ridges|shoals|skyway|springs|underpass|ville|ways"
)
# USPS suffixes that are also everyday nouns ("2 API Key", "3 charging Station"):
# a street only when the type and the words before it are capitalised.
COMMON_NOUN_TYPES = (
    "Key|Point|Light|Lights|Station|Lock|Locks|Well|Wells|Spring|Union|Camp|Club|Center|"
    "Course|Track|Mall|Land|Island|Islands|Rest|Spur|Wall|Pass|Run|Path|Shore|Shores|Stream|"
    "Fork|Forks|Mill|Mills|Mount|Mountain|Port|River|Lake|Lakes|Bridge|Beach|Bay|Cape|Corner|"
    "Corners|Common|Commons|Curve|Ford|Fords|Neck|Pine|Plain|Mission|Loaf|Dam|"
    "Passage|Route|Shoal|Tunnel|Turn|Cliff|Cliffs|Flat"
)
# Street types whose name is clear enough without a house number.
STRONG_TYPES = "street|road|avenue|boulevard|lane|drive|terrace|crescent|highway|parkway"
PREFIXES = (
    r"rue|rua|rúa|calle|avenida|avda\.?|av\.|viale|piazza|piazzale|corso|largo|vicolo|"
    r"ulica|ul\.|ulitsa|trg|praça|praca|travessa|carrer|paseo|passeig|chemin|allée|boulevard|"
    r"bd\.?|avenue|strada|str\.|bulevar|bulevardul|náměstí|namesti|třída|Λ\.|Οδός|Leoforos"
)
WEAK_PREFIXES = r"via|place|route|plaza|camino|quai|impasse|alameda|estrada|rodovia|rambla"
SUFFIXES = (
    r"straße|strasse|str\.|gasse|weg|allee|platz|damm|ufer|chaussee|steig|pfad|straat|laan|"
    r"gracht|plein|dreef|singel|kade|steeg|dijk|gatan|gata|vägen|väg|veien|vei|vegen|vej|"
    r"gade|allé|stræde|stien|katu|tie|kuja|polku|kaari|tori|raitti|rinne|braut|stígur|vegur|"
    r"tänav|iela|gatvė|utca|út|útja|körút|krt\.|rkp\.|u\.|tér|ulice|sokak|sokağı|caddesi|bulvarı"
)
# Endings that are also written as a word of their own (``Augsburger Strasse``).
STANDALONE_SUFFIXES = (
    r"straße|strasse|str\.|gasse|weg|allee|platz|straat|laan|gatan|gata|vägen|veien|vej|gade|"
    r"utca|út|útja|körút|krt\.|rkp\.|u\.|tér|iela|tänav|ulice|sokak|caddesi"
)
_PARTICLES = frozenset(
    "de du des la le les da do dos das di del della delle dei van von der den het y e i na am an "
    "im zum zur sur of u v z nad pod bei".split()
)

_NUMBER_FIRST = re.compile(
    rf"(?<![\w$€£.,-]){_NUMBER},?[ \t]+(?:(?:{_WORD}|{_ORDINAL})[ \t]+){{1,4}}"
    rf"(?:{STREET_TYPES})\.?(?![\w-])",
    re.IGNORECASE,
)
_NUMBER_FIRST_COMMON_NOUN = re.compile(
    rf"(?<![\w$€£.,-]){_NUMBER},?[ \t]+"
    rf"(?:(?:\p{{Lu}}\p{{Ll}}[\p{{L}}'’-]*|{_ORDINAL})[ \t]+){{1,4}}"
    rf"(?:{COMMON_NOUN_TYPES})(?![\w-])"
)
_PREFIX_FIRST = re.compile(
    rf"(?<![\w-])(?<prefix>{PREFIXES}|{WEAK_PREFIXES})[ \t]+"
    rf"(?<name>(?:{_WORD}[ \t]+){{0,5}}?{_WORD}),?[ \t]+{_HOUSE}(?![\w-])",
    re.IGNORECASE,
)
_NUMBER_PREFIX = re.compile(
    rf"(?<![\w$€£.,-]){_NUMBER},?[ \t]+(?<prefix>{PREFIXES})[ \t]+"
    rf"(?<name>(?:{_WORD}[ \t]+){{0,5}}{_WORD})",
    re.IGNORECASE,
)
# A street word ending in a street suffix, then the house number. The words
# before a bare suffix ("Augsburger Strasse 36") are found by looking back from
# the match (``_BEFORE``), which is much cheaper than trying them at every
# position of every text. The house number is looked for first: the look back
# at the suffixes is only tried after a word a number follows (3.3x faster,
# the same matches).
_SUFFIX = re.compile(
    rf"(?<![\w-])(?<street>\p{{L}}[\p{{L}}'’-]*\.?)(?=,?[ \t]+{_HOUSE}(?![\w-]))"
    rf"(?<=(?:{SUFFIXES})),?[ \t]+{_HOUSE}(?![\w-])",
    re.IGNORECASE,
)
_BEFORE = re.compile(rf"(?<![\w-]){_CAP}(?:[ \t]+{_CAP}){{0,2}}[ \t]+$", re.IGNORECASE)
_NOT_STREET_WORD = (
    r"(?!(?:Apt|Apartment|Suite|Ste|Unit|Flat|Room|Floor|Mr|Mrs|Ms|Dr|Prof|"
    r"Version|Chapter|Page|Step|Level|Part|Phase|Section|Windows|Python|Java|"
    r"iOS|Android|Model|Series|Type|Gen|No|Nr|Number|Room|Gate|Terminal)\b)"
)
_NAMED_NUMBER = re.compile(
    rf"(?<![\w-])(?:{_NOT_STREET_WORD}{_CAP}[ \t]+){{0,3}}{_NOT_STREET_WORD}{_CAP}[ \t]+{_HOUSE}"
    rf"(?![\w-])"
)
_NAMED_STREET = re.compile(rf"(?<![\w-])(?:{_CAP}[ \t]+){{1,3}}(?:{STRONG_TYPES}|Rd|St|Ave)\b")
_BOXES = re.compile(
    r"(?i)(?<![\w-])(?:(?:P\.?[ \t]?O\.?|Post(?:[ \t]Office)?)[ \t]?Box|Postbox|Postfach|"
    r"Apartado(?:[ \t]de[ \t]Correos)?|Caixa[ \t]Postal)[ \t]*\d{1,6}(?![\w-])|"
    r"(?<![\w-])(?:PSC|Unit|CMR)[ \t]+\d{2,5},?[ \t]+Box[ \t]+\d{2,5}(?![\w-])|"
    r"(?<![\w-])(?:USNS|USNV|USS|USCGC)[ \t]+\p{Lu}[\p{L}'-]*(?=[ \t]*\r?\n[ \t]*[AFD]PO\b)"
)
_CORNER = re.compile(
    r"(?i)\bcorner\s+of\s+(?<first>[^,;!?\n]{3,60}?)\s+(?:and|&)\s+"
    r"(?<second>(?:[\p{L}\d.'’-]+[ \t]+){0,3}[\p{L}\d.'’-]+)"
)
_MILITARY_LINE = re.compile(r"(?i)[ \t]*,?[ \t]*\r?\n?[ \t>]*[AFD]PO[ \t]+A[AEP][ \t]+\d{5}(?!\d)")

_EVIDENCE = re.compile(
    r"(?i)\b(?:address|addr|ship(?:ped|ping)?\s+(?:it\s+|them\s+)?to|send\s+(?:\w+\s+){0,2}to|"
    r"sent\s+to|deliver(?:ed|y)?\s+(?:\w+\s+)?(?:to|at)|live[sd]?\s+(?:at|on)|living\s+(?:at|on)|"
    r"located\s+(?:at|on)|stay(?:ing)?\s+at|moved?\s+to|moving\s+to|corner\s+of|"
    r"office\s+(?:is\s+)?(?:at|on)|visit\s+us\s+at|mail(?:ing)?\s+to|residence|home\s+is\s+at|"
    r"billing|shipping|postal|meet\s+(?:\w+\s+){0,3}at|pick\s+(?:\w+\s+)?up\s+at|"
    r"apartment|flat|house)\b[^.!?\n]{0,48}$"
)

# Continuation parts. Separators: a comma, a line break (with ``>`` quoting)
# or spaces; each part is tried in this order.
_SEPARATOR = re.compile(r"[ \t]*(?:,[ \t]*)?(?:\r?\n[ \t>]*)?(?:,[ \t]*)?")
# After a blank line only a place line that ends in a postal code continues
# an address ("Riisa\n\n Estonia 62488").
_BLANK_LINE = re.compile(r"[ \t]*\r?\n[ \t]*\r?\n[ \t>]*")
_UNIT = re.compile(
    r"(?i)(?:apt|apartment|flat|suite|ste|unit|room|rm|floor|fl|bldg|building)"
    r"\.?[ \t]*#?[ \t]*\d{1,5}[A-Za-z]?(?![\w-])|#[ \t]?\d{1,5}(?![\w-])"
)
_POSTCODE = re.compile(
    r"(?:\p{Lu}{1,2}[ \t]+)?(?:\d{5}(?:-\d{4})?|\d{4}-\d{3}|\d{4,6}|\d{2}-\d{3}|\d{3}[ \t]\d{2}|"
    r"\d{4}[ \t]?\p{Lu}{2}|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)"
    r"(?![\w-])"
)
_PLACE_WORD = re.compile(rf"\(?{_CAP}\)?|\p{{Lu}}{{2,}}")
_PLACE_END = re.compile(r"[ \t]*(?:$|[,\r\n?!]|\.(?:\s|$)|\))", re.MULTILINE)

MAX_PARTS = 6


class StreetAddressRecognizer(LogicRecognizer):
    """Postal addresses: see the module docstring for the formats and scores."""

    ENTITY = "STREET_ADDRESS"
    # The addresses of the text read last, as one tuple replaced whole (a
    # thread never sees one text's addresses with another's): the addressee
    # recognizer reads the same text right after this one and needs them too.
    _last: ClassVar[tuple] = (None, ())

    def find(self, text, nlp_artifacts):
        return iter(self.addresses(text))

    def addresses(self, text: str) -> tuple[Finding, ...]:
        """The address findings of ``text``, found once per text analysed."""
        last_text, found = StreetAddressRecognizer._last
        if last_text is not text:
            found = tuple(self._addresses(text))
            StreetAddressRecognizer._last = (text, found)
        return found

    def _addresses(self, text: str) -> Iterator[Finding]:
        for start, end, score, why in self._cores(text):
            lowercase = text[start:end].islower()
            start = self._house_numbers_before(text, start)
            full_end, words = self._continue(text, end, lowercase)
            if score is None:  # needs evidence
                if not words and not context_before(_EVIDENCE, text, start, 96):
                    continue
                score = 0.7
            yield start, full_end, score, why

    # -- cores ----------------------------------------------------------------

    def _cores(self, text: str):
        """(start, end, score or None when evidence is needed, explanation) of
        each street core, one kind after the other."""
        for kind in (
            self._boxes,
            self._corners,
            self._number_first,
            self._prefix_first,
            self._number_prefix,
            self._suffixed,
            self._named,
        ):
            yield from kind(text)

    @staticmethod
    def _boxes(text: str):
        """Post-office and military boxes, with a military post line after them."""
        for match in _BOXES.finditer(text):
            end = match.end()
            military = _MILITARY_LINE.match(text, end)
            yield match.start(), military.end() if military else end, 0.85, "post box"

    def _corners(self, text: str):
        for match in _CORNER.finditer(text):
            second = self._trim_name(match.group("second").rstrip(".").split())
            if second:
                end = match.start("second") + len(" ".join(second))
                yield match.start("first"), end, 0.75, "street corner"

    def _number_first(self, text: str):
        for regex in (_NUMBER_FIRST, _NUMBER_FIRST_COMMON_NOUN):
            for match in regex.finditer(text):
                words = match.group().split()[1:-1]
                if self._name_words_ok(words):
                    yield match.start(), match.end(), 0.8, "number, street name and type"

    def _prefix_first(self, text: str):
        for match in _PREFIX_FIRST.finditer(text):
            words = match.group("name").split()
            if self._trim_name(words) != words:
                continue
            weak = re.fullmatch(WEAK_PREFIXES, match.group("prefix"), re.IGNORECASE)
            yield match.start(), match.end(), None if weak else 0.8, "street type, name and number"

    def _number_prefix(self, text: str):
        for match in _NUMBER_PREFIX.finditer(text):
            name = self._trim_name(match.group("name").split())
            if name:
                end = match.start("name") + len(" ".join(name))
                yield match.start(), end, 0.8, "number, street type and name"

    def _suffixed(self, text: str):
        for match in _SUFFIX.finditer(text):
            yield from self._suffix_core(text, match)

    def _named(self, text: str):
        """A name and house number, or a named street: they need evidence (score None)."""
        for regex, why in (
            (_NAMED_NUMBER, "name and house number"),
            (_NAMED_STREET, "named street"),
        ):
            for match in regex.finditer(text):
                if self._name_words_ok(match.group().split()[:-1]):
                    yield match.start(), match.end(), None, why

    def _suffix_core(self, text: str, match):
        street = match.group("street")
        if re.fullmatch(SUFFIXES, street, re.IGNORECASE) is None:  # a compound: Hammarvägen
            if len(street) >= 6:
                yield match.start("street"), match.end(), 0.8, "street-name ending and number"
            return
        # A bare suffix needs name words before it, and must be one that stands alone.
        before = _BEFORE.search(text, max(0, match.start() - 200), match.start())
        if before and re.fullmatch(STANDALONE_SUFFIXES, street, re.IGNORECASE):
            yield before.start(), match.end(), 0.8, "street-name ending and number"

    @staticmethod
    def _name_words_ok(words) -> bool:
        """Street-name words: no function words (``5 miles down the road``)."""
        return bool(words) and not any(
            w.lower().strip(".,") in STOP_WORDS and w.lower() not in _PARTICLES for w in words
        )

    @staticmethod
    def _trim_name(words: list) -> list:
        """Name words up to the first function word that is not a particle."""
        kept = []
        for word in words:
            lower = word.lower()
            if lower in STOP_WORDS and lower not in _PARTICLES:
                break
            kept.append(word)
        while kept and kept[-1].lower() in _PARTICLES:
            kept.pop()
        return kept

    @staticmethod
    def _house_numbers_before(text: str, start: int) -> int:
        """Take in a unit and up to two house or building numbers written just
        before the street (``Suite 541 6343 Skogstien 106``)."""
        before = re.search(
            rf"(?:(?:{_UNIT.pattern})[ \t]+)?(?:(?<![\w$€£.,-]){_NUMBER},?[ \t]+){{1,2}}$",
            text[max(0, start - 40) : start],
        )
        return start - len(before.group()) if before else start

    # -- continuation -----------------------------------------------------------

    def _continue(self, text: str, end: int, lowercase: bool) -> tuple[int, bool]:
        """(end of the address, whether a part with words (a unit, a place, a
        military post line) was taken in: postal codes alone prove nothing)."""
        parts, words = 0, False
        while parts < MAX_PARTS:
            separator = _SEPARATOR.match(text, end)
            position = separator.end()
            if position == end and position < len(text):
                break
            part_end = self._part(text, position, lowercase)
            if part_end is None:
                part_end = self._place_with_postcode_after_blank_line(text, end, lowercase)
            if part_end is None:
                break
            words = words or bool(re.search(r"\p{L}", text[position:part_end]))
            end, parts = part_end, parts + 1
        return end, words

    def _part(self, text: str, position: int, lowercase: bool) -> Optional[int]:
        for regex in (_UNIT, _MILITARY_LINE, _POSTCODE):
            match = regex.match(text, position)
            if match:
                return match.end()
        return self._place(text, position, lowercase)

    def _place_with_postcode_after_blank_line(
        self, text: str, end: int, lowercase: bool
    ) -> Optional[int]:
        blank = _BLANK_LINE.match(text, end)
        place_end = blank and self._place(text, blank.end(), lowercase)
        if place_end and _POSTCODE.search(text[blank.end() : place_end]):
            return place_end
        return None

    def _place(self, text: str, position: int, lowercase: bool) -> Optional[int]:
        """End of a place part: one to four capitalised words (and particles
        such as "de", "u"; lowercase words too in a lowercase address) that end
        the line or the clause, with an optional postal code after them."""
        line = re.match(r"[^\r\n]{0,80}", text[position:]).group()
        end, words = position, 0
        for match in re.finditer(r"[^\s,]+", line):
            if words and text[end : position + match.start()].strip(" \t"):
                break
            raw = match.group()
            word = raw.rstrip(".?!")
            if not self._place_word(word, lowercase):
                break
            words += word.lower() not in _PARTICLES
            end = position + match.start() + len(word)
            if words == 4 or raw != word:
                break
        if not words:
            return None
        code = re.compile(rf"[ \t]+(?:{_POSTCODE.pattern})").match(text, end)
        if code:
            return code.end()
        return end if _PLACE_END.match(text, end) else None

    @staticmethod
    def _place_word(word: str, lowercase: bool) -> bool:
        lower = word.lower()
        if not word or (lower in STOP_WORDS and lower not in _PARTICLES):
            return False
        if _PLACE_WORD.fullmatch(word) or lower in _PARTICLES:
            return True
        return lowercase and word.isalpha() and word.islower()


class AddresseeRecognizer(LogicRecognizer):
    """The addressee of a postal address: a line of two to four capitalised
    words (initials allowed) right above an address, with at most one blank
    line between, that the tagger reads as proper nouns and the model does not
    call an organisation or place (0.6): the name on a shipping label or
    letter head. Company lines (``Asc Partners``) are not names."""

    ENTITY = "PERSON"
    LINE = re.compile(
        r"(?m)^[ \t>*-]*(?<name>\p{Lu}[\p{L}'’.-]*(?:[ \t]+\p{Lu}[\p{L}'’.-]*){1,3})"
        r"[ \t]*\r?\n(?:[ \t>]*\r?\n)?[ \t>*-]*\Z"
    )
    _addresses = StreetAddressRecognizer()

    def find(self, text, nlp_artifacts):
        doc = nlp_artifacts.tokens if nlp_artifacts else None
        if doc is None:
            return
        for start, _, _, _ in self._addresses.addresses(text):
            line = self.LINE.search(text[max(0, start - 120) : start])
            if not line:
                continue
            offset = max(0, start - 120)
            span = doc.char_span(offset + line.start("name"), offset + line.end("name"))
            if span is not None and self._name_like(span):
                yield span.start_char, span.end_char, 0.6, "addressee above an address"

    @staticmethod
    def _name_like(span) -> bool:
        return all(
            t.pos_ == "PROPN" and t.ent_type_ not in ("ORG", "GPE", "LOC", "FAC")
            for t in span
            if not t.is_punct
        ) and plausible_name(list(span))


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
        r"\s+(?:the\s+)?(?:city\s+of\s+|town\s+of\s+)?$"
    )

    def find(self, text, nlp_artifacts):
        doc = nlp_artifacts.tokens if nlp_artifacts else None
        for ent in doc.ents if doc is not None else ():
            if (
                ent.label_ in self.LABELS
                and not any(c.isdigit() for c in ent.text)
                and context_before(self.PERSONAL, text, ent.start_char, 64)
            ):
                yield ent.start_char, ent.end_char, 0.75, "place with personal context"
