"""Credentials in the syntaxes people paste beyond ``key = value``: password
flags of command-line tools, SQL user management, ``user:password@host``
without a scheme, and HTTP authorization other than ``Bearer``/``Basic``
(other and custom schemes, a raw token, Digest responses, request
signatures, session cookies). All are ``CREDENTIAL``; the span is the secret
only.

Each recognizer first looks for its cue words with one cheap regex and stops
there when a message has none (most messages), so the syntaxes below cost
almost nothing on ordinary chat. Values pass the guards of :mod:`.secrets`:
:func:`~.secrets.password_ok` for passwords people choose,
:func:`~.secrets.http_credential_ok` for tokens; provider tokens are left to
their own recognizers (:func:`~.secrets.has_specific_token`).
"""

from __future__ import annotations

from typing import Iterable, Optional

import regex as re

from transforms.pii.recognizers.base import LogicRecognizer
from transforms.pii.recognizers.secret_values import CREDENTIAL, shannon_entropy
from transforms.pii.recognizers.secrets import (
    has_specific_token,
    http_credential_ok,
    password_ok,
    value_span,
)

# A value after a flag or keyword: quoted (quotes excluded) or bare.
_VALUE = (
    r"""(?:'(?P<sq>[^'\r\n]{1,256})'|"(?P<dq>[^"\r\n]{1,256})"|`(?P<bq>[^`\r\n]{1,256})`"""
    r"""|(?P<bare>[^\s'"`;|&<>]{1,256}))"""
)
# The rest of a command line before a flag: same line, same command.
_ARGS = r"[^\n|;&]*?(?<!\S)"


def _flag(commands: str, flag: str, glued: bool = False) -> str:
    """A password ``flag`` of one of ``commands`` (case-insensitive names),
    followed by its value: glued (``-pSECRET``) or after spaces."""
    return rf"(?i:\b(?:{commands}))(?![\w-]){_ARGS}{flag}" + ("" if glued else r"[ \t]+")


class CommandPasswordRecognizer(LogicRecognizer):
    """Passwords given to command-line tools (0.8): ``mysql -p'...'``,
    ``docker login -p ...``, ``sqlcmd -P``, ``redis-cli -a``, ``ldapsearch
    -w``, ``zip -P``, ``7z -p...``, ``keytool -storepass``, ``openssl -passin
    pass:...``, ``smbclient -U user%...``, ``xfreerdp /p:...``, ``mongo -p``,
    ``net use \\\\host ...``, ``htpasswd -b file user ...``,
    ``ConvertTo-SecureString '...' -AsPlainText``, ``echo ... | docker login
    --password-stdin``, ``curl --proxy-user user:...``; and SQL:
    ``IDENTIFIED BY`` (quoted or not, ``IDENTIFIED WITH plugin BY``), ``SET
    PASSWORD ... = '...'``, ``CREATE|ALTER USER|ROLE|LOGIN ... PASSWORD
    '...'``. Flags that mean a port in other tools (``-p``) count only after
    the tool they belong to."""

    ENTITY = CREDENTIAL
    CUES = re.compile(
        r"(?i)(?:mysql|mariadb|login|sqlcmd|bcp|osql|redis-cli|ldap|zip|7z|rar|keytool|"
        r"jarsigner|openssl|smb|rpcclient|freerdp|rdesktop|mongo|net\s+(?:use|user)|htpasswd|"
        r"cmdkey|securestring|proxy-user|identified|password)"
    )
    FLAGS = tuple(
        re.compile(prefix + _VALUE)
        for prefix in (
            _flag(r"mysql\w*|mariadb(?:-dump)?", "-p", glued=True),
            _flag(r"(?:docker|podman|nerdctl|buildah|skopeo|oras|crane)\s+login", "-p"),
            _flag(r"helm\s+registry\s+login", "-p"),
            _flag(r"az\s+login", "-p"),
            _flag(r"sqlcmd|bcp|osql", "-P"),
            _flag(r"redis-cli", "-a"),
            _flag(r"ldap\w+", "-w"),
            _flag(r"zip|unzip", "-P"),
            _flag(r"7z|7za|rar|unrar", "-p", glued=True),
            _flag(r"keytool|jarsigner", r"-(?:store|key|srcstore|deststore|srckey|destkey)pass"),
            _flag(r"openssl", r"-pass(?:in|out)?[ \t]+pass:", glued=True),
            _flag(r"smbclient|rpcclient|smbmap", r"-U[ \t]*[^\s%]+%", glued=True),
            _flag(r"xfreerdp|wlfreerdp", r"/p:", glued=True),
            _flag(r"rdesktop|mongo\w*", "-p"),
            _flag(r"cmdkey", r"/pass:", glued=True),
            r"(?i:\bnet[ \t]+use[ \t]+\\\\\S+|\bnet[ \t]+user[ \t]+\S+)[ \t]+",
            r"(?i:\bhtpasswd[ \t]+-\w*b\w*[ \t]+\S+[ \t]+\S+)[ \t]+",
            r"(?i:\bConvertTo-SecureString(?:[ \t]+-String)?)[ \t]+(?=['\"])",
            r"(?<!\S)(?:--proxy-user|--user=)[ \t]*[\"']?[^\s:\"']+:",
        )
    ) + (
        re.compile(
            r"\becho[ \t]+(?:-n[ \t]+)?" + _VALUE + r"(?=[ \t]*\|[ \t]*\w[^\n]*--password-stdin)"
        ),
    )
    SQL = (
        re.compile(
            r"(?i)\bidentified[ \t]+(?:with[ \t]+['\"]?\w+['\"]?[ \t]+)?by[ \t]+(?!password\b)"
            + _VALUE
        ),
        re.compile(
            r"(?i)\bset[ \t]+password[ \t]+(?:for[ \t]+\S+[ \t]*)?=[ \t]*"
            r"(?:(?:old_)?password[ \t]*\([ \t]*)?(?=['\"])" + _VALUE
        ),
        re.compile(
            r"(?i)\b(?:create|alter)[ \t]+(?:user|role|login)\b[^;\n]{0,160}?\bpassword"
            r"[ \t]*=?[ \t]*(?=['\"])" + _VALUE
        ),
    )

    def find(self, text: str, nlp_artifacts=None):
        if not self.CUES.search(text):
            return
        for regex in (*self.FLAGS, *self.SQL):
            for match in regex.finditer(text):
                start, end, _ = value_span(match)
                value = text[start:end]
                if not has_specific_token(value) and password_ok(value):
                    yield start, end, 0.8, "password given to a command"


# Schemes that are no user name in ``user:password@host``.
_NOT_USERS = frozenset({"mailto", "sip", "sips", "tel", "xmpp", "http", "https", "ftp", "ssh"})


class HostCredentialRecognizer(LogicRecognizer):
    """Passwords of ``user:password@host`` written without a scheme (``ssh``
    targets, proxies, ``git`` remotes, DSNs in prose) and of Oracle's
    ``sqlplus user/password@db`` (0.8). The host must be a dotted name, an IP
    address or ``localhost``, so ``image:tag@sha256:...`` and e-mail
    addresses do not fit; URLs with a scheme are :class:`~.secrets.UrlCredentialRecognizer`'s."""

    ENTITY = CREDENTIAL
    USERINFO = re.compile(
        r"(?<![\w/.:@%+-])(?P<user>[A-Za-z0-9._~-]{1,64}):(?P<cred>[^\s:/@\"'<>]{1,128})@"
        r"(?=\[[0-9A-Fa-f:]+\]|\d{1,3}(?:\.\d{1,3}){3}|localhost\b|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    )
    ORACLE = re.compile(
        r"(?i)\b(?:sqlplus|rman|expdp|impdp|exp|imp|sqlldr|dgmgrl)[ \t]+(?:-\w+[ \t]+)*"
        r"[\"']?(?P<user>[A-Za-z][\w$#]*)/(?P<cred>[^\s@/\"']+)(?=@|[\"'\s]|$)"
    )

    def find(self, text: str, nlp_artifacts=None):
        if "@" in text:
            yield from self._matches(self.USERINFO, text)
        if "/" in text:
            yield from self._matches(self.ORACLE, text)

    @staticmethod
    def _matches(regex, text: str) -> Iterable:
        for match in regex.finditer(text):
            user, cred = match.group("user"), match.group("cred")
            if user.lower() in _NOT_USERS or has_specific_token(cred):
                continue
            if password_ok(cred, user):
                yield match.start("cred"), match.end("cred"), 0.8, "password before @host"


_TOKEN = r"[A-Za-z0-9._~+/-]+=*"
_HANDLED_SCHEMES = frozenset({"basic", "bearer", "token", "digest", "aws4-hmac-sha256"})
_SESSION_NAME = re.compile(r"(?i)sess|sid$|^sid|auth|token|jwt|remember|login")


class AuthHeaderRecognizer(LogicRecognizer):
    """HTTP authorization beyond ``Bearer``/``Basic``/``Token`` (those are
    :class:`~.secrets.HttpAuthRecognizer`'s): any other scheme
    (``Authorization: ApiKey ...``, ``SSWS``, ``GenieKey``, ``Key``,
    ``Klaviyo-API-Key`` ...) and a raw token without scheme (0.85); the
    ``response`` of a Digest header and the ``Signature`` of AWS Signature
    V4 (0.85); signatures and session tokens in pre-signed URLs
    (``X-Amz-Signature``, ``X-Goog-Signature``, ``X-Amz-Security-Token``,
    Azure SAS ``sig``) (0.8); session cookies in a ``Cookie`` header or
    ``curl -b`` (0.75). Tokens pass :func:`~.secrets.http_credential_ok`;
    a cookie value needs 16+ characters of entropy >= 3.5."""

    ENTITY = CREDENTIAL
    CUES = re.compile(r"(?i)authorization|signature|[?&]sig=|security-token|cookie|(?<!\S)-b\s")
    SCHEMED = re.compile(
        r"(?i)\b(?:proxy-)?authorization[\"']?[ \t]*[:=][ \t]*[\"']?[ \t]*"
        r"(?:(?P<scheme>[A-Za-z][\w.-]{1,30})[ \t]+)?(?P<cred>" + _TOKEN + r")(?=[\"'\s,;]|$)"
    )
    SIGNED = (
        (
            re.compile(
                r"(?i)\bdigest[ \t][^\n]*?\bresponse[ \t]*=[ \t]*\"?(?P<cred>[A-Fa-f0-9]{32,128})"
            ),
            0.85,
        ),
        (re.compile(r"\bSignature=(?P<cred>[A-Fa-f0-9]{64})\b"), 0.85),
        (
            re.compile(
                r"(?i)[?&](?:x-amz-signature|x-goog-signature)=(?P<cred>[A-Fa-f0-9]{64,})"
                r"|[?&]x-amz-security-token=(?P<cred>[A-Za-z0-9%/+=._-]{40,})"
                r"|[?&]sig=(?P<cred>[A-Za-z0-9%/+=]{30,})"
            ),
            0.8,
        ),
    )
    COOKIE = re.compile(r"(?i)(?:\bcookie:|(?<!\S)-b[ \t]+[\"']?|--cookie[ \t]+[\"']?)[^\n\"']*")
    COOKIE_PAIR = re.compile(r"(?P<name>[\w.-]{1,64})=(?P<cred>[^;\s\"']{16,4096})")

    def find(self, text: str, nlp_artifacts=None):
        if not self.CUES.search(text):
            return
        yield from self._schemed(text)
        for regex, score in self.SIGNED:
            for match in regex.finditer(text):
                if not has_specific_token(match.group("cred")):
                    yield match.start("cred"), match.end("cred"), score, "request signature"
        yield from self._cookies(text)

    def _schemed(self, text: str) -> Iterable:
        for match in self.SCHEMED.finditer(text):
            scheme: Optional[str] = match.group("scheme")
            if scheme and scheme.lower() in _HANDLED_SCHEMES:
                continue
            cred = match.group("cred")
            if scheme is None and shannon_entropy(cred) < 3.5:
                continue
            if not has_specific_token(cred) and http_credential_ok("token", cred):
                yield match.start("cred"), match.end("cred"), 0.85, "authorization credential"

    def _cookies(self, text: str) -> Iterable:
        for header in self.COOKIE.finditer(text):
            for pair in self.COOKIE_PAIR.finditer(text, header.start(), header.end()):
                cred = pair.group("cred")
                if (
                    _SESSION_NAME.search(pair.group("name"))
                    and "csrf" not in pair.group("name").lower()
                    and shannon_entropy(cred) >= 3.5
                    and not has_specific_token(cred)
                ):
                    yield pair.start("cred"), pair.end("cred"), 0.75, "session cookie"
