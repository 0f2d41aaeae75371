"""Word lists the person recognizers consult: given names and surnames, and
the model's English words.

- Given names and surnames: the name lists Faker ships for its 86 locales
  (Faker also gives the surrogate operator its stand-ins; nothing is
  downloaded), single words only.
- English words: WordNet's index of nouns, verbs, adjectives and adverbs that
  spaCy's rule lemmatizer carries in the model (``lemma_index``); empty for a
  model without one, which turns the checks that need it off.

An *ordinary word* is an English word that is not also a known name:
"Phone", "Wisdom", "Statement" are; "Scott", "Grant" and "Yefremova" are not.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from dataclasses import dataclass

import regex as re

_NAME_WORD = re.compile(r"\p{L}+(?:[-'’]\p{L}+)*")
_NAME_ATTRIBUTE = re.compile(r"(first|last)_(?:romanized_)?names(?:_(?:male|female|nonbinary))?")


def _words(values) -> set[str]:
    if isinstance(values, dict):
        values = list(values)
    if not isinstance(values, (list, tuple, set, frozenset)):
        return set()  # a property or method of the provider, not a list
    return {v for v in values if isinstance(v, str) and _NAME_WORD.fullmatch(v)}


@functools.lru_cache(maxsize=1)
def faker_names() -> tuple[frozenset, frozenset]:
    """(given names, surnames) of every Faker locale, single words only."""
    import faker.providers.person as person

    given: set[str] = set()
    family: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for klass in provider.__mro__:
            for attribute, values in vars(klass).items():
                kind = _NAME_ATTRIBUTE.fullmatch(attribute)
                if kind:
                    (given if kind.group(1) == "first" else family).update(_words(values))
    return frozenset(given), frozenset(family)


def english_words(nlp) -> frozenset:
    """Lowercase single English words of the model's rule lemmatizer."""
    if nlp is None or "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(w for key in index.keys() for w in index[key] if "_" not in w)


@dataclass(frozen=True)
class Lexicon:
    given: frozenset = frozenset()
    family: frozenset = frozenset()
    english: frozenset = frozenset()

    @classmethod
    def for_model(cls, nlp) -> "Lexicon":
        given, family = faker_names()
        return cls(given, family, english_words(nlp))

    def known_name(self, word: str) -> bool:
        return word in self.given or word in self.family

    def english_word(self, word: str) -> bool:
        return word.lower() in self.english

    def english_form(self, word: str) -> bool:
        """An English word, also inflected ("brains", "drives", "hugging")."""
        lower = word.lower()
        return self.english_word(lower) or any(
            lower.endswith(ending)
            and len(lower) - len(ending) >= 3
            and lower[: -len(ending)] in self.english
            for ending in ("s", "es", "ed", "ing", "er", "ers")
        )

    def ordinary_word(self, word: str) -> bool:
        """An English word that is not also a name ("Phone", not "Scott")."""
        title = word[:1].upper() + word[1:].lower()
        return self.english_word(word) and not self.known_name(title)


EMPTY = Lexicon()
