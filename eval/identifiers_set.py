"""Handles, profile links and quasi-identifiers: a labelled set from a seeded
generator (no other randomness), with look-alikes that must stay.

Positives, one value per message in chat, logs, tracebacks, shell sessions,
configs and forms: ``@mentions``, ``u/name`` and handles after "follow me
on"; the account of social and code-hosting profile links; user names after
a cue and in shell prompts; home directories; host names with the owner's
name; dates of birth after a cue; national ids with valid checksums in their
local shapes and words. Look-alikes (no personal data): decorators and
annotations, scoped packages, e-mail addresses, organisations' repositories,
generic homes, service accounts, build hosts, release dates and deadlines,
order numbers, hashes and invalid checksums.

Gold spans cover the personal part only: the handle with its ``@`` or
``u/``, a profile link's account, a home directory's user segment, the
whole host name, the date, the id. The name and word lists are the
generator's own; account names are built from them in the shapes people
use (``first.last``, ``flast``, ``firstlast92`` ...).
"""

from __future__ import annotations

import random
import string
from typing import Callable

from eval.chat_set import one_message_cases
from transforms.pii.recognizers import identity

SEED = 4242
TYPES = (
    "USER_HANDLE",
    "PROFILE_URL",
    "USERNAME",
    "HOME_PATH",
    "HOSTNAME",
    "DATE_OF_BIRTH",
    "NATIONAL_ID",
)
FIRST = (
    "Amaru Bronwyn Caetano Dagny Eero Fenna Gwilym Halima Imogen Jarrah Kalani Leocadia "
    "Mirela Nnamdi Orla Piotr Quilla Radek Saoirse Teodora Ulla Vikram Wiebke Xochitl Yaroslav "
    "Zainab Anouk Bastien Chiara Dorota Emeka Florin Giedre Henrike Idris Jolien"
).split()
LAST = (
    "Abernathy Bakshi Cieslak Dunleavy Esterhazy Fagerlund Grünewald Hadzic Iwasaki Jablonski "
    "Kowalczyk Lindgren Mbeki Nakashima Oyelaran Pellegrini Quaresma Rautio Szabo Tanaka "
    "Uriarte Vasquez Wojcik Yilmaz Zeller Achterberg Brennan Castellanos Delacroix Engström"
).split()


class Gen:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, options):
        return self.rng.choice(options)

    def account(self) -> str:
        first = self.pick(FIRST).lower()
        last = self.pick(LAST).lower().replace("ü", "u").replace("ö", "o")
        n = self.rng.randint(1, 99)
        return self.pick(
            (
                f"{first}.{last}",
                f"{first}_{last}",
                f"{first}{last}",
                f"{first[0]}{last}",
                f"{first}{n}",
                f"{first}_{last}{n}",
                f"{first}-{last}",
                f"{first.title()}{last.title()}",
                f"{last}{first[0]}",
            )
        )

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(n))

    def valid(self, make: Callable[[], str], check: Callable[[str], bool]) -> str:
        while True:
            value = make()
            if check(value):
                return value

    def date(self) -> str:
        d, m, y = self.rng.randint(1, 28), self.rng.randint(1, 12), self.rng.randint(1940, 2006)
        months = "January February March April May June July August September October November December".split()
        return self.pick(
            (
                f"{d:02d}/{m:02d}/{y}",
                f"{y}-{m:02d}-{d:02d}",
                f"{months[m - 1]} {d}, {y}",
                f"{d} {months[m - 1]} {y}",
                f"{d}.{m:02d}.{y}",
                f"{m}/{d}/{y}",
            )
        )


def _handles(g: Gen) -> list:
    a = g.account()
    platform = g.pick(("instagram", "twitter", "tiktok", "insta", "twitch"))
    return g.pick(
        (
            ["thanks ", (f"@{a}", "USER_HANDLE"), " for the review, merging now"],
            ["can you write a reply to ", (f"@{a}", "USER_HANDLE"), "? they were rude"],
            [(f"@{a}", "USER_HANDLE"), " said the build is green"],
            ["a post by ", (f"u/{a}", "USER_HANDLE"), " on r/personalfinance says so"],
            [f"follow me on {platform}: ", (a, "USER_HANDLE")],
            [f"my {platform} is ", (f"@{a}", "USER_HANDLE"), " if you want to see the art"],
            ["Discord: ", (a, "USER_HANDLE"), "\nTimezone: CET"],
        )
    )


def _profiles(g: Gen) -> list:
    a = g.account().replace(".", "-")
    return g.pick(
        (
            ["my code is at https://github.com/", (a, "PROFILE_URL"), "/portfolio-site"],
            ["git clone git@github.com:", (a, "PROFILE_URL"), "/dotfiles.git fails"],
            ["Profile: https://www.linkedin.com/in/", (f"{a}-{g.digits(4)}", "PROFILE_URL"), "/"],
            [
                "see https://twitter.com/",
                (a.replace("-", "_"), "PROFILE_URL"),
                "/status/",
                g.digits(12),
            ],
            ["https://gitlab.com/", (a, "PROFILE_URL"), "/thesis is my repo"],
            ["my blog is ", (a, "PROFILE_URL"), ".github.io"],
            ["https://www.instagram.com/", (a.replace("-", "."), "PROFILE_URL"), "/"],
            ["my channel: youtube.com/@", (a, "PROFILE_URL")],
        )
    )


def _usernames(g: Gen) -> list:
    a = g.account().lower()
    host = g.pick(("devbox", "ubuntu", "server", "raspberrypi"))
    return g.pick(
        (
            ["my username is ", (a, "USERNAME"), " but I forgot the password"],
            ["Username: ", (a, "USERNAME"), "\nEmail verified: yes"],
            ["I'm logged in as ", (a, "USERNAME"), " and still get 403"],
            [(a.split(".")[0], "USERNAME"), f"@{host}:~$ sudo apt update"],
            ["ssh ", (a.replace(".", ""), "USERNAME"), "@10.1.4.20 -p 2222 hangs"],
        )
    )


def _homes(g: Gen) -> list:
    a = g.account()
    return g.pick(
        (
            ['File "/home/', (a.lower(), "HOME_PATH"), '/project/app.py", line 12, in <module>'],
            ["ls: cannot access '/Users/", (a, "HOME_PATH"), "/Desktop/notes': No such file"],
            ["Saved to C:\\Users\\", (a, "HOME_PATH"), "\\Documents\\report.xlsx"],
            ["export PATH=/home/", (a.lower(), "HOME_PATH"), "/.local/bin:$PATH"],
            ['"cwd": "C:/Users/', (a, "HOME_PATH"), '/repos/api"'],
        )
    )


def _hosts(g: Gen) -> list:
    first = g.pick(FIRST)
    device = g.pick(("MacBook-Pro", "MacBook-Air", "iMac", "laptop", "ThinkPad", "PC"))
    host = g.pick((f"{first}s-{device}", f"{first.lower()}-{device.lower()}", f"{device}-{first}"))
    return g.pick(
        (
            ["Connection to ", (f"{host}.local", "HOSTNAME"), " closed."],
            ["hostname prints ", (host, "HOSTNAME"), " on my machine"],
            ["[INFO] worker started on ", (host, "HOSTNAME"), " pid=4411"],
        )
    )


def _births(g: Gen) -> list:
    d = g.date()
    return g.pick(
        (
            ["Date of birth: ", (d, "DATE_OF_BIRTH"), "\nNationality: Irish"],
            ["I was born on ", (d, "DATE_OF_BIRTH"), ", am I eligible?"],
            ["my DOB is ", (d, "DATE_OF_BIRTH"), " and the form rejects it"],
            ["her birthday is ", (d, "DATE_OF_BIRTH"), ", what gift should I get?"],
        )
    )


def _national(g: Gen) -> list:
    i = identity
    kinds = (
        ("BSN ", lambda: g.digits(9), i.nl_bsn),
        ("meine Steuer-ID ist ", lambda: g.pick("123456789") + g.digits(10), i.de_tax_id),
        ("DNI: ", lambda: g.digits(8) + g.pick(string.ascii_uppercase), i.es_dni),
        ("codice fiscale ", lambda: _cf(g), i.it_fiscal_code),
        ("CPF ", lambda: _cpf(g), i.br_cpf),
        ("PESEL: ", lambda: g.digits(11), i.pl_pesel),
        ("NIF ", lambda: g.pick("123") + g.digits(8), i.pt_nif),
        ("personnummer ", lambda: _pnr(g), i.se_personnummer),
        (
            "AHV-Nr. ",
            lambda: "756." + g.digits(4) + "." + g.digits(4) + "." + g.digits(2),
            i.ch_ahv,
        ),
        ("numéro de sécurité sociale : ", lambda: _nir(g), i.fr_nir),
    )
    cue, make, check = g.pick(kinds)
    return [f"{cue}", (g.valid(make, check), "NATIONAL_ID"), " — is it safe to share?"]


def _cf(g: Gen) -> str:
    letters = "".join(g.pick(string.ascii_uppercase) for _ in range(6))
    body = f"{letters}{g.digits(2)}{g.pick('ABCDEHLMPRST')}{g.digits(2)}{g.pick('ABCDEFGHLMZ')}{g.digits(3)}"
    return body + g.pick(string.ascii_uppercase)


def _cpf(g: Gen) -> str:
    d = g.digits(11)
    return f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}"


def _pnr(g: Gen) -> str:
    return (
        f"{g.rng.randint(40, 99)}{g.rng.randint(1, 12):02d}{g.rng.randint(1, 28):02d}-{g.digits(4)}"
    )


def _nir(g: Gen) -> str:
    return f"{g.pick('12')}{g.rng.randint(40, 99)}{g.rng.randint(1, 12):02d}{g.digits(10)}"


GENERATORS = (_handles, _profiles, _usernames, _homes, _hosts, _births, _national)

LOOKALIKES = [
    "Use @dataclass(frozen=True) instead of writing __init__ by hand.",
    "```java\n@Override\npublic String toString() {\n    return name;\n}\n```",
    "```python\n@app.route('/health')\ndef health():\n    return 'ok'\n```",
    "```python\n@pytest.fixture\ndef client():\n    return TestClient(app)\n```",
    "npm install --save-dev @types/node @typescript-eslint/parser",
    "import { Component } from '@angular/core';",
    "@media (max-width: 600px) { .nav { display: none; } }",
    "/**\n * @param items the list\n * @returns the sorted list\n */",
    "cc @everyone the release is out",
    "write to support@fastmail.com for refunds",
    "clone https://github.com/apache/beam and https://github.com/pytorch/pytorch",
    "pip install git+https://github.com/huggingface/transformers",
    "see https://github.com/pallets/flask/issues/5000",
    "https://github.com/features/actions explains the pricing",
    "Docs: https://www.linkedin.com/company/openai/",
    "posted on r/python and r/learnprogramming",
    'File "/home/user/project/app.py", line 3',
    "cp config.yml /Users/Shared/config.yml",
    "The runner writes to /home/runner/work/repo/repo",
    "ssh -i key.pem ubuntu@10.0.3.7",
    "ssh ec2-user@ip-10-0-1-23.ec2.internal",
    "root@server:/# apt update && apt upgrade",
    "C:\\Users\\Public\\Documents\\setup.log",
    "Set HOME=/home/$USER in the Dockerfile",
    "username: postgres\npassword: ${DB_PASSWORD}",
    "login: admin (default), change it after setup",
    "build-server-01 and web-prod-3 are healthy",
    "The job ran on ubuntu-latest and macos-14 runners",
    "DESKTOP-7F3K2LQ joined the domain",
    "Python 3.12 was released on October 2, 2023.",
    "The deadline is 2024-03-12 and the launch on 15/04/2024.",
    "Born in the USA was released on June 4, 1984.",
    "Order number 123456789 shipped; tracking 9400111899562539121245",
    "The SHA is 3f1c9a52 and the build 20240312",
    "Invoice 1234567890 of 2024-02-01",
    "my email is maria@example.com",
    "Use the @ symbol to mention someone, e.g. @username",
]


def build_cases(seed: int = SEED, per_type: int = 60) -> list[dict]:
    """``per_type`` positives of each type, then the look-alikes (no gold)."""
    g = Gen(random.Random(seed))
    return one_message_cases(
        (generator(g) for generator in GENERATORS for _ in range(per_type)), LOOKALIKES
    )
