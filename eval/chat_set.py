"""A chat-shaped labelled set from a seeded generator (no other randomness).

Conversations of two to four messages in the style of assistant chats, with
the personal data that chat brings and public data sets lack: lowercase
names, nicknames, typos (in names and in the words around them), names in
code comments, multi-line postal addresses, international phone formats,
e-mails and IPs in pasted logs, keys in pasted code, and, in the same
conversations, things that are not personal data and must stay (a city in a
travel question, product and company names, code identifiers, versions,
dates, amounts, documentation addresses).

Labels follow the product's definition of personal data (README, "PII
redaction"): a place is labelled LOCATION only where it is someone's home; a
postal address is one STREET_ADDRESS span from the street to the postal code
or country, without the addressee's name. Some labelled cases are hard on
purpose (a bare lowercase first name with no cue, a username in a TODO); they
are not tuned away. The name and place lists are the generator's own.
"""

from __future__ import annotations

import random
from typing import Callable, Iterable, List, Sequence, Tuple, Union

SEED = 2718
CONVERSATIONS = 300

FIRST = (
    "Amara Bjorn Camille Dmitri Esperanza Farid Greta Hiroshi Ingrid Joaquim Kateryna "
    "Lorenzo Malika Nils Oluwaseun Paloma Quentin Rasmus Siobhan Tomasz Ulrike Valentin "
    "Wanjiru Xiomara Yusuf Zsofia Aurelio Beatriz Cormac Delphine"
).split()
LAST = (
    "Okonkwo Lindqvist Moreau Petrov Villalobos Haddad Sorensen Takahashi Bergstrom Azevedo "
    "Shevchenko Bianchi Rahimova Eriksen Adeyemi Castillo Fournier Holm Gallagher Wozniak "
    "Brandt Lefebvre Mwangi Restrepo Demir Kovacs Salvatore Figueiredo Doherty Marchetti"
).split()
NICKNAMES = {
    "Dmitri": "Dima",
    "Esperanza": "Espe",
    "Kateryna": "Katya",
    "Lorenzo": "Enzo",
    "Tomasz": "Tomek",
    "Valentin": "Val",
    "Beatriz": "Bia",
    "Joaquim": "Quim",
    "Oluwaseun": "Seun",
    "Xiomara": "Xio",
}
STREETS = (
    "Maple Grove Road",
    "Harbour Street",
    "Linden Avenue",
    "Quarry Lane",
    "Birchwood Drive",
    "Old Mill Road",
    "Kingfisher Close",
    "Elm Terrace",
)
FOREIGN_STREETS = (
    ("Rua das Flores", "4050-262 Porto", "Portugal"),
    ("Calle de Alcalá", "28014 Madrid", "Spain"),
    ("Hauptstraße", "10827 Berlin", "Germany"),
    ("Rue de la Roquette", "75011 Paris", "France"),
    ("Kungsgatan", "111 43 Stockholm", "Sweden"),
)
US_CITIES = (
    ("Springfield", "IL", "62704"),
    ("Portland", "OR", "97205"),
    ("Austin", "TX", "78701"),
    ("Madison", "WI", "53703"),
)
HOME_CITIES = ("Porto", "Leeds", "Tampere", "Gdansk", "Valparaiso", "Nagoya", "Kraków", "Cork")
TRAVEL_CITIES = (
    "Lisbon",
    "Kyoto",
    "Reykjavik",
    "Marrakech",
    "Vancouver",
    "Buenos Aires",
    "Prague",
    "Edinburgh",
)
PRODUCTS = (
    "Visual Studio Code",
    "PostgreSQL",
    "Kubernetes",
    "GitHub Actions",
    "Slack",
    "Microsoft Excel",
    "Notion",
    "Figma",
)

Part = Union[str, Tuple[str, str]]


class Gen:
    """Seeded values."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, options):
        return self.rng.choice(options)

    def person(self) -> tuple[str, str]:
        return self.pick(FIRST), self.pick(LAST)

    def typo(self, word: str) -> str:
        """Swap two neighbouring letters inside ``word``."""
        if len(word) < 4:
            return word
        i = self.rng.randrange(1, len(word) - 2)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]

    def phone(self) -> str:
        r = self.rng.randint
        return self.pick(
            (
                f"+44 20 7{r(100, 999)} {r(1000, 9999)}",
                f"+44 7{r(700, 999)} {r(100000, 999999)}",
                f"+49 30 {r(200000, 999999)}{r(10, 99)}",
                f"+33 6 {r(10, 99)} {r(10, 99)} {r(10, 99)} {r(10, 99)}",
                f"+81 3-{r(1000, 9999)}-{r(1000, 9999)}",
                f"+91 98{r(100, 999)} {r(10000, 99999)}",
                f"+55 11 9{r(1000, 9999)}-{r(1000, 9999)}",
                f"(415) {r(201, 899)}-{r(1000, 9999)}",
                f"0049 89 {r(1000000, 9999999)}",
                f"+61 2 {r(8000, 9999)} {r(1000, 9999)}",
            )
        )

    def email(self, first: str, last: str) -> str:
        domain = self.pick(("gmail.com", "outlook.com", "proton.me", "fastmail.fm", "web.de"))
        return (
            self.pick(
                (f"{first}.{last}", f"{first[0]}{last}", f"{first}{self.rng.randint(1, 99)}")
            ).lower()
            + "@"
            + domain
        )

    def public_ip(self) -> str:
        r = self.rng.randint
        return f"{self.pick((81, 89, 146, 178, 185, 212))}.{r(1, 254)}.{r(0, 255)}.{r(1, 254)}"

    def us_address(self) -> tuple[str, str]:
        city, state, zip_code = self.pick(US_CITIES)
        return f"{self.rng.randint(12, 9800)} {self.pick(STREETS)}", f"{city}, {state} {zip_code}"

    def foreign_address(self) -> tuple[str, str, str]:
        street, city, country = self.pick(FOREIGN_STREETS)
        return f"{street} {self.rng.randint(2, 180)}", city, country

    def api_key(self) -> str:
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return "sk-proj-" + "".join(self.pick(alphabet) for _ in range(48))


def compose(*parts: Part) -> Tuple[str, list]:
    text, spans = "", []
    for part in parts:
        if isinstance(part, tuple):
            value, entity = part
            spans.append({"start": len(text), "end": len(text) + len(value), "entity_type": entity})
            text += value
        else:
            text += part
    return text, spans


def one_message_cases(messages: Iterable[Sequence[Part]], lookalikes: Iterable[str]) -> list:
    """Labelled one-message cases from composed parts, then look-alikes (no gold)."""
    cases = []
    for parts in messages:
        text, spans = compose(*parts)
        cases.append({"messages": [text], "spans": [{**s, "message": 0} for s in spans]})
    return cases + [{"messages": [text], "spans": []} for text in lookalikes]


P, A, L, PH, E, IP, K = (
    "PERSON",
    "STREET_ADDRESS",
    "LOCATION",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "IP_ADDRESS",
    "API_KEY",
)


def _lowercase_intro(g: Gen):
    first, last = g.person()
    return [
        compose(
            "hi! my name is ",
            (f"{first} {last}".lower(), P),
            " and i need a cover letter for a barista job in ",
            g.pick(TRAVEL_CITIES),
            ".",
        ),
        compose("Happy to help! What experience should I mention?"),
        compose("i worked 2 years at a cafe. sign it as ", (first.lower(), P), " please"),
    ]


def _relation(g: Gen):
    first, last = g.person()
    relation = g.pick(("sister", "boss", "neighbour", "roommate", "friend", "colleague"))
    return [
        compose(
            "can you write a short birthday note for my ",
            relation,
            " ",
            (f"{first} {last}".lower(), P),
            "? keep it under 50 words",
        ),
        compose(
            "Of course. Here's a draft:\n\nHappy birthday, ",
            (first, P),
            "! Wishing you a wonderful year ahead.",
        ),
    ]


def _nickname(g: Gen):
    first = g.pick(sorted(NICKNAMES))
    last = g.pick(LAST)
    return [
        compose(
            "I'm ",
            (f"{first} {last}", P),
            " but everyone calls me ",
            (NICKNAMES[first], P),
            ". How do I set a display name in ",
            g.pick(PRODUCTS),
            "?",
        ),
        compose("Open your profile settings and edit the display name field."),
        compose("thx! I'll put ", (NICKNAMES[first].lower(), P), " there"),
    ]


def _typos(g: Gen):
    first, last = g.person()
    return [
        compose(
            "my nmae is ",
            (f"{g.typo(first)} {last}", P),
            ", pls fix the grammer in my email to ",
            (f"Mr. {g.pick(LAST)}"[4:], P),
            " about the invoice",
        )
    ]


def _code_comment(g: Gen):
    first, last = g.person()
    other, other_last = g.person()
    return [
        compose(
            "why does this time out?\n```python\n# TODO(",
            (f"{first}.{last}".lower(), P),
            "): add retries\ndef fetch(url):\n    # ",
            (f"{other} {other_last}", P),
            " said 5 seconds is enough\n    return requests.get(url, timeout=5)\n```",
        ),
        compose(
            "The timeout is per request; `requests.get` does not retry by itself. "
            "Wrap it with `urllib3.util.Retry`."
        ),
    ]


def _us_address(g: Gen):
    first, last = g.person()
    street, city_line = g.us_address()
    return [
        compose(
            "format this as a shipping label:\n",
            (f"{first} {last}", P),
            "\n",
            (f"{street}\n{city_line}", A),
            "\nphone ",
            (g.phone(), PH),
        )
    ]


def _foreign_address(g: Gen):
    first, last = g.person()
    street, city, country = g.foreign_address()
    return [
        compose(
            "Please translate my address for a customs form:\n", (f"{street}\n{city}\n{country}", A)
        ),
        compose("Here it is in English order, ", (first, P), ":"),
        compose("thanks. the parcel is for ", (f"{first} {last}", P), ", same address"),
    ]


def _phones(g: Gen):
    first, last = g.person()
    return [
        compose(
            "Draft a text to my landlord ",
            (f"{first} {last}", P),
            ": the heating is broken, call me on ",
            (g.phone(), PH),
            " or ",
            (g.phone(), PH),
            " after 6pm.",
        ),
        compose(
            "Hi ",
            (first, P),
            ", the heating in my flat is broken. Could you call me after 6pm? Thanks!",
        ),
    ]


def _log_paste(g: Gen):
    first, last = g.person()
    email = g.email(first, last)
    return [
        compose(
            "our login keeps failing, log below:\n```\n2024-05-01 10:22:01 WARN auth failed user=",
            (email, E),
            " ip=",
            (g.public_ip(), IP),
            " agent=Mozilla/5.0\n2024-05-01 10:22:03 INFO retry from 10.0.3.17\n```",
        ),
        compose(
            "The second line comes from a private address inside your network; the first "
            "is an external client. Check the account lockout policy."
        ),
    ]


def _key_paste(g: Gen):
    first, last = g.person()
    return [
        compose(
            "hey it's ",
            (first, P),
            " again. this worked yesterday:\n```python\n"
            'import openai\nclient = openai.OpenAI(api_key="',
            (g.api_key(), K),
            '")\n```\nnow i get 401',
        )
    ]


def _home_city(g: Gen):
    city = g.pick(HOME_CITIES)
    travel = g.pick(TRAVEL_CITIES)
    return [
        compose(
            "I live in ",
            (city, L),
            " and I'm flying to ",
            travel,
            " next week. What should I pack for ",
            travel,
            " in March?",
        )
    ]


def _travel_only(g: Gen):
    city = g.pick(TRAVEL_CITIES)
    return [
        compose(f"What are three things to do in {city} on a rainy day?"),
        compose(f"In {city} you could visit a museum, try a food market, or take a cooking class."),
    ]


def _products(g: Gen):
    return [
        compose(
            f"Is {g.pick(PRODUCTS)} better than {g.pick(PRODUCTS)} for a team of 5? "
            "We're on Windows 11 and macOS 14."
        )
    ]


def _code_identifiers(g: Gen):
    return [
        compose(
            "Refactor this please:\n```java\npublic class AccountManager {\n"
            "    private final UserRepository userRepository;\n"
            "    public Optional<User> findByEmail(String email) {\n"
            "        return userRepository.findByEmail(email.trim());\n    }\n}\n```"
        )
    ]


def _custom_instructions(g: Gen):
    first, last = g.person()
    city = g.pick(HOME_CITIES)
    return [
        compose(
            "About me: I'm ",
            (f"{first} {last}", P),
            ", a nurse living in ",
            (city, L),
            ". Email me drafts at ",
            (g.email(first, last), E),
            ". Keep answers short.",
        )
    ]


def _greeting_only(g: Gen):
    first = g.pick(FIRST)
    return [
        compose("can you ask ", (first.lower(), P), " to send the slides?"),
        compose("I can't contact people, but here's a message you could send."),
    ]


TEMPLATES: List[Callable[[Gen], list]] = [
    _lowercase_intro,
    _relation,
    _nickname,
    _typos,
    _code_comment,
    _us_address,
    _foreign_address,
    _phones,
    _log_paste,
    _key_paste,
    _home_city,
    _travel_only,
    _products,
    _code_identifiers,
    _custom_instructions,
    _greeting_only,
]


def build_cases(seed: int = SEED, n: int = CONVERSATIONS) -> list[dict]:
    """``n`` conversations, cycling through the templates with seeded values."""
    g = Gen(random.Random(seed))
    cases = []
    for i in range(n):
        messages = TEMPLATES[i % len(TEMPLATES)](g)
        cases.append(
            {
                "messages": [text for text, _ in messages],
                "spans": [
                    {**span, "message": index}
                    for index, (_, spans) in enumerate(messages)
                    for span in spans
                ],
            }
        )
    return cases
