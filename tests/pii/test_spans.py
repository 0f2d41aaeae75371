"""The fast span and name-recurrence helpers give exactly what the simple,
quadratic forms they replace gave (those forms are written out here)."""

import random
import re

import pytest
from presidio_analyzer import RecognizerResult

from transforms.pii.detection import resolve_overlaps
from transforms.pii.recurrence import RecurrenceFinder
from transforms.pii.review import masked
from transforms.pii.spans import SpanSet, inside_longer


def random_spans(rng, n, length=60):
    spans = []
    for _ in range(n):
        start = rng.randrange(length)
        spans.append((start, start + rng.randrange(0, 12)))
    return spans


def overlapping(a, b):
    return a[0] < b[1] and b[0] < a[1]


@pytest.mark.parametrize("seed", range(30))
def test_span_set_answers_as_a_scan_of_every_span(seed):
    rng = random.Random(seed)
    taken = SpanSet()
    kept = []
    for span in random_spans(rng, 40):
        expected = any(overlapping(span, k) for k in kept)
        assert taken.overlaps(*span) == expected
        if not expected:
            taken.add(*span)
            kept.append(span)


@pytest.mark.parametrize("seed", range(30))
def test_inside_longer_is_containment_in_a_longer_span(seed):
    spans = random_spans(random.Random(seed), 30)
    expected = {
        s
        for s in spans
        for o in spans
        if o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0]
    }
    assert inside_longer(spans) == expected


def resolve_overlaps_by_scanning(results, swallowed):
    """resolve_overlaps as it was: every pair compared."""
    contained = {
        id(r)
        for r in results
        for o in results
        if o is not r
        and r.entity_type in swallowed
        and o.start <= r.start
        and r.end <= o.end
        and (o.end - o.start, -o.start) > (r.end - r.start, -r.start)
    }
    ranked = sorted(
        (r for r in results if id(r) not in contained),
        key=lambda r: (
            r.entity_type != "API_KEY",
            -r.score,
            -(r.end - r.start),
            r.start,
            r.entity_type,
        ),
    )
    kept = []
    for result in ranked:
        if all(result.end <= k.start or result.start >= k.end for k in kept):
            kept.append(result)
    return sorted(kept, key=lambda r: r.start)


@pytest.mark.parametrize("seed", range(40))
def test_resolve_overlaps_keeps_what_the_pairwise_scan_kept(seed):
    rng = random.Random(seed)
    results = [
        RecognizerResult(
            rng.choice(["PERSON", "LOCATION", "EMAIL_ADDRESS", "API_KEY"]),
            start,
            end,
            rng.choice([0.4, 0.6, 0.85]),
        )
        for start, end in random_spans(rng, 25)
    ]
    swallowed = frozenset({"PERSON", "LOCATION"})
    fast = resolve_overlaps(results, swallowed)
    slow = resolve_overlaps_by_scanning(results, swallowed)
    assert [(r.entity_type, r.start, r.end, r.score) for r in fast] == [
        (r.entity_type, r.start, r.end, r.score) for r in slow
    ]


def test_masking_in_one_pass_equals_masking_one_span_at_a_time():
    text = "Call <PERSON_1> at <PHONE_NUMBER_1>, or mail <EMAIL_ADDRESS_1>."
    spans = [(5, 15), (19, 35), (45, 62), (50, 55)]
    expected = text
    for start, end in spans:
        expected = expected[:start] + "#" * (end - start) + expected[end:]
    assert masked(text, spans) == expected


def recurrences_by_scanning(names, text):
    """Each name's own finditer, as detect() did it."""
    return sorted(
        {
            m.span()
            for name in names
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE)
        }
    )


@pytest.mark.parametrize(
    "names, text",
    [
        (
            ["Tiffany Lopez", "Tiffany", "Lopez"],
            "Tiffany Lopez met tiffany; LOPEZ-x lopez. Tiffany-Lopez",
        ),
        (["Ann Ann", "Ann"], "Ann Ann Ann Ann Ann"),  # a name overlapping itself
        (["Ann Ann", "ANN ANN", "Bob"], "ann ANN ann bob"),  # one name, two spellings
        # Kelvin sign, long s: re's case rules
        (["Kim", "Sara"], "KIM and \u212aim and sara and ſara"),
        (["Maria"], "Mariana and maria_b and maria's and -maria and maria"),
        (["Lee", "Lee Ann", "Ann Lee"], "Lee Ann Lee Ann Lee"),
    ],
)
def test_recurrences_are_exactly_each_names_own_matches(names, text):
    assert sorted(set(RecurrenceFinder(names).spans(text))) == recurrences_by_scanning(names, text)


@pytest.mark.parametrize("seed", range(20))
def test_recurrences_of_random_names_match_the_scan(seed):
    rng = random.Random(seed)
    alphabet = ["a", "A", "b", "n", "N", " ", "-", "."]
    names = {
        "".join(
            rng.choice(alphabet[:5])
            + "".join(rng.choice(alphabet) for _ in range(rng.randrange(4)))
        )
        for _ in range(8)
    }
    text = "".join(rng.choice(alphabet) for _ in range(300))
    assert sorted(set(RecurrenceFinder(names).spans(text))) == recurrences_by_scanning(names, text)
