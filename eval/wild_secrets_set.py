"""Secrets in the wild: a labelled set of the credential formats and syntaxes
people paste into chats, from a seeded generator (no other randomness), and
look-alikes that must stay.

Positives (one or two secrets a message, random bodies of each format's
documented shape and alphabet):

- vendor tokens of about 70 providers, bare in prose, in ``.env`` files,
  JSON, YAML, code and ``curl`` headers (``API_KEY``), and tokens of made-up
  providers in the ``prefix_live_...`` style that no rule lists;
- values under keys that only name a provider (``ALGOLIA_ADMIN=...``) and
  keys of services no rule lists (``ACME_SIGNING_SECRET``) (``CREDENTIAL``);
- assignment operators beyond ``=`` and ``:`` (``:=``, ``=>``, ``<-``,
  ``+=``, ``->``), typed declarations in eight languages,
  ``ENV["..."] =``, ``--password=``;
- SQL user management (``IDENTIFIED BY``, ``WITH PASSWORD``, ``SET
  PASSWORD``, ``CREATE LOGIN``), combined user/password strings
  (``user:pass@host``, ``-u user:pass``, ``-p'pw'``, ``docker login -p``,
  ``sqlplus u/p@db``, ``smbclient -U u%p``), passwords stated in prose;
- authorization headers: other schemes (``ApiKey``, ``SSWS``, ``GenieKey``,
  ``Key``), a raw token, Digest ``response``, AWS Signature V4, pre-signed URL
  signatures, session cookies;
- private keys encoded again (base64 of a PEM block, PuTTY files, JWK
  private members, age keys) and UUID-shaped secrets under a secret's key.

Look-alikes (no gold span): UUIDs as ids, lock-file hashes, git SHAs,
placeholders (``<your-api-key>``, ``xxxx``, ``sk-...``, ``${VAR}``,
``changeme``, masked ``********``), test fixtures whose values say fake, test
or dummy, base64 images, CSS colours, versions, publishable keys, object
ids of APIs, public keys and certificates, ports after ``-p``, ``git@``
remotes, image digests, e-mail addresses, prose about passwords and tokens.

Decision on placeholders: ``changeme``, ``password``, ``<your-key>``,
``xxxx`` and values that call themselves fake, test, dummy or example are
not secrets (nothing is lost by keeping them, and tutorials are full of
them); a documentation example key with a real shape (``AKIA...EXAMPLE``) is
(see :mod:`eval.secrets_set`).

Gold spans cover the secret only: not the key, quotes, scheme or host.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import uuid
from typing import Callable

from eval.chat_set import compose

SEED = 9157
TYPES = ("API_KEY", "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "JWT", "PRIVATE_KEY", "CREDENTIAL")
K, C, PK, AK = "API_KEY", "CREDENTIAL", "PRIVATE_KEY", "AWS_ACCESS_KEY"

B62 = string.ascii_letters + string.digits
B64URL = B62 + "-_"
B64 = B62 + "+/"
HEX = "0123456789abcdef"
UPPER = string.ascii_uppercase + string.digits
LOWER = string.ascii_lowercase + string.digits


class Gen:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, options):
        return self.rng.choice(options)

    def s(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def password(self) -> str:
        word = self.pick("Falcon Marble orchid Tundra Velvet quartz Nimbus cobalt".split())
        return word + self.pick(["#", "!", "", "_", "@"]) + str(self.rng.randint(10, 9999))

    def strong(self) -> str:
        """A generated password: a letter, then letters, digits and symbols
        that need no quoting in a shell."""
        return self.s(string.ascii_letters, 1) + self.s(B62 + "!*+-_.", self.rng.randint(13, 21))


# Vendor token formats, as each provider documents them (prefix, alphabet,
# length). Written for this set, independently of the recognizers' table.
VENDOR: list[Callable[[Gen], str]] = [
    lambda g: "dop_v1_" + g.s(HEX, 64),
    lambda g: "doo_v1_" + g.s(HEX, 64),
    lambda g: "shpat_" + g.s(HEX, 32),
    lambda g: "shpss_" + g.s(HEX, 32),
    lambda g: "glsa_" + g.s(B62, 32) + "_" + g.s(HEX, 8),
    lambda g: "glc_" + g.s(B62, 48),
    lambda g: "pplx-" + g.s(B62, 48),
    lambda g: "gsk_" + g.s(B62, 52),
    lambda g: "xai-" + g.s(B62, 80),
    lambda g: "r8_" + g.s(B62, 37),
    lambda g: "lin_api_" + g.s(B62, 40),
    lambda g: "ntn_" + g.s(string.digits, 11) + g.s(B62, 35),
    lambda g: "secret_" + g.s(B62, 43),
    lambda g: "dapi" + g.s(HEX, 32),
    lambda g: "pul-" + g.s(HEX, 40),
    lambda g: "pnu_" + g.s(B62, 36),
    lambda g: "rubygems_" + g.s(HEX, 48),
    lambda g: "sntryu_" + g.s(HEX, 64),
    lambda g: "PMAK-" + g.s(HEX, 24) + "-" + g.s(HEX, 34),
    lambda g: "xkeysib-" + g.s(HEX, 64) + "-" + g.s(B62, 16),
    lambda g: "SG." + g.s(B64URL, 22) + "." + g.s(B64URL, 43),
    lambda g: "LTAI" + g.s(B62, 20),
    lambda g: "AKCp" + g.s(B62, 69),
    lambda g: "ATATT3" + g.s(B64URL, 186),
    lambda g: "hvs." + g.s(B64URL, 95),
    lambda g: g.s(LOWER, 14) + ".atlasv1." + g.s(B64URL, 67),
    lambda g: "dt0c01." + g.s(UPPER, 24) + "." + g.s(UPPER, 64),
    lambda g: "EZAK" + g.s(B62, 54),
    lambda g: "pscale_tkn_" + g.s(B64URL, 43),
    lambda g: "dp.pt." + g.s(B62, 43),
    lambda g: "duffel_live_" + g.s(B64URL, 43),
    lambda g: "fio-u-" + g.s(B64URL, 64),
    lambda g: "GOCSPX-" + g.s(B64URL, 28),
    lambda g: "sq0atp-" + g.s(B64URL, 22),
    lambda g: "sq0csp-" + g.s(B64URL, 43),
    lambda g: "whsec_" + g.s(B62, 32),
    lambda g: "sk_live_" + g.s(B62, 99),
    lambda g: "rk_live_" + g.s(B62, 24),
    lambda g: "sbp_" + g.s(HEX, 40),
    lambda g: "tskey-auth-" + g.s(B62, 12) + "CNTRL-" + g.s(B62, 33),
    lambda g: "tvly-" + g.s(B62, 32),
    lambda g: f"{g.rng.randint(10**8, 10**10 - 1)}:AA" + g.s(B64URL, 33),
    lambda g: "A" * 22 + g.s(B62, 90),
    lambda g: "tfp_" + g.s(B64URL, 59),
    lambda g: "NRAK-" + g.s(UPPER, 27),
    lambda g: g.s(HEX, 32) + "-us" + str(g.rng.randint(1, 21)),
    lambda g: "key-" + g.s(HEX, 32),
    lambda g: "CFPAT-" + g.s(B64URL, 43),
    lambda g: "dckr_pat_" + g.s(B64URL, 27),
    lambda g: "figd_" + g.s(B64URL, 40),
    lambda g: "nvapi-" + g.s(B64URL, 64),
    lambda g: "sk-or-v1-" + g.s(HEX, 64),
    lambda g: "lsv2_pt_" + g.s(HEX, 32) + "_" + g.s(HEX, 10),
    lambda g: "pcsk_" + g.s(B62, 5) + "_" + g.s(B62, 70),
    lambda g: "pat" + g.s(B62, 14) + "." + g.s(HEX, 64),
    lambda g: "HRKU-AA" + g.s(B64URL, 58),
    lambda g: "glpat-" + g.s(B64URL, 20),
    lambda g: "glptt-" + g.s(HEX, 40),
    lambda g: "GR1348941" + g.s(B64URL, 20),
    lambda g: "glrt-" + g.s(B64URL, 20),
    lambda g: "ghp_" + g.s(B62, 36),
    lambda g: "github_pat_" + g.s(B62, 22) + "_" + g.s(B62, 59),
    lambda g: "xoxb-" + g.s(string.digits, 12) + "-" + g.s(string.digits, 13) + "-" + g.s(B62, 24),
    lambda g: "sk-ant-api03-" + g.s(B64URL, 93) + "AA",
    lambda g: "sk-proj-" + g.s(B64URL, 74) + "T3BlbkFJ" + g.s(B64URL, 74),
    lambda g: "AIza" + g.s(B64URL, 35),
    lambda g: "hf_" + g.s(string.ascii_letters, 34),
    lambda g: "npm_" + g.s(B62, 36),
    lambda g: "sgp_" + g.s(HEX, 16) + "_" + g.s(HEX, 40),
    lambda g: "CCIPAT_" + g.s(B62, 22) + "_" + g.s(HEX, 40),
    lambda g: "bkua_" + g.s(HEX, 40),
    lambda g: "FLWSECK_TEST-" + g.s("abcdefgh0123456789", 32) + "-X",
    lambda g: "mlsn." + g.s(HEX, 64),
    lambda g: "sha256~" + g.s(B64URL, 43),
]

# Made-up providers in the common ``prefix_marker_body`` style (no rule lists them).
MADE_UP = ["zentra", "quillo", "brixa", "lumen", "orbt", "kavu", "tessel", "vyro"]
MARKERS = ["live_", "prod_", "sk_", "", "pat_", "v2_"]

CONTEXTS_API = [
    ("here is my key {v} can you check why it fails?", K),
    ("export SERVICE_TOKEN={v}", K),
    ('{{"token": "{v}", "retries": 3}}', K),
    ("client = Client(api_key='{v}')", K),
    ("auth:\n  token: {v}\n  region: eu", K),
    ('curl -H "X-Token: {v}" https://api.example.net/v1/items', K),
    ("I rotated it but the old one was {v}", K),
]


def vendor_token(g: Gen) -> tuple:
    template, entity = g.pick(CONTEXTS_API)
    return _fill(template, (g.pick(VENDOR)(g), entity))


def made_up_token(g: Gen) -> tuple:
    value = f"{g.pick(MADE_UP)}_{g.pick(MARKERS)}{g.s(B62, g.rng.randint(32, 48))}"
    template, entity = g.pick(CONTEXTS_API)
    return _fill(template, (value, entity))


def _fill(template: str, gold: tuple, *more: tuple) -> tuple:
    """Parts for ``compose``: ``{v}`` (then ``{w}``...) replaced by gold values."""
    parts: list = []
    rest = template
    for marker, value in zip(("{v}", "{w}", "{x}"), (gold, *more), strict=False):
        before, rest = rest.split(marker, 1)
        parts += [before.replace("{{", "{").replace("}}", "}"), value]
    parts.append(rest.replace("{{", "{").replace("}}", "}"))
    return tuple(parts)


PROVIDER_KEYS = [
    "ALGOLIA_ADMIN",
    "CLOUDFLARE",
    "datadog.app",
    "MAILGUN",
    "PAGERDUTY_INTEGRATION",
    "sentry_auth",
    "TWITCH_CLIENT",
    "zendesk",
    "CONTENTFUL_DELIVERY",
    "NETLIFY_AUTH",
]
UNLISTED_KEYS = ["ACME_SIGNING_SECRET", "orbital_api_key", "WIDGETCO_TOKEN", "x-nimbus-key"]


def provider_key(g: Gen) -> tuple:
    key = g.pick(PROVIDER_KEYS + UNLISTED_KEYS)
    value = g.pick([g.s(B62, 32), g.s(HEX, 40), g.s(B64URL, 43)])
    template = g.pick(["{k}={v}", '"{k}": "{v}"', "{k}: {v}", "set {k} to '{v}'"])
    return _fill(template.replace("{k}", key), (value, C))


def assignment_syntax(g: Gen) -> tuple:
    secret = g.pick([g.password(), g.strong(), g.s(B62, 32)])
    template = g.pick(
        [
            'db_password <- "{v}"',
            'config.api_token += "{v}"',
            'password := "{v}"',
            "'secret_key' => '{v}',",
            "$password -> '{v}'",
            'String password = "{v}";',
            'private static final String API_SECRET = "{v}";',
            'const apiKey: string = "{v}";',
            'val dbPassword: String = "{v}"',
            'let auth_token: &str = "{v}";',
            'var password string = "{v}"',
            'public const string ClientSecret = "{v}";',
            'ENV["API_TOKEN"] = "{v}"',
            "os.environ['DB_PASSWORD'] = '{v}'",
            "psql --password={v} -h db.internal",
            "wget --user=deploy --password={v} https://files.example.org/a.tgz",
            'settings.secret_key ||= "{v}"',
        ]
    )
    return _fill(template, (secret, C))


def sql(g: Gen) -> tuple:
    pw = g.pick([g.password(), g.strong()]).replace("'", "")
    template = g.pick(
        [
            "CREATE USER app_rw IDENTIFIED BY '{v}';",
            "CREATE USER scott IDENTIFIED BY {v};",
            "ALTER USER 'root'@'localhost' IDENTIFIED WITH mysql_native_password BY '{v}';",
            "ALTER USER postgres WITH PASSWORD '{v}';",
            "CREATE ROLE reporting LOGIN PASSWORD '{v}';",
            "CREATE LOGIN svc_app WITH PASSWORD = '{v}';",
            "SET PASSWORD FOR 'bob'@'%' = PASSWORD('{v}');",
            "CREATE USER etl PASSWORD '{v}' DEFAULT_ROLE = loader;",
        ]
    )
    return _fill(template, (pw, C))


def combined(g: Gen) -> tuple:
    pw = g.pick([g.password(), g.strong()]).replace("'", "").replace("%", "")
    pw = pw.replace("@", "").replace("#", "")
    user = g.pick(["deploy", "admin", "jdoe", "svc_backup", "root"])
    host = g.pick(["db.internal.corp", "10.20.1.7", "proxy.example.net:3128", "localhost"])
    template = g.pick(
        [
            f"ssh {user}:{{v}}@{host}",
            f"proxy = {user}:{{v}}@{host}",
            f"curl -u {user}:{{v}} https://api.example.net",
            f"mysql -u {user} -p'{{v}}' orders",
            f"mysql -h {host} -u {user} -p{{v}}",
            f"docker login -u {user} -p {{v}} registry.example.io",
            f"sqlplus {user}/{{v}}@ORCL",
            f"smbclient //fs01/share -U {user}%{{v}}",
            f"redis-cli -h {host} -a {{v}} ping",
            f"ldapsearch -x -D cn={user},dc=corp -w {{v}} -b dc=corp",
            "keytool -list -keystore app.jks -storepass {v}",
            "openssl pkcs12 -in cert.p12 -passin pass:{v} -nodes",
            f"xfreerdp /v:{host} /u:{user} /p:{{v}}",
            f"sshpass -p '{{v}}' ssh {user}@{host}",
            f"net use \\\\fs01\\share {{v}} /user:{user}",
            f"echo '{{v}}' | docker login --username {user} --password-stdin",
            "$pw = ConvertTo-SecureString '{v}' -AsPlainText -Force",
            "zip -P {v} backup.zip data.sql",
            f"mongosh --host {host} -u {user} -p {{v}}",
        ]
    )
    return _fill(template, (pw, C))


def prose(g: Gen) -> tuple:
    pw = g.pick([g.password(), g.strong()])
    template = g.pick(
        [
            "my password is {v} btw",
            "the wifi password for the guest network is {v}",
            "The password for the admin account is {v}, please change it",
            "use password {v} to log in to the staging box",
            "login: jdoe / pass: {v}",
            "the api key is {v}",
            "his pw is {v} lol",
            "Mein Passwort ist {v}",
            "the secret for the webhook is {v}",
            "password was {v} until yesterday",
        ]
    )
    value = g.s(B62, 32) if "api key" in template or "secret" in template else pw
    return _fill(template, (value, C))


def auth_header(g: Gen) -> tuple:
    token = g.s(B62, g.rng.randint(24, 40))
    scheme = g.pick(["ApiKey", "SSWS", "GenieKey", "Key", "Api-Key", "Klaviyo-API-Key"])
    key_id = "AKIA" + g.s("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    choice = g.rng.randrange(8)
    if choice == 0:
        return _fill(f"Authorization: {scheme} {{v}}", (token, C))
    if choice == 1:
        return _fill("headers = {{'Authorization': '{v}'}}", (token, C))
    if choice == 2:
        return _fill(
            'Authorization: Digest username="bob", realm="api", nonce="'
            + g.s(HEX, 32)
            + '", uri="/v1/x", response="{v}", qop=auth',
            (g.s(HEX, 32), C),
        )
    if choice == 3:
        return _fill(
            "Authorization: AWS4-HMAC-SHA256 Credential={v}/20240101/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature={w}",
            (key_id, AK),
            (g.s(HEX, 64), C),
        )
    if choice == 4:
        return _fill(
            "https://bucket.s3.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential={v}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-Signature={w}",
            (key_id, AK),
            (g.s(HEX, 64), C),
        )
    if choice == 5:
        return _fill(
            "https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&se=2024-01-01"
            "&sr=b&sp=r&sig={v}",
            (g.s(B62, 43) + "%3D", C),
        )
    if choice == 6:
        return _fill(
            "curl 'https://app.example.com/api/me' -H 'Cookie: theme=dark; sessionid={v}; lang=en'",
            (g.s(LOWER, 32), C),
        )
    return _fill("X-Api-Key: {v}", (token, C))


def _pem(g: Gen, label: str) -> str:
    body = "\n".join(g.s(B64, 64) for _ in range(6))
    return f"-----BEGIN {label}PRIVATE KEY-----\n{body}\n-----END {label}PRIVATE KEY-----\n"


def encoded_key(g: Gen) -> tuple:
    choice = g.rng.randrange(5)
    if choice == 0:
        label = g.pick(["RSA ", "EC ", "", "OPENSSH ", "ENCRYPTED "])
        encoded = base64.b64encode(_pem(g, label).encode()).decode()
        return _fill("tls.key: {v}", (encoded, PK))
    if choice == 1:
        public = "\n".join(g.s(B64, 64) for _ in range(2))
        private = "\n".join(g.s(B64, 64) for _ in range(4))
        block = (
            "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: eddsa-key-2024\n"
            f"Public-Lines: 2\n{public}\nPrivate-Lines: 4\n{private}\n"
            f"Private-MAC: {g.s(HEX, 64)}"
        )
        return _fill("here is my .ppk:\n{v}\n", (block, PK))
    if choice == 2:
        d = g.s(B64URL, 43)
        return _fill(
            '{{"kty": "EC", "crv": "P-256", "x": "'
            + g.s(B64URL, 43)
            + '", "y": "'
            + g.s(B64URL, 43)
            + '", "d": "{v}"}}',
            (d, PK),
        )
    if choice == 3:
        key = "AGE-SECRET-KEY-1" + g.s("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)
        return _fill("# created: 2024-01-01\n{v}\n", (key, PK))
    return _fill("[Interface]\nPrivateKey = {v}\nAddress = 10.0.0.2/32", (g.s(B64, 43) + "=", C))


def uuid_secret(g: Gen) -> tuple:
    template = g.pick(
        [
            "HEROKU_API_KEY={v}",
            'client_secret = "{v}"',
            "SNYK_TOKEN: {v}",
            '"apiSecret": "{v}"',
            "heroku.api_key={v}",
        ]
    )
    return _fill(template, (g.uuid(), C))


GENERATORS = (
    (vendor_token, 140),
    (made_up_token, 30),
    (provider_key, 40),
    (assignment_syntax, 50),
    (sql, 25),
    (combined, 50),
    (prose, 30),
    (auth_header, 50),
    (encoded_key, 30),
    (uuid_secret, 15),
)


def lookalikes(g: Gen) -> list[str]:
    """Texts with no secret: ids, hashes, placeholders, fixtures, encodings."""
    out = []
    for _ in range(4):
        sha1 = g.s(HEX, 40)
        out += [
            f"request_id = {g.uuid()}",
            f'{{"id": "{g.uuid()}", "status": "done"}}',
            f"client_id: {g.uuid()}",
            f"trace {g.uuid()} failed after 3 retries",
            f"https://app.example.com/projects/{g.uuid()}/settings",
            f'"integrity": "sha512-{base64.b64encode(g.rng.randbytes(64)).decode()}"',
            f'resolved "https://registry.yarnpkg.com/x/-/x-1.2.3.tgz#{sha1}"',
            f'hash = "sha256:{g.s(HEX, 64)}"',
            f'checksum = "{g.s(HEX, 64)}"',
            f"golang.org/x/net v0.17.0 h1:{base64.b64encode(g.rng.randbytes(32)).decode()}",
            f"commit {sha1}\nAuthor: CI <ci@example.org>",
            f"git checkout {sha1[:7]} && git cherry-pick {g.s(HEX, 40)}",
            f"image: nginx:1.25@sha256:{g.s(HEX, 64)}",
            f"FROM node:20-alpine@sha256:{g.s(HEX, 64)}",
            f'<img src="data:image/png;base64,{base64.b64encode(g.rng.randbytes(90)).decode()}">',
            f"color: #{g.s(HEX, 6)}; background: #{g.s(HEX, 3)};",
            f'token_version = "{g.rng.randint(1, 9)}.{g.rng.randint(0, 20)}.{g.rng.randint(0, 9)}"',
            f'"version": "{g.rng.randint(1, 9)}.{g.rng.randint(0, 20)}.{g.rng.randint(0, 9)}"',
            f"STRIPE_PUBLISHABLE_KEY=pk_live_{g.s(B62, 24)}",
            f"price id price_{g.s(B62, 24)} and customer cus_{g.s(B62, 14)}",
            f'{{"id": "msg_{g.s(B62, 24)}", "type": "message"}}',
            f"chatcmpl-{g.s(B62, 29)} finished with stop",
            f"user_{g.s(B62, 27)} signed in",
            f"task-{g.s(B62, 32)} completed",
            f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{g.s(B64, 43)} jdoe@laptop",
            f"https://www.youtube.com/watch?v={g.s(B64URL, 11)}",
            f"https://docs.google.com/document/d/{g.s(B64URL, 44)}/edit",
            f"arn:aws:iam::{g.s(string.digits, 12)}:role/deploy",
            f'{{"kty": "RSA", "kid": "{g.s(B64URL, 20)}", "n": "{g.s(B64URL, 342)}", "e": "AQAB"}}',
            f"Cookie: theme=dark; _ga=GA1.2.{g.s(string.digits, 9)}.{g.s(string.digits, 10)}",
            f"md5 of the file is {g.s(HEX, 32)}",
            f'etag: W/"{g.s(HEX, 32)}"',
        ]
    out += [
        "OPENAI_API_KEY=<your-api-key>",
        "api_key = 'YOUR_API_KEY_HERE'",
        "export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        'client = OpenAI(api_key="sk-...")',
        "password: ********",
        "DB_PASSWORD=changeme",
        "password = 'password'",
        "api_key: ${API_KEY}",
        "token: {{ secrets.DEPLOY_TOKEN }}",
        "const key = process.env.STRIPE_SECRET_KEY;",
        'password = os.environ["DB_PASSWORD"]',
        "Authorization: Bearer $TOKEN",
        "Authorization: Bearer <token>",
        "secret_key = '[REDACTED]'",
        'api_key = "fake-api-key-for-tests"',
        'FAKE_TOKEN = "fake_token_value"',
        'password = "test"',
        'api_secret="dummy_secret_value"',
        "token: example-token",
        "docker run -p 8080:80 -p 8443:443 nginx",
        "ssh -p 2222 deploy@example.org",
        "mkdir -p build/output && psql -U postgres -p 5432",
        "git clone git@github.com:acme/widgets.git",
        "mailto:jane.doe42@example.org",
        "meeting at 10:30@the office",
        "Reset your password from the settings page.",
        "The token expired, so I generated a new one.",
        "my password is too long for this form",
        "Use a password manager; never reuse a password.",
        "CREATE USER app IDENTIFIED BY :pw;",
        "ALTER USER app IDENTIFIED BY ?;",
        "Authorization header missing",
        "the key is to practise every day",
        "-----BEGIN CERTIFICATE-----\n" + "MIIC" + "A" * 60 + "\n-----END CERTIFICATE-----",
        base64.b64encode(b"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC\n").decode(),
        "xxxxx.yyyyy.zzzzz is what a JWT looks like",
        f"sha1: {hashlib.sha1(b'x').hexdigest()}",
        json.dumps({"kty": "oct", "kid": "hmac-key-1", "alg": "HS256", "use": "sig"}),
        "pk.eyJ1IjoibWFwYm94In0.public-token-for-the-map",
        "session timeout is 30 minutes",
    ]
    return out


def build_cases(seed: int = SEED) -> list[dict]:
    """The positives of :data:`GENERATORS`, then the look-alikes (no gold)."""
    g = Gen(random.Random(seed))
    cases = []
    for generator, count in GENERATORS:
        for _ in range(count):
            text, spans = compose(*generator(g))
            cases.append({"messages": [text], "spans": [{**s, "message": 0} for s in spans]})
    cases += [{"messages": [text], "spans": []} for text in lookalikes(g)]
    return cases
