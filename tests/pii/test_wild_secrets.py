"""Secrets in the wild (issue 12): vendor tokens of the table, key-value
syntaxes beyond ``=`` and ``:``, command and SQL passwords,
``user:password@host``, other authorization schemes, encoded private keys and
UUID-shaped secrets, each family on positives and look-alikes, through a real
Presidio AnalyzerEngine with the secret recognizers (``secrets_analyzer``).

Every secret here is generated in the test from a seeded random source in the
format's documented alphabet and length: none is a real credential.
"""

import base64
import random
import string

import pytest

from eval.wild_secrets_set import build_cases
from transforms.pii.recognizers.secrets import SECRET_ENTITIES, classify_key
from transforms.pii.recognizers.vendor_tokens import (
    CANDIDATE_RUN,
    TOKEN_RE,
    TOKEN_RULES,
    has_vendor_token,
    provider_named,
)

RNG = random.Random(20240612)
B62 = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = B62 + "+/"
B64URL = B62 + "-_"


def rand(alphabet: str, n: int) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def found(analyzer, text):
    results = analyzer.analyze(text=text, language="en", entities=list(SECRET_ENTITIES))
    return sorted({(r.entity_type, text[r.start : r.end]) for r in results}, key=str)


# --- vendor tokens of the table ------------------------------------------------

VENDOR_TOKENS = [
    "dop_v1_" + rand(HEX, 64),
    "shpat_" + rand(HEX, 32),
    "glsa_" + rand(B62, 32) + "_" + rand(HEX, 8),
    "pplx-" + rand(B62, 48),
    "gsk_" + rand(B62, 52),
    "lin_api_" + rand(B62, 40),
    "dapi" + rand(HEX, 32),
    "PMAK-" + rand(HEX, 24) + "-" + rand(HEX, 34),
    "xkeysib-" + rand(HEX, 64) + "-" + rand(B62, 16),
    "LTAI" + rand(B62, 20),
    "hvs." + rand(B64URL, 95),
    "GOCSPX-" + rand(B64URL, 28),
    "whsec_" + rand(B62, 32),
    f"{RNG.randint(10**8, 10**9)}:AA" + rand(B64URL, 33),
    "A" * 22 + rand(B62, 90),
    rand(HEX, 32) + "-us14",
    "sk-or-v1-" + rand(HEX, 64),
    "dckr_pat_" + rand(B64URL, 27),
    "glptt-" + rand(HEX, 40),
    "sha256~" + rand(B64URL, 43),
]


@pytest.mark.parametrize("token", VENDOR_TOKENS)
@pytest.mark.parametrize("template", ["my key is {} thanks", "TOKEN={}", '{{"key": "{}"}}'])
def test_vendor_token_is_an_api_key(secrets_analyzer, token, template):
    assert ("API_KEY", token) in found(secrets_analyzer, template.format(token))


@pytest.mark.parametrize(
    "token",
    [
        "acme_live_" + rand(B62, 40),
        "zorbit_" + rand(B62, 36),
        "widgetco-sk-" + rand(B62, 48),
    ],
)
def test_unlisted_provider_with_a_prefix_is_caught_by_the_general_rule(secrets_analyzer, token):
    assert found(secrets_analyzer, f"use {token} for the sandbox") == [("API_KEY", token)]


@pytest.mark.parametrize(
    "text",
    [
        "shpat_" + "x" * 32,  # placeholder with a real prefix
        "dop_v1_" + "0123456789abcdef" * 4,  # sequential
        "task-" + rand(B62, 32) + " completed",  # dash without a marker: an id
        "price_" + rand(B62, 24),  # object ids of APIs are shorter
        "user_" + rand(B62, 27) + " signed in",
        '"integrity": "sha512-' + base64.b64encode(RNG.randbytes(64)).decode() + '"',
        "commit " + rand(HEX, 40),
        "acme_live_" + rand(string.ascii_lowercase, 40),  # no digits, no upper case: a slug
    ],
)
def test_vendor_look_alikes_are_not_api_keys(secrets_analyzer, text):
    assert [e for e, _ in found(secrets_analyzer, text) if e == "API_KEY"] == []


def test_table_is_one_regex_with_one_group_per_rule():
    assert len(TOKEN_RULES) >= 100
    assert len([name for name in TOKEN_RE.groupindex if name.startswith("t")]) == len(TOKEN_RULES)


def test_candidate_runs_skip_prose():
    assert CANDIDATE_RUN.search("an ordinary sentence with words of normal length.") is None


def test_has_vendor_token_only_for_tokens_passing_their_guard():
    assert has_vendor_token("shpat_" + rand(HEX, 32))
    assert not has_vendor_token("shpat_" + "x" * 32)


# --- keys naming a provider or a key -----------------------------------------


@pytest.mark.parametrize(
    "key, kind",
    [
        ("ALGOLIA_ADMIN", "vendor"),
        ("newRelicLicense", "vendor"),
        ("sentry_auth", "vendor"),
        ("x-nimbus-key", "key"),
        ("STRIPE_PUBLISHABLE_KEY", None),
        ("ALGOLIA_APP_ID", None),
        ("cache_key", None),
        ("primary_key", None),
        ("TWILIO_ACCOUNT_SID", None),
        ("SENTRY_ENVIRONMENT", None),
        ("Ocp-Apim-Subscription-Key", "secret"),
    ],
)
def test_classify_key_for_providers_and_keys(key, kind):
    assert classify_key(key) == kind


def test_provider_named_joins_parts():
    assert provider_named(["new", "relic", "key"]) == "newrelic"
    assert provider_named(["my", "service"]) is None


# --- key-value syntaxes -------------------------------------------------------------

PW = "Qm7" + rand(B62, 12)
TOKEN = rand(B62, 32)

SYNTAX_POSITIVES = [
    f'db_password <- "{PW}"',
    f'opts.password += "{PW}"',
    f'password := "{PW}"',
    f"'secret_key' => '{PW}',",
    f'String password = "{PW}";',
    f'const apiKey: string = "{PW}";',
    f'val dbPassword: String = "{PW}"',
    f'let auth_token: &str = "{PW}";',
    f'var password string = "{PW}"',
    f'ENV["API_TOKEN"] = "{PW}"',
    f"os.environ['DB_PASSWORD'] = '{PW}'",
    f"psql --password={PW}",
    f'settings.secret_key ||= "{PW}"',
    f"set ALGOLIA_ADMIN to '{TOKEN}'",
    f"CLOUDFLARE={TOKEN}",
    f"x-nimbus-key: {TOKEN}",
    f"The password for the admin account is {PW}, change it",
    f"use password {PW} to log in",
    f'CONN="DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={TOKEN}==;"',
    # passwords passed by position, a key word right before a token, "&" inside a value
    f'requests.get(url, auth=("bob", "{PW}"))',
    f"HTTPBasicAuth('svc_backup', '{PW}')",
    f"$db = new PDO($dsn, 'admin', '{PW}');",
    f'$link = mysqli_connect("localhost", "root", "{PW}");',
    f"here is my api key {TOKEN} for the staging box",
    f"the wifi password {PW} works on both floors",
]


@pytest.mark.parametrize("text", SYNTAX_POSITIVES)
def test_assignment_syntaxes(secrets_analyzer, text):
    detected = found(secrets_analyzer, text)
    assert [v for _, v in detected if v in (PW, TOKEN, TOKEN + "==")], detected


SYNTAX_LOOK_ALIKES = [
    "api_key: ${API_KEY}",
    'password = os.environ["DB_PASSWORD"]',
    'const apiKey: string = "";',
    "val password: String = getPassword()",
    "password <- readline()",
    'api_key = "fake-api-key-for-tests"',
    'token_version = "2.1.0"',
    "STRIPE_PUBLISHABLE_KEY=pk_live_" + rand(B62, 24),
    "cache_key = " + rand(HEX, 32),
    "set the timeout to 30s",
    "my password is too long for this form",
    "use password reset links instead",
    "follow me on twitter: radek_kowalczyk1",
    "Discord: imogen_tanaka1",
    "auth=(user, password)",
    "pick the api key gpt-4o-mini field in the form",
    "the password policy-2024 applies to everyone",
    "the api key my-project-name-2024-prod is in the vault",
    "reset your password 12345678 times",
    "the access token expires in 3600 seconds",
    "?user=bob&page=2&sort=desc",
]


def test_an_unquoted_value_runs_through_an_ampersand_unless_a_parameter_follows(
    secrets_analyzer,
):
    value = "Kq7&" + rand(B62, 10)
    assert ("CREDENTIAL", value) in found(secrets_analyzer, f"db.password={value}")
    query = f"https://h.example/login?user=bob&password={PW}&next=/home"
    assert [v for _, v in found(secrets_analyzer, query)] == [PW]


def test_google_oauth_access_token_outside_a_header_is_an_api_key(secrets_analyzer):
    token = "ya29.a0" + rand(B64URL, 60)
    assert ("API_KEY", token) in found(secrets_analyzer, f"it printed {token} in the log")
    under_a_key = found(secrets_analyzer, f'{{"access_token": "{token}", "expires_in": 3599}}')
    assert ("CREDENTIAL", token) in under_a_key


@pytest.mark.parametrize("text", SYNTAX_LOOK_ALIKES)
def test_assignment_look_alikes(secrets_analyzer, text):
    assert found(secrets_analyzer, text) == []


# --- commands, SQL, user:password@host ----------------------------------------------

COMMAND_POSITIVES = [
    f"mysql -u root -p'{PW}' orders",
    f"docker login -u bob -p {PW} registry.example.io",
    f"sqlcmd -S db -U sa -P {PW}",
    f"redis-cli -h cache -a {PW} ping",
    f"ldapsearch -x -D cn=admin,dc=corp -w {PW}",
    f"keytool -list -keystore app.jks -storepass {PW}",
    f"openssl pkcs12 -in c.p12 -passin pass:{PW}",
    f"smbclient //fs/share -U bob%{PW}",
    f"xfreerdp /v:host /u:bob /p:{PW}",
    f"echo '{PW}' | docker login -u bob --password-stdin",
    f"$s = ConvertTo-SecureString '{PW}' -AsPlainText -Force",
    f"CREATE USER scott IDENTIFIED BY {PW};",
    f"ALTER USER 'root'@'localhost' IDENTIFIED WITH mysql_native_password BY '{PW}';",
    f"SET PASSWORD FOR 'bob'@'%' = PASSWORD('{PW}');",
    f"CREATE LOGIN app WITH PASSWORD = '{PW}';",
    f"ssh bob:{PW}@10.0.0.5",
    f"proxy = bob:{PW}@proxy.corp.example:3128",
    f"sqlplus scott/{PW}@ORCL",
]


@pytest.mark.parametrize("text", COMMAND_POSITIVES)
def test_command_sql_and_host_passwords(secrets_analyzer, text):
    assert ("CREDENTIAL", PW) in found(secrets_analyzer, text)


COMMAND_LOOK_ALIKES = [
    "docker run -p 8080:80 nginx",
    "ssh -p 2222 deploy@example.org",
    "mkdir -p build && psql -U postgres -p 5432",
    "git clone git@github.com:acme/widgets.git",
    "image: nginx:1.25@sha256:" + rand(HEX, 64),
    "FROM node:20-alpine@sha256:" + rand(HEX, 64),
    "mailto:jane.doe42@example.org",
    "CREATE USER app IDENTIFIED BY :pw;",
    "mysql -u root -p orders",
]


@pytest.mark.parametrize("text", COMMAND_LOOK_ALIKES)
def test_command_look_alikes(secrets_analyzer, text):
    assert found(secrets_analyzer, text) == []


# --- authorization ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, secret",
    [
        (f"Authorization: ApiKey {TOKEN}", TOKEN),
        (f"Authorization: SSWS {TOKEN}", TOKEN),
        (f"headers = {{'Authorization': '{TOKEN}'}}", TOKEN),
        (
            f'Authorization: Digest username="bob", nonce="{HEX * 2}", response="{HEX * 2}"',
            HEX * 2,
        ),
        (f"...aws4_request, SignedHeaders=host, Signature={HEX * 4}", HEX * 4),
        (f"https://b.s3.amazonaws.com/f?X-Amz-Date=1&X-Amz-Signature={HEX * 4}", HEX * 4),
        (f"https://a.blob.core.windows.net/c/f?sv=2022&sig={TOKEN}%3D", TOKEN + "%3D"),
        (f"-H 'Cookie: theme=dark; sessionid={TOKEN}; lang=en'", TOKEN),
    ],
)
def test_authorization_beyond_bearer_and_basic(secrets_analyzer, text, secret):
    assert ("CREDENTIAL", secret) in found(secrets_analyzer, text)


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Bearer $TOKEN",
        "Authorization header missing",
        "Authorization: Negotiate",
        "Cookie: theme=dark; lang=en; _ga=GA1.2.123456789.1700000000",
        f"Cookie: csrftoken={TOKEN}",
        "the signature is verified with the public key",
    ],
)
def test_authorization_look_alikes(secrets_analyzer, text):
    assert found(secrets_analyzer, text) == []


# --- encoded private keys and UUID secrets -----------------------------------------


def _pem(label: str) -> str:
    body = "\n".join(rand(B64, 64) for _ in range(4))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----\n"


def test_base64_pem_private_key(secrets_analyzer):
    encoded = base64.b64encode(_pem("RSA PRIVATE KEY").encode()).decode()
    assert found(secrets_analyzer, f"tls.key: {encoded}") == [("PRIVATE_KEY", encoded)]


def test_base64_certificate_is_not_a_private_key(secrets_analyzer):
    encoded = base64.b64encode(_pem("CERTIFICATE").encode()).decode()
    assert found(secrets_analyzer, f"tls.crt: {encoded}") == []


def test_putty_key_file(secrets_analyzer):
    lines = "\n".join(rand(B64, 64) for _ in range(3))
    block = (
        "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: k\n"
        f"Public-Lines: 3\n{lines}\nPrivate-Lines: 3\n{lines}\nPrivate-MAC: {rand(HEX, 64)}"
    )
    assert found(secrets_analyzer, block) == [("PRIVATE_KEY", block)]


def test_jwk_private_member_but_not_public_jwk(secrets_analyzer):
    x, y, d = rand(B64URL, 43), rand(B64URL, 43), rand(B64URL, 43)
    public = f'{{"kty": "EC", "crv": "P-256", "x": "{x}", "y": "{y}"}}'
    private = public[:-1] + f', "d": "{d}"}}'
    assert found(secrets_analyzer, private) == [("PRIVATE_KEY", d)]
    assert found(secrets_analyzer, public) == []


def test_age_secret_key(secrets_analyzer):
    key = "AGE-SECRET-KEY-1" + rand("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)
    assert found(secrets_analyzer, f"# created\n{key}\n") == [("PRIVATE_KEY", key)]


UUID = "5f8c1a2b-3d4e-4f6a-8b9c-0d1e2f3a4b5c"


@pytest.mark.parametrize(
    "text", [f"HEROKU_API_KEY={UUID}", f'client_secret = "{UUID}"', f"SNYK_TOKEN: {UUID}"]
)
def test_uuid_under_a_secret_key(secrets_analyzer, text):
    assert found(secrets_analyzer, text) == [("CREDENTIAL", UUID)]


@pytest.mark.parametrize(
    "text",
    [
        f"request_id = {UUID}",
        f'{{"id": "{UUID}"}}',
        f"client_id: {UUID}",
        f"HEROKU_APP_ID={UUID}",
        "client_secret = 12345678-1234-1234-1234-123456789012",
        f"trace {UUID} failed",
    ],
)
def test_uuid_as_an_id_is_not_a_secret(secrets_analyzer, text):
    assert found(secrets_analyzer, text) == []


# --- the eval set ------------------------------------------------------------------


def test_wild_set_is_deterministic_and_has_look_alikes():
    first, second = build_cases(), build_cases()
    assert first == second
    assert sum(1 for c in first if not c["spans"]) >= 100
    assert sum(1 for c in first if c["spans"]) >= 400
