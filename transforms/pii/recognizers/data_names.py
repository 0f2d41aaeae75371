"""People named in code and data that users paste: records, rows and
headers (``PERSON``).

The NER model never sees code (identifiers would be shredded into names),
but code and data are full of people: ``{"full_name": "Maria Lopez"}``,
``author = "Kwame Mensah"``, ``name: Ingrid Berg`` in a YAML record, the
``name`` column of a CSV paste, ``Author: Jane Doe <jane@...>`` in a git
log, ``Copyright (c) 2021 Tomasz Wozniak``. :class:`DataNameRecognizer`
reads them by the key or column that holds them, in code as in prose, and
keeps code identifiers intact (it never looks at a name that is not a
value).

Keys (:func:`name_key`): ``strong`` ones say a person (``full_name``,
``firstName``, ``last_name``, ``surname``, ``author``, ``owner``,
``assignee``, ``customer_name``, ``created_by``, ``nombre``, ``prénom``,
``Vorname`` ...), ``weak`` is a bare ``name``, which also names packages,
steps and buttons. A strong key's value is a name when it is one to four
words in a name's shape that are not all ordinary English words (0.8); a
weak key's value needs a word of the lexicon's names and no ordinary word
(``name: "Submit Button"``, ``name: build`` stay; 0.7).
"""

from __future__ import annotations

from typing import Iterator, Optional

import regex as re
from spacy.lang.en.stop_words import STOP_WORDS

from transforms.pii.recognizers.base import Finding
from transforms.pii.recognizers.people import ORG_WORDS, PersonRecognizer

_KEY_PARTS = re.compile(r"\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+")
# Last parts of a key that hold a person (``author``, ``created_by``, ``surname``).
PERSON_KEYS = frozenset(
    """
    author authors maintainer maintainers owner assignee assignees reviewer reviewers reporter
    creator committer contributor contributors contact customer client patient employee
    manager supervisor recipient sender person people attendee guest tenant passenger
    member signer signatory beneficiary holder cardholder applicant candidate student
    teacher doctor physician nurse driver spouse by firstname lastname fullname surname
    forename nickname givenname familyname middlename maidenname
    nombre apellido apellidos nom prenom prénom nome cognome naam voornaam achternaam
    vorname nachname sobrenome
    """.split()
)
# Parts before ``name`` that make it a person's name (``first_name``, ``customerName``).
PERSON_NAME_QUALIFIERS = frozenset(
    """
    first last full given family middle maiden legal real preferred nick display contact
    customer client patient employee person owner author manager user member holder
    card cardholder account recipient sender spouse parent child guardian emergency
    """.split()
)
# Parts that make a key about something else (``file_name``, ``project_owner_id``).
NOT_PERSON_PARTS = frozenset(
    """
    file host package project app application table column bucket db database service class
    function method branch repo repository image container cluster node key field var env
    queue topic model dataset type kind task job step tag label device domain server module
    org organization organisation company brand product city country street region zone event
    channel team group role id ids uuid email mail url uri path dir directory code count
    number num size length format template schema index icon font color colour style theme
    variable param parameter attribute attr property prop collection resource endpoint
    """.split()
)
_NAME_WORD = re.compile(r"\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)*|\p{Lu}\.|\p{Lu}{2,}")
_PARTICLES = frozenset("de da di del della van von der den la le du dos das bin al ter ten".split())


def name_key(key: str) -> Optional[str]:
    """``strong``, ``weak`` (a bare ``name``) or None for a key (see the module docstring)."""
    parts = [p.lower() for p in _KEY_PARTS.findall(key)]
    if not parts or any(p in NOT_PERSON_PARTS for p in parts):
        return None
    last = parts[-1]
    if last in PERSON_KEYS or "".join(parts) in PERSON_KEYS:
        return "strong"
    if last == "name":
        return "strong" if any(p in PERSON_NAME_QUALIFIERS for p in parts[:-1]) else "weak"
    return None


# A key and its value in JSON, dicts, YAML, kwargs, assignments and form lines.
_KEY_VALUE = re.compile(
    r"""(?<![\w.-])["']?(?P<key>[A-Za-z_\p{L}][\w\p{L}-]{0,40})["']?[ \t]*(?::|=>|=|->)[ \t]*"""
    r"""(?:(?P<q>["'])(?P<quoted>[^"'\r\n]{1,80})(?P=q)|(?P<bare>[^\s"',;{}\[\]()<>#][^"',;{}"""
    r"""\[\]()<>#\r\n]{0,79}?))[ \t]*(?=$|[,;}\])\r\n#<]|[ \t]+<)""",
    re.MULTILINE,
)
_GIT_AUTHOR = re.compile(
    r"(?im)^[ \t>*-]*(?:Author|Commit(?:ter)?|Co-authored-by|Reported-by|Tested-by|"
    r"Suggested-by|Helped-by|Reviewed-by|Signed-off-by|Acked-by):[ \t]*"
    r"(?P<name>\p{L}[\p{L}'’.-]*(?:[ \t]+\p{L}[\p{L}'’.-]*){0,3})[ \t]*(?:<|$)"
)
_COPYRIGHT = re.compile(
    r"(?i)\bcopyright[ \t]+(?:\(c\)|©)?[ \t]*(?:\d{4}(?:[ \t]*[-–,][ \t]*\d{4})*,?[ \t]+)"
    r"(?:by[ \t]+)?(?P<name>\p{Lu}[\p{L}'’.-]*(?:[ \t]+\p{Lu}[\p{L}'’.-]*){0,3})"
)
_CSV_SEPARATORS = (",", ";", "\t", "|")
_INSERT = re.compile(
    r"(?i)\binsert[ \t]+into[ \t]+[\w.`\"\[\]]+[ \t]*\((?P<columns>[^()]{1,400})\)\s*values\s*"
    r"(?P<rows>(?:\([^()]{1,400}\)\s*,?\s*){1,200})"
)
_TUPLE = re.compile(r"\(([^()]*)\)")


class DataNameRecognizer(PersonRecognizer):
    """Names in records, rows and code conventions, in code as in prose
    (see the module docstring)."""

    IN_CODE = True

    def find(self, text, nlp_artifacts=None) -> Iterator[Finding]:
        yield from self._key_values(text)
        for regex, why in ((_GIT_AUTHOR, "git author line"), (_COPYRIGHT, "copyright holder")):
            for match in regex.finditer(text):
                words = self._name_words(match.group("name"), "strong")
                if words:
                    start = match.start("name")
                    yield start, start + len(words), 0.8, why
        if "\n" in text:
            yield from self._csv(text)
        for insert in _INSERT.finditer(text):
            yield from self._inserted(insert)

    def _key_values(self, text: str) -> Iterator[Finding]:
        for match in _KEY_VALUE.finditer(text):
            kind = name_key(match.group("key"))
            if kind is None:
                continue
            group = "quoted" if match.group("quoted") is not None else "bare"
            name = self._name_words(match.group(group), kind)
            if name:
                value = match.group(group)
                start = match.start(group) + len(value) - len(value.lstrip())
                score = 0.8 if kind == "strong" else 0.7
                yield start, start + len(name), score, f"{kind} name key"

    def _name_words(self, value: str, kind: str) -> Optional[str]:
        """The name at the start of ``value`` (before an e-mail in ``<>``), or None."""
        value = re.split(r"[ \t]*[<(]", value.strip())[0]
        words = value.split()
        if not 1 <= len(words) <= 4 or not all(self._shaped(w) for w in words):
            return None
        core = [w for w in words if w.lower() not in _PARTICLES]
        lowered = [w.lower().strip(".") for w in core]
        if not core or any(w in STOP_WORDS for w in lowered) or lowered[-1] in ORG_WORDS:
            return None
        if all(self.lexicon.ordinary_word(w) for w in core if len(w) > 2):
            return None
        if kind == "weak" and not self._known(core):
            return None
        return value

    @staticmethod
    def _shaped(word: str) -> bool:
        return bool(_NAME_WORD.fullmatch(word)) or word.lower() in _PARTICLES

    def _known(self, words: list[str]) -> bool:
        """A name of the lexicon among ``words`` and no ordinary English word."""
        return any(self.lexicon.known_name(w.title()) for w in words) and not any(
            self.lexicon.ordinary_word(w) for w in words
        )

    def _csv(self, text: str) -> Iterator[Finding]:
        """The values of a name column in delimited rows under a header line."""
        offset = 0
        columns: Optional[tuple[str, list]] = None
        for line in text.split("\n"):
            header = self._header(line)
            if header is not None:
                columns = header
            elif columns is not None and columns[0] in line:
                yield from self._cells(offset, line, columns)
            else:
                columns = None
            offset += len(line) + 1

    @staticmethod
    def _header(line: str) -> Optional[tuple[str, list]]:
        """(separator, [(column index, key kind)]) of a header line with a name column."""
        for separator in _CSV_SEPARATORS:
            cells = [c.strip().strip("\"'") for c in line.split(separator)]
            if len(cells) >= 2 and all(
                re.fullmatch(r"[\p{L}_][\w\p{L} -]{0,40}", c) for c in cells
            ):
                named = [(i, name_key(c)) for i, c in enumerate(cells) if name_key(c)]
                if named:
                    return separator, named
        return None

    def _inserted(self, insert) -> Iterator[Finding]:
        """Name columns of the rows of an SQL ``INSERT ... VALUES``."""
        header = self._header(insert.group("columns").replace("`", "").replace('"', ""))
        if header is None:
            return
        for row in _TUPLE.finditer(insert.group("rows")):
            offset = insert.start("rows") + row.start(1)
            yield from self._cells(offset, row.group(1), (",", header[1]))

    def _cells(self, offset: int, line: str, columns) -> Iterator[Finding]:
        separator, named = columns
        cells = line.split(separator)
        position = 0
        starts = []
        for cell in cells:
            starts.append(position)
            position += len(cell) + len(separator)
        for index, kind in named:
            if index >= len(cells):
                continue
            raw = cells[index]
            value = raw.strip().strip("\"'")
            name = self._name_words(value, kind) if value else None
            if name:
                start = offset + starts[index] + raw.index(value)
                yield start, start + len(name), 0.75, "name column"
