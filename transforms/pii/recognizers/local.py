"""Recognizers of messages in the routed languages (German, Spanish, French,
Italian, Dutch, Portuguese), which the English model does not read
(:mod:`transforms.pii.routing`). They need no model: word lists of the
language (:mod:`transforms.pii.locales`) and the words that announce a name
or a number. One instance per language; the language is the recognizer's
``supported_language``.

- :class:`LocalNameCueRecognizer` (``PERSON``): a name after the words that
  announce one (:data:`CUES`): a statement of one's name ("mein Name ist",
  "ich heiße", "je m'appelle", "me llamo", "mi chiamo", "ik heet", "meu nome
  é", "chamo-me" ...; 0.9, lowercase names too), a title ("Herr", "Frau",
  "Sr.", "Mme", "Dott.", "Dhr.", "Mevr." ...; 0.85), a greeting, sign-off or
  relation ("Hallo", "Viele Grüße,", "Cordialement,", "Saludos,", "meine
  Schwester" ...; 0.7) or "I am" ("ich bin", "je suis", "soy" ...; 0.7, only
  a given name of the language's lexicon: "ich bin Arzt" is no name), or
  words of telling and meeting ("sag Anna", "decirle a", "parlato con",
  "falei com a" ...; 0.6; in German only a known name). A
  word after a greeting, sign-off or relation is no name when it is an
  ordinary word of the language or a stop word ("Viele Grüße, Ihr Team",
  "Hallo zusammen", "Hola Mundo"). Names found so recur in the conversation
  (:mod:`transforms.pii.recurrence`).
- :class:`LocalGivenNameRecognizer` (``PERSON``): a given name of the
  language's lexicon followed by a capitalised word (a full name, 0.7), or
  alone inside a sentence (0.6); not an ordinary word of the language, not
  at the start of a sentence (where every word is capitalised), not right
  after another capitalised word that is no ordinary word or after a saint
  ("Santa Maria", "Banco Santander"), alone not after "in", "en", "nach"
  ... (a place: "en France") and, in
  German, where every noun is capitalised, not after an article or
  determiner ("die Rose", "eine schöne Rose").
- :class:`LocalPhoneRecognizer` (``PHONE_NUMBER``): a national number after
  the language's phone words ("Tel.", "Telefon", "Handy", "téléphone",
  "portable", "teléfono", "móvil", "cellulare", "telefoon", "telemóvel",
  "celular" ...), valid for one of the language's regions
  (libphonenumber; 0.8, possible only 0.5); without them only a number
  with a trunk prefix or area code in parentheses that is valid there
  (``06 12 34 56 78``, ``030 1234567``, ``(11) 98765-4321``; 0.6).
  International numbers are the English recognizer's, which runs too.

A name's words: capitalised words with the particles of names between them
("Sanne de Vries", "Pedro dos Santos"); in German the words after the first
are taken only when the first is a given name of the lexicon or they are
surnames of it ("Frau Müller Bescheid sagen": Müller only).
"""

from __future__ import annotations

from typing import Iterator, Optional

import phonenumbers
import regex as re

from transforms.pii.locales import CAPITALISED_NOUNS, Locale, locale_of
from transforms.pii.recognizers.base import Finding, LexiconRecognizer, LogicRecognizer
from transforms.pii.recognizers.numbers import PhoneNumberRecognizer

# -- names ---------------------------------------------------------------------------

# A word: not inside another word, an address, a path or a handle.
_START = r"(?<![\p{L}\p{N}_'’.@/#-])"
_STOP = r"(?![\p{L}\p{N}_@]|[.'’/-][\p{L}\p{N}])"
_CAP = rf"{_START}\p{{Lu}}\p{{Ll}}+(?:['’-]\p{{Lu}}?\p{{Ll}}+)*{_STOP}"
_LOWER = rf"{_START}\p{{Ll}}{{2,}}(?:['’-]\p{{Ll}}+)*{_STOP}"
PARTICLES = (
    r"de|del|de[ \t]+la|de[ \t]+los|della|delle|dei|di|da|das|do|dos|du|des|le|la|van|"
    r"van[ \t]+de|van[ \t]+der|van[ \t]+den|von|von[ \t]+der|zu|ter|ten"
)
_REST = rf"(?:[ \t]+(?:(?:{PARTICLES})[ \t]+)?{_CAP})*"
_NAME_WORDS = re.compile(rf"(?:{_CAP}|{_LOWER}){_REST}")
_CAPITALISED_NAME = re.compile(rf"{_CAP}{_REST}")
_WORD = re.compile(rf"{_CAP}|{_LOWER}")
_NAME_WORD = re.compile(_CAP)

# Cue kinds: (score, what may follow).
EXPLICIT, TITLE, ADDRESS, SELF, TOLD = "explicit", "title", "address", "self", "told"
SCORES = {EXPLICIT: 0.9, TITLE: 0.85, ADDRESS: 0.7, SELF: 0.7, TOLD: 0.6}
_RELATIONS_DE = (
    r"(?:mein(?:e|em|en)?|dein(?:e|em|en)?|unser(?:e|em|en)?)\s+(?:bruder|schwester|freund|"
    r"freundin|mann|frau|ehemann|ehefrau|partner(?:in)?|sohn|tochter|chef(?:in)?|kolleg(?:e|in)|"
    r"mutter|vater|mama|papa|oma|opa|onkel|tante|cousin|cousine|nachbar(?:in)?|neffe|nichte|"
    r"vermieter(?:in)?|lehrer(?:in)?|ärztin|arzt)"
)
CUES: dict[str, dict[str, str]] = {
    "de": {
        EXPLICIT: r"mein\s+(?:voller\s+|vor|nach|ruf)?name\s+(?:ist|lautet|war)|ich\s+hei(?:ß|ss)e|"
        r"nenn(?:t|en\s+sie)?\s+mich|name\s*:",
        TITLE: r"(?-i:Herrn?|Frau|Hr\.|Fr\.|Dr\.|Prof\.)",
        ADDRESS: rf"hallo|hi|hey|moin|servus|(?m:^)[ \t]*liebe[rs]?|sehr\s+geehrte[rs]?|danke|"
        rf"{_RELATIONS_DE}|"
        r"(?:viele|liebe|beste|herzliche|freundliche|schöne)\s+grü(?:ß|ss)e\s*,?|"
        r"mit\s+freundlichen\s+grü(?:ß|ss)en\s*,?|gru(?:ß|ss)\s*,?|lg\s*,|vg\s*,|mfg\s*,?",
        SELF: r"ich\s+bin|hier\s+ist",
        TOLD: r"(?:sag|sage|sagt|frag|frage|fragt|schreib|schreibe)\s+(?:bitte\s+)?|"
        r"(?:gesprochen|geredet|telefoniert|treffen|getroffen)\s+mit",
    },
    "es": {
        EXPLICIT: r"me\s+llamo|mi\s+nombre\s+(?:completo\s+)?es|ll[aá]mame|nombre\s*:",
        TITLE: r"(?-i:Sr\.|Sra\.|Srta\.|Dr\.|Dra\.|Don|Doña|D\.|Dña\.|[Ss]eñora|[Ss]eñor)",
        ADDRESS: r"hola|buenos\s+d[ií]as|querid[oa]|estimad[oa]|gracias|"
        r"(?:mi|tu|su)\s+(?:herman[oa]|amig[oa]|espos[oa]|marido|mujer|hij[oa]|jef[ea]|"
        r"compañer[oa]|madre|padre|mamá|papá|novi[oa]|vecin[oa]|t[ií][oa]|prim[oa]|abuel[oa])|"
        r"(?:un\s+)?saludos?(?:\s+cordiales)?\s*,?|atentamente\s*,?|cordialmente\s*,?|"
        r"un\s+abrazo\s*,?",
        SELF: r"soy|yo\s+soy",
        TOLD: r"(?:dile|decirle|pregúntale|preguntarle|escríbele|escribirle)\s+a|"
        r"(?:hablé|hablado|hablar|reunido|quedado|quedé)\s+con",
    },
    "fr": {
        EXPLICIT: r"je\s+m['’]appelle|mon\s+(?:nom|prénom)\s+(?:complet\s+)?est|"
        r"appelle[zr]?-moi|nom\s*:",
        TITLE: r"(?-i:M\.|Mme|Mlle|[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|Dr|Pr)",
        ADDRESS: r"bonjour|salut|coucou|cher|chère|merci|"
        r"(?:mon|ma|ton|ta|son|sa)\s+(?:frère|sœur|soeur|ami|amie|mari|femme|fils|fille|"
        r"patron(?:ne)?|coll[èe]gue|mère|père|copain|copine|voisin(?:e)?|oncle|tante|"
        r"cousin(?:e)?|grand-mère|grand-père)|"
        r"(?:bien\s+)?cordialement\s*,?|bien\s+à\s+(?:vous|toi)\s*,?|amicalement\s*,?|"
        r"bisous\s*,?|(?:meilleures|sinc[èe]res)\s+salutations\s*,?",
        SELF: r"je\s+suis|c['’]est",
        TOLD: r"(?:dis|dire|demande|demander|écris|écrire)\s+à|"
        r"(?:parlé|parler|discuté|déjeuné|rendez-vous)\s+avec",
    },
    "it": {
        EXPLICIT: r"mi\s+chiamo|il\s+mio\s+nome\s+(?:completo\s+)?è|chiamami|nome\s*:",
        TITLE: r"(?-i:Sig\.(?:ra)?|Sig\.na|[Ss]ignor(?:a)?|Dott\.(?:ssa)?|Ing\.|Avv\.|"
        r"Prof\.(?:ssa)?)",
        ADDRESS: r"ciao|salve|car[oa]|gentile|grazie|"
        r"(?:(?:il|la)\s+)?(?:mio|mia|tuo|tua)\s+(?:fratello|sorella|amic[oa]|marito|moglie|"
        r"figli[oa]|capo|collega|madre|padre|mamma|papà|ragazz[oa]|cugin[oa]|zi[oa]|"
        r"vicin[oa]|nonn[oa])|"
        r"(?:cordiali|distinti)\s+saluti\s*,?|(?:un\s+)?salut[oi]\s*,?|un\s+abbraccio\s*,?",
        SELF: r"sono|io\s+sono",
        TOLD: r"(?:di['’]|dire|dici|chiedi|chiedere|scrivi|scrivere)\s+a|"
        r"(?:parlato|parlare|parlo|incontrato|pranzato)\s+con",
    },
    "nl": {
        EXPLICIT: r"ik\s+heet|mijn\s+(?:volledige\s+)?naam\s+is|noem\s+me|naam\s*:",
        TITLE: r"(?-i:Dhr\.|Mevr\.|Mw\.|[Mm]eneer|[Mm]evrouw|Dr\.)",
        ADDRESS: r"hoi|hallo|beste|lieve|bedankt|dank\s+je|"
        r"(?:mijn|je|jouw|zijn|haar)\s+(?:broer|zus|vriend|vriendin|man|vrouw|zoon|dochter|"
        r"baas|collega|moeder|vader|buurman|buurvrouw|oom|tante|neef|nicht|opa|oma)|"
        r"met\s+vriendelijke\s+groet(?:en)?\s*,?|(?:hartelijke\s+)?groet(?:en|jes)?\s*,?|"
        r"mvg\s*,?",
        SELF: r"ik\s+ben",
        TOLD: r"(?:zeg|zeggen|vraag|vragen|schrijf|schrijven)\s+(?:tegen|aan)|"
        r"(?:gesproken|gepraat|praten|afgesproken|geluncht)\s+met",
    },
    "pt": {
        EXPLICIT: r"(?:o\s+)?meu\s+nome\s+(?:completo\s+)?é|me\s+chamo|chamo-me|nome\s*:",
        TITLE: r"(?-i:Sr\.|Sra\.|Srª|Dr\.|Dra\.|Dona|[Ss]enhor|[Ss]enhora)",
        ADDRESS: r"olá|oi|querid[oa]|car[oa]|prezad[oa]|obrigad[oa]|"
        r"(?:o\s+|a\s+)?(?:meu|minha|teu|tua)\s+(?:irmão|irmã|amig[oa]|marido|esposa|mulher|"
        r"filh[oa]|chefe|colega|mãe|pai|namorad[oa]|prim[oa]|vizinh[oa]|ti[oa]|av[óô])|"
        r"atenciosamente\s*,?|cumprimentos\s*,?|(?:um\s+)?abraços?\s*,?|"
        r"(?:com\s+os\s+)?melhores\s+cumprimentos\s*,?",
        SELF: r"sou|eu\s+sou",
        TOLD: r"(?:(?:diz|dizer|pergunta|perguntar|escreve|escrever)\s+(?:ao|à|a)|"
        r"(?:falei|falar|falado|almocei|reuni-me)\s+com(?:\s+[oa])?)",
    },
}
# Words that follow a greeting or a sign-off and are no name, in any language.
NOT_NAMES = frozenset(
    """
    allemaal amici amigos amis asistente assistant assistent bot chatgpt chicos damen dank
    equipe equipo euer frau freunde gente gpt gruß grüße herr herren ia iedereen ihr jongens ki
    kollegen kolleginnen leute liebe mensen monde mondo mundo pessoal ragazzi squadra team
    todos tous tutti welt wereld zusammen équipe
    """.split()
)


def _cue_regex(language: str) -> re.Pattern:
    """One regex for every cue of ``language``: the name starts where it ends."""
    kinds = "|".join(rf"(?P<{kind}>{regex})" for kind, regex in CUES[language].items())
    return re.compile(rf"(?i)(?<![\p{{L}}-])(?:{kinds})(?![\p{{L}}-])[ \t]*(?:\r?\n[ \t]*)*")


class LocalNameCueRecognizer(LexiconRecognizer):
    """Names after the cues of a routed language (module docstring)."""

    ENTITY = "PERSON"

    def __init__(self, supported_language: str = "de", name=None, lexicon=None):
        kwargs = {"lexicon": lexicon} if lexicon is not None else {}
        super().__init__(supported_language=supported_language, name=name, **kwargs)
        self.locale: Locale = locale_of(supported_language)
        self._cues = _cue_regex(supported_language)

    def find(self, text, nlp_artifacts=None) -> Iterator[Finding]:
        for cue in self._cues.finditer(text):
            kind = cue.lastgroup or ADDRESS
            span = self._name_after(text, cue.end(), kind)
            if span:
                yield span[0], span[1], SCORES[kind], f"name after a {kind} cue"

    def _name_after(self, text: str, start: int, kind: str) -> Optional[tuple[int, int]]:
        match = _NAME_WORDS.match(text, start)
        if not match:
            return None
        words = list(_WORD.finditer(text, start, match.end()))
        first = words[0].group()
        if not self._acceptable(first, kind):
            return None
        return start, name_end(self.locale, words, stated=kind == EXPLICIT)

    def _acceptable(self, first: str, kind: str) -> bool:
        """Whether the first word after a cue of ``kind`` can start a name."""
        lower = first.lower()
        capitalised = bool(_NAME_WORD.fullmatch(first))
        if kind == EXPLICIT:
            return capitalised or lower not in self.locale.ordinary
        if not capitalised or lower in NOT_NAMES:
            return False
        if kind == SELF:
            return first in self.locale.given and not self.locale.ordinary_word(first)
        if kind == TOLD and self.locale.language in CAPITALISED_NOUNS:
            return self.locale.known_name(first) and not self.locale.ordinary_word(first)
        if kind in (ADDRESS, TOLD):
            return not self.locale.ordinary_word(first) or first in self.locale.given
        return lower not in self.locale.ordinary or self.locale.known_name(first)  # TITLE


def name_end(locale: Locale, words: list, stated: bool = False) -> int:
    """End of a name whose words (regex matches) are ``words``: a lowercase
    name is one word; never an ordinary word after the first; in German,
    unless the words are ``stated`` to be a name ("mein Name ist"), later
    words only if the first is a given name or they are surnames of the
    lexicon."""
    first = words[0].group()
    if not _NAME_WORD.fullmatch(first):
        return words[0].end()
    end = words[0].end()
    german = locale.language in CAPITALISED_NOUNS and not stated
    for word in words[1:]:
        value = word.group()
        if not _NAME_WORD.fullmatch(value):
            continue  # a particle: kept only if a name word follows
        if locale.ordinary_word(value) and value not in locale.family:
            break
        if german and first not in locale.given and value not in locale.family:
            break
        end = word.end()
    return end


# Articles of the routed languages, and what a capitalised name after them is
# (a place's, a work's, a thing's) rather than a person's.
_ARTICLES = frozenset(
    "der die das den dem des ein eine el la los las un una le les l lo il i gli uno "
    "de het een o a os as um uma".split()
)
# German articles, determiners and contracted prepositions: the word after
# them (and after the adjectives that follow them) is a noun.
_DETERMINERS_DE = re.compile(
    r"(?i)(?<![\p{L}])(?:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|kein\w*|"
    r"mein\w*|dein\w*|sein\w*|ihr\w*|unser\w*|euer|eur\w*|dies\w*|jede\w*|welch\w*|solch\w*|"
    r"manch\w*|alle\w*|im|am|zum|zur|vom|beim|ins|ans|aufs)"
    r"(?:[ \t]+\p{Ll}+(?:e|en|er|es|em))*[ \t]+$"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”„«»()\[\]*•>#¿¡-]|\n)[ \t]*$")
_CAPITALISED_BEFORE = re.compile(rf"(?P<word>{_CAP}|\p{{Lu}}{{2,}})[ \t]+$")
# Words before a given name that make it a place's or a thing's name.
_SAINTS = frozenset("san santa santo são sankt st saint sainte santi nossa our".split())
# A single given name right after these is a place ("in Florence", "en France").
_PLACE_BEFORE = re.compile(r"(?i)(?<![\p{L}])(?:in|en|nach|naar|aus|uit|em|dans)[ \t]+$")


class LocalGivenNameRecognizer(LexiconRecognizer):
    """Given names of a routed language's lexicon, with a surname or alone
    (module docstring)."""

    ENTITY = "PERSON"

    def __init__(self, supported_language: str = "de", name=None, lexicon=None):
        kwargs = {"lexicon": lexicon} if lexicon is not None else {}
        super().__init__(supported_language=supported_language, name=name, **kwargs)
        self.locale: Locale = locale_of(supported_language)

    def find(self, text, nlp_artifacts=None) -> Iterator[Finding]:
        for match in _CAPITALISED_NAME.finditer(text):
            words = [w for w in _WORD.finditer(text, match.start(), match.end())]
            if len(words) > 1 and self._leading_word(words[0].group()):
                words = words[1:]  # "Ieri Ruggero Castiglioni ha ...": the name is after
            first = words[0]
            if not self._name_word(text, first):
                continue
            end = name_end(self.locale, words)
            if first.group() in self.locale.given:
                if end > first.end():
                    yield first.start(), end, 0.7, "given name and surname"
                elif self._alone_ok(text, first.start()):
                    yield first.start(), end, 0.6, "given name"
            elif end > first.end() and first.group() in self.lexicon.given:
                # People in Italy are not all called by Italian names: a given
                # name of any locale followed by a capitalised word that is no
                # ordinary word of the language is a full name too.
                yield first.start(), end, 0.6, "given name of another locale and surname"

    def _leading_word(self, value: str) -> bool:
        """An ordinary word opening a run of capitalised words ("Ieri", "Ayer")
        but an article: after "La", "Le", "Il", "De" comes a place's or a
        thing's name ("La Paz", "La Stella Polare"), and the run is left."""
        return self.locale.ordinary_word(value) and value.lower() not in _ARTICLES

    def _name_word(self, text: str, word) -> bool:
        value = word.group()
        return (
            bool(_NAME_WORD.fullmatch(value))
            and not self.locale.ordinary_word(value)
            and value.lower() not in NOT_NAMES
            and value.lower() not in _SAINTS  # "Santa Maria Novella", "San Marco"
            and not self._after_proper_noun(text, word.start())
        )

    def _after_proper_noun(self, text: str, start: int) -> bool:
        """Right after a capitalised word that is no ordinary word ("Banco
        Santander", "Docker Swarm") or a saint ("Santa Maria")."""
        before = _CAPITALISED_BEFORE.search(text, max(0, start - 40), start)
        if before is None:
            return False
        word = before.group("word")
        return word.lower() in _SAINTS or not self.locale.ordinary_word(word)

    def _alone_ok(self, text: str, start: int) -> bool:
        before = text[max(0, start - 60) : start]
        if _SENTENCE_START.search(before) or _PLACE_BEFORE.search(before):
            return False
        return not (self.locale.language in CAPITALISED_NOUNS and _DETERMINERS_DE.search(before))


# -- phone numbers --------------------------------------------------------------------

PHONE_WORDS = {
    "de": r"tel\.?|telefon\w*|handy\w*|mobil\w*|festnetz\w*|rufnummer|fax|anrufen|ruf|whatsapp",
    "es": r"tel\.?|tel[eé]fono|m[oó]vil|celular|cel\.?|fijo|fax|ll[aá]ma(?:me|nos)?|whatsapp",
    "fr": r"t[eé]l\.?|t[eé]l[eé]phone|portable|mobile|fixe|fax|appel(?:le[rz]?|ez)|whatsapp",
    "it": r"tel\.?|telefono|cellulare|cell\.?|fisso|fax|chiama(?:mi|re)?|whatsapp",
    "nl": r"tel\.?|telefoon\w*|mobiel\w*|gsm|06-nummer|fax|bel(?:len)?|whatsapp",
    "pt": r"tel\.?|telefone|telemóvel|telemovel|celular|cel\.?|fixo|fax|liga(?:r)?|whatsapp",
}
# A national number with its trunk prefix or its area code in parentheses.
_NATIONAL_SHAPE = re.compile(r"(?:0\d{1,4}|\(0?\d{2,4}\))[ \t./-]?\d")
_SLASHED = re.compile(r"(?<![\w+./-])0\d{2,5}[ \t]?/[ \t]?\d{3,9}(?:[ -]\d{1,5})?(?![\w/]|[.-]\d)")


class LocalPhoneRecognizer(LogicRecognizer):
    """National phone numbers of a routed language (module docstring)."""

    ENTITY = "PHONE_NUMBER"

    def __init__(self, supported_language: str = "de", name=None):
        super().__init__(supported_language=supported_language, name=name)
        self.locale: Locale = locale_of(supported_language)
        self._words = re.compile(
            rf"(?i)(?<![\p{{L}}])(?:{PHONE_WORDS[supported_language]})(?![\p{{L}}])"
            r"[^\n]{0,30}?\n?[^\n]{0,30}$"
        )

    def find(self, text, nlp_artifacts=None) -> Iterator[Finding]:
        if not any(c.isdigit() for c in text):
            return
        for regex in (PhoneNumberRecognizer.CANDIDATE, _SLASHED):
            for match in regex.finditer(text):
                value = match.group().rstrip(" .-")
                score = self._score(text, match.start(), value)
                if score:
                    yield match.start(), match.start() + len(value), score, "local phone number"

    def _score(self, text: str, start: int, value: str) -> float:
        digits = re.sub(r"\D", "", value)
        if (
            not 6 <= len(digits) <= 13
            or value.startswith(("+", "00"))
            or len(set(digits)) <= 2
            or PhoneNumberRecognizer.DATE.fullmatch(value)
            or PhoneNumberRecognizer.MONEY.search(text[max(0, start - 5) : start])
        ):
            return 0.0
        number = value.replace("/", " ")
        valid = any(self._valid(number, region) for region in self.locale.phone_regions)
        cue = bool(self._words.search(text, max(0, start - 64), start))
        if cue:
            return 0.8 if valid else 0.5 if self._possible(number) else 0.0
        separated = re.search(r"[ \t./()-]", value) is not None
        return 0.6 if valid and separated and _NATIONAL_SHAPE.match(value) else 0.0

    def _valid(self, value: str, region: str) -> bool:
        parsed = PhoneNumberRecognizer._parse(value, region)
        return bool(parsed and phonenumbers.is_valid_number_for_region(parsed, region))

    def _possible(self, value: str) -> bool:
        parsed = PhoneNumberRecognizer._parse(value, self.locale.phone_regions[0])
        return bool(parsed and phonenumbers.is_possible_number(parsed))
