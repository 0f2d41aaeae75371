"""What the recognizers of a routed language know about it without a model:
its people's names, its ordinary words, and where its phone numbers are from.

The English model is not used on German, Spanish, French, Italian, Dutch or
Portuguese messages (:mod:`transforms.pii.routing`); their names are found
with word lists instead (:mod:`transforms.pii.recognizers.local`). Per
language (:func:`locale_of`):

- given names and surnames: the name lists Faker ships for the language's
  locales (``de_DE``, ``de_AT``, ``de_CH`` ... for German), single words
  only, the same source as :mod:`transforms.pii.lexicon`, nothing downloaded;
- ordinary words: spaCy's stop words of the language (shipped with spaCy
  itself, no model needed), Faker's word list of the language (its
  lowercase words but the given names among them; German's nouns too), and
  its month and day names. Words of these lists are never taken for a name on
  their own, even when a name list has them ("Mai", "Rosa");
- phone regions: where a national number written in the language is most
  likely from (the first is tried first): German in DE, AT, CH; Portuguese
  in PT, BR ...
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import runpy
from dataclasses import dataclass
from pathlib import Path

from transforms.pii.lexicon import _NAME_ATTRIBUTE, _words

# Per language: Faker locales of its names, Faker locales of its ordinary
# words (lorem, month and day names), the phone regions.
_SOURCES = {
    "de": (("de_DE", "de_AT", "de_CH", "de_LI", "de_LU"), ("de_DE", "de_AT"), ("DE", "AT", "CH")),
    "es": (
        ("es", "es_ES", "es_MX", "es_AR", "es_CL", "es_CO", "es_CA"),
        ("es_ES", "es_AR", "es_CL", "es_MX"),
        ("ES", "MX", "AR", "CO", "CL", "PE", "US"),
    ),
    "fr": (
        ("fr_FR", "fr_BE", "fr_CA", "fr_CH", "fr_QC"),
        ("fr_FR", "fr_CA"),
        ("FR", "BE", "CH", "CA", "LU"),
    ),
    "it": (("it_IT",), ("it_IT",), ("IT", "CH", "SM")),
    "nl": (("nl_NL", "nl_BE"), ("nl_NL", "nl_BE"), ("NL", "BE")),
    "pt": (("pt_PT", "pt_BR"), ("pt_BR", "pt_PT"), ("PT", "BR")),
}
ROUTABLE = tuple(_SOURCES)
# Languages that capitalise every noun: a capitalised word in the middle of a
# sentence is no sign of a name. (Elsewhere Faker's word lists also hold
# proper nouns, capitalised: only their lowercase words are ordinary words.)
CAPITALISED_NOUNS = frozenset({"de"})


@dataclass(frozen=True)
class Locale:
    """One routed language's word lists (see the module docstring)."""

    language: str
    given: frozenset
    family: frozenset
    ordinary: frozenset  # lowercase
    phone_regions: tuple

    def ordinary_word(self, word: str) -> bool:
        return word.lower() in self.ordinary

    def known_name(self, word: str) -> bool:
        return word in self.given or word in self.family


@functools.lru_cache(maxsize=None)
def locale_of(language: str) -> Locale:
    """The word lists of ``language`` (one of :data:`ROUTABLE`), built once."""
    names, words, regions = _SOURCES[language]
    given: set[str] = set()
    family: set[str] = set()
    for name in names:
        person = _provider("person", name)
        for klass in person.__mro__ if person else ():
            for attribute, values in vars(klass).items():
                kind = _NAME_ATTRIBUTE.fullmatch(attribute)
                if kind:
                    (given if kind.group(1) == "first" else family).update(_words(values))
    ordinary = _ordinary(language, words, frozenset(w.lower() for w in given))
    return Locale(language, frozenset(given), frozenset(family), ordinary, regions)


def _ordinary(language: str, sources: tuple, names: frozenset) -> frozenset:
    """Stop words, months and days, and Faker's words of the language; of
    Faker's lowercased frequency lists (all but German's), not the given
    names they hold ("carlos", "juan")."""
    words = set(stop_words(language))
    for name in sources:
        lorem = _provider("lorem", name)
        words.update(
            w.lower()
            for w in getattr(lorem, "word_list", ())
            if " " not in w
            and (w.islower() or language in CAPITALISED_NOUNS)
            and (language in CAPITALISED_NOUNS or w.lower() not in names)
        )
        dates = _provider("date_time", name)
        for table in ("MONTH_NAMES", "DAY_NAMES"):
            words.update(w.lower() for w in getattr(dates, table, {}).values())
    return frozenset(words)


@functools.lru_cache(maxsize=None)
def stop_words(language: str) -> frozenset:
    """spaCy's stop words of ``language``, lowercase, read from their module alone: a
    plain list of words. Importing ``spacy.lang.<language>`` itself would
    compile its tokenizer exceptions, seconds of regex compilation (French:
    3.7 s) in every worker for words we do not use."""
    spec = importlib.util.find_spec("spacy.lang")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations)))
    words = runpy.run_path(str(folder / language / "stop_words.py"))["STOP_WORDS"]
    return frozenset(w.lower() for w in words)


def _provider(kind: str, name: str):
    try:
        return importlib.import_module(f"faker.providers.{kind}.{name}").Provider
    except ModuleNotFoundError:
        return None
