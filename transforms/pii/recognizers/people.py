"""Recognizers of people's names (``PERSON``).

- :class:`NerPersonRecognizer`: spaCy's PERSON entities, without the ones that
  are code, handles or organisations.
- :class:`PersonCueRecognizer`: names announced by the words before them ("my
  name is", "hi", "my friend", "Name:", titles ...), lowercase names included.
- :class:`GivenNameRecognizer`: names the model misses, found with a gazetteer
  of given names (see below).
- :class:`CodeAuthorRecognizer`: people named by code conventions
  (``TODO(maria.lopez)``, ``@author``, ``Signed-off-by:``).

The addressee above a postal address is in :mod:`.places`. The first three
consult the :class:`~transforms.pii.lexicon.Lexicon` of names and English words
(:class:`PersonRecognizer`).

Given names. The model (``en_core_web_md``) misses a name it has not seen in a
context it knows: "Why is Samantha so impulsive?", "They had 6: Efimiya, Mary,
Ariana", "follow up with patricia desrosiers". :class:`GivenNameRecognizer`
finds a given name of the lexicon (Faker's name lists for 86 locales) and takes
the surname after it. Given names that are also ordinary words ("Will", "May",
"Grant", "Rose", "Paris") are where a gazetteer goes wrong, so a candidate must
pass what the model says about the word in its sentence:

- a capitalised word must be tagged as a proper noun (or, if it is no English
  word, a noun) and not be part of a non-person entity (``Victoria`` the city,
  ``Jordan`` the country) unless that entity is the name alone, in words the
  model cannot know otherwise ("Samantha" read as LOC); if it is also an
  English word (WordNet's index in the model's lemmatizer: "will", "grant",
  "hope") it must not start a sentence, where every word is capitalised;
- a lowercase word must not be an English word nor a stop word at all
  ("bob", "mark" and "chad" stay; "silvana" and "frederikke" go).

Capitalised words of the given name's span that follow it (a surname, a
middle initial) join the span. Scores: 0.6 for a given name with a surname
that is tagged as a proper noun, 0.5 alone; lowercase names 0.45. Without a
tagger in the model the recognizer finds nothing (it cannot tell "Will" the
verb from Will the person); without a lemmatizer, lowercase names are off.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

import regex as re
from spacy.lang.en.stop_words import STOP_WORDS

from transforms.pii.recognizers.base import LexiconRecognizer, LogicRecognizer


class PersonRecognizer(LexiconRecognizer):
    """Base for the recognizers of people's names, which consult the
    :class:`~transforms.pii.lexicon.Lexicon` of names and English words."""

    ENTITY = "PERSON"

    def ordinary_words(self, tokens) -> bool:
        """Every word is an English word that is not also a name ("Phone",
        "Mission Statement", "Wisdom"): not a name."""
        words = [t.text for t in tokens if not t.is_punct]
        return bool(words) and all(self.lexicon.ordinary_word(w) for w in words)


# Words that follow greetings and relation words but are not names.
NOT_NAMES = frozenset(
    """
    team all everyone everybody guys folks there friend friends sir madam mam maam
    dear bot chatgpt gpt assistant ai claude gemini copilot siri alexa google man dude
    bro buddy mate pal boss again so much lot tons god lord world guy girl boy kid baby
    honey love sweetie user admin customer support manager mom mum dad mother father
    brother sister wife husband son daughter apt apartment suite ste unit bldg
""".split()
)
ORG_WORDS = frozenset(
    """
    inc inc. ltd ltd. llc llp plc corp corp. corporation company co co. gmbh ag sa
    s.a. bv nv associates group bank university college institute foundation partners
    holdings solutions systems technologies services international
""".split()
)
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


# Words before a name that make it a person's, not a thing's ("Uncle Bob",
# "Professor Oak", "Duke of Wellington").
PERSON_TITLES = frozenset(
    """
    mr mrs ms mx dr doctor prof professor sir madam dame lady lord uncle aunt auntie grandma
    grandpa granny nana cousin brother sister father mother mom mum dad saint st king queen
    prince princess duke duchess earl count countess baron baroness emperor empress pope
    bishop archbishop cardinal captain capt general gen colonel col major sergeant sgt
    lieutenant lt officer agent detective inspector judge justice senator governor president
    minister chancellor mayor coach nurse chef pastor rabbi imam reverend rev sheikh tsar
    sultan marquis viscount
    """.split()
)


def names_a_thing(doc, first, lexicon) -> bool:
    """The words before a name make it part of a thing's name: "the Battle
    of Hastings", "the Treaty of Westphalia" (a capitalised ordinary noun and
    "of"), "Project Phoenix", "Operation Nightfall" (a capitalised ordinary
    noun in the same title, not at a sentence's start), unless that noun is a
    title or relation of a person ("Duke of Wellington", "Uncle Bob")."""
    before = doc[first.i - 1] if first.i > 0 else None
    if before is not None and before.lower_ == "of" and first.i > 1:
        before = doc[first.i - 2]
    if before is None or before.is_space or "\n" in before.whitespace_:
        return False
    word = before.text
    return (
        word[:1].isupper()
        and word.lower().rstrip(".") not in PERSON_TITLES
        and before.pos_ in ("NOUN", "PROPN")
        and lexicon.ordinary_word(word)
        and not GivenNameRecognizer._starts_sentence(doc, before)
    )


class NerPersonRecognizer(PersonRecognizer):
    """PERSON entities of the spaCy model (0.85), trimmed of a possessive,
    surrounding punctuation and any next line, without spans that hold code characters (``@``,
    digits, ``_`` ...), only stop words, or end in an organisation word (see
    :func:`plausible_name`), nor spans of ordinary English words only
    ("Wisdom"); a leading verb is dropped ("Compare Canva")."""

    def find(self, text, nlp_artifacts):
        doc = nlp_artifacts.tokens if nlp_artifacts else None
        for ent in doc.ents if doc is not None else ():
            if ent.label_ != "PERSON":
                continue
            tokens = [
                t for t in ent if not (t.is_punct or t.is_space or t.text.lower() in ("'s", "’s"))
            ]
            tokens = [t for t in tokens if "\n" not in text[tokens[0].idx : t.idx]]
            while len(tokens) > 1 and (
                tokens[0].pos_ in ("VERB", "AUX", "ADV", "INTJ") or self.ordinary_words(tokens[:1])
            ):
                tokens = tokens[1:]  # "Compare Canva": a sentence's first verb is no name
            if (
                tokens
                and not names_a_thing(doc, tokens[0], self.lexicon)
                and plausible_name(tokens)
                and not self.ordinary_words(tokens)
                and not self.unknown_lowercase(tokens)
            ):
                yield tokens[0].idx, tokens[-1].idx + len(tokens[-1]), 0.85, "spaCy PERSON"

    def unknown_lowercase(self, tokens) -> bool:
        """All lowercase and no word a known name ("rebase"): the model's
        guess on a lowercase word is too weak to act on alone."""
        words = [t.text for t in tokens]
        return (
            bool(self.lexicon.given)
            and all(w.islower() for w in words)
            and not any(self.lexicon.known_name(w.title()) for w in words)
        )


_RELATIONS = (
    "friend|best friend|wife|husband|partner|boyfriend|girlfriend|fianc[eé]e?|son|daughter|"
    "kid|child|mom|mum|mother|dad|father|brother|sister|cousin|uncle|aunt|nephew|niece|"
    "grandma|grandmother|grandpa|grandfather|grandson|granddaughter|boss|manager|colleague|"
    "coworker|co-worker|teammate|classmate|roommate|flatmate|neighbou?r|landlord|landlady|"
    "tenant|teacher|professor|student|doctor|therapist|lawyer|client|patient|ex|buddy|"
    "stepmom|stepdad|stepson|stepdaughter|in-law|mother-in-law|father-in-law"
)
RELATIONS = _RELATIONS  # the relation words of the cues, as a regex alternation
# Chat words that are no English words of the lexicon and no names.
CHAT_WORDS = frozenset(
    """
    lol omg btw thx thnx tks pls plz idk imo imho tbh lmao lmfao rofl haha hahaha hehe ok okay
    yeah yep nope hey heyy hiya bye cya brb ttyl np fyi asap irl afaik smh wtf ngl fr rn
    tho thru ur cuz coz bc gonna wanna gotta kinda sorta dunno lemme gimme bro sis
    """.split()
)


class Cue(NamedTuple):
    """Words that announce a name; the name starts where ``regex`` ends.
    ``lowercase``: lowercase names are accepted (tagged as proper nouns).
    ``trusted``: the model's entity label of the words is ignored.
    ``proper_nouns``: capitalised words must be tagged as proper nouns.
    ``explicit``: the words say it is a name, so a name that is also an
    ordinary English word is taken ("my name is Hope Page").
    ``known_lowercase``: a lowercase word the lexicon knows as a name is
    taken even when it is also an English word and not read as a proper
    noun ("my sister rose is ...", "dr patel"), unless the next word makes
    it a verb or a noun ("my sister rose to ...")."""

    regex: re.Pattern
    score: float
    lowercase: bool = True
    trusted: bool = False
    proper_nouns: bool = False
    explicit: bool = False
    known_lowercase: bool = False


_CUES = [
    Cue(
        re.compile(
            r"(?i)\b(?:my|his|her|their|our|your)\s+(?:full\s+|real\s+|last\s+|first\s+|"
            r"maiden\s+|legal\s+)?name(?:'s|\s+is|\s+was)\s+"
        ),
        0.9,
        trusted=True,
        explicit=True,
    ),
    Cue(
        re.compile(
            r"(?i)\b(?:call\s+me|calls\s+me|called\s+me|i\s+am\s+called|i'm\s+called|"
            r"(?:address|refer\s+to)\s+me\s+as|i\s+go\s+by|(?:preferred|nick)\s*name\s*(?:is|:)|"
            r"(?:what|how)\s+(?:should|would\s+you\s+like)\s+(?:chatgpt|you|i|the\s+assistant)"
            r"\s+(?:to\s+)?(?:call|address)\s+(?:you|me)\s*\??|"
            r"(?:under|by|in)\s+the\s+name(?:\s+of)?)\s+"
        ),
        0.9,
        trusted=True,
        explicit=True,
    ),
    Cue(
        re.compile(
            r"(?i)\b(?:named|called|signed|regards,?|cheers,?|sincerely,?|best,|thanks,|"
            r"yours,?)\s+"
        ),
        0.6,
    ),
    Cue(
        re.compile(
            r"(?i)\b(?:hi|hello|hey|dear|thanks|thank\s+you|thx|ty|bye|attn:?|"
            r"happy\s+birthday,?|congrat(?:ulation)?s,?|welcome,?)[ \t]+"
        ),
        0.55,
    ),
    Cue(
        re.compile(
            r"(?i)\b(?:email|e-mail|message|letter|note|reply|write|wrote|talk|talked|"
            r"speak|spoke|meeting)\s+(?:to|with)\s+"
        ),
        0.55,
        lowercase=False,
    ),
    Cue(
        re.compile(rf"(?i)\bmy\s+(?:{_RELATIONS})(?:'s)?\s+(?:named\s+|called\s+)?"),
        0.6,
        known_lowercase=True,
    ),
    # Titles typed in lower case: "dr patel", "mrs okafor".
    Cue(re.compile(r"\b(?:mr|mrs|ms|dr|prof)\.?[ \t]+(?=\p{Ll})"), 0.6, known_lowercase=True),
    Cue(re.compile(r"(?i)\b(?:i\s+am|i'm|im)\s+"), 0.55, lowercase=False),
    Cue(
        re.compile(r"(?i)\b(?:it's|it\s+is|this\s+is)\s+"), 0.55, lowercase=False, proper_nouns=True
    ),
    Cue(
        re.compile(r"\b(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sir|Madam|Mme|Mlle|Herr|Frau|Sr|Sra)\.?[ \t]+"),
        0.9,
        lowercase=False,
        trusted=True,
        explicit=True,
    ),
    Cue(
        re.compile(
            r"(?im)^[ \t>*-]*(?:full\s+)?(?:name|contact|customer|patient|employee|"
            r"author|owner|recipient|sender|attendee|guest|tenant|passenger|from|to|cc|"
            r"signed)[ \t]*:[ \t]*"
        ),
        0.7,
        trusted=True,
    ),
    # A speaker's label at the start of a line: "Nicole: Remember me?"
    Cue(
        re.compile(r"(?m)^[ \t>*-]*(?=\p{Lu}[\w'’-]*(?:[ \t]\p{Lu}[\w'’-]*)?:[ \t]*\S)"),
        0.55,
        lowercase=False,
        trusted=True,
        proper_nouns=True,
    ),
]
# First name, middle initial, last name: "Ravil G Yefimov", "Faina D. Yefremova".
_INITIALLED = re.compile(r"(?<![\w-])\p{Lu}\p{Ll}+[ \t]\p{Lu}\.?[ \t]\p{Lu}\p{Ll}[\w'’-]*")
# Parts of speech a lowercase name is never tagged with after "my name is".
_NOT_NAME_POS = frozenset(
    {"VERB", "AUX", "ADV", "ADP", "PART", "DET", "PRON", "CCONJ", "SCONJ", "NUM", "PUNCT", "SYM"}
)
_INITIAL = re.compile(r"[A-Z]\.?")  # an initial in a name after a cue
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
        starts = None  # token index by offset, built at the first cue
        for cue in _CUES:
            for match in cue.regex.finditer(text):
                if starts is None:
                    starts = {t.idx: t.i for t in doc}
                first = starts.get(match.end())
                name = self._name_tokens(doc, first, cue) if first is not None else []
                if (
                    name
                    and plausible_name(name)
                    and (cue.explicit or not self.ordinary_words(name))
                ):
                    yield name[0].idx, name[-1].idx + len(name[-1]), cue.score, "name after a cue"
        for match in _INITIALLED.finditer(text):
            span = doc.char_span(match.start(), match.end())
            if span is not None and span[0].pos_ == span[-1].pos_ == "PROPN":
                yield match.start(), match.end(), 0.6, "name with a middle initial"

    def _name_tokens(self, doc, first: int, cue: Cue) -> list:
        tokens: list = []
        case = None
        for token in doc[first : first + self.MAX_WORDS]:
            kind = self._kind(token, cue, bool(tokens))
            if kind is None and cue.known_lowercase:
                kind = self._known_name_kind(doc, token)
            if kind == "lower" and tokens and self._inflected_word(token.text):
                break  # "my friend nnamdi drives": a word after the name
            if kind is None or case not in (None, kind):
                break
            case = kind
            tokens.append(token)
            if token.whitespace_ != " ":
                break
        return tokens

    def _inflected_word(self, word: str) -> bool:
        """An ordinary English word, also inflected ("drives", "said")."""
        return any(
            self.lexicon.ordinary_word(stem)
            for stem in (word, word[:-1], word[:-2], word[:-3])
            if len(stem) >= 3 and word.startswith(stem) and word != stem + "'"
        ) and not self.lexicon.known_name(word.title())

    def _known_name_kind(self, doc, token) -> Optional[str]:
        """After a relation word or a lowercase title: a capitalised name of
        the lexicon the model reads as a place ("my cousin Georgia"), or a
        lowercase one (:meth:`_lowercase_name`)."""
        if _CAPITALISED.fullmatch(token.text) and self.lexicon.known_name(token.text):
            return "upper"
        return "lower" if self._lowercase_name(doc, token) else None

    def _lowercase_name(self, doc, token) -> bool:
        """A lowercase word of the lexicon's names that the next word does not
        make a verb or a noun (``rose to``, ``mark the``), or a lowercase word
        of four letters or more that is no English word, no chat word and not
        shouted letters (``dr oyelaran``, ``my friend yaroslav``)."""
        word = token.text
        if not _LOWER_WORD.fullmatch(word):
            return False
        if not self.lexicon.known_name(word.title()):
            return self._unknown_lowercase_name(word)
        if word in STOP_WORDS or word in NOT_NAMES or not self.lexicon.english_word(word):
            return word not in STOP_WORDS and word not in NOT_NAMES
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        return (
            following is None
            or following.is_punct
            or following.pos_ in ("VERB", "AUX", "CCONJ")
            or following.lower_ in _AFTER_A_NAME
        )

    def _unknown_lowercase_name(self, word: str) -> bool:
        return (
            len(word) >= 4
            and bool(self.lexicon.english)
            and not self.lexicon.english_form(word)
            and word not in STOP_WORDS
            and word not in NOT_NAMES
            and word not in CHAT_WORDS
            and _VOWEL.search(word) is not None
        )

    @staticmethod
    def _kind(token, cue: Cue, after_first: bool) -> Optional[str]:
        """ "upper" or "lower" for a word that can be part of a name, else None."""
        word = token.text
        if token.is_space or word.lower() in STOP_WORDS or word.lower() in NOT_NAMES:
            return None
        if _CAPITALISED.fullmatch(word) or (_INITIAL.fullmatch(word) and after_first):
            if cue.proper_nouns and token.pos_ != "PROPN":
                return None
            return "upper" if cue.trusted or token.ent_type_ in ("", "PERSON") else None
        if (
            cue.lowercase
            and _LOWER_WORD.fullmatch(word)
            and (token.pos_ == "PROPN" or (cue.trusted and token.pos_ not in _NOT_NAME_POS))
        ):
            return "lower"
        return None


_VOWEL = re.compile(r"[aeiouy]")
# Words that follow a person's name rather than a verb or a noun.
_AFTER_A_NAME = frozenset("is was and said says has had will can told asked".split())
_ANY_INITIAL = re.compile(r"\p{Lu}\.?")  # a middle initial after a given name, any script
_SENTENCE_END = frozenset(".!?:;\"“”'‘’()[]{}*-•>#")
# Entity labels under which a word is not a person's name.
_OTHER_ENTITIES = frozenset(
    {"GPE", "LOC", "FAC", "ORG", "PRODUCT", "NORP", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)


class GivenNameRecognizer(PersonRecognizer):
    """Given names from the lexicon, with the surname after them (see the
    module's docstring for the checks)."""

    MAX_WORDS = 3

    def find(self, text, nlp_artifacts):
        doc = nlp_artifacts.tokens if nlp_artifacts else None
        if doc is None or not doc.has_annotation("TAG"):
            return
        for token in doc:
            case = self._given_name(doc, token)
            if case is None:
                continue
            span = [token, *self._rest(doc, token, case)]
            if case == "upper" and (
                not self._person_entity(doc, span) or names_a_thing(doc, token, self.lexicon)
            ):
                continue
            if case == "lower":
                score = 0.45
            elif len(span) > 1 and span[-1].pos_ == "PROPN":
                score = 0.6
            else:
                score = 0.5
            yield token.idx, span[-1].idx + len(span[-1]), score, f"{case}case given name"

    def _given_name(self, doc, token) -> Optional[str]:
        """ "upper" or "lower" if the token can be a given name here, else None."""
        word = token.text
        given = self.lexicon.given
        if word not in given and word.title() not in given:
            return None  # neither case below can hold
        lowered = word.lower()
        english = self.lexicon.english_word(word)
        if len(word) < 3 or lowered in STOP_WORDS or lowered in NOT_NAMES:
            return None
        if word[0].isupper() and word[1:].islower() and word in self.lexicon.given:
            if english:
                ok = token.pos_ == "PROPN" and not self._starts_sentence(doc, token)
            else:
                ok = token.pos_ in ("PROPN", "NOUN")
            return "upper" if ok else None
        if (
            word.islower()
            and self.lexicon.english
            and not english
            and word.title() in self.lexicon.given
            and token.pos_ in ("PROPN", "NOUN", "ADJ", "X")
        ):
            return "lower"
        return None

    def _person_entity(self, doc, span) -> bool:
        """False if the model reads the name as part of another kind of
        entity, unless that entity is the name and nothing else, made of
        words the model cannot know as anything else: "Samantha" (LOC) or
        "Charlotte Mathiassen" (GPE), but not "Jordan River" or "Washington Post"."""
        first = span[0]
        if first.ent_type_ not in _OTHER_ENTITIES:
            return True
        entity = next(e for e in doc.ents if e.start <= first.i < e.end)
        if (entity.start, entity.end) != (first.i, span[-1].i + 1):
            return False
        if len(span) == 1:
            return not self.lexicon.english_word(first.text)
        return all(
            t.text in self.lexicon.family or not self.lexicon.english_word(t.text) for t in span[1:]
        )

    @staticmethod
    def _starts_sentence(doc, token) -> bool:
        if token.i == 0:
            return True
        before = doc[token.i - 1]
        return before.is_space or "\n" in before.whitespace_ or before.text[-1] in _SENTENCE_END

    def _rest(self, doc, token, case: str) -> list:
        """The surname (and middle initial) right after a given name, in the same case."""
        rest: list = []
        for following in doc[token.i + 1 : token.i + self.MAX_WORDS]:
            if doc[following.i - 1].whitespace_ != " ":
                break
            word = following.text
            lowered = word.lower()
            if lowered in STOP_WORDS or lowered in NOT_NAMES or lowered in ORG_WORDS:
                break
            if case == "upper":
                if _ANY_INITIAL.fullmatch(word) and not rest:
                    rest.append(following)
                    continue
                surname = word[0].isupper() and (
                    following.pos_ == "PROPN" or word in self.lexicon.family
                )
            else:
                surname = word.islower() and (
                    word.title() in self.lexicon.family or not self.lexicon.english_form(word)
                )
            if not surname:
                break
            rest.append(following)
        while rest and _ANY_INITIAL.fullmatch(rest[-1].text):
            rest.pop()
        return rest


class CodeAuthorRecognizer(LogicRecognizer):
    """People named by code conventions: ``TODO(maria.lopez)``,
    ``FIXME(mlopez)``, ``@author Maria Lopez``, and ``Signed-off-by:``,
    ``Co-authored-by:``, ``Reviewed-by:`` trailers (0.7). Found in comments
    and commit messages, which chat code handling keeps as prose."""

    ENTITY = "PERSON"
    IN_CODE = True
    PATTERNS = (
        re.compile(r"\b(?:TODO|FIXME|HACK|XXX|NOTE)\((?<name>[A-Za-z][\w.-]{1,40})\)"),
        re.compile(r"@author[ \t]+(?<name>\p{L}[\p{L}'’-]*(?:[ \t]+\p{L}[\p{L}'’.-]*){0,3})"),
        re.compile(
            r"(?im)^[ \t]*(?:Signed-off-by|Co-authored-by|Reviewed-by|Acked-by):[ \t]*"
            r"(?<name>\p{L}[\p{L}'’-]*(?:[ \t]+\p{L}[\p{L}'’.-]*){0,3})"
        ),
    )

    def find(self, text, nlp_artifacts):
        for regex in self.PATTERNS:
            for match in regex.finditer(text):
                yield match.start("name"), match.end("name"), 0.7, "author in code"
