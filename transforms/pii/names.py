"""Names the NER model misses, found with a gazetteer of given names.

The model (``en_core_web_md``) misses a name it has not seen in a context it
knows: "Why is Samantha so impulsive?", "They had 6: Efimiya, Mary, Ariana",
"follow up with patricia desrosiers". :class:`GivenNameRecognizer` finds a
given name of the :class:`~transforms.pii.lexicon.Lexicon` (Faker's name lists
for 86 locales) and takes the surname after it.

Given names that are also ordinary words ("Will", "May", "Grant", "Rose",
"Paris") are where a gazetteer goes wrong, so a candidate must pass what the
model says about the word in its sentence:

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

from typing import Optional

import regex as re
from spacy.lang.en.stop_words import STOP_WORDS

from transforms.pii.recognizers import NOT_NAMES, ORG_WORDS, PersonRecognizer

_INITIAL = re.compile(r"\p{Lu}\.?")
_SENTENCE_END = frozenset(".!?:;\"“”'‘’()[]{}*-•>#")
# Entity labels under which a word is not a person's name.
_OTHER_ENTITIES = frozenset({"GPE", "LOC", "FAC", "ORG", "PRODUCT", "NORP", "EVENT",
                             "WORK_OF_ART", "LAW", "LANGUAGE"})


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
            if case == "upper" and not self._person_entity(doc, span):
                continue
            if case == "lower":
                score = 0.45
            elif len(span) > 1 and span[-1].pos_ == "PROPN":
                score = 0.6
            else:
                score = 0.5
            yield token.idx, span[-1].idx + len(span[-1]), score, f"{case}case given name"

    def _given_name(self, doc, token) -> Optional[str]:
        """"upper" or "lower" if the token can be a given name here, else None."""
        word = token.text
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
        if (word.islower() and self.lexicon.english and not english
                and word.title() in self.lexicon.given and token.pos_ in ("PROPN", "NOUN", "ADJ", "X")):
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
        return all(t.text in self.lexicon.family or not self.lexicon.english_word(t.text)
                   for t in span[1:])

    @staticmethod
    def _starts_sentence(doc, token) -> bool:
        if token.i == 0:
            return True
        before = doc[token.i - 1]
        return before.is_space or "\n" in before.whitespace_ or before.text[-1] in _SENTENCE_END

    def _rest(self, doc, token, case: str) -> list:
        """The surname (and middle initial) right after a given name, in the same case."""
        rest = []
        for following in doc[token.i + 1:token.i + self.MAX_WORDS]:
            if doc[following.i - 1].whitespace_ != " ":
                break
            word = following.text
            lowered = word.lower()
            if lowered in STOP_WORDS or lowered in NOT_NAMES or lowered in ORG_WORDS:
                break
            if case == "upper":
                if _INITIAL.fullmatch(word) and not rest:
                    rest.append(following)
                    continue
                surname = word[0].isupper() and (following.pos_ == "PROPN"
                                                 or word in self.lexicon.family)
            else:
                surname = word.islower() and (word.title() in self.lexicon.family
                                              or not self.lexicon.english_word(word))
            if not surname:
                break
            rest.append(following)
        while rest and _INITIAL.fullmatch(rest[-1].text):
            rest.pop()
        return rest


# "Efimiya, Mary, Ariana, Isabel and Jodi": capitalised one- or two-word items
# separated by commas, the last by "and"/"or"/"&".
_ITEM = r"\p{Lu}[\p{L}'’-]*(?:[ \t]\p{Lu}[\p{L}'’-]*)?"
_ENUMERATION = re.compile(
    rf"(?<![\p{{L}}-]){_ITEM}(?:,[ \t]+{_ITEM})+,?[ \t]+(?:and|or|&)[ \t]+{_ITEM}(?![\p{{L}}-])")
_ITEM_REGEX = re.compile(_ITEM)


def enumerated_names(text: str, people: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Items of an enumeration in which most items are already names: the
    others are names too ("They had 6: Efimiya, Mary, Ariana, Isabel, Teresa
    and Jodi", where the model knows four). Returns the new items' spans."""
    found = []
    for enumeration in _ENUMERATION.finditer(text):
        items = [m.span() for m in _ITEM_REGEX.finditer(text, enumeration.start(), enumeration.end())
                 if text[m.start():m.end()] not in ("and", "or")]
        named = [i for i in items if any(s < i[1] and i[0] < e for s, e in people)]
        if len(items) >= 3 and 2 * len(named) > len(items):
            found.extend(i for i in items if i not in named)
    return found
