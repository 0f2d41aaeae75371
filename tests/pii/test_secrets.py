"""Secret recognizers through a real Presidio AnalyzerEngine (see conftest.py).

Fake keys below are assembled from pieces so that this file itself does not
trip secret scanners; the recognizers see the assembled strings.
"""

from pathlib import Path
from types import SimpleNamespace

import pytest
from presidio_analyzer import RecognizerResult

from eval.secrets_set import build_samples, evaluate, format_report
from transforms.pii.recognizers import secrets
from transforms.pii.recognizers.secret_catalogue import secret_recognizers
from transforms.pii.recognizers.secrets import (
    SECRET_ENTITIES,
    classify_key,
    looks_like_fake_token,
    reject_reason,
    shannon_entropy,
)

DETECT_SECRETS = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "fixtures"
    / "pii"
    / "detect_secrets"
    / "test_data"
)

B62 = "Xq7Lm2Rt9Vb4Nc8Kd3Hf6Jg1Ws5Pz0Ya"  # 32 "random" base62 characters
B62_2 = "Tn4Ue8Io2Ap6Sd0Fg3Hj7Kl1Zx5Cv9Bm"
HEX32 = "9f2c4e6a8b0d1f3e5a7c9b2d4f6e8a0c"
JWT_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
PEM_BODY = "\n".join(
    [
        "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB",
        "aFDrBz9vFqU4yG7gLvwnhZ8bZbJh4T8SfNBRhKg1ZvXq3i7ZDzX9K3Q0c8wM5mYx",
        "Vd3qP1kHn8r2tC6uWb0eYz4fJa7gLs9iNo5pRq2sTu3vWx1yZA+/BcDeFgHiJkLm",
    ]
)


def found(analyzer, text):
    """(entity type, matched text) for every detection, in text order."""
    results = analyzer.analyze(text=text, language="en", entities=list(SECRET_ENTITIES))
    return [(r.entity_type, text[r.start : r.end]) for r in sorted(results, key=lambda r: r.start)]


def test_secret_recognizers_cover_every_entity_once_per_class():
    recognizers = secret_recognizers()
    names = [r.name for r in recognizers]
    assert len(names) == len(set(names))
    assert {e for r in recognizers for e in r.supported_entities} == set(SECRET_ENTITIES)
    assert all(r.supported_language == "de" for r in secret_recognizers("de"))


# --- positives: (text, entity, exact secret span) ---------------------------

POSITIVES = [
    # OpenAI
    (
        "OPENAI_API_KEY=sk-proj-" + B62 + B62_2 + "_-ab",
        "API_KEY",
        "sk-proj-" + B62 + B62_2 + "_-ab",
    ),
    ("key sk-svcacct-" + B62 + B62_2, "API_KEY", "sk-svcacct-" + B62 + B62_2),
    ("admin key: sk-admin-" + B62_2 + B62, "API_KEY", "sk-admin-" + B62_2 + B62),
    (
        "legacy sk-" + B62[:20] + "T3BlbkFJ" + B62_2[:20] + ".",
        "API_KEY",
        "sk-" + B62[:20] + "T3BlbkFJ" + B62_2[:20],
    ),
    ("openai.api_key = 'sk-" + B62 + B62_2[:16] + "'", "API_KEY", "sk-" + B62 + B62_2[:16]),
    # Anthropic
    (
        "ANTHROPIC_API_KEY=sk-ant-api03-" + B62 * 2 + B62_2[:29] + "AA",
        "API_KEY",
        "sk-ant-api03-" + B62 * 2 + B62_2[:29] + "AA",
    ),
    # Google
    ("maps?key=AIza" + B62 + "_-a&callback=x", "API_KEY", "AIza" + B62 + "_-a"),
    # GitHub, GitLab
    ("token ghp_" + B62 + "a1b2", "API_KEY", "ghp_" + B62 + "a1b2"),
    ("GH_TOKEN=ghs_" + B62_2 + "Zz99", "API_KEY", "ghs_" + B62_2 + "Zz99"),
    (
        "github_pat_11" + B62[:20] + "_" + B62_2 + B62[:27],
        "API_KEY",
        "github_pat_11" + B62[:20] + "_" + B62_2 + B62[:27],
    ),
    ("https://oauth2:glpat-" + B62[:20] + "@gitlab.com/a/b.git", "API_KEY", "glpat-" + B62[:20]),
    # Slack
    (
        "SLACK_BOT_TOKEN=xoxb-" + "738294615" + "0321-8264017395" + "512-" + B62[:24],
        "API_KEY",
        "xoxb-" + "738294615" + "0321-8264017395" + "512-" + B62[:24],
    ),
    (
        "xapp-1-A05" + "QWERTY8K-7382946150321-" + HEX32,
        "API_KEY",
        "xapp-1-A05" + "QWERTY8K-7382946150321-" + HEX32,
    ),
    (
        "post to https://hooks.slack.com/services/T04" + "BK7QZ2/B05" + "R8M1XN3/" + B62[:24] + ".",
        "API_KEY",
        "https://hooks.slack.com/services/T04" + "BK7QZ2/B05" + "R8M1XN3/" + B62[:24],
    ),
    # Stripe, Hugging Face, SendGrid, npm, PyPI, Twilio
    ('stripe.api_key = "sk_' + "live_" + B62[:24] + '"', "API_KEY", "sk_" + "live_" + B62[:24]),
    ("rk_" + "live_" + B62_2[:24], "API_KEY", "rk_" + "live_" + B62_2[:24]),
    (
        "curl -u sk_" + "test_" + B62[:24] + ": https://api.stripe.com",
        "API_KEY",
        "sk_" + "test_" + B62[:24],
    ),
    (
        "HF_TOKEN=hf_" + "QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi",
        "API_KEY",
        "hf_" + "QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi",
    ),
    (
        "SENDGRID_API_KEY=SG." + B62[:22] + "." + B62_2 + B62[:11],
        "API_KEY",
        "SG." + B62[:22] + "." + B62_2 + B62[:11],
    ),
    ("//registry.npmjs.org/:_authToken=npm_" + B62 + "Ab12", "API_KEY", "npm_" + B62 + "Ab12"),
    ("password = pypi-AgEIcHlwaS5vcmc" + B62 * 3, "API_KEY", "pypi-AgEIcHlwaS5vcmc" + B62 * 3),
    ("TWILIO_API_KEY=SK" + HEX32, "API_KEY", "SK" + HEX32),
    ("TWILIO_ACCOUNT_SID=AC" + HEX32, "API_KEY", "AC" + HEX32),
    ("my twilio account sid is AC" + HEX32, "API_KEY", "AC" + HEX32),
    # AWS
    (
        "aws_access_key_id = AKIA" + "Z7Q2M4K6N8P3R5T7",
        "AWS_ACCESS_KEY",
        "AKIA" + "Z7Q2M4K6N8P3R5T7",
    ),
    ("temporary ASIA" + "Y4W6X8Z2B3C5D7F9 creds", "AWS_ACCESS_KEY", "ASIA" + "Y4W6X8Z2B3C5D7F9"),
    ("aws_secret_access_key = " + B62 + "a/+Zq7Lm", "AWS_SECRET_KEY", B62 + "a/+Zq7Lm"),
    ('"SecretAccessKey": "' + B62_2 + 'q/7+Rt9V"', "AWS_SECRET_KEY", B62_2 + "q/7+Rt9V"),
    # JWT
    ("Authorization: Bearer " + JWT_TOKEN, "JWT", JWT_TOKEN),
    ("session=" + JWT_TOKEN + "; HttpOnly", "JWT", JWT_TOKEN),
    # Private keys
    (
        "-----BEGIN RSA PRIVATE KEY-----\n" + PEM_BODY + "\n-----END RSA PRIVATE KEY-----",
        "PRIVATE_KEY",
        "-----BEGIN RSA PRIVATE KEY-----\n" + PEM_BODY + "\n-----END RSA PRIVATE KEY-----",
    ),
    (
        '{"private_key": "-----BEGIN PRIVATE KEY-----\\n'
        + PEM_BODY.replace("\n", "\\n")
        + '\\n-----END PRIVATE KEY-----\\n"}',
        "PRIVATE_KEY",
        "-----BEGIN PRIVATE KEY-----\\n"
        + PEM_BODY.replace("\n", "\\n")
        + "\\n-----END PRIVATE KEY-----",
    ),
    (
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n"
        + PEM_BODY
        + "\n-----END PGP PRIVATE KEY BLOCK-----",
        "PRIVATE_KEY",
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n"
        + PEM_BODY
        + "\n-----END PGP PRIVATE KEY BLOCK-----",
    ),
    (
        "pasted, cut off:\n-----BEGIN OPENSSH PRIVATE KEY-----\n" + PEM_BODY + "\n(truncated)",
        "PRIVATE_KEY",
        "-----BEGIN OPENSSH PRIVATE KEY-----\n" + PEM_BODY,
    ),
    # Credentials: only the secret part
    ("curl -H 'Authorization: Bearer " + B62 + "' https://x", "CREDENTIAL", B62),
    ("Authorization: Basic ZGVwbG95Okh1bnRlcjIwMjQh", "CREDENTIAL", "ZGVwbG95Okh1bnRlcjIwMjQh"),
    ("Authorization: Token " + HEX32, "CREDENTIAL", HEX32),
    ("curl -u admin:S3cr3t!x https://ci.internal", "CREDENTIAL", "S3cr3t!x"),
    ("postgres://app:Summer2024!@db.internal:5432/prod", "CREDENTIAL", "Summer2024!"),
    ("mongodb+srv://admin:p%40ss-W0rd@cluster0.mongodb.net/db", "CREDENTIAL", "p%40ss-W0rd"),
    ("redis://:Tr0ub4dor3@cache:6379/0", "CREDENTIAL", "Tr0ub4dor3"),
    ("DB_PASSWORD=hunter2", "CREDENTIAL", "hunter2"),
    (
        '{"username": "deploy", "password": "correct horse battery"}',
        "CREDENTIAL",
        "correct horse battery",
    ),
    ("database:\n  password: 'Quartz#8812'\n", "CREDENTIAL", "Quartz#8812"),
    ("Server=sql01;Database=app;User Id=sa;Password=Delta!7781;", "CREDENTIAL", "Delta!7781"),
    ("client_secret: " + B62, "CREDENTIAL", B62),
    ("X-Api-Key: " + B62_2, "CREDENTIAL", B62_2),
    ('const apiKey = "' + B62 + '";', "CREDENTIAL", B62),
    (
        "SECRET_KEY = 'django-insecure-" + B62[:20] + "'",
        "CREDENTIAL",
        "django-insecure-" + B62[:20],
    ),
    ('webhook_secret = "' + HEX32 + '"', "CREDENTIAL", HEX32),
    ("<password>Lunar_Falcon42</password>", "CREDENTIAL", "Lunar_Falcon42"),
    ("docker login -u ci --password Winter2024!", "CREDENTIAL", "Winter2024!"),
    ("my password is Tr0ub4dor&3 and it fails", "CREDENTIAL", "Tr0ub4dor&3"),
    ("the wifi password: Cobalt-991.", "CREDENTIAL", "Cobalt-991"),
    ("log in with password 'Orange4258#'", "CREDENTIAL", "Orange4258#"),
    ("Mein Passwort ist Sommer2023!", "CREDENTIAL", "Sommer2023!"),
    (
        "?client_id=web&client_secret=" + B62_2 + "&grant_type=client_credentials",
        "CREDENTIAL",
        B62_2,
    ),
    ('<add key="ApiKey" value="' + HEX32 + '" />', "CREDENTIAL", HEX32),
    ('env:\n  - name: DB_PASSWORD\n    value: "Kx9#mQ2!vL"', "CREDENTIAL", "Kx9#mQ2!vL"),
    ('props.setProperty("password", "J@vaProps1");', "CREDENTIAL", "J@vaProps1"),
    ("I set the password for admin to 'Welcome123'", "CREDENTIAL", "Welcome123"),
    ("Voici le mot de passe : Ch@teau2024", "CREDENTIAL", "Ch@teau2024"),
    # Credentials in commands
    ("mysql -h db -u root -pRootPass2024 app", "CREDENTIAL", "RootPass2024"),
    ("sshpass -p 'Sup3r$ecret' ssh deploy@host", "CREDENTIAL", "Sup3r$ecret"),
    ("CREATE USER 'r'@'%' IDENTIFIED BY 'R3p0rt!ng2024';", "CREDENTIAL", "R3p0rt!ng2024"),
]


@pytest.mark.parametrize("text, entity, secret", POSITIVES)
def test_detects_secret_and_reports_only_its_span(secrets_analyzer, text, entity, secret):
    assert found(secrets_analyzer, text) == [(entity, secret)]


def test_aws_pair_in_credentials_file(secrets_analyzer):
    text = (
        "[default]\naws_access_key_id = AKIA" + "J3K5L7M9N2P4Q6R8\n"
        "aws_secret_access_key = " + B62 + "zY/+wXvU\n"
    )
    assert found(secrets_analyzer, text) == [
        ("AWS_ACCESS_KEY", "AKIA" + "J3K5L7M9N2P4Q6R8"),
        ("AWS_SECRET_KEY", B62 + "zY/+wXvU"),
    ]


def test_aws_secret_next_to_access_key_id_without_key_name(secrets_analyzer):
    text = "creds: AKIA" + "J3K5L7M9N2P4Q6R8 / " + B62_2 + "Ab/+Cd3E"
    assert ("AWS_SECRET_KEY", B62_2 + "Ab/+Cd3E") in found(secrets_analyzer, text)


def test_documentation_example_keys_are_redacted(secrets_analyzer):
    """Decision: published example keys have the exact shape of live keys and
    are redacted like them (safer; nothing of value is lost)."""
    text = (
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    )
    assert found(secrets_analyzer, text) == [
        ("AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE"),
        ("AWS_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ]


def test_several_secrets_in_one_message(secrets_analyzer):
    text = (
        "rotated: ghp_"
        + B62
        + "a1b2, sk-proj-"
        + B62
        + B62_2
        + " and DB_PASSWORD=Falcon!2291 today"
    )
    assert found(secrets_analyzer, text) == [
        ("API_KEY", "ghp_" + B62 + "a1b2"),
        ("API_KEY", "sk-proj-" + B62 + B62_2),
        ("CREDENTIAL", "Falcon!2291"),
    ]


# --- negatives: look-alikes that must not match ----------------------------

NEGATIVES = [
    # ids and hashes
    "request 203db13e-70c7-462b-9a3d-bf32640cb0be failed",
    "uuid: '203db13e-70c7-462b-9a3d-bf32640cb0be'",
    "commit 8b1118b376c313ed420e5133ba91307817ed52c2 fixes it",
    "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  app.tar.gz",
    'checksum = "8b1118b376c313ed420e5133ba91307817ed52c2"',
    '"hashed_secret": "513e0a36963ae1e8431c041b744679ee578b7c44"',
    'private_key_id = "8b1118b376c313ed420e5133ba91307817ed52c2"',
    "image: python@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    'ObjectId("507f1f77bcf86cd799439011")',
    # placeholders with a real prefix
    "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "OPENAI_API_KEY=sk-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "export OPENAI_API_KEY=sk-...",
    "sk-1234567890abcdef1234567890abcdef1234567890abcdef",
    "sk-proj-YOUR_PROJECT_KEY_GOES_HERE_aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "aws_access_key_id = AKIAXXXXXXXXXXXXXXXX",
    "SLACK_WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "STRIPE_KEY=sk_" + "test_xxxxxxxxxxxxxxxxxxxxxxxx",
    # placeholders and references in assignments
    "OPENAI_API_KEY=<your-key>",
    'api_key = "YOUR_API_KEY"',
    'api_key = os.environ["OPENAI_API_KEY"]',
    "api_key = os.getenv('OPENAI_API_KEY')",
    "const key = process.env.STRIPE_SECRET_KEY;",
    "token: ${GITHUB_TOKEN}",
    "DB_PASSWORD=$DB_PASSWORD",
    'password: "{{ vault_db_password }}"',
    'password: "${{ secrets.DB_PASSWORD }}"',
    "password: changeme",
    "password = 'password'",
    'password: "********"',
    '"password": null',
    "secret_key = None",
    "auth: true",
    "password: example",
    "token = 'dummy-token-value'",
    "password = get_password(user)",
    "password = getpass.getpass()",
    "self.token = token",
    "password: str = Field(min_length=12)",
    "secret: my-app-secret",
    "SUPER_SECRET_VALUE = 'this is just a long string, like a user facing error message'",
    "skipped_sequential_false_positive = '0123456789a'",
    "password_min_length = 12",
    "max_tokens: 4096",
    "token_type: bearer\nexpires_in: 3600",
    'secret_name = "prod/db/credentials"',
    "token_url: https://auth.example.com/oauth/token",
    '"author": "Jane Roe"',
    "version: 1.4.2",
    # HTTP and URL look-alikes
    "Authorization: Bearer <token>",
    'curl -H "Authorization: Bearer $TOKEN" https://api.example.com',
    'headers = {"Authorization": f"Bearer {token}"}',
    "The bearer token is sent in the header.",
    "postgres://user:password@localhost:5432/mydb",
    "amqp://guest:guest@localhost:5672/",
    "DATABASE_URL=postgres://app:${DB_PASS}@db:5432/app",
    "git clone git@github.com:acme/infra.git",
    "mkdir -p /tmp/build && docker run -p 8080:80 nginx && ssh -p 22 host",
    "$SecurePassword = ConvertTo-SecureString $plain -AsPlainText -Force",
    'choices = [("password", "Password"), ("token", "Token")]',
    "- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef: {name: db, key: password}",
    "see https://example.com:8443/docs?page=2",
    # AWS secret shape without context, JWT and PEM look-alikes
    "the build id is " + B62 + "a/+Zq7Lm and it passed",
    'The header eyJhbGciOiJIUzI1NiJ9 decodes to {"alg":"HS256"}.',
    "eyJub3QiOiJqd3QifQ.eyJhIjoxfQ.c2lnbmF0dXJl",
    "-----BEGIN PUBLIC KEY-----\n" + PEM_BODY + "\n-----END PUBLIC KEY-----",
    "-----BEGIN CERTIFICATE-----\n" + PEM_BODY + "\n-----END CERTIFICATE-----",
    "-----BEGIN RSA PRIVATE KEY-----\n<paste your key here>\n-----END RSA PRIVATE KEY-----",
    "HEADER = '-----BEGIN RSA PRIVATE KEY-----'\nFOOTER = '-----END RSA PRIVATE KEY-----'",
    # base64 blobs, words, versions, other prefixed ids
    '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk'
    '+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==">',
    '{"image": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk'
    '+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="}',
    '"integrity": "sha512-' + B62 * 2 + "+/" + B62_2 + '=="',
    "Upgraded numpy 1.26.4 -> 2.0.1, pandas v2.2.2, Python 3.11.9",
    "The password is incorrect, please try again.",
    "Our tokens expire hourly; the secret is to refresh early.",
    "my api key is invalid apparently",
    "Stripe publishable key: pk_" + "live_" + B62[:24],
    "hf_hub_download(repo_id='bert-base-uncased', filename='config.json')",
    "task-" + B62 + " finished",
    "akiaiosfodnn7example is not an uppercase key id",
    "arn:aws:iam::123456789012:role/DeployRole",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + B62 + "Ab12cd3 jane@laptop",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alikes_are_not_reported(secrets_analyzer, text):
    assert found(secrets_analyzer, text) == []


# --- helpers ------------------------------------------------------------------


def test_shannon_entropy_reference_points():
    assert shannon_entropy("") == 0.0
    assert shannon_entropy("xxxxxxxx") == 0.0
    assert shannon_entropy("abcd") == pytest.approx(2.0)
    assert shannon_entropy("aabb") == pytest.approx(1.0)
    assert shannon_entropy(B62) > 4.0


@pytest.mark.parametrize(
    "token, fake",
    [
        ("sk-" + "x" * 48, True),
        ("ghp_" + "0123456789abcdef" * 2 + "wxyz", True),
        ("sk-proj-your-key-" + B62, True),
        ("AKIAAAAAAAAAAAAAAAAA", True),
        ("ghp_" + B62 + "a1b2", False),
        ("AKIAIOSFODNN7EXAMPLE", False),
    ],
)
def test_fake_token_guard(token, fake):
    assert looks_like_fake_token(token) is fake


@pytest.mark.parametrize(
    "key, kind",
    [
        ("DB_PASSWORD", "password"),
        ("passwd", "password"),
        ("Passwort", "password"),
        ("contraseña", "password"),
        ("api_key", "secret"),
        ("X-Api-Key", "secret"),
        ("apiKey", "secret"),
        ("clientSecret", "secret"),
        ("GITHUB_TOKEN", "secret"),
        ("spring.datasource.password", "password"),
        ("auth", "weak"),
        ("credentials", "weak"),
        ("token_url", None),
        ("private_key_id", None),
        ("password_hash", None),
        ("max_tokens", None),
        ("author", None),
        ("Authorization", None),
        ("key", None),
        ("monkey", None),
        ("tokenizer", None),
    ],
)
def test_classify_key(key, kind):
    assert classify_key(key) == kind


@pytest.mark.parametrize(
    "value, reason",
    [
        ("changeme", "placeholder"),
        ("<your-key>", "placeholder"),
        ("${TOKEN}", "placeholder"),
        ("$TOKEN", "reference"),
        ("os.environ", "reference"),
        ("!vault", "reference"),
        ("Sunshine", "word"),
        ("203db13e-70c7-462b-9a3d-bf32640cb0be", "uuid"),
        ("v1.2.3", "version"),
        ("https://x.io", "url, path, host or e-mail"),
        ("123456", "repeated or sequential"),
        ("hunter2", None),
        ("Tr0ub4dor&3", None),
    ],
)
def test_reject_reason(value, reason):
    assert reject_reason(value) == reason


def test_settings_attribute_is_a_reference_only_when_unquoted():
    assert reject_reason("settings.SECRET_KEY", bare=True) == "identifier"
    assert secrets.assigned_value_ok("password", "Pass.word1", bare=True)


# --- the public detect-secrets fixtures (skipped where shared/ is absent) ----------


@pytest.mark.skipif(
    not DETECT_SECRETS.is_dir(), reason="shared detect-secrets fixtures not present"
)
def test_detect_secrets_fixtures(secrets_analyzer):
    each = found(secrets_analyzer, (DETECT_SECRETS / "each_secret.py").read_text())
    assert ("AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE") in each
    assert ("AWS_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") in each
    assert ("CREDENTIAL", "whywouldyouusehttpforpasswords") in each
    assert not any(span == "DEADBEEF" for _, span in each)
    key = found(secrets_analyzer, (DETECT_SECRETS / "files" / "private_key").read_text())
    assert [entity for entity, _ in key] == ["PRIVATE_KEY"]
    for clean in (
        "files/file_with_no_secrets.py",
        "files/tmp/file_with_no_secrets.py",
        "only_comments.yaml",
        "sample.diff",
        "baseline.file",
    ):
        assert found(secrets_analyzer, (DETECT_SECRETS / clean).read_text()) == [], clean


# --- the labelled evaluation set -----------------------------------------------


def test_evaluation_set_is_deterministic_and_well_formed():
    samples = build_samples()
    assert samples == build_samples()
    assert build_samples(seed=7) != samples
    assert {s["entity_type"] for sample in samples for s in sample["spans"]} == set(SECRET_ENTITIES)
    assert sum(not sample["spans"] for sample in samples) >= 150
    for sample in samples:
        for span in sample["spans"]:
            assert 0 <= span["start"] < span["end"] <= len(sample["text"])
            assert sample["text"][span["start"] : span["end"]].strip()


def test_evaluation_meets_targets(secrets_analyzer):
    report = evaluate(secrets_analyzer, build_samples())
    print("\n" + format_report(report))
    overall = report["overall"]
    assert overall["recall"] >= 0.98, report["errors"]
    assert overall["precision"] >= 0.95, report["errors"]
    for entity, counts in report["per_entity"].items():
        assert counts["recall"] >= 0.9 and counts["precision"] >= 0.9, (entity, counts)


@pytest.mark.parametrize(
    "entity, start, end, expected",
    [
        ("API_KEY", 5, 12, (1, 0, 0)),  # covers 5 of the 10 gold characters
        ("API_KEY", 6, 12, (0, 1, 1)),  # covers 4 of 10
        ("JWT", 0, 10, (0, 1, 1)),  # right span, wrong type
    ],
)
def test_evaluate_matching_rule(entity, start, end, expected):
    sample = {"text": "x" * 20, "spans": [{"start": 0, "end": 10, "entity_type": "API_KEY"}]}
    analyzer = SimpleNamespace(analyze=lambda **_: [RecognizerResult(entity, start, end, 0.9)])
    overall = evaluate(analyzer, [sample])["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == expected
