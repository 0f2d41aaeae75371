"""Names written the way people write on social media (``PERSON``), and the
re-casing of shouted text before the model reads it.

- :class:`JoinedNameRecognizer`: names run together in hashtags and camel
  case, ``#JaneDoeTalks``, ``#teamkwamemensah``, ``MariaLopez`` in prose: a
  given name of the lexicon followed by a surname of the lexicon or a
  capitalised word that is no English word (0.7). Hashtags of ordinary words
  (``#ThrowbackThursday``, ``#MachineLearning``) and code identifiers
  (``JohnsonParser``: prose only, and a given name must start it) stay.
- :func:`recased`: text written in capitals ("MY SISTER ROSE AND DR PATEL
  ARE COMING") is unreadable to the model, which learnt names from their
  capital letter. Runs of three or more words in capitals are re-cased for
  the model's view only (same length, same offsets): English words in lower
  case (a name that is also a word, "ROSE", is left to the name cues: "my
  sister rose"), names of the lexicon and unknown words capitalised, short unknown
  words (acronyms) left as they are, the first word of a sentence
  capitalised.
"""

from __future__ import annotations

from typing import Iterator

import regex as re
from spacy.lang.en.stop_words import STOP_WORDS

from transforms.pii.lexicon import Lexicon
from transforms.pii.recognizers.base import Finding
from transforms.pii.recognizers.people import PERSON_TITLES, PersonRecognizer

_HASHTAG = re.compile(r"(?<![\w#&])#(?P<tag>\p{L}[\p{L}\d_]{3,60})")
_CAMEL = re.compile(r"(?<![\w@#/.-])(?P<tag>\p{Lu}\p{Ll}{2,}(?:\p{Lu}\p{Ll}+){1,2})(?![\w-])")
_VOWEL = re.compile(r"[aeiouy]")
_WORDS = re.compile(r"\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\d+|_")


class JoinedNameRecognizer(PersonRecognizer):
    """Names run together in hashtags and camel case (see the module docstring)."""

    def find(self, text, nlp_artifacts=None) -> Iterator[Finding]:
        if "#" in text:
            for match in _HASHTAG.finditer(text):
                yield from self._joined(match.group("tag"), match.start("tag"), hashtag=True)
        for match in _CAMEL.finditer(text):
            yield from self._joined(match.group("tag"), match.start("tag"), hashtag=False)

    def _joined(self, tag: str, offset: int, hashtag: bool) -> Iterator[Finding]:
        words = [(m.start(), m.group()) for m in _WORDS.finditer(tag)]
        if len(words) == 1 and hashtag and tag.islower():
            words = self._split_lowercase(tag)
        for index, (start, word) in enumerate(words[:-1]):
            following = words[index + 1][1]
            if self._pair(word, following):
                end = words[index + 1][0] + len(following)
                yield offset + start, offset + end, 0.7, "name run together"
                return
            if not hashtag:
                return  # camel case: the name must start the word

    def _split_lowercase(self, tag: str) -> list[tuple[int, str]]:
        """A given name and a surname of the lexicon inside a lowercase tag
        (``teamkwamemensah``), if there is one."""
        for start in range(len(tag) - 5):
            for cut in range(start + 3, len(tag) - 2):
                head = tag[start:cut]
                if head.title() not in self.lexicon.given or self.lexicon.english_word(head):
                    continue
                for end in range(len(tag), cut + 2, -1):
                    if tag[cut:end].title() in self.lexicon.family:
                        return [(start, head), (cut, tag[cut:end])]
        return [(0, tag)]

    def _pair(self, word: str, following: str) -> bool:
        """A given name and a surname: one of them known to the lexicon as
        such, neither an English word (``VikramVasquez``, not ``ReactNative``)."""
        if self._given(word) and self._surname(following):
            return True
        title = following[:1].upper() + following[1:].lower()
        foreign = not self.lexicon.english_form(word) and not self.lexicon.english_form(following)
        return foreign and (
            (len(word) >= 3 and title in self.lexicon.family)
            or (self._unknown(word) and self._unknown(following))
        )

    def _unknown(self, word: str) -> bool:
        """A capitalised word of four letters or more with a vowel, that no
        list knows: with another one, a name ("#CaetanoJablonski"); products
        run together are mostly made of English words ("TensorFlow",
        "LangChain") or short parts ("TikTok", "NumPy")."""
        return (
            len(word) >= 4
            and word[:1].isupper()
            and word[1:].islower()
            and bool(_VOWEL.search(word.lower()))
            and bool(self.lexicon.english)
            and not self.lexicon.known_name(word)
        )

    def _given(self, word: str) -> bool:
        title = word[:1].upper() + word[1:].lower()
        return (
            len(word) >= 3 and title in self.lexicon.given and not self.lexicon.ordinary_word(word)
        )

    def _surname(self, word: str) -> bool:
        title = word[:1].upper() + word[1:].lower()
        if len(word) < 2 or not word.isalpha():
            return False
        return title in self.lexicon.family or (
            len(word) >= 3 and not self.lexicon.english_form(word)
        )


# -- re-casing shouted text ---------------------------------------------------------

_SHOUTED = re.compile(r"\p{Lu}[\p{Lu}'’-]*(?:[ \t,.!?:;]+\p{Lu}[\p{Lu}'’-]*){2,}")
_SHOUTED_WORD = re.compile(r"\p{Lu}[\p{Lu}'’-]*")
_SENTENCE_END = re.compile(r"(?:^|[.!?:\n]\s*)$")


def recased(text: str, lexicon: Lexicon) -> str:
    """``text`` with its runs of shouted words re-cased (see the module
    docstring); the same length, so offsets do not move."""
    if not lexicon.english or not _SHOUTED.search(text):
        return text
    chars = list(text)
    for run in _SHOUTED.finditer(text):
        for word in _SHOUTED_WORD.finditer(text, run.start(), run.end()):
            start = word.start()
            new = _recase_word(word.group(), lexicon, bool(_SENTENCE_END.search(text[:start])))
            chars[start : word.end()] = new
    return "".join(chars)


def _recase_word(word: str, lexicon: Lexicon, sentence_start: bool) -> str:
    lower = word.lower()
    title = word[:1] + lower[1:]
    if lower in PERSON_TITLES:
        return title
    if lexicon.english_word(lower) or lower in STOP_WORDS:
        return title if sentence_start or lower == "i" else lower
    if lexicon.known_name(title):
        return title
    vowels = sum(c in "AEIOUY" for c in word)
    return word if len(word) <= 3 or (len(word) == 4 and vowels <= 1) else title
