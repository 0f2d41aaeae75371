"""Presidio recognizers for secrets: provider API keys, cloud keys, JWTs, private
keys and generic credentials (passwords, tokens) in chat, code and config text.

Entity types:

- ``API_KEY``: provider tokens recognised by their documented prefix and shape
  (OpenAI, Anthropic, Google, GitHub, GitLab, Slack, Stripe, Hugging Face,
  Twilio, SendGrid, npm, PyPI).
- ``AWS_ACCESS_KEY``: AWS access key ids (``AKIA``/``ASIA``/``ABIA``/``ACCA`` + 16).
- ``AWS_SECRET_KEY``: 40-character AWS secret keys, only next to an AWS key name
  or an access key id.
- ``JWT``: three base64url segments whose header decodes to JSON with ``alg``.
- ``PRIVATE_KEY``: whole PEM/OpenSSH/PGP private key blocks (or, when the end
  marker is missing, the header and the key lines that follow it).
- ``CREDENTIAL``: the secret part only of ``Authorization`` headers, passwords
  in commands (``curl -u``, ``mysql -p``, SQL ``IDENTIFIED BY``),
  ``scheme://user:PASSWORD@host`` URLs, and ``key = value`` assignments (and
  chat phrases such as "my password is ...") whose key names a secret.

Scores: 0.85-1.0 for prefix-specific tokens and validated structures; 0.75-0.9
for AWS secret keys, by their context; 0.6-0.85 for generic credentials, by the
strength of the key name and of the value. All results score at least 0.6, so
a pipeline threshold up to 0.6 keeps them all.

Documentation example keys (``AKIAIOSFODNN7EXAMPLE``, the keys in Stripe's and
GitHub's docs, ...) ARE redacted: they have the exact shape
of live keys, nothing in a token reliably tells a published one from a live one,
and redacting a published example loses nothing. What is skipped are values
that cannot be keys: placeholders (``sk-xxxx...``, ``<your-key>``, ``${VAR}``),
low-entropy, repeated or sequential strings.
"""

from __future__ import annotations

import base64
import binascii
import json
import unicodedata
from typing import List, Optional

import regex as re
from presidio_analyzer import Pattern

from transforms.pii.recognizers.base import GatedPatternRecognizer, LogicRecognizer, near
from transforms.pii.recognizers.key_material import encodes_private_key
from transforms.pii.recognizers.secret_values import (
    _B,
    _E,
    _FLAGS,
    _HEX_RE,
    _LOWERCASE_NAME_RE,
    _UUID_RE,
    API_KEY,
    AWS_ACCESS_KEY,
    AWS_SECRET_KEY,
    CREDENTIAL,
    JWT,
    PRIVATE_KEY,
    looks_like_fake_token,
    min_entropy,
    reject_reason,
    shannon_entropy,
)
from transforms.pii.recognizers.secret_values import (
    SECRET_ENTITIES as SECRET_ENTITIES,
)
from transforms.pii.recognizers.vendor_tokens import has_vendor_token, provider_named

# --------------------------------------------------------------------------
# Provider tokens (pattern recognizers)
# --------------------------------------------------------------------------


class _SecretPatternRecognizer(GatedPatternRecognizer):
    """Base for the pattern recognizers of secrets: the class names the
    entity type, patterns and context words, and patterns are case-sensitive."""

    ENTITY = API_KEY
    PATTERNS: List[Pattern] = []
    CONTEXT: List[str] = []

    def __init__(
        self,
        patterns: Optional[List[Pattern]] = None,
        context: Optional[List[str]] = None,
        supported_language: str = "en",
        supported_entity: Optional[str] = None,
        name: Optional[str] = None,
    ):
        super().__init__(
            supported_entity=supported_entity or self.ENTITY,
            name=name or type(self).__name__,
            patterns=patterns or self.PATTERNS,
            context=context or self.CONTEXT,
            supported_language=supported_language,
            global_regex_flags=_FLAGS,
        )


class _ProviderTokenRecognizer(_SecretPatternRecognizer):
    """Base for recognizers of prefix-specific tokens: the placeholder guard
    :func:`looks_like_fake_token`."""

    MIN_ENTROPY = 3.0

    def invalidate_result(self, pattern_text: str) -> bool:
        """Drop placeholders that carry a real prefix (``sk-xxxx...``)."""
        return looks_like_fake_token(pattern_text, self.MIN_ENTROPY)


class OpenAIKeyRecognizer(_ProviderTokenRecognizer):
    """OpenAI API keys: project/service-account/admin keys
    (``sk-proj-``, ``sk-svcacct-``, ``sk-admin-`` + 40 or more base64url
    characters), legacy keys carrying the ``T3BlbkFJ`` marker, and other
    ``sk-`` + 32-64 alphanumerics (lower score). ``sk-ant-`` is Anthropic's."""

    PATTERNS = [
        Pattern(
            "OpenAI project/service/admin key",
            _B + r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}" + _E,
            0.95,
        ),
        Pattern("OpenAI legacy key", _B + r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}" + _E, 1.0),
        Pattern("OpenAI-style sk- key", _B + r"sk-[A-Za-z0-9]{32,64}" + _E, 0.85),
    ]
    CONTEXT = ["openai", "api_key", "apikey", "key", "token"]


class AnthropicKeyRecognizer(_ProviderTokenRecognizer):
    """Anthropic keys: ``sk-ant-`` + kind and version (``api03``, ``admin01``)
    + 32 or more base64url characters."""

    PATTERNS = [
        Pattern("Anthropic key", _B + r"sk-ant-[a-z]{2,6}\d{2}-[A-Za-z0-9_-]{32,250}" + _E, 0.95),
    ]
    CONTEXT = ["anthropic", "claude", "api_key", "key"]


class GoogleApiKeyRecognizer(_ProviderTokenRecognizer):
    """Google API keys: ``AIza`` + exactly 35 base64url characters."""

    PATTERNS = [Pattern("Google API key", _B + r"AIza[A-Za-z0-9_-]{35}" + _E, 0.95)]
    CONTEXT = ["google", "gcp", "firebase", "gemini", "maps", "key"]


class GitHubTokenRecognizer(_ProviderTokenRecognizer):
    """GitHub tokens: ``ghp_``/``gho_``/``ghu_``/``ghs_``/``ghr_`` + 36
    alphanumerics, and fine-grained ``github_pat_`` tokens."""

    PATTERNS = [
        Pattern("GitHub token", _B + r"gh[pousr]_[A-Za-z0-9]{36,251}" + _E, 0.95),
        Pattern("GitHub fine-grained token", _B + r"github_pat_[A-Za-z0-9_]{50,250}" + _E, 0.95),
    ]
    CONTEXT = ["github", "token", "gh"]


class GitLabTokenRecognizer(_ProviderTokenRecognizer):
    """GitLab personal access tokens: ``glpat-`` + 20 or more base64url
    characters, with the optional ``.01.xxxxxxxxx`` suffix of newer tokens."""

    PATTERNS = [
        Pattern(
            "GitLab token",
            _B + r"glpat-[A-Za-z0-9_-]{20,250}(?:\.[A-Za-z0-9]{2}\.[A-Za-z0-9]{6,12})?" + _E,
            0.95,
        ),
    ]
    CONTEXT = ["gitlab", "token"]


class SlackTokenRecognizer(_ProviderTokenRecognizer):
    """Slack bot/user/app tokens (``xoxb-``, ``xoxp-``, ``xoxa-``, ``xoxr-``,
    ``xoxs-``, ``xoxo-``, ``xapp-``) and incoming-webhook URLs on
    ``hooks.slack.com`` (the whole URL is the secret)."""

    PATTERNS = [
        Pattern("Slack token", _B + r"xox[abposr]-[A-Za-z0-9-]{20,250}" + _E, 0.95),
        Pattern("Slack app token", _B + r"xapp-\d-[A-Za-z0-9-]{20,250}" + _E, 0.95),
        Pattern(
            "Slack webhook",
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/"
            r"[A-Za-z0-9_/+-]{20,250}" + _E,
            0.95,
        ),
    ]
    CONTEXT = ["slack", "webhook", "token"]


class StripeKeyRecognizer(_ProviderTokenRecognizer):
    """Stripe secret and restricted keys: ``sk_live_``/``rk_live_`` (0.95) and
    ``sk_test_``/``rk_test_`` (0.85) + 10 or more alphanumerics. Publishable
    ``pk_`` keys are public by design and are not matched."""

    PATTERNS = [
        Pattern("Stripe live key", _B + r"[sr]k_live_[A-Za-z0-9]{10,247}" + _E, 0.95),
        Pattern("Stripe test key", _B + r"[sr]k_test_[A-Za-z0-9]{10,247}" + _E, 0.85),
    ]
    CONTEXT = ["stripe", "key", "secret"]


class HuggingFaceTokenRecognizer(_ProviderTokenRecognizer):
    """Hugging Face access tokens: ``hf_`` + 30-40 alphanumerics
    (``hf_hub_download`` and other identifiers do not fit)."""

    PATTERNS = [Pattern("Hugging Face token", _B + r"hf_[A-Za-z0-9]{30,40}" + _E, 0.9)]
    CONTEXT = ["huggingface", "hugging", "hf", "token"]


class TwilioApiKeyRecognizer(_ProviderTokenRecognizer):
    """Twilio API key SIDs: ``SK`` + 32 lowercase hex characters. Account SIDs
    (``AC`` + 32 hex) need context: see :class:`TwilioAccountSidRecognizer`."""

    PATTERNS = [
        Pattern("Twilio API key", r"(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])", 0.85),
    ]
    CONTEXT = ["twilio", "sid", "key"]


class SendGridKeyRecognizer(_ProviderTokenRecognizer):
    """SendGrid API keys: ``SG.`` + 22 + ``.`` + 43 base64url characters."""

    PATTERNS = [
        Pattern("SendGrid key", _B + r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}" + _E, 0.95),
    ]
    CONTEXT = ["sendgrid", "key"]


class NpmTokenRecognizer(_ProviderTokenRecognizer):
    """npm access tokens: ``npm_`` + 36 alphanumerics."""

    PATTERNS = [Pattern("npm token", _B + r"npm_[A-Za-z0-9]{36}" + _E, 0.95)]
    CONTEXT = ["npm", "npmrc", "token"]


class PyPITokenRecognizer(_ProviderTokenRecognizer):
    """PyPI and TestPyPI upload tokens: ``pypi-`` + a macaroon whose base64url
    starts with the encoded ``pypi.org`` (``AgEIcHlwaS5vcmc``) or
    ``test.pypi.org`` location, 50 or more characters on."""

    PATTERNS = [
        Pattern(
            "PyPI token",
            _B + r"pypi-Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}" + _E,
            0.95,
        ),
    ]
    CONTEXT = ["pypi", "twine", "token"]


class AwsAccessKeyRecognizer(_ProviderTokenRecognizer):
    """AWS access key ids: ``AKIA`` (long-term), ``ASIA`` (temporary),
    ``ABIA``, ``ACCA`` + 16 uppercase alphanumerics."""

    ENTITY = AWS_ACCESS_KEY
    PATTERNS = [
        Pattern(
            "AWS access key id",
            r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])",
            0.95,
        ),
    ]
    CONTEXT = ["aws", "access", "key"]


class JwtRecognizer(_SecretPatternRecognizer):
    """JSON Web Tokens: three base64url segments (header ``eyJ...``, payload,
    signature, which may be empty for ``alg: none``). Validated by decoding
    the header: it must be a JSON object with an ``alg`` field."""

    ENTITY = JWT
    PATTERNS = [
        Pattern("JWT", _B + r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*" + _E, 0.9),
    ]
    CONTEXT = ["jwt", "token", "bearer"]

    def validate_result(self, pattern_text: str) -> bool:
        """True if the header segment decodes to a JSON object with ``alg``."""
        return is_jwt(pattern_text)


def is_jwt(token: str) -> bool:
    """True if ``token``'s first dot-separated segment is base64url-encoded JSON
    holding an ``alg`` field."""
    header = token.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))
        parsed = json.loads(decoded)
    except (binascii.Error, ValueError):
        return False
    return isinstance(parsed, dict) and "alg" in parsed


# The specific recognizers own their tokens: generic CREDENTIAL recognizers
# skip a value one of these patterns matches whole.
_PROVIDER_RECOGNIZERS = (
    OpenAIKeyRecognizer,
    AnthropicKeyRecognizer,
    GoogleApiKeyRecognizer,
    GitHubTokenRecognizer,
    GitLabTokenRecognizer,
    SlackTokenRecognizer,
    StripeKeyRecognizer,
    HuggingFaceTokenRecognizer,
    TwilioApiKeyRecognizer,
    SendGridKeyRecognizer,
    NpmTokenRecognizer,
    PyPITokenRecognizer,
    AwsAccessKeyRecognizer,
)
_SPECIFIC_TOKEN_RES = [
    re.compile(pattern.regex, _FLAGS)
    for recognizer in _PROVIDER_RECOGNIZERS
    for pattern in recognizer.PATTERNS
]
_JWT_RE = re.compile(JwtRecognizer.PATTERNS[0].regex, _FLAGS)


def has_specific_token(value: str) -> bool:
    """True if ``value`` holds a token that a provider (:mod:`.vendor_tokens`
    included), AWS access key, JWT or private-key recognizer reports (or
    rejects as that provider's placeholder):
    the generic recognizers leave such values to them."""
    if "-----BEGIN" in value or encodes_private_key(value):
        return True
    if any(is_jwt(match.group()) for match in _JWT_RE.finditer(value)):
        return True
    return has_vendor_token(value) or any(regex.search(value) for regex in _SPECIFIC_TOKEN_RES)


# --------------------------------------------------------------------------
# Recognizers with logic (LogicRecognizer.find)
# --------------------------------------------------------------------------


class AwsSecretKeyRecognizer(LogicRecognizer):
    """AWS secret access keys: exactly 40 characters of ``[A-Za-z0-9/+]`` with
    both cases, entropy >= 3.5 and not hex, and only with context: an AWS secret
    key name (``aws_secret_access_key``, ``SecretAccessKey``, "AWS secret") in
    the 100 characters before (0.9), or an access key id within 200 characters
    either side (0.75). Without context a 40-character string is not reported."""

    ENTITY = AWS_SECRET_KEY
    CANDIDATE = re.compile(r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
    KEY_NAME = re.compile(r"(?i)aws.{0,30}secret|secret.?access.?key")
    KEY_ID = re.compile(AwsAccessKeyRecognizer.PATTERNS[0].regex)

    def find(self, text: str, nlp_artifacts=None):
        for match in self.CANDIDATE.finditer(text):
            score = self.context_score(text, match.start(), match.end())
            if score and self.is_candidate(match.group()):
                yield match.start(), match.end(), score, "40-char AWS secret key with context"

    @staticmethod
    def is_candidate(value: str) -> bool:
        """Shape and entropy of a real secret key (not a SHA-1, not a placeholder)."""
        return (
            len(value) == 40
            and not _HEX_RE.match(value)
            and any(c.isupper() for c in value)
            and any(c.islower() for c in value)
            and shannon_entropy(value) >= 3.5
            and not looks_like_fake_token(value)
        )

    @classmethod
    def context_score(cls, text: str, start: int, end: int) -> float:
        """0.9 after an AWS secret key name, 0.75 near an access key id, else 0."""
        if cls.KEY_NAME.search(text, max(0, start - 100), start):
            return 0.9
        if near(cls.KEY_ID, text, start, end, 200, 200):
            return 0.75
        return 0.0


class TwilioAccountSidRecognizer(LogicRecognizer):
    """Twilio account SIDs: ``AC`` + 32 lowercase hex, only with ``twilio`` or
    ``account sid`` within 150 characters either side (0.85)."""

    ENTITY = API_KEY
    SID = re.compile(r"(?<![A-Za-z0-9])AC[0-9a-f]{32}(?![A-Za-z0-9])")
    CONTEXT_RE = re.compile(r"(?i)twilio|account.?sid")

    def find(self, text: str, nlp_artifacts=None):
        for match in self.SID.finditer(text):
            if near(self.CONTEXT_RE, text, match.start(), match.end(), 150, 150):
                yield match.start(), match.end(), 0.85, "Twilio account SID with context"


class PrivateKeyRecognizer(LogicRecognizer):
    """Private key blocks: from ``-----BEGIN <LABEL >PRIVATE KEY( BLOCK)?-----``
    (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP, PKCS#8) to the matching
    ``-----END ...-----`` line, also with JSON-escaped ``\\n`` newlines (1.0).
    When the END line is missing (a truncated paste), the header plus the
    following header fields and key lines of 16+ base64 characters (0.85).
    Guard: the body must hold a base64 run of 16+ characters, so code that
    only mentions the markers and ``<your key here>`` templates are skipped.
    Public keys and certificates are not private keys and are not matched."""

    ENTITY = PRIVATE_KEY
    BEGIN = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----")
    END = re.compile(r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")
    ANY_BEGIN = re.compile(r"-----BEGIN ")
    TRUNCATED_BODY = re.compile(
        r"(?:(?:\r?\n|\\r?\\n)[ \t]*[A-Za-z][A-Za-z-]*: [^\r\n\\]*)*"
        r"(?:(?:\r?\n|\\r?\\n)+[ \t]*[A-Za-z0-9+/=]{16,})+"
    )
    KEY_MATERIAL = re.compile(r"[A-Za-z0-9+/=]{16,}")
    MAX_BLOCK = 20000

    def find(self, text: str, nlp_artifacts=None):
        for begin in self.BEGIN.finditer(text):
            next_begin = self.ANY_BEGIN.search(text, begin.end())
            limit = min(len(text), begin.end() + self.MAX_BLOCK)
            if next_begin:
                limit = min(limit, next_begin.start())
            end = self.END.search(text, begin.end(), limit)
            if end and self.KEY_MATERIAL.search(text, begin.end(), end.start()):
                yield begin.start(), end.end(), 1.0, "complete private key block"
                continue
            body = self.TRUNCATED_BODY.match(text, begin.end(), limit)
            if body:
                yield begin.start(), body.end(), 0.85, "private key header and key lines"


# Values after a separator: quoted (the quotes are not part of the span) or bare.
_VALUE = (
    r"""(?:"(?P<dq>[^"\r\n]{1,1024})"|'(?P<sq>[^'\r\n]{1,1024})'|`(?P<bq>[^`\r\n]{1,1024})`"""
    r"""|(?P<bare>(?:[^\s"'`,;&<>()\[\]{}]|&(?![&\w.\[\]-]*=)){1,1024}))"""
)
_VALUE_GROUPS = ("dq", "sq", "bq", "bare")
# Symbols that make a short value a password rather than a slug or a version.
_PASSWORD_SYMBOLS = frozenset("!@#$%^&*+=~/?")


def token_shaped(value: str) -> bool:
    """A value that can only be a secret where no verb or colon says so:
    letters and digits mixed, and either 32+ hex digits, or 16+ characters
    in mixed case or with a symbol at a token's entropy, or 8+ with a symbol
    or in mixed case with two digits (a password). Model names, slugs and
    versions (``gpt-4o-mini``, ``policy-2024``) are none of these."""
    value = value.rstrip(".,;:")
    if not (any(c.isalpha() for c in value) and any(c.isdigit() for c in value)):
        return False
    if len(value) >= 32 and _HEX_RE.fullmatch(value):
        return True
    mixed_case = any(c.isupper() for c in value) and any(c.islower() for c in value)
    symbol = any(c in _PASSWORD_SYMBOLS for c in value)
    if len(value) >= 16:
        return (mixed_case or symbol) and shannon_entropy(value) >= min_entropy(len(value))
    digits = sum(c.isdigit() for c in value)
    return len(value) >= 8 and (symbol or (mixed_case and digits >= 2))


def value_span(match):
    """(start, end, is_bare) of the value group that matched."""
    group = next(
        g for g in _VALUE_GROUPS if g in match.re.groupindex and match.group(g) is not None
    )
    return (*match.span(group), group == "bare")


_HTTP_SCHEME_VALUE = re.compile(r"(?i)^(basic|bearer|token)\s+(\S+)$")


def http_credential_ok(scheme: str, credential: str) -> bool:
    """Guard for the credential of an HTTP auth scheme.

    ``Basic``: must be base64 of ``user:password`` whose password passes the
    password guards. ``Bearer``/``Token``: 10+ characters, not a placeholder,
    reference or word, entropy at least :func:`min_entropy`.
    """
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credential, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return False
        user, sep, password = decoded.partition(":")
        return bool(sep) and decoded.isprintable() and password_ok(password, user)
    return (
        len(credential) >= 10
        and reject_reason(credential, bare=True) is None
        and shannon_entropy(credential) >= min_entropy(len(credential))
    )


def password_ok(password: str, user: str = "") -> bool:
    """Guard for human-chosen passwords: 4+ characters, not equal to the user
    name, and no :func:`reject_reason` (no entropy floor: ``hunter2`` counts)."""
    return (
        len(password) >= 4 and password.lower() != user.lower() and reject_reason(password) is None
    )


class HttpAuthRecognizer(LogicRecognizer):
    """Credentials in HTTP authentication: the credential after
    ``Authorization: Bearer|Basic|Token`` (0.9) and after a bare ``Bearer``
    (0.8). The span is the credential only. Guard: :func:`http_credential_ok`;
    JWTs and provider tokens are left to their own recognizers."""

    ENTITY = CREDENTIAL
    AUTH_HEADER = re.compile(
        r"(?i)\b(?:proxy-)?authorization[\"']?\s*[:=]\s*[\"']?\s*"
        r"(?P<scheme>bearer|basic|token)\s+(?P<cred>[A-Za-z0-9._~+/-]+=*)"
    )
    BEARER = re.compile(r"(?i)(?<![A-Za-z0-9])(?P<scheme>bearer)\s+(?P<cred>[A-Za-z0-9._~+/-]+=*)")

    def find(self, text: str, nlp_artifacts=None):
        for regex, score in ((self.AUTH_HEADER, 0.9), (self.BEARER, 0.8)):
            for match in regex.finditer(text):
                start = match.start("cred")
                cred = match.group("cred").rstrip(".")
                if has_specific_token(cred) or not http_credential_ok(match.group("scheme"), cred):
                    continue
                yield start, start + len(cred), score, f"{match.group('scheme')} credential"


class CommandLineCredentialRecognizer(LogicRecognizer):
    """Passwords given in commands: ``curl -u user:PASSWORD`` / ``--user``
    (0.85), the glued ``-pPASSWORD`` of ``mysql``, ``mysqldump`` and
    ``mysqladmin``, ``sshpass -p PASSWORD``, and SQL ``IDENTIFIED BY '...'``
    / ``WITH PASSWORD '...'`` (0.8). The span is the password only. Guard:
    :func:`password_ok`; provider tokens (``curl -u sk_live_...:``) are left
    to their own recognizers."""

    ENTITY = CREDENTIAL
    CURL_USER = re.compile(r"(?<!\S)(?:-u|--user)\s+[\"']?(?P<user>[^\s:\"']*):(?P<cred>[^\s\"']+)")
    MYSQL_PASSWORD = re.compile(r"\bmysql(?:dump|admin)?\b[^\n|;&]*?(?<!\S)-p(?P<cred>[^\s\"']+)")
    SSHPASS = re.compile(r"\bsshpass\s+-p\s*[\"']?(?P<cred>[^\s\"']+)")
    SQL_PASSWORD = re.compile(r"(?i)\b(?:identified\s+by|with\s+password)\s+'(?P<cred>[^'\r\n]+)'")

    def find(self, text: str, nlp_artifacts=None):
        patterns = (
            (self.CURL_USER, 0.85),
            (self.MYSQL_PASSWORD, 0.8),
            (self.SSHPASS, 0.8),
            (self.SQL_PASSWORD, 0.8),
        )
        for regex, score in patterns:
            for match in regex.finditer(text):
                cred = match.group("cred")
                user = match.group("user") if regex is self.CURL_USER else ""
                if not has_specific_token(cred) and password_ok(cred, user):
                    yield match.start("cred"), match.end("cred"), score, "password in a command"


class UrlCredentialRecognizer(LogicRecognizer):
    """Passwords in URLs and connection strings, ``scheme://user:PASSWORD@host``
    (``postgres://``, ``mongodb+srv://``, ``redis://:pw@``, ``https://``...): the
    span is the password only (0.85). Guards: :func:`password_ok` (placeholders
    such as ``password``, ``${DB_PASS}``, ``****``; password equal to the user
    name, as in ``guest:guest``); provider tokens used as passwords are left
    to their own recognizers."""

    ENTITY = CREDENTIAL
    URL_CREDENTIAL = re.compile(
        r"(?i)\b[a-z][a-z0-9+.-]{1,30}://(?P<user>[^\s:/@\"'<>]*):"
        r"(?P<cred>[^\s/\"'<>]+)@(?=[A-Za-z0-9\[])"
    )

    def find(self, text: str, nlp_artifacts=None):
        for match in self.URL_CREDENTIAL.finditer(text):
            cred = match.group("cred")
            if not has_specific_token(cred) and password_ok(cred, match.group("user")):
                yield match.start("cred"), match.end("cred"), 0.85, "password in URL"


# Key names: split into lowercase parts (snake, kebab, dotted, camelCase).
_KEY_PART_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_PASSWORD_PARTS = frozenset(
    {
        "password",
        "passwd",
        "passphrase",
        "passcode",
        "pwd",
        "pass",
        "pw",
        "passwort",
        "kennwort",
        "contrasena",
        "senha",
        "wachtwoord",
        "motdepasse",
    }
)
_SECRET_PARTS = frozenset({"secret", "token", "apikey", "secretkey", "accesskey", "privatekey"})
_SECRET_PAIRS = frozenset(
    {
        ("api", "key"),
        ("access", "key"),
        ("private", "key"),
        ("secret", "key"),
        ("client", "secret"),
        ("signing", "key"),
        ("encryption", "key"),
        ("master", "key"),
        ("subscription", "key"),
        ("license", "key"),
        ("account", "key"),
    }
)
_WEAK_PARTS = frozenset({"auth", "credential", "credentials", "creds"})
# A key whose first or last part is one of these names something about a
# secret (its id, URL, length, type ...), not the secret itself.
_NOT_SECRET_LAST = frozenset(
    """
    id ids uuid name names type types url uri urls endpoint host hostname domain path
    file filename dir directory length len size count limit max min ttl timeout expiry
    expires expiration lifetime duration age header field fields param params policy
    version format mode enabled enable disabled required provider method methods scope
    scopes algorithm alg label prompt hint placeholder regex pattern usage index env var
    location template strength rotation input button text message error errors prefix
    suffix charset column table arn region user username login email account audience
    issuer kid public fingerprint cert certificate store storage manager service status
    sid hash hashed digest checksum commit sha revision rev build release tag branch ref
    image zone site app project org team channel workspace plan environment
    """.split()
)
# A user name as people choose them (``radek_kowalczyk1``, ``jane.doe``): the
# value of ``twitter:`` or ``Discord:`` in a profile is a handle, not a key.
_HANDLE_RE = re.compile(r"^[A-Za-z]+(?:[._-]?[A-Za-z]+)*[._-]?\d{0,4}$")
# ``<something>_key`` names a secret (``x-nimbus-key``, ``ACME_KEY``) unless
# it is one of the keys of data structures, caches and key pairs.
_NOT_SECRET_KEY_FIRST = frozenset(
    """
    cache sort partition primary foreign object idempotency dedup dedupe routing lookup map
    row column hash s3 file bucket index composite unique natural surrogate hot short
    shortcut keyboard i18n translation react redis group message event request state query
    storage registry public pub pk ssh gpg pgp host known authorized the a my your this
    """.split()
)
# Public halves of key pairs: a provider-named key with one of these parts
# holds no secret (``STRIPE_PUBLISHABLE_KEY``).
_PUBLIC_PARTS = frozenset({"public", "publishable", "pub", "pk"})
_NOT_SECRET_FIRST = frozenset(
    """
    max min num is has use enable enabled show hide forgot reset validate check get set
    hash hashed digest checksum
    """.split()
)


def classify_key(key: str) -> Optional[str]:
    """Kind of secret a key name announces: ``password``, ``secret`` (token,
    API key, client secret ...), ``weak`` (auth, credential), ``vendor`` (a
    provider's name alone, ``ALGOLIA_ADMIN``: see
    :func:`~transforms.pii.recognizers.vendor_tokens.provider_named`), or None (not a
    secret, or a name about a secret such as ``token_url``, ``private_key_id``,
    ``password_hash``, ``max_tokens``, ``author``). Non-ASCII letters are
    folded (``contraseña``)."""
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    parts = [p.lower() for p in _KEY_PART_RE.findall(ascii_key)]
    if not parts or parts[-1] in _NOT_SECRET_LAST or parts[0] in _NOT_SECRET_FIRST:
        return None
    if "".join(parts) in _PASSWORD_PARTS or any(
        p in _PASSWORD_PARTS or p.endswith(("password", "passwd")) for p in parts
    ):
        return "password"
    if any(p in _SECRET_PARTS or p.endswith(("token", "secret", "apikey")) for p in parts):
        return "secret"
    if any(pair in _SECRET_PAIRS for pair in zip(parts, parts[1:], strict=False)):
        return "secret"
    public = bool(_PUBLIC_PARTS.intersection(parts))
    if provider_named(parts) and not public:
        return "vendor"
    if any(p in _WEAK_PARTS for p in parts):
        return "weak"
    if len(parts) > 1 and parts[-1] == "key" and parts[0] not in _NOT_SECRET_KEY_FIRST:
        return None if public else "key"
    return None


def assigned_value_ok(kind: str, value: str, bare: bool) -> bool:
    """Guard for a value assigned to a key of the given kind.

    A UUID counts for every kind but ``weak`` (``client_secret = <uuid>``,
    Heroku's API keys): not a sequential or repeated one. Otherwise, all
    kinds: :func:`reject_reason`. ``password``: :func:`password_ok` and at
    most four words (``1984`` and ``correct horse battery staple`` count, a
    sentence does not). ``secret`` and ``weak`` reject pure digits, whitespace
    and lowercase names (``my-app-secret``, ``prod_db``).
    ``vendor``: also 16+ characters and not a user name (``jane_doe42``).
    ``secret`` and ``vendor``: 8+ characters, entropy >= :func:`min_entropy`, hex (hashes,
    git SHAs) only if 32+ characters.
    ``weak``: 16+ characters, entropy >= 3.5, two character classes, no hex.
    """
    if _UUID_RE.match(value):
        return kind not in ("weak", "key") and not looks_like_fake_token(value)
    if reject_reason(value, bare) is not None:
        return False
    if kind == "password":
        return password_ok(value) and len(value.split()) <= 4
    if value.isdigit() or _LOWERCASE_NAME_RE.match(value) or any(c.isspace() for c in value):
        return False
    is_hex = bool(_HEX_RE.match(value)) and len(value) >= 12
    entropy = shannon_entropy(value)
    if kind == "vendor" and (len(value) < 16 or _HANDLE_RE.match(value)):
        return False
    if kind == "key":
        return len(value) >= 20 and entropy >= 3.5 and (not is_hex or len(value) >= 32)
    if kind in ("secret", "vendor"):
        return (
            len(value) >= 8
            and entropy >= min_entropy(len(value))
            and (not is_hex or len(value) >= 32)
        )
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
        )
    )
    return len(value) >= 16 and entropy >= 3.5 and classes >= 2 and not is_hex


class SecretAssignmentRecognizer(LogicRecognizer):
    """Values assigned to secret-named keys, in any common syntax:
    ``KEY=value`` (.env, shell, INI, properties, connection strings),
    ``key: value`` (YAML, headers such as ``X-Api-Key``), ``"password": "..."``
    (JSON, dicts), ``:=``, ``=>``, ``->``, ``<-``, ``+=``, ``||=``, ``??=``,
    ``ENV["API_KEY"] = ...``, typed declarations (``val password: String =
    "..."``, ``const apiKey: string = '...'``), ``<password>...</password>``, name/value
    pairs (``<add key="ApiKey" value="..."/>``, ``- name: DB_PASSWORD`` /
    ``value: ...``, ``setProperty("password", "...")``), ``--password value``
    and ``--password=value`` flags, and chat phrases: "my password is ...",
    "the password for the admin account is ...", "set the password for admin
    to ...", "with password '...'" (quoted), "use password ... to log in",
    "Passwort ist ...", "mot de
    passe : ...", "contraseña es ..." and the like. The span is the value only
    (without quotes).

    Key names: see :func:`classify_key`. Values: :func:`assigned_value_ok`,
    and for phrases additionally a digit or symbol. Values that another
    recognizer owns (provider tokens, JWTs, PEM blocks, AWS secret keys) are
    skipped; ``Bearer``/``Basic`` values are checked as HTTP credentials.
    Scores: password 0.75, secret 0.7, weak 0.6; +0.15 for 16+ characters of
    entropy >= 3.5; phrases 0.6.
    """

    ENTITY = CREDENTIAL
    ASSIGNMENT = re.compile(
        r"(?<![\w.-])(?P<key>[A-Za-z_][\w.-]{0,63})[\"']?\]?[ \t]{0,3}"
        r"(?P<sep>:=|\?\??=|=>|->|<-|\+=|\|\|=|={1,3}|:)[ \t]{0,5}" + _VALUE
    )
    NAME_VALUE = re.compile(
        r"(?i)\b(?:key|name)\s*[=:]\s*[\"']?(?P<key>[A-Za-z_][\w.-]{0,63})[\"']?\s*,?\s*"
        r"(?:-\s+)?[\"']?value[\"']?\s*[=:]\s*" + _VALUE
    )
    QUOTED_PAIR = re.compile(
        r"[\"'](?P<key>[A-Za-z_][\w.-]{0,63})[\"']\s*,\s*"
        r"""(?:"(?P<dq>[^"\r\n]{1,1024})"|'(?P<sq>[^'\r\n]{1,1024})')"""
    )
    # Element content is literal text, like a quoted value.
    XML_ELEMENT = re.compile(r"<(?P<key>[A-Za-z_][\w.-]{0,63})>(?P<dq>[^<\r\n]{1,1024})</(?P=key)>")
    CLI_FLAG = re.compile(r"(?<![\w-])--(?P<key>[A-Za-z][\w-]{1,40})(?:[ \t]+|=)(?!-)" + _VALUE)
    _QUOTED = (
        r"""(?:"(?P<dq>[^"\r\n]{1,256})"|'(?P<sq>[^'\r\n]{1,256})'"""
        r"""|`(?P<bq>[^`\r\n]{1,256})`)"""
    )
    PHRASE = re.compile(
        r"(?i)\b(?P<key>pass(?:word|wd|phrase|code)|pwd|pw|api[ _-]?key|secret(?:[ _-]?key)?|"
        r"(?:access|auth|api|bearer|refresh)[ _-]?token|token|client[ _-]?secret|"
        r"passwort|kennwort|mot de passe|contrase[ñn]a|senha|wachtwoord)"
        r"(?:\s+(?:for|of|on)\s+(?:[\w@.'-]+\s+){0,3}?[\w@.'-]+)?"
        r"(?:(?:\s+(?:is|was|to|ist|war|est|es|era|é|è)\s*:?\s+|\s*:\s*)"
        r"(?:" + _QUOTED + r"""|(?P<bare>[^\s"'`]{1,256}))|\s+""" + _QUOTED + ")"
    )
    # Typed declarations: ``val password: String = "..."``, ``const apiKey:
    # string = '...'``, ``var password string = "..."`` (quoted values only).
    TYPED = re.compile(
        r"(?<![\w.-])(?P<key>[A-Za-z_][\w.-]{0,63})"
        r"(?:[ \t]*:[ \t]*[&'\w.<>\[\]?|, ]{1,40}?|[ \t]+[A-Za-z_][\w.*\[\]]{0,24})"
        r"[ \t]*:?=(?!=)[ \t]*" + _QUOTED
    )
    # A password after a verb: "use password Tr0ub4dor3 to log in".
    VERB_PHRASE = re.compile(
        r"(?i)\b(?:use|using|try|enter|type|with|is)\s+(?:the\s+)?"
        r"(?P<key>password|passcode|passphrase|pwd|pw)\s+(?P<bare>[^\s\"'`]{4,256})"
    )
    # "set ALGOLIA_ADMIN to '...'", "set the api_token to ..."
    SET_TO = re.compile(
        r"(?i)\bset\s+(?:the\s+|my\s+)?(?P<key>[A-Za-z_][\w.-]{2,63})\s+to\s+"
        r"(?:" + _QUOTED + r"""|(?P<bare>[^\s"'`]{1,256}))"""
    )
    # A secret's name and its value with nothing between ("api key
    # 0Q5Qf3kX...", "wifi password Tr0ub4dor3"): only a token-shaped value
    # (:func:`token_shaped`) counts.
    KEYWORD_VALUE = re.compile(
        r"(?i)\b(?P<key>pass(?:word|wd|phrase|code)|pwd|api[ _-]?key|secret[ _-]?key|"
        r"(?:access|auth|api|bearer|refresh)[ _-]?token|client[ _-]?secret)"
        r"[ \t]+(?P<bare>[A-Za-z0-9_~!@#$%^&*+/=?.-]{8,256})(?![^\s,;)\]}])"
    )
    # Passwords passed by position: ``auth=("bob", "...")``,
    # ``HTTPBasicAuth("bob", "...")``, ``new PDO($dsn, 'admin', '...')``,
    # ``mysqli_connect("db", "admin", "...")``: the quoted argument after the user's.
    POSITIONAL = re.compile(
        r"(?i)(?:\bauth\s*=\s*[(\[]|\bHTTP(?:Basic|Digest)Auth\(|"
        r"\bnew\s+PDO\(\s*[^,()\r\n]{1,200},|\bmysqli(?:_connect)?\(\s*[^,()\r\n]{1,200},)"
        r"""\s*(?:"[^"\r\n]{1,128}"|'[^'\r\n]{1,128}')\s*,\s*""" + _QUOTED
    )
    SYNTAXES = (
        ASSIGNMENT,
        NAME_VALUE,
        QUOTED_PAIR,
        XML_ELEMENT,
        CLI_FLAG,
        TYPED,
        PHRASE,
        VERB_PHRASE,
        SET_TO,
        KEYWORD_VALUE,
    )
    PHRASES = (PHRASE, VERB_PHRASE, SET_TO, KEYWORD_VALUE)
    BASE_SCORE = {"password": 0.75, "secret": 0.7, "vendor": 0.7, "key": 0.6, "weak": 0.6}

    def find(self, text: str, nlp_artifacts=None):
        for regex in self.SYNTAXES:
            yield from self._findings(regex, text, 0, len(text))
        for match in self.POSITIONAL.finditer(text):
            credential = self.credential(text, match, "password", phrase=False)
            if credential:
                start, value = credential
                yield start, start + len(value), 0.75, "password passed by position"

    def _findings(self, regex, text: str, begin: int, end: int, nested: bool = False):
        """Findings of one syntax in ``text[begin:end]``. The quoted value of
        a key that names no secret is searched once more for assignments
        (``CONNECTION_STRING="...;AccountKey=...;"``)."""
        phrase = regex in self.PHRASES
        for match in regex.finditer(text, begin, end):
            if regex is self.KEYWORD_VALUE and not token_shaped(match.group("bare")):
                continue
            kind = classify_key(match.group("key"))
            if kind is None:
                start, stop, bare = value_span(match)
                if regex is self.ASSIGNMENT and not bare and not nested:
                    yield from self._findings(regex, text, start, stop, nested=True)
                continue
            credential = self.credential(text, match, kind, phrase)
            if credential:
                start, value = credential
                score = self.score(kind, value, phrase)
                yield start, start + len(value), score, f"value of a {kind} key"

    @staticmethod
    def credential(text: str, match, kind: str, phrase: bool) -> Optional[tuple]:
        """``(start, value)`` of the secret in a key/value match, or None."""
        start, end, bare = value_span(match)
        value = text[start:end]
        if bare:
            value = value.rstrip(".,;:" if phrase else ".")
        scheme = _HTTP_SCHEME_VALUE.match(value)
        if scheme:
            start, value = start + scheme.start(2), scheme.group(2)
            ok = http_credential_ok(scheme.group(1), value)
        else:
            ok = assigned_value_ok(kind, value, bare) and not (
                AwsSecretKeyRecognizer.is_candidate(value)
                and AwsSecretKeyRecognizer.context_score(text, start, start + len(value))
            )
        if phrase and value.isalpha():
            ok = False
        return (start, value) if ok and not has_specific_token(value) else None

    def score(self, kind: str, value: str, phrase: bool) -> float:
        """Score by syntax, key kind and value strength."""
        if phrase:
            return 0.6
        strong = len(value) >= 16 and shannon_entropy(value) >= 3.5
        return self.BASE_SCORE[kind] + (0.15 if strong else 0.0)


# The recognizers of this module; :mod:`.secret_catalogue` adds the others.
CORE_SECRET_RECOGNIZERS = (
    *_PROVIDER_RECOGNIZERS,
    JwtRecognizer,
    AwsSecretKeyRecognizer,
    TwilioAccountSidRecognizer,
    PrivateKeyRecognizer,
    HttpAuthRecognizer,
    CommandLineCredentialRecognizer,
    UrlCredentialRecognizer,
    SecretAssignmentRecognizer,
)
