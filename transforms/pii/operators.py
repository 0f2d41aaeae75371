"""Replacement values: what a detected value becomes in the training text.

Per entity type, from ``operators`` in ``config/pii.yaml`` (default
``placeholder``):

- ``placeholder``: a typed placeholder numbered by first appearance in the
  conversation, ``<PERSON_1>``; the same value is the same placeholder in
  every message. Nothing of the value is kept.
- ``hmac``: a keyed pseudonym, ``<PERSON_5f0c2a91d3e4>``: the first 12 hex
  digits of HMAC-SHA256 of the normalised value under a key derived from the
  pipeline's record-id key. The same value gets the same pseudonym in every
  conversation of every run with that key (so the model can learn that a
  person recurs) and cannot be reversed or recomputed without the key.
- ``surrogate``: a realistic stand-in chosen deterministically by that HMAC
  from built-in lists (``Maria Gonzalez`` becomes, say, ``Anna Berg``).
  Surrogates are never valid identifiers: e-mails under the reserved
  ``.example`` domain, phone numbers in the fictional 555-01xx range, IPs in documentation ranges,
  cards failing the Luhn check, IBANs with the never-valid check digits
  ``00``, SSNs in the never-issued 9xx area, so neither the residual check
  nor a downstream reader can take one for real data. Secrets have no
  surrogate.

Mentions of one person are one identity within a conversation: "Maria",
"maria gonzalez" and "Maria Gonzalez" share a placeholder when the words of
one are among the words of the other (first such identity in reading order).
No randomness anywhere: same conversation, config and key, same output.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Optional

from transforms.pii.allow import normalise

_PSEUDONYM_CONTEXT = b"pii-pseudonym-v1"

FIRST_NAMES = (
    "Anna Ben Clara David Elena Felix Grace Hugo Ines Jonas Karin Leo Mia Noah Olga Paul Rosa "
    "Sam Tara Umar Vera Wim Yara Zoe Aiko Bruno Chen Dina Emil Farah Goran Hana Ivan Jana Kofi "
    "Lena Marco Nadia Omar Priya"
).split()
LAST_NAMES = (
    "Berg Costa Dahl Evans Fischer Garcia Hansen Ito Jensen Klein Lind Moreau Novak Ortiz Park "
    "Quinn Rossi Silva Tanaka Unger Vogel Weber Xu Yilmaz Zima Adams Brandt Cruz Duval Eriksen "
    "Fontaine Gupta Horvat Ivanova Jovanovic Kowalski Larsen Meyer Nilsen Okafor"
).split()
STREETS = "Oak Maple Cedar Elm Willow Birch Lake Hill Park River Mill Church".split()
STREET_TYPES = "Street Road Avenue Lane Drive Way".split()
CITIES = "Springfield Riverton Fairview Lakewood Greenville Oakridge Milton Ashford".split()


def derive_key(record_id_key: bytes) -> bytes:
    """The pseudonym key: a separate key derived from the record-id key, so
    pseudonyms and record ids cannot be matched against each other."""
    return hmac.new(record_id_key, _PSEUDONYM_CONTEXT, hashlib.sha256).digest()


def digest(key: bytes, entity_type: str, value: str) -> bytes:
    return hmac.new(
        key, f"{entity_type}\x1f{normalise(entity_type, value)}".encode("utf-8"), hashlib.sha256
    ).digest()


def pseudonym(key: bytes, entity_type: str, value: str) -> str:
    return f"<{entity_type}_{digest(key, entity_type, value).hex()[:12]}>"


def _pick(options, number: int):
    return options[number % len(options)]


def surrogate(key: bytes, entity_type: str, value: str) -> Optional[str]:
    """A realistic, never-valid stand-in for ``value``; None for types without
    one. The stand-in is picked by a number drawn from the keyed digest of the
    value, so the same value always gets the same stand-in."""
    stand_in = _SURROGATES.get(entity_type)
    if stand_in is None:
        return None
    return stand_in(int.from_bytes(digest(key, entity_type, value)[:8], "big"), value)


def _digits(n: int) -> str:
    return f"{n:020d}"


def _person(n: int, value: str) -> str:
    """A first name for one word, a first and last name for more, in the case of ``value``."""
    first, last = _pick(FIRST_NAMES, n), _pick(LAST_NAMES, n // 97)
    name = first if len(value.split()) == 1 else f"{first} {last}"
    return name.lower() if value.islower() else name


def _email(n: int, value: str) -> str:
    first, last = _pick(FIRST_NAMES, n), _pick(LAST_NAMES, n // 97)
    return f"{first.lower()}.{last.lower()}@mail.example"


def _iban(n: int, value: str) -> str:
    """The same country and length, with the never-valid check digits ``00``."""
    country = re.sub(r"[^A-Z]", "", value.upper())[:2] or "DE"
    body = re.sub(r"[\s-]", "", value)[4:]
    return f"{country}00{_digits(n)[: len(body)].ljust(len(body), '0')}"


def _ssn(n: int, value: str) -> str:
    digits = _digits(n)
    return f"9{digits[:2]}-{digits[2:4]}-{digits[4:8]}"


# The stand-in of each entity type that has one, from (number, value).
_SURROGATES: dict[str, Callable[[int, str], str]] = {
    "PERSON": _person,
    "EMAIL_ADDRESS": _email,
    "PHONE_NUMBER": lambda n, _: f"+1 202-555-01{_digits(n)[:2]}",
    "IP_ADDRESS": lambda n, _: f"{_pick(('192.0.2', '198.51.100', '203.0.113'), n)}.{1 + n % 254}",
    "CREDIT_CARD": lambda n, _: _luhn_invalid("4" + _digits(n)[:15]),
    "IBAN_CODE": _iban,
    "US_SSN": _ssn,
    "STREET_ADDRESS": lambda n, _: (
        f"{1 + n % 899} {_pick(STREETS, n // 7)} {_pick(STREET_TYPES, n // 11)}"
    ),
    "LOCATION": lambda n, _: _pick(CITIES, n),
    "US_DRIVER_LICENSE": lambda n, _: f"X{_digits(n)[:8]}",
}
SURROGATE_TYPES = frozenset(_SURROGATES)


def _luhn_invalid(number: str) -> str:
    """``number`` with its last digit changed so that the Luhn check fails."""
    total = 0
    for i, ch in enumerate(reversed(number[:-1] + "0")):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    valid = (10 - total % 10) % 10
    return number[:-1] + str((valid + 1) % 10)


def _name_words(value: str) -> frozenset:
    return frozenset(w for w in re.findall(r"\w+", value.casefold()) if len(w) > 1)


@dataclass(eq=False)
class _Identity:
    """One person, address, key ... of a conversation: its ``ordinal`` among
    the identities of its type, the words of its names (people) and its
    longest mention."""

    entity_type: str
    ordinal: int
    words: set
    longest: str


class PlaceholderBook:
    """Identities and replacement text for one conversation.

    ``register`` every detected value in reading order first, then ``replace``
    each: identities are decided on the whole conversation, so a first name
    that appears before the full name still shares its placeholder, and a
    person's pseudonym or surrogate is derived from the longest mention.
    ``operator`` maps an entity type to its operator; ``key`` is the derived
    pseudonym key (needed by ``hmac`` and ``surrogate``). A type without a
    surrogate (secrets) falls back to its placeholder.
    """

    def __init__(self, operators, key: bytes = b""):
        self._operator = operators
        self._key = key
        self._of_type: dict[str, list[_Identity]] = defaultdict(list)  # in order of appearance
        self._index: dict[tuple[str, str], _Identity] = {}
        self._people_named: dict[str, list[_Identity]] = defaultdict(list)  # by word of a name
        self._people_wordless: list[_Identity] = []

    def register(self, entity_type: str, value: str) -> None:
        key = (entity_type, normalise(entity_type, value))
        if key not in self._index:
            self._index[key] = self._identity(entity_type, value)

    def _identity(self, entity_type: str, value: str) -> _Identity:
        words = _name_words(value) if entity_type == "PERSON" else None
        same_type = self._of_type[entity_type]
        if words:  # the first person named with more or fewer of the same words
            for identity in self._people_sharing(words):
                if words <= identity.words or identity.words <= words:
                    self._name_with(identity, words)
                    if len(value) > len(identity.longest):
                        identity.longest = value
                    return identity
        identity = _Identity(entity_type, len(same_type) + 1, set(), value)
        same_type.append(identity)
        if entity_type == "PERSON":
            self._name_with(identity, words or frozenset())
        return identity

    def _people_sharing(self, words: frozenset) -> list[_Identity]:
        """The people, in order of appearance, whose name words include one
        of ``words`` or are none (only they can be the same person)."""
        found = {p for word in words for p in self._people_named[word]}
        return sorted(found.union(self._people_wordless), key=lambda p: p.ordinal)

    def _name_with(self, person: _Identity, words: frozenset) -> None:
        if not person.words and not words:
            self._people_wordless.append(person)
        for word in words - person.words:
            self._people_named[word].append(person)
        person.words |= words

    def replace(self, entity_type: str, value: str) -> tuple[str, str]:
        """(replacement text, operator used) for a registered value."""
        identity = self._index[(entity_type, normalise(entity_type, value))]
        operator = self._operator(entity_type)
        canonical = identity.longest
        if operator == "hmac":
            return pseudonym(self._key, entity_type, canonical), operator
        if operator == "surrogate":
            stand_in = surrogate(self._key, entity_type, canonical)
            if stand_in is not None:
                return self._align(entity_type, value, canonical, stand_in), operator
        return f"<{entity_type}_{identity.ordinal}>", "placeholder"

    @staticmethod
    def _align(entity_type: str, value: str, canonical: str, stand_in: str) -> str:
        """A person's partial mention gets the matching part of the surrogate
        ("Maria" → "Anna" when "Maria Gonzalez" → "Anna Berg")."""
        if entity_type != "PERSON" or value == canonical:
            return stand_in
        full, parts = canonical.casefold().split(), stand_in.split()
        mapped = [
            parts[full.index(w)] if w in full and full.index(w) < len(parts) else parts[-1]
            for w in value.casefold().split()
        ]
        text = " ".join(mapped)
        return text.lower() if value.islower() else text
