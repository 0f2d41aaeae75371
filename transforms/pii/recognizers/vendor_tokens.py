"""Vendor tokens that name themselves: a table of providers' token formats,
compiled into one regular expression, and the recognizer that runs it.

Why a table: the well-known open rule sets (gitleaks' default rules are the
reference for breadth) cover about 150 providers, and most of them issue
tokens with a fixed prefix (``dop_v1_``, ``shpat_``, ``glsa_``, ``pplx-``,
``AGE-SECRET-KEY-1`` ...). Each row of :data:`TOKEN_RULES` states one format
(provider, regular expression of the whole token, entropy floor, score);
the formats are learnt from the providers' documentation and gitleaks' MIT
rules, not copied. All rows are joined into a single alternation behind one
token boundary, and that alternation only runs inside runs of 16 or more
token characters (:data:`CANDIDATE_RUN`, one cheap pass): a chat message pays
almost nothing for the whole table.

Formats that need a key name to be told from an ordinary string (a bare
32-character hex value is an Algolia key only after ``algolia``) are not in
this table: :func:`provider_named` lets the key-value recognizer of
:mod:`.secrets` treat a key that names a provider as a secret's key.

The last row, ``prefixed token``, is the general rule for providers not in
the table: a short lower-case prefix joined by ``_`` (``acme_``,
``acme_v2_``), or by ``-`` around a marker (``acme-live-``, ``acme-sk-``),
then 32 or more random base62 characters with upper case, lower case and
digits. Hashes, slugs, ``task-<id>`` and the 24-to-28-character object ids
of APIs (``cus_``, ``msg_``, ``user_``) do not fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

import regex as re

from transforms.pii.recognizers.base import LogicRecognizer
from transforms.pii.recognizers.secret_values import (
    API_KEY,
    looks_like_fake_token,
    shannon_entropy,
)


@dataclass(frozen=True)
class TokenRule:
    """One token format: ``pattern`` matches the whole token; ``min_bits`` is
    the entropy the token must reach (see :func:`looks_like_fake_token`);
    ``guard_from`` skips a fixed run at the start before the guard (Twitter's
    bearer tokens open with 22 ``A``). A ``fallback`` format is this table's
    only where no key or header claims the token: the key-value and header
    recognizers do not leave it to the table, and its lower score lets theirs win."""

    provider: str
    pattern: str
    min_bits: float = 3.0
    guard_from: int = 0
    score: float = 0.9
    fallback: bool = False


_HEX = "[a-f0-9]"
_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# Provider formats, by provider name (alphabetical). OpenAI, Anthropic,
# Google API keys, GitHub, GitLab personal tokens, classic Slack tokens,
# Stripe secret keys, Hugging Face, Twilio, SendGrid, npm, PyPI and AWS key
# ids have recognizers of their own in :mod:`.secrets`. Short-lived OAuth
# access tokens (Google's ``ya29.``) are ``CREDENTIAL`` after ``Bearer`` or an
# ``access_token`` key, as in the secrets set; elsewhere their row (a
# ``fallback``) makes them an API key.
TOKEN_RULES: tuple[TokenRule, ...] = (
    TokenRule(
        "1Password secret key",
        r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})(?:-[A-Z0-9]{5}){3}",
    ),
    TokenRule("1Password service account", r"ops_eyJ[A-Za-z0-9+/]{250,}={0,3}"),
    TokenRule("Adobe client secret", r"p8e-[A-Za-z0-9]{32}"),
    TokenRule("Airtable personal token", r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}"),
    TokenRule("Alibaba Cloud access key id", r"LTAI[A-Za-z0-9]{20}"),
    TokenRule("Artifactory API key", r"AKCp[A-Za-z0-9]{69}"),
    TokenRule("Artifactory reference token", r"cmVmd[A-Za-z0-9]{59}"),
    TokenRule("Atlassian API token", r"ATATT3[A-Za-z0-9_=-]{150,220}"),
    TokenRule(
        "Authress access key",
        r"(?:sc|ext|scauth|authress)_[A-Za-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][a-z0-9-]{10,32}"
        r"\.[A-Za-z0-9+/_=-]{30,120}",
    ),
    TokenRule("Azure AD client secret", r"[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}"),
    TokenRule("Bitbucket app password", r"ATBB[A-Za-z0-9_=.-]{28,40}"),
    TokenRule("Brevo (Sendinblue) key", r"x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}"),
    TokenRule("Buildkite token", r"bkua_[a-f0-9]{40}"),
    TokenRule("Cerebras key", r"csk-[a-z0-9]{48}"),
    TokenRule("CircleCI personal token", r"CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40}"),
    TokenRule("ClickHouse Cloud secret", r"4b1d[A-Za-z0-9]{38}"),
    TokenRule("Clojars token", r"CLOJARS_[a-z0-9]{60}"),
    TokenRule("Cloudflare Origin CA key", r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}"),
    TokenRule("Contentful management token", r"CFPAT-[A-Za-z0-9_-]{43}"),
    TokenRule("crates.io token", r"cio[A-Za-z0-9]{32}"),
    TokenRule("Databricks token", r"dapi[a-f0-9]{32}(?:-\d)?"),
    TokenRule("DeepL key", _UUID + r":fx"),
    TokenRule("DigitalOcean token", r"do[opr]_v1_[a-f0-9]{64}"),
    TokenRule(
        "Discord bot token", r"[MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}"
    ),
    TokenRule("Docker Hub personal token", r"dckr_pat_[A-Za-z0-9_-]{27}"),
    TokenRule("Doppler token", r"dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}"),
    TokenRule("Dropbox short-lived token", r"sl\.[A-Za-z0-9_=.-]{130,}"),
    TokenRule("Duffel token", r"duffel_(?:test|live)_[A-Za-z0-9_=-]{43}"),
    TokenRule("Dynatrace token", r"dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}"),
    TokenRule("EasyPost key", r"EZ[AT]K[A-Za-z0-9]{54}"),
    TokenRule("ElevenLabs key", r"sk_[a-f0-9]{48}"),
    TokenRule("Facebook access token", r"EAA[A-Za-z0-9]{100,}"),
    TokenRule("Figma token", r"figd_[A-Za-z0-9_-]{40}"),
    TokenRule("Firebase Cloud Messaging key", r"AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{130,}"),
    TokenRule("Firecrawl key", r"fc-[a-f0-9]{32}"),
    TokenRule("Fireworks key", r"fw_[A-Za-z0-9]{24}"),
    TokenRule("Flutterwave secret key", r"FLWSECK(?:_TEST)?-[a-h0-9]{12,32}(?:-X)?"),
    TokenRule("Fly.io token", r"fo1_[A-Za-z0-9_-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}"),
    TokenRule("Frame.io token", r"fio-u-[A-Za-z0-9_=-]{64}"),
    TokenRule(
        "GitLab token",
        r"gl(?:cbt-[0-9a-zA-Z]{1,5}_|dt-|ffct-|ft-|imt-|agent-|oas-|rt-|soat-|ptt-)"
        r"[A-Za-z0-9_.-]{20,300}",
    ),
    TokenRule("GitLab runner registration token", r"GR1348941[A-Za-z0-9_-]{20}"),
    TokenRule("Google OAuth client secret", r"GOCSPX-[A-Za-z0-9_-]{28}"),
    TokenRule("Google OAuth refresh token", r"1//0[A-Za-z0-9_-]{40,}"),
    TokenRule("Google OAuth access token", r"ya29\.[A-Za-z0-9_-]{30,}", score=0.6, fallback=True),
    TokenRule("Grafana API key", r"eyJrIjoi[A-Za-z0-9]{70,400}={0,3}"),
    TokenRule("Grafana Cloud token", r"glc_[A-Za-z0-9+/]{32,400}={0,3}"),
    TokenRule("Grafana service account token", r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"),
    TokenRule("Groq key", r"gsk_[A-Za-z0-9]{52}"),
    TokenRule("Harness token", r"(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}"),
    TokenRule("HashiCorp Terraform token", r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}"),
    TokenRule("HashiCorp Vault token", r"hv[sb]\.[A-Za-z0-9_-]{90,300}"),
    TokenRule("Heroku API key v2", r"HRKU-AA[A-Za-z0-9_-]{58}"),
    TokenRule("HubSpot private app token", r"pat-(?:na|eu)\d-" + _UUID),
    TokenRule("Hugging Face organisation token", r"api_org_[A-Za-z]{34}"),
    TokenRule("Infracost token", r"ico-[A-Za-z0-9]{32}"),
    TokenRule("Intra42 client secret", r"s-s4t2(?:ud|af)-[a-f0-9]{64}"),
    TokenRule("LangSmith key", r"lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}"),
    TokenRule("LaunchDarkly key", r"(?:api|sdk|mob)-" + _UUID),
    TokenRule("Linear API key", r"lin_(?:api|oauth)_[A-Za-z0-9]{40}"),
    TokenRule("Mailchimp API key", r"[a-f0-9]{32}-us\d{1,2}"),
    TokenRule("Mailgun key", r"key-[a-f0-9]{32}"),
    TokenRule("MailerSend token", r"mlsn\.[a-f0-9]{64}"),
    TokenRule("Mapbox secret token", r"sk\.eyJ[A-Za-z0-9_-]{50,}\.[A-Za-z0-9_-]{20,}"),
    TokenRule("MaxMind license key", r"[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk"),
    TokenRule("Neon API key", r"napi_[a-z0-9]{64}"),
    TokenRule("Netlify token", r"nfp_[A-Za-z0-9]{36}"),
    TokenRule("New Relic key", r"NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9-]{32}|NRJS-[a-f0-9]{19}"),
    TokenRule("Notion token", r"ntn_\d{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43}"),
    TokenRule("NuGet key", r"oy2[a-z0-9]{43}"),
    TokenRule("NVIDIA key", r"nvapi-[A-Za-z0-9_-]{64}"),
    TokenRule("Octopus Deploy key", r"API-[A-Z0-9]{26}"),
    TokenRule("OpenRouter key", r"sk-or-v1-[a-f0-9]{64}"),
    TokenRule("OpenShift user token", r"sha256~[A-Za-z0-9_-]{43}"),
    TokenRule("PayPal Braintree token", r"access_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32}"),
    TokenRule("Perplexity key", r"pplx-[A-Za-z0-9]{48}"),
    TokenRule("Pinecone key", r"pcsk_[A-Za-z0-9]{5,6}_[A-Za-z0-9]{50,80}"),
    TokenRule("Plaid access token", r"access-(?:sandbox|development|production)-" + _UUID),
    TokenRule("PlanetScale token", r"pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_=.-]{32,64}"),
    TokenRule("Postman key", r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}"),
    TokenRule("Prefect key", r"pnu_[A-Za-z0-9]{36}"),
    TokenRule("Pulumi token", r"pul-[a-f0-9]{40}"),
    TokenRule("ReadMe key", r"rdme_[a-z0-9]{70}"),
    TokenRule("Render key", r"rnd_[A-Za-z0-9]{32}"),
    TokenRule("Replicate token", r"r8_[A-Za-z0-9]{37}"),
    TokenRule("Resend key", r"re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}"),
    TokenRule("RubyGems key", r"rubygems_[a-f0-9]{48}"),
    TokenRule("Salesforce access token", r"00D[A-Za-z0-9]{12}![A-Za-z0-9_.]{90,110}", min_bits=3.5),
    TokenRule("Scalingo token", r"tk-us-[A-Za-z0-9_-]{48}"),
    TokenRule("Sentry token", r"sntryu_[a-f0-9]{64}|sntrys_eyJ[A-Za-z0-9+/=_]{100,}"),
    TokenRule("SettleMint token", r"sm_(?:aat|pat|sat)_[A-Za-z0-9]{16}"),
    TokenRule("Shippo token", r"shippo_(?:live|test)_[a-fA-F0-9]{40}"),
    TokenRule("Shopify token", r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"),
    TokenRule("Slack configuration token", r"xoxe(?:\.xox[bp])?-\d-[A-Z0-9]{140,170}"),
    TokenRule("Sourcegraph token", r"sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}"),
    TokenRule("Square token", r"sq0(?:atp|csp)-[A-Za-z0-9_-]{22,60}|EAAA[A-Za-z0-9_-]{60}"),
    TokenRule("Stripe webhook secret", r"whsec_[A-Za-z0-9]{32,}"),
    TokenRule("Stripe production key", r"[sr]k_prod_[A-Za-z0-9]{10,99}"),
    TokenRule("Supabase token", r"sbp_[a-f0-9]{40}"),
    TokenRule(
        "Tailscale key",
        r"tskey-(?:api|auth|client|scim|webhook)-[A-Za-z0-9]{8,}-[A-Za-z0-9]{20,}",
    ),
    TokenRule("Tavily key", r"tvly-(?:dev-)?[A-Za-z0-9]{32}"),
    TokenRule("Telegram bot token", r"\d{8,10}:AA[A-Za-z0-9_-]{33}"),
    TokenRule("Twitter bearer token", r"A{22}[A-Za-z0-9%]{80,100}", guard_from=22),
    TokenRule("Typeform token", r"tfp_[A-Za-z0-9_.=-]{59}"),
    TokenRule("xAI key", r"xai-[A-Za-z0-9]{80}"),
    TokenRule(
        "Yandex token",
        r"AQVN[A-Za-z0-9_-]{35,38}|t1\.[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]{86}={0,2}",
    ),
    # The general rule for self-describing tokens of providers not listed: a
    # prefix joined by ``_``, or by ``-`` with a marker (``acme-live-``).
    TokenRule(
        "prefixed token",
        r"(?<![+/.])(?!(?:sha|md|blake|xxh|crc)\d)[a-z][a-z0-9]{1,11}"
        r"(?:_(?:[a-z0-9]{1,8}_)?|[_-](?:live|test|prod|sk|key|secret|token|tok|pat|api|access"
        r"|auth|priv|v\d)[_-])[A-Za-z0-9]{32,100}(?![+/=.])",
        min_bits=4.0,
        score=0.75,
    ),
)

_START = r"(?<![A-Za-z0-9_-])"
_END = r"(?![A-Za-z0-9_-])"
_GROUP = "t"
TOKEN_RE = re.compile(
    _START
    + "(?:"
    + "|".join(f"(?P<{_GROUP}{i}>{rule.pattern})" for i, rule in enumerate(TOKEN_RULES))
    + ")"
    + _END
)
GENERIC = TOKEN_RULES[-1]
_GENERIC_BODY = re.compile(r"[A-Za-z0-9]{32,100}$")


def rule_of(match) -> TokenRule:
    """The table row whose group matched."""
    return TOKEN_RULES[int(match.lastgroup[len(_GROUP) :])]


def token_ok(rule: TokenRule, token: str) -> bool:
    """True if ``token`` passes its rule's guard: not a placeholder with a
    real prefix (``shpat_xxxx...``), entropy at least ``min_bits``; for the
    general rule, a random body with upper case, lower case and digits."""
    if looks_like_fake_token(token[rule.guard_from :], rule.min_bits):
        return False
    if rule is not GENERIC:
        return True
    body = _GENERIC_BODY.search(token)
    return bool(body) and _is_random_base62(body.group())


def _is_random_base62(body: str) -> bool:
    return (
        any(c.isupper() for c in body)
        and any(c.islower() for c in body)
        and sum(c.isdigit() for c in body) >= 2
        and shannon_entropy(body) >= 4.0
    )


# Every token of the table is a run of 20 or more of these characters; prose
# has few runs of 16, so :data:`TOKEN_RE` only runs inside them (about 7x
# faster on chat text than one pass of the alternation over the whole text).
CANDIDATE_RUN = re.compile(r"[A-Za-z0-9_.~:!$%/+=-]{16,}")


def vendor_tokens(text: str) -> Iterator[tuple[int, int, TokenRule]]:
    """``(start, end, rule)`` of each vendor token in ``text`` that passes its
    guard: :data:`TOKEN_RE` inside each :data:`CANDIDATE_RUN`."""
    for run in CANDIDATE_RUN.finditer(text):
        for match in TOKEN_RE.finditer(text, run.start(), run.end()):
            rule = rule_of(match)
            if token_ok(rule, match.group()):
                yield match.start(), match.end(), rule


def has_vendor_token(value: str) -> bool:
    """True if ``value`` holds a token of the table that passes its guard: the
    key-value recognizers leave such values to :class:`VendorTokenRecognizer`
    (and judge a placeholder with a real prefix themselves)."""
    return any(not rule.fallback for _, _, rule in vendor_tokens(value))


# Providers whose keys are only recognisable by their name in the key: a key
# naming one of them (``ALGOLIA_ADMIN``, ``cloudflare``, ``heroku.api``) holds
# a secret when its value has the shape of a token.
PROVIDER_NAMES = frozenset(
    """
    adafruit adobe airtable algolia alibaba amplitude asana atlassian auth0 beamer bitbucket
    bittrex bitly braintree bugsnag circleci clickup cloudflare cloudinary codecov cohere
    coinbase confluence confluent contentful databricks datadog deepgram deepl digitalocean
    discord docusign droneci dropbox etsy facebook fastly finicity finnhub flickr freshbooks
    freshdesk gitter gocardless heroku honeycomb hubspot intercom jfrog jira klaviyo kraken
    kucoin launchdarkly linear linkedin mailchimp mailgun mapbox mattermost meraki messagebird
    mistral mixpanel netlify newrelic nexmo ngrok nytimes okta onesignal opsgenie pagerduty
    paypal paystack pinecone plaid plivo postmark privateai pusher rapidapi razorpay rollbar
    segment sendbird sendgrid sentry shopify snyk sonar sonarqube squarespace sumologic
    supabase telegram travis trello twilio twitch twitter typeform vercel vonage yandex
    zendesk zoom
    """.split()
)


def provider_named(parts: list[str]) -> Optional[str]:
    """The provider a key's lower-case parts name (``["algolia", "admin"]``),
    joined parts included (``new relic`` → ``newrelic``), or None."""
    for part in parts:
        if part in PROVIDER_NAMES:
            return part
    for first, second in zip(parts, parts[1:], strict=False):
        if first + second in PROVIDER_NAMES:
            return first + second
    return None


class VendorTokenRecognizer(LogicRecognizer):
    """Provider tokens of the :data:`TOKEN_RULES` table (``API_KEY``): one
    regex pass for every row. Each
    token passes its row's guard (:func:`token_ok`). Scores: 0.9 for a listed
    provider, 0.75 for the general ``prefixed token`` rule."""

    ENTITY = API_KEY

    def find(self, text: str, nlp_artifacts=None):
        for start, end, rule in vendor_tokens(text):
            yield start, end, rule.score, f"{rule.provider} token"
