"""Informal names: a labelled set in the style of social media and quick
chat, from a seeded generator (no other randomness).

Names in hashtags and camel case (``#JaneDoeTalks``), whole messages in
capitals, lowercase names after a relation word or a title even when the
name is also an English word ("my sister rose", "dr patel"), unfamiliar
surnames in line-ups and lists, names the model may read as places
("my cousin Savannah"). Look-alikes: hashtags of ordinary words, shouted
warnings, the same English words used as words ("rose to the occasion",
"mark the date"), lists of cities and products. Gold: each name (in a
hashtag, the name's letters only).
"""

from __future__ import annotations

import random

from eval.chat_set import one_message_cases
from eval.identifiers_set import FIRST, LAST

SEED = 6262
P = "PERSON"
TYPES = ("PERSON",)
# Given names that are also English words, and place-like given names.
WORD_NAMES = (
    "rose mark grace hope faith joy june summer dawn ivy holly amber pearl violet heather "
    "daisy iris olive hunter chase frank bill jack"
).split()
PLACE_NAMES = ("Savannah", "Florence", "Georgia", "Austin", "Madison", "Sydney", "Chelsea")
# Given names that are also names of products or languages.
THING_NAMES = ("Ruby", "Julia", "Phoenix", "Jasper", "Ada", "Siena", "Kenya", "Paris")
RELATIONS = ("sister", "brother", "friend", "cousin", "boss", "neighbour", "wife", "husband")
TITLES = ("dr", "mr", "mrs", "ms", "prof")


def _cases(rng: random.Random) -> list:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    word = rng.choice(WORD_NAMES)
    return rng.choice(
        (
            [
                "so proud of #",
                (f"{first}{last}", P),
                rng.choice(("Talks", "Live", "Fans", "")),
                " this week!!",
            ],
            ["big thanks to ", (f"{first}{last}", P), " for the tips"],
            [
                f"MY {rng.choice(RELATIONS).upper()} ",
                (word.upper(), P),
                " IS COMING TO THE WEDDING AND I NEED A TOAST",
            ],
            [
                "CAN YOU WRITE A CARD FOR ",
                (f"{first.upper()} {last.upper()}", P),
                "? SHE IS RETIRING",
            ],
            [f"my {rng.choice(RELATIONS)} ", (word, P), " is visiting next week, ideas?"],
            [f"my {rng.choice(RELATIONS)} ", (word, P), " said the fix works"],
            [f"{rng.choice(TITLES)} ", (last.lower(), P), " says I should rest for a week"],
            [
                "tonight's line-up: ",
                (rng.choice(LAST), P),
                ", ",
                (rng.choice(LAST), P),
                ", ",
                (rng.choice(LAST), P),
                " and ",
                (rng.choice(LAST), P),
            ],
            ["my cousin ", (rng.choice(PLACE_NAMES), P), " wants to learn python"],
            ["HAPPY BIRTHDAY TO MY BROTHER ", (first.upper(), P), "!!! WRITE HIM A POEM"],
            ["congrats to #", (f"{first}{last}", P), " on the new job"],
            [
                "can you invite ",
                (rng.choice(LAST), P),
                ", ",
                (first, P),
                " and ",
                (rng.choice(LAST), P),
                " to the review?",
            ],
            [f"my {rng.choice(RELATIONS)} ", (rng.choice(THING_NAMES), P), " uses notion a lot"],
            ["mrs ", (last.lower(), P), " from next door lent us a ladder"],
            [
                "Write a toast for ",
                (rng.choice(PLACE_NAMES), P),
                " and ",
                (first, P),
                ", they are getting married",
            ],
            [
                "lol ",
                (first.lower(), P),
                " and ",
                (rng.choice(FIRST).lower(), P),
                " are coming too, my friend ",
                (rng.choice(FIRST).lower(), P),
                " drives",
            ],
        )
    )


LOOKALIKES = [
    "#ThrowbackThursday #MachineLearning #MondayMotivation #100DaysOfCode",
    "WARNING: DO NOT TURN OFF THE COMPUTER WHILE UPDATING",
    "URGENT!!! THE SERVER IS DOWN AGAIN AND THE BACKUP FAILED",
    "my sister rose to the occasion at the recital",
    "mark the date in the calendar, will you?",
    "my friend hope you are well is how I start emails, too formal?",
    "we visited Lisbon, Porto and Faro last spring",
    "compare Notion, Trello, Asana and Airtable for me",
    "the dr said to rest",
    "ReactNative vs FlutterFlow for a startup?",
    "my boss frank feedback was hard to hear",
    "summer is my favourite season, june especially",
    "HAPPY NEW YEAR TO EVERYONE IN THE TEAM",
    "#OpenSource #DevOps #TechTwitter",
    "can you invite the design, backend and data teams to the review?",
    "I use Ruby and Julia for data work, and Phoenix for the web",
    "write a toast for Paris and London, our two offices",
]


def build_cases(seed: int = SEED, n: int = 200) -> list[dict]:
    rng = random.Random(seed)
    return one_message_cases((_cases(rng) for _ in range(n)), LOOKALIKES)
