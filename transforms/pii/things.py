"""Names of things that the model guessed were people, told apart by how the
conversation uses them.

The NER model tags unfamiliar capitalised words as people: products and
services ("Weaviate", "Vercel"), works ("Moby Dick"), project code names
("Project Phoenix"). One guess alone cannot be told from a rare surname, but
a conversation that talks about a thing uses its name where nobody writes a
person's: after a determiner or a tool's preposition ("the Gradio app",
"deploy to Netlify", "written in Hono", "export my data from Canva"), before
a product's parts ("Supabase's API", "a Miro board", "vercel.com", "Is
Strava worth it"), as the subject of what only things are or do ("Moby Dick
is a classic", "Klarna has no free tier", "Okta keeps logging me out"), after
a classifying noun ("Project Phoenix", "Operation Nightfall"), beside words
of a heading ("# Phoenix Rollout Plan"), and coordinated with other things
("compare Databricks and Canva", where "Databricks" is a thing).

:func:`thing_values` returns the guessed ``PERSON`` values of a conversation
whose occurrences show a thing more often than a person ("Hi ...", "...
said"), or that are coordinated with a thing and show neither; the detector drops those
guesses everywhere in the conversation and does not propagate them. Only
guesses are judged (:func:`is_guess`: the model's, the lexicon's, an
enumeration's); a name that a cue, a key or a code convention announced is
never undone here. No list of products is involved: the rules read the
syntax around the word, so a product the rules have never seen is judged the
same way.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator, Sequence

import regex as re
from presidio_analyzer import RecognizerResult

from transforms.pii.lexicon import Lexicon
from transforms.pii.recognizers.people import RELATIONS
from transforms.pii.recurrence import CONFIRMED, STRONG_RECOGNIZERS, RecurrenceFinder

# Recognizers whose names are announced by the text itself (cues, keys,
# conventions, names run together): never taken for things.
_ANNOUNCED = STRONG_RECOGNIZERS | {"JoinedNameRecognizer"}
_LONGEST = 40  # characters of a guessed value worth judging

# Nouns for the parts and offers of a product or service.
_PARTS = (
    r"apis?|sdks?|cli|apps?|docs|documentation|integrations?|plugins?|extensions?|dashboards?|"
    r"workspaces?|templates?|pricing|free\s+tier|tiers?|plans?|subscriptions?|servers?|"
    r"instances?|clusters?|databases?|repo|repository|deployments?|endpoints?|config|"
    r"configuration|webhooks?|components?|library|framework|packages?|"
    r"boards?|accounts?|projects?|cloud|functions|studio|console|platform|ui|interface|"
    r"community|forum|users|support|features?|newsletter|pipelines?|login|website|settings|"
    r"storage|buckets?|licen[cs]e|themes?|editor|tokens?|keys|credits|billing|store|"
    r"marketplace|trial|tutorials?|courses?|widgets?|connectors?|backend|frontend|engine|runtime"
)
# Parts that a person does not own either ("Supabase's API", not "Maria's account").
_OWNED_PARTS = (
    r"apis?|sdks?|cli|docs|documentation|integrations?|plugins?|extensions?|dashboard|pricing|"
    r"free\s+tier|servers|endpoints?|webhooks?|ui|backend|frontend|runtime|engine|templates"
)
# What a thing is ("Moby Dick is a classic", "Hono is a small web framework").
_KINDS = (
    r"tool|service|platform|framework|library|company|startup|app|application|product|database|"
    r"language|novel|book|film|movie|song|album|game|series|show|city|town|country|region|"
    r"village|river|mountain|brand|website|site|engine|editor|plugin|extension|classic|poem|"
    r"play|opera|painting|event|war|battle|treaty|festival|holiday|project|package|module|"
    r"protocol|format|standard|bank|airline|chain|store|restaurant|hotel|museum|newspaper|"
    r"magazine|podcast|band|stack|cms|crm|ide|model|alternative|competitor"
)
# Nouns that classify the capitalised name after them ("Project Phoenix").
_CLASSIFIERS = (
    r"Project|Operation|Mission|Program|Programme|Initiative|Campaign|Mount|Lake|River|Cape|"
    r"Fort|Camp|Hotel|Caf[eé]|Restaurant|Club|Festival|Tour|Battle|Treaty|Museum|University|"
    r"College|School|Hospital|Park|Bridge|Airport|Station|Island|Bay|Planet|Codename|Code\s+Name"
)

# Verbs whose objects, also coordinated ("summarise the Dust Bowl and Moby
# Dick", "compare Notion, Miro and Canva"), are works, tools or events.
_LIST_VERBS = r"summari[sz]\w*|compar\w*|translat\w*|analy[sz]\w*|install\w*"
_THING_BEFORE = re.compile(
    rf"""(?x)
    (?:^|(?<=\W))
    (?i:
        in|into|inside|within|via|vs\.?|versus|using|use|uses|used
      | install(?:s|ed|ing)?|download(?:s|ed|ing)?|deploy(?:s|ed|ing)?(?:\s+(?:to|on))?
      | (?:host|run|publish|launch|releas)\w*\s+on|built\s+(?:with|on|in)|written\s+in
      | (?:switch|upgrad|subscrib)\w*\s+to|alternatives?\s+to|compar\w*\s+(?:to|with)
      | (?:export|import|migrat|back\w*\s+up)\w*(?:\s+\w+){{0,3}}\s+(?:from|to|into)
      | (?:sync|integrat|connect)\w*\s+(?:with|to)|powered\s+by|based\s+on|available\s+on
      | sign(?:ed|ing)?\s+up\s+(?:for|to|on|with)|log(?:ged|ging)?\s+in(?:to|\s+to)?
      | (?:{_LIST_VERBS})(?:\s+[^.?!;:\n]{{1,50}}?(?:,|\s(?:and|or|&)))?
      | re-?read\w*
    )\s+$
    | (?:^|(?<=\W))(?:{_CLASSIFIERS})[ \t]+(?:of[ \t]+)?$
    """
)
_THING_AFTER = re.compile(
    rf"""(?xi)^
    (?: [ \t]+(?:{_PARTS})\b
      | ['’]s[ \t]+(?:{_OWNED_PARTS})\b
      | \.(?:com|io|ai|dev|app|so|co|net|org|js|py|rs|sh)\b
      | [ \t]+(?:vs\.?|versus)[ \t]
      | [ \t]+(?:is|are|was|were)[ \t]+(?:an?[ \t]+|the[ \t]+)?(?:[\w-]+[ \t]+){{0,2}}
        (?:{_KINDS})\b
      | [ \t]+(?:has|have|had|supports?|offers?|lacks?|provides?|includes?|comes[ \t]+with)
        [ \t]+(?:an?[ \t]+|no[ \t]+|the[ \t]+|built-in[ \t]+|native[ \t]+)?(?:[\w-]+[ \t]+)?
        (?:{_PARTS})\b
      | [ \t]+(?:keeps?|kept)[ \t]+(?:crash|freez|fail|logg|tim|lagg|glitch|sync)\w*
      | [ \t]+worth[ \t]+(?:it|the|paying|buying|using)\b
      | [ \t]+(?:syncs?|integrates?|connects?|exports?|imports?)[ \t]+(?:with|to|from|into)\b
    )
    """
)
_PERSON_BEFORE = re.compile(
    rf"(?i)(?:\b(?:my|his|her|our|their|your)\s+(?:{RELATIONS})\s+(?:named\s+|called\s+)?"
    r"|\b(?:dear|hi|hello|hey|thanks|thank\s+you|congrats|congratulations)[,\s]+)$"
)
_PERSON_AFTER = re.compile(
    r"(?i)^(?:,\s+)?\s*(?:said|says|told|tells|asked|asks|thinks|wrote|texted|emailed|replied|"
    r"and\s+I\b|is\s+my\b|was\s+my\b|(?:is|was)\s+(?:born|married|pregnant)\b)"
)
# Coordination with another name: "Databricks and Canva", "Notion, Miro or Trello".
_COORDINATED_BEFORE = re.compile(
    r"(?P<other>[\p{L}][\w.+-]*)[*_]*(?:\s*[,/&+]\s*|\s+(?:and|or|plus|vs\.?)\s+)$"
)
_COORDINATED_AFTER = re.compile(
    r"^(?:\s*[,/&+]\s*|\s+(?:and|or|plus|vs\.?)\s+)[*_]*(?P<other>[\p{L}][\w.+-]*)"
)
_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]")
_TITLE_WORD = re.compile(r"\p{Lu}\p{Ll}+")
_CONTEXT = 60
# Emphasis and quotes around a name: "**Tana** is a platform", "_Emma_".
_MARKUP_BEFORE = re.compile(r"[*_“‘\"`]+$")
_MARKUP_AFTER = re.compile(r"^[*_”\"`]+")


class Occurrence:
    """One occurrence of a guessed value in a text, with the text around it."""

    __slots__ = ("text", "start", "end", "value")

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end = text, start, end
        self.value = text[start:end]

    @property
    def before(self) -> str:
        """The text before, without the emphasis or quotes around the value."""
        return _MARKUP_BEFORE.sub("", self.text[max(0, self.start - _CONTEXT) : self.start])

    @property
    def after(self) -> str:
        return _MARKUP_AFTER.sub("", self.text[self.end : self.end + _CONTEXT])


def is_guess(result: RecognizerResult) -> bool:
    """A ``PERSON`` detection that nothing in the text announced as a name."""
    metadata = result.recognition_metadata or {}
    return (
        result.entity_type == "PERSON"
        and metadata.get("recognizer_name", "") not in _ANNOUNCED
        and not metadata.get(CONFIRMED)
    )


def thing_values(
    texts: Sequence[str], detections: Sequence[Sequence[RecognizerResult]], lexicon: Lexicon
) -> frozenset[str]:
    """The guessed ``PERSON`` values of one conversation that it uses as
    things (see the module docstring)."""
    guesses = _guessed_values(texts, detections)
    if not guesses:
        return frozenset()
    occurrences = list(_occurrences(texts, guesses))
    votes: Counter[str] = Counter()
    for o in occurrences:
        votes[o.value] += _thing_context(o, lexicon) - _person_context(o)
    things = {value for value, vote in votes.items() if vote > 0}
    coordinated = {
        o.value
        for o in occurrences
        if o.value not in things and votes[o.value] == 0 and _coordinated_with_thing(o, things)
    }
    return frozenset(things | coordinated)


def _guessed_values(texts: Sequence[str], detections) -> set[str]:
    """Values only ever guessed (never announced) as ``PERSON``."""
    guessed: set[str] = set()
    announced: set[str] = set()
    for text, found in zip(texts, detections, strict=True):
        for r in found:
            if r.entity_type == "PERSON" and r.end - r.start <= _LONGEST:
                (guessed if is_guess(r) else announced).add(text[r.start : r.end])
    return guessed - announced


def _occurrences(texts: Iterable[str], values: set[str]) -> Iterator[Occurrence]:
    """Every whole-word occurrence of ``values`` in ``texts``, in their own
    case (one scan per value length, as for the name recurrences)."""
    finder = RecurrenceFinder((), exact_names=values)
    for text in texts:
        for start, end in finder.spans(text):
            yield Occurrence(text, start, end)


def _person_context(o: Occurrence) -> bool:
    return bool(_PERSON_BEFORE.search(o.before) or _PERSON_AFTER.match(o.after))


def _thing_context(o: Occurrence, lexicon: Lexicon) -> bool:
    after = o.after
    possessive = after[:1] in ("'", "’")  # "in Maria's car": the words before are about the car
    return bool(
        (not possessive and _THING_BEFORE.search(o.before))
        or _THING_AFTER.match(after)
        or _in_title(o, lexicon)
    )


def _in_title(o: Occurrence, lexicon: Lexicon) -> bool:
    """A single word in a heading, beside a run of capitalised words with an
    ordinary word among the two nearest ("# Phoenix Rollout Plan", "##
    Gradio Setup"; not "# Letter to Maria")."""
    if " " in o.value:
        return False
    line_start = o.text.rfind("\n", 0, o.start) + 1
    line_end = o.text.find("\n", o.end)
    line_end = len(o.text) if line_end < 0 else line_end
    if not _HEADING.match(o.text, line_start, line_end):
        return False
    before = o.text[line_start : o.start].split()[::-1]
    after = o.text[o.end : line_end].split()
    return any(lexicon.ordinary_word(w) for w in _title_run(before) + _title_run(after))


def _title_run(words: list[str]) -> list[str]:
    """The first two of ``words`` while they are capitalised."""
    run = []
    for word in words[:2]:
        if not _TITLE_WORD.fullmatch(word):
            break
        run.append(word)
    return run


def _coordinated_with_thing(o: Occurrence, things: set[str]) -> bool:
    """Coordinated with a thing: "compare Notion, Miro and Canva" where
    "Notion" is one."""
    return any(
        m is not None and m.group("other") in things
        for m in (_COORDINATED_BEFORE.search(o.before), _COORDINATED_AFTER.match(o.after))
    )
