"""Sample-data generator with known truth for the eligibility pipeline.

Writes a realistic "day of exports" into ``--out DIR``:

- ``conversations.jsonl``  canonical conversation records (DATA.md), one per line;
- ``consent_events.jsonl``, ``sharing_events.jsonl``, ``deletions.jsonl``  control events;
- ``truth.json``  what a correct run of the pipeline must report for these inputs.

Every rule of POLICY.md (V1, duplicates, D1, D2, T1, U1, F1, X1, A1, A2, B1, C1, C2 /
empty_after_trim) and every edge case the policy's clarifications mention is covered by a
named *case*. A case first decides the outcome of each record it makes (written, dead letter,
or the first matching reason code in POLICY precedence) and then builds the records, control
events and timestamps that produce exactly that outcome: an opted-out user gets an "off"
event before the conversation, a flip "exactly at created_at" gets an event with that very
instant, a trimmed message gets a timestamp inside an "off" interval, and so on. Each case
uses fresh user / workspace / org ids, so cases cannot influence each other. The truth is
therefore the sum of what the cases intended -- an oracle independent of any rule engine.

Layout of a run: one pass over all cases (the coverage set, shuffled), then a weighted fill
of common cases until exactly ``--conversations`` records exist. Lines are written as soon
as a case is built (extra copies of duplicated records are held back a few cases so they are
spread through the file), so 20,000 conversations take seconds. The file also carries a
leading byte-order mark, a few CRLF line ends and a few blank lines, none of which changes
the truth. Same seed, size and as-of give byte-identical files.

PII (names, e-mails, phones, credit cards, SSNs, IBANs, IPs, addresses, API keys) is
planted in user messages; ``planted_pii`` lists the values in messages that a correct run
writes (kept messages of written conversations).

    python -m tools.generate_sample --out /tmp/sample
    python -m tools.generate_sample --out /tmp/bench --conversations 20000 --seed 7
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
import string
import sys
import uuid
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Callable

from faker import Faker

DEFAULT_AS_OF = "2026-11-24T00:00:00Z"
DEFAULT_CONVERSATIONS = 400
DEFAULT_SEED = 1124

UTC = timezone.utc
A2_CUTOFF = datetime(2023, 3, 1, tzinfo=UTC)
EARLIEST_AS_OF = datetime(2024, 1, 1, tzinfo=UTC)
RETENTION = timedelta(days=30)

WRITTEN = "written"
DEAD_LETTER = "dead_letter"
DUPLICATE = "duplicate_record"
ACCOUNT_DELETED = "account_deleted"
CONVERSATION_DELETED = "conversation_deleted"
TEMPORARY = "temporary_chat"
UNKNOWN_SOURCE = "unknown_source"
FINE_TUNE = "fine_tune_upload"
AFTER_AS_OF = "created_after_as_of"
API_NOT_OPTED_IN = "api_not_opted_in"
API_OPTED_OUT = "api_opted_out"
TEAM_NOT_OPTED_IN = "team_not_opted_in"
ENTERPRISE_NOT_OPTED_IN = "enterprise_not_opted_in"
USER_OPTED_OUT = "user_opted_out"
EMPTY = "empty_after_trim"
REASON_CODES = (
    DUPLICATE,
    ACCOUNT_DELETED,
    CONVERSATION_DELETED,
    TEMPORARY,
    UNKNOWN_SOURCE,
    FINE_TUNE,
    AFTER_AS_OF,
    API_NOT_OPTED_IN,
    API_OPTED_OUT,
    TEAM_NOT_OPTED_IN,
    ENTERPRISE_NOT_OPTED_IN,
    USER_OPTED_OUT,
    EMPTY,
)
BUSINESS_REASON = {"chatgpt_team": TEAM_NOT_OPTED_IN, "chatgpt_enterprise": ENTERPRISE_NOT_OPTED_IN}
# POLICY.md's sources; the audit counts any other source value under one bucket.
POLICY_SOURCES = (
    "chatgpt_free",
    "chatgpt_plus",
    "dalle",
    "chatgpt_team",
    "chatgpt_enterprise",
    "api",
    "api_fine_tune_upload",
)
UNRECOGNISED = "(unrecognised value)"

# Fate of one message in a conversation.
KEPT = "kept"
TRIM_OPT_OUT = "trimmed_opt_out"
TRIM_AS_OF = "trimmed_as_of"

CONTROL_STREAMS = ("consent_events", "sharing_events", "deletions")
ABSENT = object()  # a field value meaning "leave the key out of the record"

_ALNUM = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"
_BOM = b"\xef\xbb\xbf"


# --------------------------------------------------------------------------- truth


@dataclass
class Truth:
    """What a correct pipeline run over the generated files must report (see truth.json)."""

    as_of: str
    seed: int
    records_read: int = 0
    expected_written: int = 0
    expected_dead_lettered: int = 0
    expected_excluded: dict = field(default_factory=dict)
    expected_api_past_retention: int = 0
    expected_messages_trimmed_after_opt_out: int = 0
    expected_messages_trimmed_after_as_of: int = 0
    expected_control_events_dead_lettered: dict = field(
        default_factory=lambda: {name: 0 for name in CONTROL_STREAMS}
    )
    eligible_conversation_ids: list = field(default_factory=list)
    excluded_conversation_ids: dict = field(default_factory=dict)
    planted_pii: list = field(default_factory=list)
    by_source_reason: dict = field(default_factory=dict)
    duplicate_extra_copies: dict = field(default_factory=dict)
    dead_letter_lines: list = field(default_factory=list)
    control_dead_letter_lines: dict = field(
        default_factory=lambda: {name: [] for name in CONTROL_STREAMS}
    )
    case_of_conversation: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- planned lines


@dataclass
class _Line:
    """One planned line of conversations.jsonl and the outcome it was built to have."""

    data: bytes
    outcome: str  # WRITTEN, DEAD_LETTER or a reason code
    conversation_id: str | None
    source: str | None
    error: str | None = None  # dead letters: what was broken on purpose
    trimmed: Counter = field(default_factory=Counter)
    pii: list = field(default_factory=list)
    past_retention: bool = False
    delay: int = 0  # extra copies: written this many cases later
    case: str = ""


@dataclass
class _Event:
    stream: str
    data: bytes
    dead: bool


def _dumps(obj, *, ascii_only: bool = False) -> bytes:
    return json.dumps(obj, ensure_ascii=ascii_only).encode("utf-8")


def _rfc3339(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


# --------------------------------------------------------------------------- content pools

SYSTEM_PROMPTS = (
    "You are ChatGPT, a large language model. Answer concisely and say when you are unsure.",
    "You are a friendly writing assistant. Keep a warm, professional tone.",
    "You are a support bot for a software product. Only answer product questions.",
)
CLEAN_QUESTIONS = (
    "What's a good way to learn the guitar as an adult beginner?",
    "Explain the difference between a virus and a bacterium in simple terms.",
    "Give me three ideas for a quick vegetarian dinner.",
    "How does compound interest work? Please use a simple example.",
    "Can you suggest a weekly routine for stretching at a desk job?",
    "Write a short poem about autumn leaves.",
    "What are some tips for keeping houseplants alive in winter?",
    "Explain photosynthesis like I'm ten years old.",
)
FOLLOW_UPS = (
    "Thanks! Can you make it shorter?",
    "Great, now make it a bit more formal.",
    "Could you give me a second option?",
    "ok, and what should I avoid?",
)
ASSISTANT_REPLIES = (
    "Sure! Here is a version you can adapt to your situation.",
    "Good question. The short answer is that it depends on a few factors, listed below.",
    "Here are a few options, from simplest to most thorough.",
    "Happy to help. I have kept it brief and used plain language.",
)
TECH_QUESTIONS = (
    (
        "How do I reverse a list in Python without changing the original?",
        "python",
        "nums = [3, 1, 2]\nrev = nums.reverse()\nprint(rev)",
        "nums = [3, 1, 2]\nrev = nums[::-1]\nprint(rev)",
    ),
    (
        "Why does this SQL return duplicate rows?",
        "sql",
        "SELECT o.id, c.name FROM orders o JOIN customers c ON c.region = o.region;",
        "SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id;",
    ),
    (
        "My Rust function won't compile: borrowed value does not live long enough.",
        "rust",
        "fn first(v: &Vec<String>) -> &str { let s = v[0].clone(); &s }",
        "fn first(v: &[String]) -> &str { &v[0] }",
    ),
    (
        "How can I debounce a function in JavaScript?",
        "javascript",
        "input.addEventListener('input', search);",
        "const debounce = (f, ms) => { let t; return (...a) => { clearTimeout(t); "
        "t = setTimeout(() => f(...a), ms); }; };",
    ),
    (
        "What's the idiomatic way to read a file line by line in Go?",
        "go",
        "data, _ := os.ReadFile(path)",
        "f, err := os.Open(path)\nif err != nil { return err }\ndefer f.Close()\n"
        "sc := bufio.NewScanner(f)\nfor sc.Scan() { fmt.Println(sc.Text()) }",
    ),
    (
        "Why is my bash loop splitting file names with spaces?",
        "bash",
        "for f in $(ls *.txt); do wc -l $f; done",
        'for f in *.txt; do wc -l "$f"; done',
    ),
)
DALLE_PROMPTS = (
    "A watercolor lighthouse at dusk, soft pastel sky",
    "An isometric illustration of a tiny coffee shop",
    "A red fox reading a newspaper, children's book style",
    "Minimalist poster of a mountain range at sunrise",
)
TOOL_OUTPUTS = ('{"status": "ok", "rows": 3}', '{"result": 42}', "Search returned 5 results.")
TITLES = (
    "Quick question",
    "Email draft",
    "Python help",
    "Dinner ideas",
    "Trip planning",
    "Bank transfer",
    "Server issue",
    "New chat",
)
MODELS = ("gpt-4o", "gpt-4o-mini", "o3", "gpt-4.1")
CITIES = (
    "Chicago",
    "Denver",
    "Boston",
    "Seattle",
    "Austin",
    "Atlanta",
    "Toronto",
    "Munich",
    "Lyon",
    "Dublin",
)

# PII templates: {SLOT} placeholders filled by _Gen.pii_value; a second element, when
# present, is a code part (the user pasted code containing the value).
PII_TEMPLATES = (
    (
        "Hi, I'm {PERSON}. Can you help me write a polite email to my landlord? "
        "Reply-to should be {EMAIL} and my number is {PHONE_US}.",
        None,
    ),
    (
        "my friend {PERSON_LOWER} just moved to {STREET}, {CITY}. "
        "what's a good housewarming gift under $50?",
        None,
    ),
    ("I was charged twice on my card {CARD} last week. How do I dispute the second charge?", None),
    (
        "Which box on the tax form does my SSN go in? It's {SSN}, I just want to be sure about "
        "the format.",
        None,
    ),
    ("Is this IBAN formatted correctly for a SEPA transfer? {IBAN}", None),
    (
        "Our VPN gateway at {IP} drops connections every hour. The contact on site is {PERSON}, "
        "reachable at {PHONE_INTL}. What should I check first?",
        None,
    ),
    (
        "This script fails with a 401 error, what's wrong?",
        'import openai\nclient = openai.OpenAI(api_key="{OPENAI_KEY}")\n'
        "print(client.models.list())",
    ),
    (
        "Please summarise this note for {PERSON}: the meeting moved to Thursday, send the slides "
        "to {EMAIL} before noon.",
        None,
    ),
    (
        "I keep getting 'bad credentials' when I push. My token is {GITHUB_TOKEN}, did it expire?",
        None,
    ),
    (
        "Can you format this as a shipping label? {PERSON}, {STREET}, {CITY}. Phone {PHONE_INTL}.",
        None,
    ),
    (
        "my bank says to wire it to {IBAN} under the name {PERSON_LOWER}. is that a normal "
        "request?",
        None,
    ),
    (
        "Is it safe to allow {IP} in our firewall? Also the config has this in it:",
        "AWS_ACCESS_KEY_ID={AWS_KEY}\nAWS_DEFAULT_REGION=eu-west-1",
    ),
)
_SLOT = re.compile(r"\{([A-Z_]+)\}")
_US_EXCHANGES = [n for n in range(201, 1000) if n != 555 and n % 100 != 11]  # no 555, no N11
_SSN_AREAS = [a for a in range(1, 900) if a != 666]  # never issued: 000, 666, 9xx


# --------------------------------------------------------------------------- PII values


def _luhn_complete(payload: str) -> str:
    """Append the Luhn check digit to ``payload``."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return payload + str((10 - total % 10) % 10)


def _iban_check(country: str, bban: str) -> str:
    digits = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


# --------------------------------------------------------------------------- generator state


class _Gen:
    """Seeded randomness, ids, timestamps and message content shared by all cases."""

    def __init__(self, seed: int, as_of: datetime):
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.as_of = as_of
        self._pii_turn = 0
        self._business_turn = 0

    # ids ----------------------------------------------------------------
    def token(self, n: int, alphabet: str = _ALNUM) -> str:
        return "".join(self.rng.choices(alphabet, k=n))

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def user_id(self) -> str:
        return "user-" + self.token(24)

    def org_id(self) -> str:
        return "org-" + self.token(24)

    def workspace_id(self) -> str:
        return "ws-" + self.token(20, _HEX)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # time ---------------------------------------------------------------
    def days(self, lo: float, hi: float) -> timedelta:
        return timedelta(seconds=self.rng.randint(int(lo * 86400), int(hi * 86400)))

    def instant(self, dt: datetime) -> datetime:
        """``dt`` at whole seconds, sometimes with a binary-exact fraction (.25/.5/.75)."""
        dt = dt.replace(microsecond=0)
        if self.chance(0.1):
            dt = dt.replace(microsecond=self.rng.choice((250000, 500000, 750000)))
        return dt

    def ago(self, lo_days: float, hi_days: float) -> datetime:
        return self.instant(self.as_of - self.days(lo_days, hi_days))

    def after_as_of(self, lo_days: float = 0.01, hi_days: float = 30) -> datetime:
        return self.instant(self.as_of + self.days(lo_days, hi_days))

    def new_api_time(self, lo_days: float = 1, hi_days: float = 400) -> datetime:
        """An instant under the current API rule (on or after the A2 cut-off)."""
        earliest = A2_CUTOFF + timedelta(days=1)
        dt = self.ago(lo_days, hi_days)
        return dt if dt >= earliest else earliest + (self.as_of - earliest) * self.rng.random() / 2

    def old_api_time(self) -> datetime:
        """An instant under the old API rule (before the A2 cut-off)."""
        return self.instant(A2_CUTOFF - self.days(1, 500))

    def ts(self, dt: datetime):
        """Render an instant as RFC 3339 (Z or offset) or as epoch seconds (int or float)."""
        style = self.rng.choices(("z", "offset", "epoch_int", "epoch_float"), (40, 25, 20, 15))[0]
        if style == "z":
            return _rfc3339(dt)
        if style == "offset":
            offset = self.rng.choice(
                (timedelta(hours=2), timedelta(hours=-5), timedelta(hours=5, minutes=30))
            )
            return dt.astimezone(timezone(offset)).isoformat()
        if style == "epoch_int" and not dt.microsecond:
            return int(dt.timestamp())
        return dt.timestamp()

    # sources ------------------------------------------------------------
    def consumer_source(self) -> str:
        return self.rng.choices(("chatgpt_free", "chatgpt_plus", "dalle"), (50, 35, 15))[0]

    def business_source(self) -> str:
        """Alternates Team and Enterprise so both B1 reason codes always occur."""
        self._business_turn += 1
        return ("chatgpt_team", "chatgpt_enterprise")[self._business_turn % 2]

    # PII ----------------------------------------------------------------
    def person(self) -> str:
        return f"{self.fake.first_name()} {self.fake.last_name()}"

    def phone_us(self) -> str:
        area = self.rng.choice((212, 312, 415, 617, 206, 303, 512, 646))
        exchange = self.rng.choice(_US_EXCHANGES)
        line = self.rng.randint(1000, 9999)
        fmt = self.rng.choice(("({a}) {e}-{l}", "{a}-{e}-{l}", "+1 {a} {e} {l}", "{a}.{e}.{l}"))
        return fmt.format(a=area, e=exchange, l=line)

    def phone_intl(self) -> str:
        r = self.rng.randint
        return self.rng.choice(
            (
                f"+44 20 7{r(100, 999)} {r(1000, 9999)}",
                f"+49 30 {r(2000, 9999)}{r(1000, 9999)}",
                f"+33 6 {r(10, 99)} {r(10, 99)} {r(10, 99)} {r(10, 99)}",
                f"+91 98{r(100, 999)} {r(10000, 99999)}",
            )
        )

    def credit_card(self) -> str:
        brand = self.rng.choice(("visa", "mastercard", "amex"))
        if brand == "amex":
            number = _luhn_complete("3" + self.rng.choice("47") + self.token(12, string.digits))
            return f"{number[:4]} {number[4:10]} {number[10:]}"
        prefix = "4" if brand == "visa" else "5" + self.rng.choice("12345")
        number = _luhn_complete(prefix + self.token(15 - len(prefix), string.digits))
        sep = self.rng.choice((" ", "-", ""))
        return sep.join(number[i : i + 4] for i in range(0, 16, 4))

    def ssn(self) -> str:
        area = self.rng.choice(_SSN_AREAS)
        return f"{area:03d}-{self.rng.randint(1, 99):02d}-{self.rng.randint(1, 9999):04d}"

    def iban(self) -> str:
        digits = partial(self.token, alphabet=string.digits)
        country, bban = self.rng.choice(
            (
                ("DE", digits(18)),
                ("GB", self.token(4, string.ascii_uppercase) + digits(14)),
                ("FR", digits(23)),
                ("NL", self.token(4, string.ascii_uppercase) + digits(10)),
                ("ES", digits(20)),
            )
        )
        iban = _iban_check(country, bban)
        if self.chance(0.5):
            return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        return iban

    def ip(self) -> str:
        r = self.rng.randint
        if self.chance(0.25):
            return f"192.168.{r(0, 255)}.{r(1, 254)}"
        first = self.rng.choice((23, 34, 45, 52, 64, 81, 93, 104, 142, 151, 185, 203, 212))
        return f"{first}.{r(0, 255)}.{r(0, 255)}.{r(1, 254)}"

    def pii_value(self, slot: str) -> tuple[str, str]:
        """(type, value) for a template slot."""
        makers: dict[str, tuple[str, Callable[[], str]]] = {
            "PERSON": ("PERSON", self.person),
            "PERSON_LOWER": ("PERSON", lambda: self.person().lower()),
            "EMAIL": ("EMAIL_ADDRESS", self.fake.email),
            "PHONE_US": ("PHONE_NUMBER", self.phone_us),
            "PHONE_INTL": ("PHONE_NUMBER", self.phone_intl),
            "CARD": ("CREDIT_CARD", self.credit_card),
            "SSN": ("US_SSN", self.ssn),
            "IBAN": ("IBAN_CODE", self.iban),
            "IP": ("IP_ADDRESS", self.ip),
            "STREET": ("STREET_ADDRESS", self.fake.street_address),
            "CITY": ("LOCATION", lambda: self.rng.choice(CITIES)),
            "OPENAI_KEY": ("API_KEY", lambda: "sk-proj-" + self.token(48)),
            "GITHUB_TOKEN": ("API_KEY", lambda: "ghp_" + self.token(36)),
            "AWS_KEY": (
                "API_KEY",
                lambda: "AKIA" + self.token(16, string.ascii_uppercase + "234567"),
            ),
        }
        kind, make = makers[slot]
        return kind, make()

    def _fill(self, template: str, planted: list) -> str:
        def sub(match):
            kind, value = self.pii_value(match.group(1))
            planted.append((kind, value))
            return value

        return _SLOT.sub(sub, template)

    # content --------------------------------------------------------------
    def image_part(self) -> dict:
        return {"type": "image", "asset_pointer": "file-service://file-" + self.token(24)}

    def wrap(self, text: str):
        """Message content as a plain string or as one of the list-of-parts shapes."""
        shape = self.rng.choices(("string", "text_part", "string_part_and_image"), (65, 20, 15))[0]
        if shape == "string":
            return text
        if shape == "text_part":
            return [{"type": "text", "text": text}]
        return [text, self.image_part()]

    def user_content(self, kind: str):
        """(content, [(type, value), ...]) for a user turn of ``kind``."""
        planted: list = []
        if kind == "pii":
            template, code = PII_TEMPLATES[self._pii_turn % len(PII_TEMPLATES)]
            self._pii_turn += 1
            text = self._fill(template, planted)
            if code is None:
                return self.wrap(text), planted
            code_part = {"type": "code", "language": "python", "text": self._fill(code, planted)}
            return [{"type": "text", "text": text}, code_part], planted
        if kind == "code":
            question, language, snippet, _ = self.rng.choice(TECH_QUESTIONS)
            if self.chance(0.5):
                return [
                    {"type": "text", "text": question},
                    {"type": "code", "language": language, "text": snippet},
                ], planted
            return f"{question}\n```{language}\n{snippet}\n```", planted
        if kind == "dalle":
            return self.rng.choice(DALLE_PROMPTS), planted
        if kind == "follow_up":
            return self.rng.choice(FOLLOW_UPS), planted
        return self.wrap(self.rng.choice(CLEAN_QUESTIONS)), planted

    def assistant_content(self, kind: str):
        if kind == "code":
            _, language, _, fixed = self.rng.choice(TECH_QUESTIONS)
            return [
                {"type": "text", "text": "Here is a corrected version:"},
                {"type": "code", "language": language, "text": fixed},
            ]
        if kind == "dalle":
            return [self.image_part(), {"type": "text", "text": "Here is the image you asked for."}]
        return self.rng.choice(ASSISTANT_REPLIES)

    def chat_kind(self, source: str) -> str:
        if source == "dalle":
            return "dalle"
        return self.rng.choices(("pii", "clean", "code"), (55, 25, 20))[0]


# --------------------------------------------------------------------------- conversation


class _Conv:
    """A conversation under construction: record fields plus messages with planned fates.

    ``fields`` may set user_id, workspace_id, org_id, is_temporary and deleted_at (a datetime,
    None for null, or ABSENT). Unset optional fields are randomly null or absent; an unset
    user_id is a fresh id.
    """

    def __init__(self, g: _Gen, source: str, created: datetime, **fields):
        self.g = g
        self.id = g.uuid()
        self.source = source
        self.created = created
        self.clock = created
        self.fields = fields
        if "user_id" not in fields:
            fields["user_id"] = g.user_id()
        self.messages: list[dict] = []
        self.fates: list[str] = []
        self.planted: list[tuple[int, str, str]] = []  # (message index, type, value)
        self._record: dict | None = None

    def say(
        self,
        role: str,
        content,
        *,
        at: datetime | None = None,
        fate: str = KEPT,
        planted=(),
        stamp: str = "ts",
    ) -> None:
        """Add a message. ``at`` None: the next tick of the conversation clock.
        ``stamp``: "ts", or "null" / "absent" for a message without a timestamp."""
        if at is None:
            self.clock += timedelta(seconds=self.g.rng.randint(4, 180))
            at = self.clock
        message = {"message_id": self.g.uuid(), "role": role, "content": content}
        if stamp == "ts":
            message["created_at"] = self.g.ts(at)
        elif stamp == "null":
            message["created_at"] = None
        self.messages.append(message)
        self.fates.append(fate)
        self.planted.extend((len(self.messages) - 1, kind, value) for kind, value in planted)

    def turn(
        self, kind: str, *, at: datetime | None = None, fate: str = KEPT, stamp: str = "ts"
    ) -> None:
        """A user message of ``kind`` and its assistant reply."""
        content, planted = self.g.user_content(kind)
        self.say("user", content, at=at, fate=fate, planted=planted, stamp=stamp)
        reply_at = None if at is None else at + timedelta(seconds=self.g.rng.randint(3, 60))
        self.say("assistant", self.g.assistant_content(kind), at=reply_at, fate=fate)

    def system(self, stamp: str = "null") -> None:
        prompt = self.g.rng.choices(SYSTEM_PROMPTS, (70, 15, 15))[0]
        self.say("system", prompt, at=self.created, stamp=stamp)

    def chat(self, kind: str | None = None) -> "_Conv":
        """A complete ordinary dialogue; every message is kept."""
        g = self.g
        kind = kind or g.chat_kind(self.source)
        if g.chance(0.35):
            self.system()
        stamps = ("ts", "ts", "ts", "ts", "null", "absent")
        self.turn(kind, stamp=g.rng.choice(stamps))
        if kind == "code" and g.chance(0.3):
            self.say("tool", g.rng.choice(TOOL_OUTPUTS))
        for _ in range(g.rng.choice((0, 0, 1, 2))):
            self.turn("follow_up", stamp=g.rng.choice(stamps))
        return self

    def record(self) -> dict:
        """The conversation record (built once, so copies serialise identically)."""
        if self._record is not None:
            return self._record
        g = self.g
        rec: dict = {"conversation_id": self.id}
        for key in ("user_id", "workspace_id", "org_id"):
            value = self.fields.get(key, g.rng.choice((ABSENT, None)))
            if value is not ABSENT:
                rec[key] = value
        rec["source"] = self.source
        temporary = self.fields.get("is_temporary", g.rng.choice((ABSENT, None, False)))
        if temporary is not ABSENT:
            rec["is_temporary"] = temporary
        rec["created_at"] = g.ts(self.created)
        rec["updated_at"] = g.ts(self.clock) if g.chance(0.7) else None
        deleted = self.fields.get("deleted_at", g.rng.choice((ABSENT, None)))
        if deleted is not ABSENT:
            rec["deleted_at"] = None if deleted is None else g.ts(deleted)
        if g.chance(0.8):
            rec["title"] = g.rng.choice(TITLES)
        if g.chance(0.5):
            rec["model"] = g.rng.choice(MODELS)
        rec["messages"] = self.messages
        self._record = rec
        return rec

    def line(self, outcome: str) -> _Line:
        """The planned line; trimmed counts and PII only count when the record is written."""
        line = _Line(_dumps(self.record()), outcome, self.id, self.source)
        if outcome == WRITTEN:
            line.trimmed = Counter(f for f in self.fates if f != KEPT)
            line.pii = [
                {
                    "conversation_id": self.id,
                    "message_id": self.messages[i]["message_id"],
                    "type": kind,
                    "value": value,
                }
                for i, kind, value in self.planted
                if self.fates[i] == KEPT
            ]
        elif outcome in (API_NOT_OPTED_IN, API_OPTED_OUT):
            line.past_retention = self.created < self.g.as_of - RETENTION
        return line


class _Case:
    """Records and control events of one scenario, each with its intended outcome."""

    def __init__(self, g: _Gen):
        self.g = g
        self.lines: list[_Line] = []
        self.events: list[_Event] = []

    def add(self, conv: _Conv, outcome: str, *, copies: int = 0) -> None:
        line = conv.line(outcome)
        self.lines.append(line)
        for _ in range(copies):
            self.lines.append(
                _Line(line.data, DUPLICATE, conv.id, conv.source, delay=self.g.rng.randint(1, 25))
            )

    def dead(self, data: bytes, error: str, rec: dict, *, delay: int = 0) -> None:
        cid = rec.get("conversation_id")
        self.lines.append(
            _Line(
                data,
                DEAD_LETTER,
                cid if isinstance(cid, str) and cid else None,
                rec.get("source"),
                error=error,
                delay=delay,
            )
        )

    def _event(self, stream: str, payload: dict) -> None:
        self.events.append(_Event(stream, _dumps(payload), dead=False))

    def bad_event(self, stream: str, payload) -> None:
        data = payload if isinstance(payload, bytes) else _dumps(payload)
        self.events.append(_Event(stream, data, dead=True))

    def consent(self, user_id: str, enabled: bool, at: datetime, via: str = "data_controls"):
        self._event(
            "consent_events",
            {
                "user_id": user_id,
                "training_enabled": enabled,
                "changed_at": self.g.ts(at),
                "via": via,
            },
        )

    def sharing(self, scope: str, subject: str, enabled: bool, at: datetime):
        self._event(
            "sharing_events",
            {
                "scope": scope,
                "id": subject,
                "sharing_enabled": enabled,
                "changed_at": self.g.ts(at),
            },
        )

    def delete_account(self, user_id: str, at: datetime):
        self._event(
            "deletions", {"kind": "account", "user_id": user_id, "requested_at": self.g.ts(at)}
        )

    def delete_conversation(self, conversation_id: str, at: datetime):
        self._event(
            "deletions",
            {
                "kind": "conversation",
                "conversation_id": conversation_id,
                "requested_at": self.g.ts(at),
            },
        )


# --------------------------------------------------------------------------- case helpers


def _consumer(
    g: _Gen, created: datetime | None = None, source: str | None = None, **fields
) -> _Conv:
    """An ordinary consumer conversation (fresh user unless ``user_id`` is given)."""
    return _Conv(g, source or g.consumer_source(), created or g.ago(2, 360), **fields).chat()


def _opted_in_workspace(case: _Case, created: datetime) -> str:
    ws = case.g.workspace_id()
    case.sharing("workspace", ws, True, created - case.g.days(1, 90))
    return ws


def _opted_in_org(case: _Case, created: datetime) -> str:
    org = case.g.org_id()
    case.sharing("org", org, True, created - case.g.days(1, 90))
    return org


def _api_user(g: _Gen):
    return g.user_id() if g.chance(0.3) else ABSENT


def _naive(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


# --------------------------------------------------------------------------- eligible cases


def _eligible_consumer(g: _Gen) -> _Case:
    case = _Case(g)
    created = g.ago(1, 360)
    user = g.user_id()
    if g.chance(0.2):
        case.consent(user, True, created - g.days(1, 90))
    case.add(_consumer(g, created, user_id=user), WRITTEN)
    return case


def _eligible_technical(g: _Gen, code_only: bool = False) -> _Case:
    """A clean code question; code_only: the user text is a lone code part (textual)."""
    case = _Case(g)
    conv = _Conv(g, g.rng.choice(("chatgpt_free", "chatgpt_plus")), g.ago(1, 360))
    if code_only:
        conv.say(
            "user",
            [
                {
                    "type": "code",
                    "language": "python",
                    "text": "def add(a, b):\n    return a - b\n# why is add(2, 2) zero?",
                }
            ],
        )
        conv.say("assistant", g.assistant_content("code"))
    else:
        conv.chat("code")
    case.add(conv, WRITTEN)
    return case


def _eligible_business(g: _Gen, variant: str) -> _Case:
    """Opt-in in force at creation: before it, exactly at it, or withdrawn only later."""
    case = _Case(g)
    created = g.ago(2, 300)
    ws = g.workspace_id()
    case.sharing(
        "workspace", ws, True, created if variant == "at_created" else created - g.days(1, 60)
    )
    if variant == "out_after":
        case.sharing("workspace", ws, False, created + g.days(1, 30))
    case.add(_Conv(g, g.business_source(), created, workspace_id=ws).chat(), WRITTEN)
    return case


def _eligible_api(g: _Gen, variant: str) -> _Case:
    case = _Case(g)
    created = g.new_api_time()
    org = g.org_id()
    case.sharing("org", org, True, created if variant == "at_created" else created - g.days(1, 60))
    case.add(_Conv(g, "api", created, org_id=org, user_id=_api_user(g)).chat(), WRITTEN)
    return case


def _eligible_api_old(g: _Gen, variant: str) -> _Case:
    """A2: old API data is eligible unless the org's setting was off at creation."""
    case = _Case(g)
    created = A2_CUTOFF - timedelta(seconds=1) if variant == "last_second" else g.old_api_time()
    org = g.org_id()
    if variant == "on_before":
        case.sharing("org", org, True, created - g.days(1, 60))
    elif variant == "off_after":
        case.sharing("org", org, False, created + g.days(1, 60))
    elif variant == "off_then_on":
        case.sharing("org", org, False, created - g.days(31, 90))
        case.sharing("org", org, True, created - g.days(1, 30))
    case.add(_Conv(g, "api", created, org_id=org, user_id=_api_user(g)).chat(), WRITTEN)
    return case


def _trim_opt_out(g: _Gen, reenable: bool) -> _Case:
    """C2: the user switches training off mid-conversation (and maybe on again)."""
    case = _Case(g)
    user = g.user_id()
    created = g.ago(5, 300)
    off = created + timedelta(minutes=g.rng.randint(10, 50))
    case.consent(user, False, off, via=g.rng.choice(("data_controls", "privacy_request")))
    conv = _Conv(g, g.rng.choice(("chatgpt_free", "chatgpt_plus")), created, user_id=user)
    conv.system()
    conv.turn("pii", at=created, stamp=g.rng.choice(("ts", "null")))
    conv.turn(g.rng.choice(("pii", "follow_up")), at=off, fate=TRIM_OPT_OUT)  # exactly at the flip
    if reenable:
        on = off + timedelta(hours=g.rng.randint(1, 48))
        case.consent(user, True, on)
        conv.say("user", g.user_content("follow_up")[0], at=on)  # exactly at re-enable: kept
        conv.say("assistant", g.assistant_content("clean"), at=on + timedelta(seconds=20))
    else:
        conv.turn("follow_up", at=off + timedelta(hours=1), fate=TRIM_OPT_OUT)
    case.add(conv, WRITTEN)
    return case


def _trim_after_as_of(g: _Gen, category: str) -> _Case:
    """Messages after as-of are removed from every source's conversations."""
    case = _Case(g)
    created = g.as_of - timedelta(minutes=g.rng.randint(10, 600))
    if category == "consumer":
        conv = _Conv(g, g.consumer_source(), created)
    elif category == "team":
        conv = _Conv(
            g, g.business_source(), created, workspace_id=_opted_in_workspace(case, created)
        )
    else:
        conv = _Conv(g, "api", created, org_id=_opted_in_org(case, created), user_id=_api_user(g))
    conv.turn(g.chat_kind(conv.source), at=created)
    conv.turn("follow_up", at=g.after_as_of(0.0001, 2), fate=TRIM_AS_OF)
    case.add(conv, WRITTEN)
    return case


def _created_exactly_at_as_of(g: _Gen) -> _Case:
    """Created at as-of is not after it (X1 does not fire); a message at as-of is kept."""
    case = _Case(g)
    conv = _Conv(g, g.consumer_source(), g.as_of)
    conv.system()
    content, planted = g.user_content("pii")
    conv.say("user", content, at=g.as_of, planted=planted)
    conv.say(
        "assistant",
        g.assistant_content("clean"),
        at=g.as_of + timedelta(seconds=30),
        fate=TRIM_AS_OF,
    )
    case.add(conv, WRITTEN)
    return case


def _team_ignores_consumer_consent(g: _Gen) -> _Case:
    """C2 trims consumer data only: a Team user's consumer opt-out trims nothing."""
    case = _Case(g)
    created = g.ago(5, 200)
    user = g.user_id()
    case.consent(user, False, created + timedelta(minutes=5))
    conv = _Conv(
        g,
        g.business_source(),
        created,
        user_id=user,
        workspace_id=_opted_in_workspace(case, created),
    )
    conv.turn("pii", at=created)
    conv.turn("follow_up", at=created + timedelta(minutes=30))
    case.add(conv, WRITTEN)
    return case


def _consent_after_as_of_ignored(g: _Gen) -> _Case:
    """An opt-out after as-of is ignored; the later message goes only as after-as-of."""
    case = _Case(g)
    user = g.user_id()
    created = g.as_of - timedelta(hours=g.rng.randint(1, 20))
    case.consent(user, False, g.as_of + timedelta(days=1))
    conv = _Conv(g, "chatgpt_plus", created, user_id=user)
    conv.turn("pii", at=created)
    conv.turn("follow_up", at=g.as_of + timedelta(days=2), fate=TRIM_AS_OF)
    case.add(conv, WRITTEN)
    return case


def _deletion_after_as_of(g: _Gen, variant: str) -> _Case:
    """Deletions after as-of (request or deleted_at) are ignored."""
    case = _Case(g)
    later = g.after_as_of(0.5, 20)
    if variant == "deleted_at":
        conv = _consumer(g, deleted_at=later)
    else:
        conv = _consumer(g)
        if variant == "account":
            case.delete_account(conv.fields["user_id"], later)
        else:
            case.delete_conversation(conv.id, later)
    case.add(conv, WRITTEN)
    return case


def _duplicate(g: _Gen, copies: int, excluded: bool = False) -> _Case:
    """Identical copies: one is decided, each extra copy is duplicate_record (before D1)."""
    case = _Case(g)
    if excluded:
        user = g.user_id()
        conv = _consumer(g, user_id=user, is_temporary=True)
        case.delete_account(user, conv.created + g.days(0, 1))
        case.add(conv, ACCOUNT_DELETED, copies=copies)
    else:
        case.add(_consumer(g), WRITTEN, copies=copies)
    return case


# --------------------------------------------------------------------------- V1 dead letters


def _set(path: tuple, value) -> Callable[[_Gen, dict], None]:
    def apply(g: _Gen, rec: dict) -> None:
        target = rec
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value(rec) if callable(value) else value

    return apply


def _drop(key: str) -> Callable[[_Gen, dict], None]:
    return lambda g, rec: rec.pop(key)


def _created(rec: dict) -> datetime:
    value = rec["created_at"]
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, UTC)
    return datetime.fromisoformat(value)


# name -> (source of the base record, record mutation or None, line serialiser)
_BREAKERS: dict[str, tuple[str, Callable | None, Callable[[dict], bytes]]] = {
    "malformed_json": (
        "consumer",
        None,
        lambda rec: json.dumps(rec)[: len(json.dumps(rec)) // 2].encode(),
    ),
    "not_an_object": ("consumer", None, lambda rec: _dumps([rec])),
    "missing_conversation_id": ("consumer", _drop("conversation_id"), _dumps),
    "empty_conversation_id": ("consumer", _set(("conversation_id",), ""), _dumps),
    "numeric_conversation_id": ("consumer", _set(("conversation_id",), 12345), _dumps),
    "missing_source": ("consumer", _drop("source"), _dumps),
    "naive_timestamp": ("consumer", _set(("created_at",), lambda r: _naive(_created(r))), _dumps),
    "date_only_timestamp": (
        "consumer",
        _set(("created_at",), lambda r: _created(r).strftime("%Y-%m-%d")),
        _dumps,
    ),
    "boolean_epoch": ("consumer", _set(("created_at",), True), _dumps),
    "string_epoch": (
        "consumer",
        _set(("created_at",), lambda r: str(int(_created(r).timestamp()))),
        _dumps,
    ),
    "epoch_after_year_9999": ("consumer", _set(("created_at",), 253402300800), _dumps),
    "infinity_literal": ("consumer", _set(("created_at",), float("inf")), _dumps),
    "nan_literal": ("consumer", _set(("score",), float("nan")), _dumps),
    "duplicate_key": (
        "consumer",
        None,
        lambda rec: b'{"source": "chatgpt_plus", ' + _dumps(rec)[1:],
    ),
    "naive_message_timestamp": (
        "consumer",
        _set(("messages", 0, "created_at"), lambda r: _naive(_created(r))),
        _dumps,
    ),
    "date_only_updated_at": ("consumer", _set(("updated_at",), "2026-01-15"), _dumps),
    "messages_not_a_list": ("consumer", _set(("messages",), "hello there"), _dumps),
    "missing_messages": ("consumer", _drop("messages"), _dumps),
    "message_not_an_object": ("consumer", lambda g, rec: rec["messages"].append("hi"), _dumps),
    "is_temporary_not_bool": ("consumer", _set(("is_temporary",), "yes"), _dumps),
    "bad_role": ("consumer", _set(("messages", 0, "role"), "moderator"), _dumps),
    "content_not_string_or_list": ("consumer", _set(("messages", 0, "content"), 42), _dumps),
    "text_part_without_text": (
        "consumer",
        _set(("messages", 0, "content"), [{"type": "text"}]),
        _dumps,
    ),
    "code_part_non_string_text": (
        "consumer",
        _set(("messages", 0, "content"), [{"type": "code", "text": 42}]),
        _dumps,
    ),
    "part_type_not_string": (
        "consumer",
        _set(("messages", 0, "content"), [{"type": 7, "text": "hello"}]),
        _dumps,
    ),
    "missing_user_id_consumer": ("consumer", _drop("user_id"), _dumps),
    "null_user_id_consumer": ("consumer", _set(("user_id",), None), _dumps),
    "empty_user_id_team": ("business", _set(("user_id",), ""), _dumps),
    "missing_user_id_enterprise": ("business", _drop("user_id"), _dumps),
    "lone_surrogate": (
        "consumer",
        _set(("messages", 0, "content"), "broken \ud800 text"),
        lambda rec: _dumps(rec, ascii_only=True),
    ),
    "invalid_utf8": (
        "consumer",
        _set(("messages", 0, "content"), "INVALID_UTF8_HERE"),
        lambda rec: _dumps(rec).replace(b"INVALID_UTF8_HERE", b"caf\xe9 cr\xe8me"),
    ),
}


def _invalid(g: _Gen, kind: str) -> _Case:
    """V1: a record broken in exactly one way (its user would otherwise be eligible)."""
    case = _Case(g)
    base, mutate, serialise = _BREAKERS[kind]
    if base == "business":
        created = g.ago(2, 200)
        conv = _Conv(
            g, g.business_source(), created, workspace_id=_opted_in_workspace(case, created)
        ).chat()
    else:
        conv = _consumer(g, is_temporary=False)
    rec = copy.deepcopy(conv.record())
    if mutate is not None:
        mutate(g, rec)
    case.dead(serialise(rec), kind, rec)
    return case


def _invalid_deleted_temporary(g: _Gen) -> _Case:
    """V1 wins over D1 and T1: a deleted user's temporary chat with a naive timestamp."""
    case = _Case(g)
    user = g.user_id()
    conv = _consumer(g, user_id=user, is_temporary=True)
    case.delete_account(user, conv.created + g.days(1, 2))
    rec = copy.deepcopy(conv.record())
    rec["created_at"] = _naive(conv.created)
    case.dead(_dumps(rec), "naive_timestamp_deleted_user_temporary", rec)
    return case


def _conflicting_copies(g: _Gen, identical_extra: int) -> _Case:
    """Copies of one id that differ: every copy is dead-lettered."""
    case = _Case(g)
    rec = _consumer(g).record()
    data = _dumps(rec)
    case.dead(data, "conflicting_copies", rec)
    for _ in range(identical_extra):
        case.dead(data, "conflicting_copies", rec, delay=g.rng.randint(1, 25))
    other = copy.deepcopy(rec)
    other["messages"][-1]["content"] = g.rng.choice(FOLLOW_UPS) + " (edited)"
    case.dead(_dumps(other), "conflicting_copies", other, delay=g.rng.randint(1, 25))
    return case


# --------------------------------------------------------------------------- exclusions


def _account_deleted(g: _Gen, variant: str) -> _Case:
    """D1: every record of a user with an account-deletion request at or before as-of."""
    case = _Case(g)
    user = g.user_id()
    created = g.after_as_of() if variant == "created_after_as_of" else g.ago(5, 300)
    convs = [_consumer(g, created, user_id=user, is_temporary=variant == "temporary")]
    if variant == "every_source":
        c2 = g.ago(5, 300)
        convs.append(
            _Conv(
                g, g.business_source(), c2, user_id=user, workspace_id=_opted_in_workspace(case, c2)
            ).chat()
        )
        c3 = g.new_api_time(5)
        convs.append(_Conv(g, "api", c3, user_id=user, org_id=_opted_in_org(case, c3)).chat())
    if variant == "opted_out_user":
        case.consent(user, False, created - g.days(1, 30))
    if variant == "malformed_request":
        case.bad_event(
            "deletions", {"kind": "account", "user_id": user, "requested_at": _naive(g.ago(1, 4))}
        )
    else:
        request = {
            "before_created": created - g.days(1, 30),
            "at_as_of": g.as_of,
            "created_after_as_of": g.ago(1, 30),
        }.get(variant, created + g.days(0.1, 3))
        case.delete_account(user, request)
    for conv in convs:
        case.add(conv, ACCOUNT_DELETED)
    return case


def _conversation_deleted(g: _Gen, variant: str) -> _Case:
    """D2: the record's own deleted_at, or a conversation deletion request, at/before as-of."""
    case = _Case(g)
    created = g.ago(10, 300)
    later = g.as_of if variant.endswith("at_as_of") else created + g.days(0.1, 5)
    if variant == "api_no_org":
        conv = _Conv(g, "api", created, org_id=None, deleted_at=later).chat()
    elif variant == "temporary_unknown_source":
        conv = _consumer(g, created, source="Chatgpt_Free", is_temporary=True, deleted_at=later)
    elif variant.startswith("deleted_at"):
        conv = _consumer(g, created, deleted_at=later)
    else:
        conv = _consumer(g, created, deleted_at=None)
        if variant == "malformed_request":
            case.bad_event(
                "deletions",
                {"kind": "conversation", "conversation_id": conv.id, "requested_at": "yesterday"},
            )
        else:
            case.delete_conversation(conv.id, later)
    case.add(conv, CONVERSATION_DELETED)
    return case


def _temporary(g: _Gen, variant: str) -> _Case:
    """T1, also where later rules (U1, X1, B1/A1 context, C1) would match too."""
    case = _Case(g)
    created = g.after_as_of() if variant == "created_after_as_of" else g.ago(2, 300)
    if variant == "team":
        conv = _Conv(
            g,
            g.business_source(),
            created,
            is_temporary=True,
            workspace_id=_opted_in_workspace(case, created),
        ).chat()
    elif variant == "api":
        conv = _Conv(
            g,
            "api",
            created,
            is_temporary=True,
            org_id=_opted_in_org(case, created),
            user_id=_api_user(g),
        ).chat()
    elif variant == "unknown_source":
        conv = _consumer(g, created, source="chatgpt_pro", is_temporary=True)
    else:
        user = g.user_id()
        if variant == "opted_out_user":
            case.consent(user, False, created - g.days(1, 30))
        conv = _consumer(g, created, user_id=user, is_temporary=True)
    case.add(conv, TEMPORARY)
    return case


def _unknown_source(g: _Gen, source: str, variant: str = "") -> _Case:
    """U1: sources match exactly, case and whitespace included."""
    case = _Case(g)
    created = g.after_as_of() if variant == "created_after_as_of" else g.ago(2, 300)
    fields = {"user_id": ABSENT} if variant == "no_user_id" else {}
    case.add(_Conv(g, source, created, **fields).chat(), UNKNOWN_SOURCE)
    return case


def _fine_tune(g: _Gen, variant: str) -> _Case:
    """F1: fine-tuning uploads are never trained on, whatever the org's sharing."""
    case = _Case(g)
    created = {"created_after_as_of": g.after_as_of(), "old": g.old_api_time()}.get(
        variant, g.new_api_time()
    )
    org = None if variant == "no_org" else _opted_in_org(case, created)
    conv = _Conv(g, "api_fine_tune_upload", created, org_id=org, user_id=ABSENT)
    conv.say("system", "You are a customer-support assistant for a bike shop.", at=created)
    conv.turn(g.rng.choice(("pii", "clean")), at=created)
    case.add(conv, FINE_TUNE)
    return case


def _after_as_of(g: _Gen, variant: str) -> _Case:
    """X1: created after as-of (consent then not yet known)."""
    case = _Case(g)
    created = g.as_of + timedelta(seconds=1) if variant == "one_second_after" else g.after_as_of()
    if variant == "team_not_opted_in":
        conv = _Conv(g, g.business_source(), created, workspace_id=g.workspace_id()).chat()
    elif variant == "api_opted_in":
        conv = _Conv(
            g, "api", created, org_id=_opted_in_org(case, g.as_of), user_id=_api_user(g)
        ).chat()
    else:
        user = g.user_id()
        if variant == "opted_out_user":
            case.consent(user, False, g.ago(1, 30))
        conv = _consumer(g, created, user_id=user)
    case.add(conv, AFTER_AS_OF)
    return case


def _api_not_opted_in(g: _Gen, variant: str) -> _Case:
    """A1: current-rule API data without an org opt-in in force at creation."""
    case = _Case(g)
    created = {
        "no_events_recent": g.ago(1, 29),
        "exactly_30_days": g.as_of - RETENTION,
        "cutoff_boundary": A2_CUTOFF,
        "no_org_old": g.old_api_time(),
    }.get(variant) or g.new_api_time(31)
    org = g.org_id()
    fields: dict = {"org_id": org, "user_id": _api_user(g)}
    if variant in ("no_org_null", "no_org_old"):
        fields["org_id"] = None
    elif variant == "no_org_empty":
        fields["org_id"] = ""
    elif variant == "no_org_absent":
        fields["org_id"] = ABSENT
    elif variant == "opt_in_after_created":
        case.sharing("org", org, True, created + timedelta(seconds=g.rng.randint(1, 86400)))
    elif variant == "in_then_out":
        case.sharing("org", org, True, created - g.days(20, 60))
        case.sharing("org", org, False, created - g.days(1, 19))
    elif variant == "workspace_scope_only":
        case.sharing("workspace", org, True, created - g.days(1, 60))
    elif variant == "malformed_sharing":
        case.sharing("org", org, True, created - g.days(1, 60))
        case.bad_event(
            "sharing_events",
            {
                "scope": "org",
                "id": org,
                "sharing_enabled": True,
                "changed_at": created.strftime("%Y-%m-%d"),
            },
        )
    elif variant == "same_instant":
        instant = created - g.days(1, 60)
        case.sharing("org", org, False, instant)
        case.sharing("org", org, True, instant)
    elif variant == "opt_in_after_as_of":
        case.sharing("org", org, True, g.after_as_of())
    case.add(_Conv(g, "api", created, **fields).chat(), API_NOT_OPTED_IN)
    return case


def _api_opted_out(g: _Gen, variant: str) -> _Case:
    """A2: old API data whose org's sharing setting was off at creation."""
    case = _Case(g)
    created = g.old_api_time()
    org = g.org_id()
    if variant == "off_before":
        case.sharing("org", org, False, created - g.days(1, 60))
    elif variant == "off_at_created":
        case.sharing("org", org, False, created)
    elif variant == "on_then_off":
        case.sharing("org", org, True, created - g.days(31, 90))
        case.sharing("org", org, False, created - g.days(1, 30))
    elif variant == "same_instant":
        instant = created - g.days(1, 60)
        case.sharing("org", org, True, instant)
        case.sharing("org", org, False, instant)
    else:  # malformed_sharing: not sharing for the whole run
        case.bad_event(
            "sharing_events",
            {
                "scope": "org",
                "id": org,
                "sharing_enabled": "no",
                "changed_at": g.ts(created - g.days(1, 60)),
            },
        )
    case.add(_Conv(g, "api", created, org_id=org, user_id=_api_user(g)).chat(), API_OPTED_OUT)
    return case


def _business_not_opted_in(g: _Gen, variant: str) -> _Case:
    """B1: Team / Enterprise data without a workspace opt-in in force at creation."""
    case = _Case(g)
    source = g.business_source()
    created = g.ago(2, 300)
    ws = g.workspace_id()
    fields: dict = {"workspace_id": ws}
    if variant == "ws_null":
        fields["workspace_id"] = None
    elif variant == "ws_absent":
        fields["workspace_id"] = ABSENT
    elif variant == "ws_empty":
        fields["workspace_id"] = ""
    elif variant == "in_then_out":
        case.sharing("workspace", ws, True, created - g.days(20, 60))
        case.sharing("workspace", ws, False, created - g.days(1, 19))
    elif variant == "opt_in_after_created":
        case.sharing("workspace", ws, True, created + timedelta(seconds=g.rng.randint(1, 86400)))
    elif variant == "same_instant":
        instant = created - g.days(1, 60)
        case.sharing("workspace", ws, True, instant)
        case.sharing("workspace", ws, False, instant)
    elif variant == "malformed_sharing":
        case.sharing("workspace", ws, True, created - g.days(1, 60))
        case.bad_event(
            "sharing_events",
            {
                "scope": "workspace",
                "id": ws,
                "sharing_enabled": True,
                "changed_at": _naive(created - g.days(1, 60)),
            },
        )
    elif variant == "org_scope_only":
        case.sharing("org", ws, True, created - g.days(1, 60))
    case.add(_Conv(g, source, created, **fields).chat(), BUSINESS_REASON[source])
    return case


def _user_opted_out(g: _Gen, variant: str) -> _Case:
    """C1: consumer data created while the user's training setting was off."""
    case = _Case(g)
    user = g.user_id()
    created = g.ago(2, 300)
    if variant == "off_before":
        case.consent(user, False, created - g.days(1, 200))
    elif variant == "privacy_request":
        case.consent(user, False, created - g.days(1, 200), via="privacy_request")
    elif variant == "off_at_created":
        case.consent(user, False, created)
    elif variant == "same_instant":
        instant = created - g.days(1, 30)
        case.consent(user, True, instant)
        case.consent(user, False, instant)
    elif variant == "malformed_string_value":
        case.consent(user, True, created - g.days(1, 30))
        case.bad_event(
            "consent_events",
            {
                "user_id": user,
                "training_enabled": "false",
                "changed_at": g.ts(created - g.days(31, 60)),
                "via": "data_controls",
            },
        )
    elif variant == "malformed_int_value":
        case.bad_event(
            "consent_events",
            {
                "user_id": user,
                "training_enabled": 0,
                "changed_at": g.ts(created - g.days(1, 60)),
                "via": "privacy_request",
            },
        )
    else:  # malformed_timestamp: fail closed even though the event says "enabled"
        case.bad_event(
            "consent_events",
            {
                "user_id": user,
                "training_enabled": True,
                "changed_at": created.strftime("%Y-%m-%d"),
                "via": "data_controls",
            },
        )
    case.add(_consumer(g, created, user_id=user), USER_OPTED_OUT)
    return case


def _empty_after_trim(g: _Gen, variant: str) -> _Case:
    """No user message with non-blank text is left (trimmed or never there)."""
    case = _Case(g)
    created = g.ago(2, 300)
    if variant == "business_image_only":
        conv = _Conv(
            g, g.business_source(), created, workspace_id=_opted_in_workspace(case, created)
        )
    elif variant == "all_user_after_as_of":
        conv = _Conv(g, g.consumer_source(), g.as_of - timedelta(minutes=5))
    else:
        conv = _Conv(g, g.rng.choice(("chatgpt_free", "chatgpt_plus")), created)
    if variant == "all_user_trimmed_opt_out":
        off = created + timedelta(minutes=1)
        case.consent(conv.fields["user_id"], False, off)
        conv.system()
        conv.say("assistant", "Hi! How can I help you today?", at=created)
        conv.turn("pii", at=off + timedelta(minutes=2), fate=TRIM_OPT_OUT)
    elif variant == "all_user_after_as_of":
        conv.system(stamp="ts")
        conv.turn("pii", at=g.after_as_of(0.001, 1), fate=TRIM_AS_OF)
    elif variant == "no_user_messages":
        conv.system()
        conv.say("assistant", g.assistant_content("clean"))
    elif variant in ("blank_and_image_only", "business_image_only"):
        conv.say("user", "   \n\t ")
        conv.say("user", [{"type": "text", "text": ""}, g.image_part()])
        conv.say("assistant", g.assistant_content("clean"))
    # "empty_messages": messages is []
    case.add(conv, EMPTY)
    return case


# --------------------------------------------------------------------------- busy subjects


def _heavy_user(g: _Gen) -> _Case:
    """One consumer with many conversations across several off/on intervals."""
    case = _Case(g)
    user = g.user_id()
    a = g.as_of
    t1, t2, t3, t4, t5, t6 = (
        g.instant(a - timedelta(days=d)) for d in (300, 250, 200, 150, 100, 60)
    )
    case.consent(user, False, t1)
    case.consent(user, True, t2)
    case.consent(user, False, t3, via="privacy_request")
    case.consent(user, True, t4)
    case.consent(user, False, t5)
    case.consent(user, True, t5)  # same instant as the off event, written after it: off wins
    case.consent(user, True, t6)
    case.consent(user, False, a + timedelta(days=10))  # after as-of: ignored

    def conv(created: datetime, outcome: str, **fields) -> None:
        case.add(_consumer(g, created, user_id=user, **fields), outcome)

    conv(a - timedelta(days=330), WRITTEN)
    conv(t1, USER_OPTED_OUT)
    conv(t1 + g.days(1, 40), USER_OPTED_OUT)
    conv(t2, WRITTEN)
    conv(t2 + g.days(1, 40), WRITTEN)
    conv(t3 + g.days(1, 40), USER_OPTED_OUT)
    conv(t4 + g.days(1, 40), TEMPORARY, is_temporary=True)
    conv(t5, USER_OPTED_OUT)
    conv(t5 + g.days(1, 35), USER_OPTED_OUT)
    conv(t6 + g.days(1, 50), WRITTEN)
    # Spans the t3..t4 opt-out: messages in it are trimmed, the one at t4 is kept.
    spanning = _Conv(g, "chatgpt_plus", t3 - timedelta(hours=1), user_id=user)
    spanning.turn("pii", at=spanning.created)
    spanning.turn("follow_up", at=t3, fate=TRIM_OPT_OUT)
    spanning.turn("follow_up", at=t4)
    case.add(spanning, WRITTEN)
    # Created before as-of, continued after it (and after the ignored opt-out).
    late = _Conv(g, "chatgpt_free", a - timedelta(days=2), user_id=user)
    late.turn("pii", at=late.created, stamp="null")
    late.turn("follow_up", at=a + timedelta(days=11), fate=TRIM_AS_OF)
    case.add(late, WRITTEN)
    return case


def _busy_workspace(g: _Gen) -> _Case:
    """A workspace that opts in, out and in again, used by several users."""
    case = _Case(g)
    ws, source = g.workspace_id(), g.business_source()
    a = g.as_of
    t_in, t_out, t_in2 = (g.instant(a - timedelta(days=d)) for d in (200, 150, 100))
    case.sharing("workspace", ws, True, t_in)
    case.sharing("workspace", ws, False, t_out)
    case.sharing("workspace", ws, True, t_in2)
    users = [g.user_id() for _ in range(3)]
    not_in = BUSINESS_REASON[source]
    for created, outcome in (
        (a - timedelta(days=250), not_in),
        (t_in + g.days(1, 40), WRITTEN),
        (t_out, not_in),
        (t_out + g.days(1, 40), not_in),
        (t_in2, WRITTEN),
        (g.ago(2, 60), WRITTEN),
    ):
        conv = _Conv(g, source, created, workspace_id=ws, user_id=g.rng.choice(users)).chat()
        case.add(conv, outcome)
    return case


def _busy_org(g: _Gen) -> _Case:
    """An API org whose sharing changes across the A2 cut-off."""
    case = _Case(g)
    org = g.org_id()
    off_old, on, off_new = (
        A2_CUTOFF - timedelta(days=100),
        A2_CUTOFF - timedelta(days=30),
        g.instant(g.as_of - timedelta(days=100)),
    )
    case.sharing("org", org, False, off_old)
    case.sharing("org", org, True, on)
    case.sharing("org", org, False, off_new)
    new_on = A2_CUTOFF + (off_new - A2_CUTOFF) * g.rng.random()
    for created, outcome in (
        (A2_CUTOFF - timedelta(days=120), WRITTEN),
        (A2_CUTOFF - timedelta(days=50), API_OPTED_OUT),
        (A2_CUTOFF - timedelta(days=10), WRITTEN),
        (g.instant(new_on), WRITTEN),
        (off_new, API_NOT_OPTED_IN),
        (g.ago(2, 25), API_NOT_OPTED_IN),
    ):
        conv = _Conv(g, "api", created, org_id=org, user_id=_api_user(g)).chat()
        case.add(conv, outcome)
    return case


# --------------------------------------------------------------------------- control noise


def _control_noise(g: _Gen, stream: str) -> _Case:
    """Malformed control events whose subject cannot be read, next to an eligible record."""
    case = _eligible_consumer(g)
    when = g.ts(g.ago(1, 100))
    unreadable = {
        "consent_events": [
            {"training_enabled": False, "changed_at": when, "via": "data_controls"},
            {"user_id": "", "training_enabled": False, "changed_at": when},
        ],
        "sharing_events": [
            {"scope": "org", "sharing_enabled": True, "changed_at": when},
            {"scope": "project", "id": g.org_id(), "sharing_enabled": False, "changed_at": when},
        ],
        "deletions": [
            {"kind": "account", "requested_at": when},
            {"kind": "conversation", "conversation_id": "", "requested_at": when},
        ],
    }[stream]
    for payload in unreadable:
        case.bad_event(stream, payload)
    case.bad_event(stream, _dumps(unreadable[0])[:-9])  # truncated line
    if stream == "deletions":  # a valid request for a conversation nobody exported
        case.delete_conversation(g.uuid(), g.ago(1, 10))
    return case


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class _Scenario:
    name: str
    build: Callable[[_Gen], _Case]
    fill_weight: float = 0.0  # share in the fill after the coverage pass


def _variants(prefix: str, fn: Callable, names, weights: dict | None = None) -> list[_Scenario]:
    weights = weights or {}
    return [_Scenario(f"{prefix}:{n}", partial(fn, variant=n), weights.get(n, 0.0)) for n in names]


SCENARIOS: list[_Scenario] = [
    _Scenario("eligible:consumer", _eligible_consumer, 48),
    _Scenario("eligible:technical", _eligible_technical, 14),
    _Scenario("eligible:code_only_user_text", partial(_eligible_technical, code_only=True)),
    *_variants(
        "eligible:business",
        _eligible_business,
        ("before", "at_created", "out_after"),
        {"before": 5},
    ),
    *_variants("eligible:api", _eligible_api, ("before", "at_created"), {"before": 4}),
    *_variants(
        "eligible:api_old",
        _eligible_api_old,
        ("no_events", "on_before", "off_after", "off_then_on", "last_second"),
        {"no_events": 1},
    ),
    _Scenario("eligible:trim_opt_out_reenabled", partial(_trim_opt_out, reenable=True), 2),
    _Scenario("eligible:trim_opt_out", partial(_trim_opt_out, reenable=False), 1),
    *[
        _Scenario(f"eligible:trim_after_as_of_{c}", partial(_trim_after_as_of, category=c), w)
        for c, w in (("consumer", 0.5), ("team", 0), ("api", 0))
    ],
    _Scenario("eligible:created_exactly_at_as_of", _created_exactly_at_as_of),
    _Scenario("eligible:team_ignores_consumer_consent", _team_ignores_consumer_consent),
    _Scenario("eligible:consent_after_as_of_ignored", _consent_after_as_of_ignored),
    *_variants(
        "eligible:deletion_after_as_of",
        _deletion_after_as_of,
        ("account", "conversation", "deleted_at"),
    ),
    _Scenario("duplicate:eligible_one_extra", partial(_duplicate, copies=1), 1),
    _Scenario("duplicate:eligible_two_extra", partial(_duplicate, copies=2)),
    _Scenario("duplicate:account_deleted_temporary", partial(_duplicate, copies=1, excluded=True)),
    *[
        _Scenario(
            f"invalid:{k}",
            partial(_invalid, kind=k),
            0.4 if k in ("malformed_json", "naive_timestamp", "missing_user_id_consumer") else 0,
        )
        for k in _BREAKERS
    ],
    _Scenario("invalid:deleted_user_temporary", _invalid_deleted_temporary),
    _Scenario("invalid:conflicting_copies", partial(_conflicting_copies, identical_extra=0), 0.2),
    _Scenario(
        "invalid:conflicting_copies_with_identical_pair",
        partial(_conflicting_copies, identical_extra=1),
    ),
    *_variants(
        "account_deleted",
        _account_deleted,
        (
            "after_created",
            "before_created",
            "at_as_of",
            "malformed_request",
            "temporary",
            "created_after_as_of",
            "every_source",
            "opted_out_user",
        ),
        {"after_created": 2},
    ),
    *_variants(
        "conversation_deleted",
        _conversation_deleted,
        (
            "deleted_at",
            "deleted_at_at_as_of",
            "request",
            "request_at_as_of",
            "malformed_request",
            "temporary_unknown_source",
            "api_no_org",
        ),
        {"deleted_at": 2, "request": 1},
    ),
    *_variants(
        "temporary",
        _temporary,
        ("consumer", "team", "api", "unknown_source", "created_after_as_of", "opted_out_user"),
        {"consumer": 4},
    ),
    *[
        _Scenario(
            f"unknown_source:{s}{':' + v if v else ''}",
            partial(_unknown_source, source=s, variant=v),
            w,
        )
        for s, v, w in (
            ("Chatgpt_Free", "", 0.5),
            ("chatgpt_pro", "", 0.5),
            ("CHATGPT_PLUS", "", 0),
            ("sora", "", 0),
            ("chatgpt_free ", "", 0),
            ("API_FINE_TUNE_UPLOAD", "", 0),
            ("Chatgpt_Free", "no_user_id", 0),
            ("chatgpt_pro", "created_after_as_of", 0),
        )
    ],
    *_variants(
        "fine_tune",
        _fine_tune,
        ("opted_in_org", "no_org", "created_after_as_of", "old"),
        {"opted_in_org": 1},
    ),
    *_variants(
        "created_after_as_of",
        _after_as_of,
        ("consumer", "one_second_after", "team_not_opted_in", "api_opted_in", "opted_out_user"),
        {"consumer": 1},
    ),
    *_variants(
        "api_not_opted_in",
        _api_not_opted_in,
        (
            "no_events_recent",
            "no_events_old",
            "exactly_30_days",
            "cutoff_boundary",
            "no_org_null",
            "no_org_empty",
            "no_org_absent",
            "no_org_old",
            "opt_in_after_created",
            "in_then_out",
            "workspace_scope_only",
            "malformed_sharing",
            "same_instant",
            "opt_in_after_as_of",
        ),
        {"no_events_recent": 2, "no_events_old": 2},
    ),
    *_variants(
        "api_opted_out",
        _api_opted_out,
        ("off_before", "off_at_created", "on_then_off", "same_instant", "malformed_sharing"),
        {"off_before": 0.3},
    ),
    *_variants(
        "business_not_opted_in",
        _business_not_opted_in,
        (
            "no_events",
            "ws_null",
            "ws_absent",
            "ws_empty",
            "in_then_out",
            "opt_in_after_created",
            "same_instant",
            "malformed_sharing",
            "org_scope_only",
        ),
        {"no_events": 3},
    ),
    *_variants(
        "user_opted_out",
        _user_opted_out,
        (
            "off_before",
            "privacy_request",
            "off_at_created",
            "same_instant",
            "malformed_string_value",
            "malformed_int_value",
            "malformed_timestamp",
        ),
        {"off_before": 6},
    ),
    *_variants(
        "empty_after_trim",
        _empty_after_trim,
        (
            "all_user_trimmed_opt_out",
            "all_user_after_as_of",
            "no_user_messages",
            "blank_and_image_only",
            "empty_messages",
            "business_image_only",
        ),
        {"no_user_messages": 0.5},
    ),
    _Scenario("busy:heavy_user", _heavy_user),
    _Scenario("busy:workspace", _busy_workspace),
    _Scenario("busy:org", _busy_org),
    *[_Scenario(f"control_noise:{s}", partial(_control_noise, stream=s)) for s in CONTROL_STREAMS],
]
_FILL = [s for s in SCENARIOS if s.fill_weight > 0]


def _cases(g: _Gen, n_records: int):
    """Yield named cases totalling exactly ``n_records`` conversation records: an ordinary
    eligible record first (it carries the file's byte-order mark), the coverage pass (every
    scenario once, shuffled, as far as the budget allows), then the weighted fill."""
    remaining = n_records
    coverage = list(SCENARIOS)
    g.rng.shuffle(coverage)
    for scenario in [SCENARIOS[0], *coverage]:
        case = scenario.build(g)
        if len(case.lines) <= remaining:
            remaining -= len(case.lines)
            yield scenario.name, case
    weights = [s.fill_weight for s in _FILL]
    while remaining:
        scenario = g.rng.choices(_FILL, weights)[0]
        case = scenario.build(g)
        if len(case.lines) > remaining:
            scenario = SCENARIOS[0]
            case = scenario.build(g)
        remaining -= len(case.lines)
        yield scenario.name, case


# --------------------------------------------------------------------------- writing


class _Writer:
    """Streams lines to the output files and accumulates the truth as it goes."""

    def __init__(self, out: Path, g: _Gen, truth: Truth, n_records: int):
        self.g = g
        self.truth = truth
        self.files = {
            name: open(out / f"{name}.jsonl", "wb") for name in ("conversations", *CONTROL_STREAMS)
        }
        self.line_no: Counter = Counter()
        self.case_no = 0
        self.pending: list[tuple[int, _Line]] = []
        self.blank_after = set(g.rng.sample(range(1, n_records), min(2, max(n_records - 1, 0))))
        self.blanks = [b"", b"  \t "]
        self.excluded: Counter = Counter()
        self.by_source: dict = defaultdict(Counter)

    def _physical(self, stream: str, data: bytes, crlf: bool = False) -> int:
        self.files[stream].write(data + (b"\r\n" if crlf else b"\n"))
        self.line_no[stream] += 1
        return self.line_no[stream]

    def write_case(self, name: str, case: _Case) -> None:
        self.case_no += 1
        for event in case.events:
            self._write_event(event)
        for line in case.lines:
            line.case = name
            if line.delay:
                self.pending.append((self.case_no + line.delay, line))
            else:
                self._write_record(line)
        due = [p for p in self.pending if p[0] <= self.case_no]
        self.pending = [p for p in self.pending if p[0] > self.case_no]
        for _, line in due:
            self._write_record(line)

    def _write_event(self, event: _Event) -> None:
        number = self._physical(event.stream, event.data)
        if number == 1:
            self._physical(event.stream, b"")  # one blank line per control file
        if event.dead:
            self.truth.expected_control_events_dead_lettered[event.stream] += 1
            self.truth.control_dead_letter_lines[event.stream].append(number)

    def _write_record(self, line: _Line) -> None:
        t = self.truth
        data = _BOM + line.data if t.records_read == 0 else line.data
        crlf = line.outcome not in (DUPLICATE, DEAD_LETTER) and self.g.chance(0.03)
        number = self._physical("conversations", data, crlf)
        t.records_read += 1
        if line.conversation_id and line.conversation_id not in t.case_of_conversation:
            t.case_of_conversation[line.conversation_id] = line.case
        if line.outcome == WRITTEN:
            t.expected_written += 1
            t.eligible_conversation_ids.append(line.conversation_id)
            t.expected_messages_trimmed_after_opt_out += line.trimmed[TRIM_OPT_OUT]
            t.expected_messages_trimmed_after_as_of += line.trimmed[TRIM_AS_OF]
            t.planted_pii.extend(line.pii)
        elif line.outcome == DEAD_LETTER:
            t.expected_dead_lettered += 1
            t.dead_letter_lines.append(
                {
                    "line": number,
                    "conversation_id": line.conversation_id,
                    "error": line.error,
                    "case": line.case,
                }
            )
        else:
            self.excluded[line.outcome] += 1
            bucket = line.source if line.source in POLICY_SOURCES else UNRECOGNISED
            self.by_source[bucket][line.outcome] += 1
            t.expected_api_past_retention += line.past_retention
            if line.outcome == DUPLICATE:
                extra = t.duplicate_extra_copies
                extra[line.conversation_id] = extra.get(line.conversation_id, 0) + 1
            else:
                t.excluded_conversation_ids[line.conversation_id] = line.outcome
        if t.records_read in self.blank_after:
            self._physical("conversations", self.blanks.pop())

    def close(self) -> None:
        for _, line in self.pending:
            self._write_record(line)
        self._physical("conversations", b"")  # trailing blank line
        for f in self.files.values():
            f.close()
        self.truth.expected_excluded = {
            k: self.excluded[k] for k in REASON_CODES if self.excluded[k]
        }
        self.truth.by_source_reason = {
            s: dict(sorted(c.items())) for s, c in sorted(self.by_source.items())
        }


# --------------------------------------------------------------------------- entry points


def parse_as_of(value: str) -> datetime:
    """An RFC 3339 instant with an offset or Z, from 2024 on (the cases need room before it)."""
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        raise ValueError(f"--as-of needs an offset or Z: {value!r}")
    if dt < EARLIEST_AS_OF:
        raise ValueError(f"--as-of must be on or after {_rfc3339(EARLIEST_AS_OF)}: {value!r}")
    return dt.astimezone(UTC)


def generate(
    out_dir,
    n_conversations: int = DEFAULT_CONVERSATIONS,
    seed: int = DEFAULT_SEED,
    as_of: str = DEFAULT_AS_OF,
) -> Truth:
    """Write the sample inputs and truth.json into ``out_dir``; return the truth."""
    if n_conversations < 1:
        raise ValueError("n_conversations must be at least 1")
    as_of_dt = parse_as_of(as_of)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    g = _Gen(seed, as_of_dt)
    truth = Truth(as_of=_rfc3339(as_of_dt), seed=seed)
    writer = _Writer(out, g, truth, n_conversations)
    try:
        for name, case in _cases(g, n_conversations):
            writer.write_case(name, case)
    finally:
        writer.close()
    (out / "truth.json").write_text(
        json.dumps(truth.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.generate_sample", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--out", required=True, help="output directory (created if absent)")
    parser.add_argument(
        "--conversations",
        type=int,
        default=DEFAULT_CONVERSATIONS,
        help=f"number of conversation records (default {DEFAULT_CONVERSATIONS})",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--as-of",
        default=DEFAULT_AS_OF,
        help=f"evaluation instant, RFC 3339 (default {DEFAULT_AS_OF})",
    )
    args = parser.parse_args(argv)
    try:
        truth = generate(args.out, args.conversations, args.seed, args.as_of)
    except ValueError as err:
        parser.error(str(err))
    summary = {
        k: getattr(truth, k)
        for k in (
            "as_of",
            "records_read",
            "expected_written",
            "expected_dead_lettered",
            "expected_excluded",
            "expected_control_events_dead_lettered",
        )
    }
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
