"""Recognizers of accounts and the traces of a person's machine: handles,
profile links, user names, home directories and host names.

- ``USER_HANDLE``: :class:`UserHandleRecognizer`, ``@mentions``, ``u/name``
  and handles announced by "follow me on", "my insta is" (0.9 / 0.8).
- ``PROFILE_URL``: :class:`ProfileUrlRecognizer`, the account part of a
  social or code-hosting link (``github.com/<maria-lopez>/dotfiles``,
  ``linkedin.com/in/<maria-lopez-1234>``); an organisation's project
  (``github.com/apache/beam``) is not personal (0.9).
- ``USERNAME``: :class:`UsernameRecognizer`, a login after a cue ("my
  username is", ``login:``, ``logged in as``) and the user of a shell prompt
  (``jdoe@host:~$``), never a service account (``root``, ``postgres``) or a
  placeholder (0.8).
- ``HOME_PATH``: :class:`HomePathRecognizer`, the user segment of a home
  directory (``/home/<jdoe>/``, ``C:\\Users\\<Maria>\\``), never a generic one
  (``/home/user``, ``/Users/Shared``, ``/home/ubuntu``) (0.9).
- ``HOSTNAME``: :class:`HostnameRecognizer`, a machine named after its owner
  (``Marias-MacBook-Pro.local``, ``jdoe-laptop``) (0.86).

What is a person's name in an account is decided by :func:`personal_token`:
a given name or surname of the lexicon (Faker's lists) as a part of it
(``maria_lopez92``, ``janedoe``, ``jdoe``: an initial and a surname), never
ordinary English words (``build-server``, ``pallets``).
"""

from __future__ import annotations

from functools import lru_cache

import regex as re
from spacy.lang.en.stop_words import STOP_WORDS

from transforms.pii.lexicon import Lexicon
from transforms.pii.recognizers.base import LexiconRecognizer, LogicRecognizer

# Account names that name no one: placeholders, service and image accounts.
GENERIC_ACCOUNTS = frozenset(
    """
    user users username usernames user1 user2 name yourname your-name your_name yourusername
    your_username your-username you me myself myuser my-user my_user someone somebody anyone
    example sample test tester testuser test-user demo guest guests anonymous anon nobody
    everyone here channel all team admin admins administrator root superuser sudo system
    sys daemon bin default defaultuser public shared all-users guest-user
    ubuntu debian centos fedora rocky almalinux alpine kali arch opc ec2-user azureuser
    cloud-user bitnami core pi vagrant runner runneradmin node app apps jovyan docker git
    www-data www nginx apache httpd postgres postgresql mysql mariadb redis mongo mongodb
    oracle sa dba dbuser db-user db_user appuser app-user app_user service svc deploy deployer
    jenkins gitlab-runner ci cd build builder buildbot travis circleci gitpod codespace
    codespaces vscode dev devuser developer developers steam linuxbrew parallels vboxuser
    sandbox local localuser operator support help info contact noreply no-reply bot bots
    mod mods moderator staff official null none undefined true false changeme foo bar baz
    qux
    """.split()
)
_PLACEHOLDER = re.compile(r"(?i)[<>{}$%*\[\]]|\.\.\.|^your|^my[_-]?(?:user|name|handle)|xxx")


def generic_account(value: str) -> bool:
    """A placeholder, service or image account (``root``, ``ec2-user``, ``<user>``)."""
    lowered = value.lower()
    return lowered in GENERIC_ACCOUNTS or bool(_PLACEHOLDER.search(value))


_PARTS = re.compile(r"\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})")


@lru_cache(maxsize=4096)
def _parts(value: str) -> tuple[str, ...]:
    """Letter runs of an account name, split at separators, digits and camel case."""
    return tuple(p.lower() for p in _PARTS.findall(value))


def _name(lexicon: Lexicon, word: str, given: bool = True) -> bool:
    title = word[:1].upper() + word[1:]
    return (given and title in lexicon.given) or title in lexicon.family


def _name_part(lexicon: Lexicon, part: str) -> bool:
    """A part that is a name (and no ordinary word), or an initial with a
    surname (``jdoe``), or a given name glued to a surname (``janedoe``)."""
    if len(part) >= 3 and _name(lexicon, part) and not lexicon.ordinary_word(part):
        return True
    if len(part) >= 4 and _name(lexicon, part[1:], given=False) and len(part[1:]) >= 3:
        return not lexicon.english_word(part)
    return any(
        _name(lexicon, part[:cut]) and _name(lexicon, part[cut:], given=False)
        for cut in range(3, len(part) - 2)
    )


def personal_token(value: str, lexicon: Lexicon) -> bool:
    """An account or host part that holds a person's name (see the module docstring)."""
    if generic_account(value):
        return False
    parts = _parts(value)
    return any(_name_part(lexicon, p) for p in parts) and not all(
        lexicon.ordinary_word(p) or p in TECH_WORDS for p in parts
    )


def unknown_word(part: str, lexicon: Lexicon) -> bool:
    """A word of three letters or more that is no English or technical word,
    no brand and no generic account: in an account beside a device word or
    in a person's repository, most likely a name."""
    lowered = part.lower()
    return (
        len(lowered) >= 3
        and lowered.isalpha()
        and lowered not in STOP_WORDS
        and lowered not in BRANDS
        and not generic_account(lowered)
        and not _words(lowered, lexicon)
    )


# Makers of computers and phones: a host's words that name no one.
BRANDS = frozenset(
    """
    lenovo asus acer dell hp msi samsung huawei xiaomi razer apple microsoft toshiba sony
    fujitsu gigabyte alienware oneplus nokia motorola google oppo vivo realme honor zte
    framework system76 tuxedo clevo medion panasonic sharp lg
    """.split()
)


# Words of organisation and project names (besides English words).
TECH_WORDS = frozenset(
    """
    lang js ts py go rs io dev devs hq labs lab org orgs team teams inc oss project projects
    community foundation official app apps api sdk cli ui ux ai ml db net web cloud hub kit
    tools tool bot bots ops sec data open source framework core src docs
    """.split()
)


def organisation_like(value: str, lexicon: Lexicon, known: frozenset) -> bool:
    """An owner that names an organisation or project: a known one, or made of
    English and technical words only (``pallets``, ``huggingface``, ``rust-lang``)."""
    if value.lower() in known:
        return True
    parts = _parts(value)
    return bool(parts) and all(_words(p, lexicon) for p in parts)


def _english(word: str, english: frozenset) -> bool:
    """An English word, also inflected (``pallets``, ``hugging``)."""
    return word in english or any(
        word.endswith(ending) and word[: -len(ending)] in english
        for ending in ("s", "es", "ing", "ed", "er")
    )


@lru_cache(maxsize=4096)
def _segmentable(part: str, english: frozenset, pieces: int = 3) -> bool:
    """``part`` is at most ``pieces`` English or technical words of at least
    four letters (``huggingface``, ``tensorflow``)."""
    if not part:
        return True
    if pieces == 0:
        return False
    return any(
        (_english(part[:cut], english) or part[:cut] in TECH_WORDS)
        and _segmentable(part[cut:], english, pieces - 1)
        for cut in range(len(part), 3, -1)
    )


def _words(part: str, lexicon: Lexicon) -> bool:
    """``part`` is English or technical words end to end (``huggingface``)."""
    return part in TECH_WORDS or _segmentable(part, lexicon.english)


# -- USER_HANDLE -------------------------------------------------------------------

# Code annotations, decorators, CSS at-rules, doc tags and template directives:
# an ``@word`` that is not a person.
ANNOTATIONS = frozenset(
    """
    override dataclass property staticmethod classmethod abstractmethod cached_property
    functools wraps lru_cache cache contextmanager overload final total_ordering
    test tests before after beforeeach aftereach beforeall afterall parametrize fixture
    autowired component injectable input output viewchild hostlistener pipe directive
    ngmodule entity table column id generatedvalue transient repository service controller
    restcontroller requestmapping getmapping postmapping putmapping deletemapping
    pathvariable requestparam requestbody responsebody bean configuration value qualifier
    transactional async scheduled slf4j data getter setter builder noargsconstructor
    allargsconstructor requiredargsconstructor tostring equalsandhashcode jsonproperty
    jsonignore notnull nullable nonnull suppresswarnings deprecated functionalinterface
    safevarargs retention target documented inherited repeatable jvmstatic jvmfield
    jvmoverloads throws composable preview state published observedobject environment
    environmentobject binding stateobject main mainactor objc escaping discardableresult
    available ibaction iboutlet param params return returns type typedef callback example
    since see link author version license module namespace private protected public static
    internal readonly todo fixme note summary remarks inheritdoc exception description
    media import keyframes font-face supports charset namespace page layer apply tailwind
    container property mixin include extend use forward function if else each for while
    debug warn error content at-root custom-media
    model foreach endforeach endif section endsection yield extends csrf method auth guest
    props emits slot
    everyone here channel all
    """.split()
)
_MENTION = re.compile(r"(?<![\w@.+/\\-])@(?P<handle>(?>[A-Za-z0-9_][A-Za-z0-9_.-]{0,39}))")
_REDDIT_USER = re.compile(
    r"(?<![\w/.-])/?u/(?P<handle>[A-Za-z0-9_-][A-Za-z0-9_.-]{2,30})(?![\w/-])"
)
# Roots of decorators written with a dot (``@app.route``, ``@pytest.mark``).
DECORATOR_ROOTS = frozenset(
    """
    app router bp blueprint api pytest mock patch functools typing abc celery click admin
    receiver validator field_validator root_validator model_validator property dataclasses
    torch jax tf numba jit cython contextlib asyncio unittest hypothesis given settings
    """.split()
)
PLATFORMS = (
    r"instagram|insta|ig|twitter|x|tiktok|snapchat|snap|threads|bluesky|bsky|mastodon|discord|"
    r"telegram|tg|reddit|github|gitlab|twitch|youtube|yt|linkedin|facebook|fb|steam|xbox|psn|"
    r"kik|wechat|skype|signal|pinterest|tumblr|medium|substack|soundcloud|spotify|roblox|"
    r"minecraft|fortnite|epic|battle\.?net|slack"
)
_HANDLE_CUE = re.compile(
    rf"(?i)\b(?:(?:follow|add|find|dm|message|ping|friend|sub(?:scribe)?(?:\s+to)?)\s+me\s+"
    rf"(?:on|at|in)\s+(?:{PLATFORMS})\b[ \t]*:?|my\s+(?:{PLATFORMS})(?:\s+(?:handle|account|"
    rf"username|user\s?name|name|tag|id|profile))?\s*(?:is|'s|:|=)|(?:{PLATFORMS})\s*"
    rf"(?:handle|account|tag)?\s*:)[ \t]*(?:(?:is|at|as)\s+)?@?"
)
_HANDLE_VALUE = re.compile(
    r"@?(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9_])?)(?!:/|\.[a-z]{2,6}/|[\w/])"
)


def _decorator(text: str, start: int, end: int) -> bool:
    """An ``@word`` alone on its line, as decorators and annotations stand."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return not text[line_start:start].strip() and not text[end:line_end].strip()


class UserHandleRecognizer(LexiconRecognizer):
    """``@mentions`` (0.9), reddit ``u/name`` (0.9) and handles after "follow
    me on instagram", "my twitter is", "IG:" (0.8). Not handles: e-mail
    addresses, scoped packages (``@types/node``), decorators and annotations
    (``@dataclass``, ``@app.route(...)``, ``@Override``, one alone on its
    line), CSS at-rules and doc tags, ``@everyone``, placeholders, digits."""

    ENTITY = "USER_HANDLE"

    def find(self, text, nlp_artifacts=None):
        if "@" in text:
            yield from self._mentions(text)
        if "u/" in text:
            for match in _REDDIT_USER.finditer(text):
                if not generic_account(match.group("handle")):
                    yield match.start(), match.end(), 0.9, "reddit user"
        for cue in _HANDLE_CUE.finditer(text):
            value = _HANDLE_VALUE.match(text, cue.end())
            if value and self._plausible(value.group("handle")):
                yield value.start(), value.end(), 0.88, "handle after a cue"

    def _mentions(self, text: str):
        for match in _MENTION.finditer(text):
            handle = match.group("handle").rstrip(".-")
            end = match.start("handle") + len(handle)
            if (
                self._plausible(handle)
                and text[end : end + 1] not in ("/", "(", "@")
                and not self._code_word(handle)
                and not _decorator(text, match.start(), end)
            ):
                yield match.start(), end, 0.9, "mention"

    @staticmethod
    def _code_word(handle: str) -> bool:
        """An annotation, or a decorator's dotted path (``@pytest.fixture``)."""
        parts = handle.lower().split(".")
        return handle.lower() in ANNOTATIONS or (
            len(parts) > 1 and (parts[0] in DECORATOR_ROOTS or parts[-1] in ANNOTATIONS)
        )

    def _plausible(self, handle: str) -> bool:
        return (
            any(c.isalpha() for c in handle)
            and not generic_account(handle)
            and not re.fullmatch(r"\d+(?:\.\d+)?[a-z]{0,3}", handle, re.IGNORECASE)
            and handle.lower() not in _NOT_HANDLES
        )


# Words that follow "my instagram is" and are not a handle.
_NOT_HANDLES = frozenset(
    "is the a an my on at in private public down broken hacked gone new old not".split()
)


# -- PROFILE_URL ------------------------------------------------------------------

# (host regex, path regex with the account in group "user"); ``{U}`` is an account.
_U = r"(?P<user>[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9_])?)"
_PROFILE_PATHS = [
    (r"(?:www\.)?linkedin\.com", rf"/in/{_U}"),
    (r"(?:www\.|m\.)?(?:facebook|fb)\.com", rf"/{_U}"),
    (r"(?:www\.)?(?:twitter|x)\.com", rf"/{_U}"),
    (r"(?:www\.)?instagram\.com", rf"/{_U}"),
    (r"(?:www\.)?(?:tiktok|youtube|medium|threads\.net|producthunt)\.com|threads\.net", rf"/@{_U}"),
    (r"(?:www\.)?youtube\.com", rf"/(?:user|c)/{_U}"),
    (r"(?:www\.|old\.|new\.)?reddit\.com", rf"/(?:u|user)/{_U}"),
    (r"bsky\.app", rf"/profile/{_U}"),
    (
        r"(?:www\.)?(?:github|gitlab)\.com|gist\.github\.com|bitbucket\.org|codeberg\.org",
        rf"[/:]{_U}",
    ),
    (r"(?:git\.)?sr\.ht", rf"/~{_U}"),
    (r"(?:www\.)?npmjs\.com", rf"/~{_U}"),
    (r"pypi\.org", rf"/user/{_U}"),
    (r"(?:www\.)?huggingface\.co|(?:www\.)?kaggle\.com|dev\.to|keybase\.io|about\.me", rf"/{_U}"),
    (r"(?:www\.)?(?:twitch\.tv|behance\.net|dribbble\.com|pinterest\.com)", rf"/{_U}"),
    (r"(?:www\.)?soundcloud\.com", rf"/{_U}"),
    (r"(?:www\.)?(?:patreon\.com|ko-fi\.com|buymeacoffee\.com|linktr\.ee|vimeo\.com)", rf"/{_U}"),
    (r"(?:www\.)?(?:t\.me|telegram\.me|snapchat\.com/add|leetcode\.com(?:/u)?)", rf"/{_U}"),
    (r"(?:www\.)?stackoverflow\.com", rf"/users/\d+/{_U}"),
    (r"steamcommunity\.com", rf"/id/{_U}"),
    (r"(?:www\.)?(?:quora\.com|researchgate\.net)", rf"/profile/{_U}"),
    (r"[a-z0-9-]+\.(?:social|online|cloud|xyz|town|space|world)|mastodon\.[a-z.]+", rf"/@{_U}"),
]
_PROFILE_URL = re.compile(
    r"(?i)(?<![\w.-])(?:https?://)?(?:"
    + "|".join(f"(?:{host}){path}" for host, path in _PROFILE_PATHS).replace("(?P<user>", "(?:")
    + r")"
)
_PROFILE_PARTS = [re.compile(rf"(?i)(?:{host}){path}") for host, path in _PROFILE_PATHS]
_SUBDOMAIN_PROFILE = re.compile(
    r"(?i)(?<![\w.-])(?:https?://)?(?P<user>[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?)"
    r"\.(?:github\.io|gitlab\.io|medium\.com|substack\.com|tumblr\.com|carrd\.co)\b"
)
# What every profile link has, looked for before the long alternation of
# sites: a domain ending in letters, then its path ("x.com/", "sr.ht/~",
# "github.com:"); the pages of the sub-domain sites have ".github." ...
_DOMAIN_AND_PATH = re.compile(
    r"(?i)\.[a-z]{2,}[/:]|\.(?:github|gitlab|medium|substack|tumblr|carrd)\."
)
# Paths of these sites that are pages, not accounts.
SITE_PAGES = frozenset(
    """
    features pricing about login logout signup join settings orgs organizations marketplace
    topics explore sponsors issues pulls notifications search trending collections enterprise
    security apps site contact new codespaces readme team customer-stories home i intent share
    sharer hashtag messages tos privacy p reel reels stories accounts direct tv groups pages
    events watch help photo photos permalink.php story.php profile.php company school jobs
    feed pulse learning posts results playlist shorts embed channel r docs blog status api
    dashboard users user u in c downloads download releases sessions password_reset terms
    policies legal careers press developers developer discussions sponsor login.php gp
    hub models datasets spaces competitions code learn
    """.split()
)
_PROFILE_SITES = re.compile(
    r"(?i)linkedin|facebook|fb\.com|twitter|x\.com|instagram|tiktok|reddit|bsky|threads|"
    r"youtube|steam|t\.me|telegram|snapchat|stackoverflow|quora|researchgate|medium"
)


class ProfileUrlRecognizer(LexiconRecognizer):
    """The account of a profile link (0.9): social sites always, code hosts
    (GitHub, GitLab, Bitbucket, Hugging Face ...) unless the owner is an
    organisation or project: a known one (the allow-list's technologies and
    :data:`KNOWN_ORGANISATIONS`), one whose repository bears its name
    (``pytorch/pytorch``), one made of English and technical words
    (``pallets``, ``rust-lang``) or a short acronym (``psf``), and no name of
    the lexicon in it. ``user.github.io`` pages too. Site pages
    (``github.com/features``, ``x.com/search``) are not accounts."""

    ENTITY = "PROFILE_URL"

    def find(self, text, nlp_artifacts=None):
        if not _DOMAIN_AND_PATH.search(text):
            return
        for match in _PROFILE_URL.finditer(text):
            user = self._user(match.group())
            if user is None:
                continue
            start = match.start() + user.start("user")
            end = match.start() + user.end("user")
            if self._personal(match.group(), user.group("user"), text, end):
                yield start, end, 0.9, "account in a profile link"
        for match in _SUBDOMAIN_PROFILE.finditer(text):
            if self._owner_personal(match.group("user"), ""):
                yield match.start("user"), match.end("user"), 0.9, "account's pages"

    @staticmethod
    def _user(url: str):
        for regex in _PROFILE_PARTS:
            found = regex.search(url)
            if found:
                return found
        return None

    def _personal(self, url: str, user: str, text: str, end: int) -> bool:
        if user.lower() in SITE_PAGES or generic_account(user):
            return False
        if _PROFILE_SITES.search(url):
            return True
        repo = re.match(r"/([A-Za-z0-9_.-]+)", text[end:])
        return self._owner_personal(user, repo.group(1) if repo else "")

    def _owner_personal(self, owner: str, repo: str) -> bool:
        """Whether a code host's owner is a person's account (see the class docstring)."""
        if generic_account(owner):
            return False
        if personal_token(owner, self.lexicon) or re.search(r"[A-Za-z]\d{1,4}$", owner):
            return True
        lowered, repo = owner.lower(), repo.lower().removesuffix(".git")
        if repo and (repo == lowered or lowered.startswith(repo) or repo.startswith(lowered)):
            return False
        return not (organisation_like(owner, self.lexicon, KNOWN_ORGANISATIONS) or len(owner) <= 4)


# Organisations and projects with accounts on code hosts whose names are
# neither English words nor named after their repositories.
KNOWN_ORGANISATIONS = frozenset(
    """
    apache google microsoft facebook meta aws awslabs amazon azure kubernetes docker moby
    hashicorp pytorch tensorflow keras huggingface openai anthropic nvidia intel ibm oracle
    mozilla rust-lang golang python psf pypa pallets django encode tiangolo numpy scipy
    pandas-dev scikit-learn matplotlib jupyter ipython conda conda-forge anaconda astral-sh
    nodejs npm vercel netlify denoland vuejs angular sveltejs reactjs facebookresearch
    twbs tailwindlabs jquery webpack babel eslint prettier typescript-eslint microsoftdocs
    elastic grafana prometheus kubernetes-sigs helm istio envoyproxy cncf etcd-io
    redis mongodb postgres mysql mariadb sqlite duckdb apache-spark databricks
    spring-projects jetbrains eclipse gradle maven junit-team square airbnb netflix uber
    shopify stripe twilio slackapi discord cloudflare digitalocean heroku supabase firebase
    flutter dart-lang kotlin jetbrains swiftlang apple android googleapis gcp
    ansible terraform-providers pulumi openstack linux torvalds gnome kde freebsd openbsd
    """.split()
)


# -- USERNAME ---------------------------------------------------------------------

_USERNAME_CUE = re.compile(
    r"(?i)(?:\b(?:my|his|her|their|your|the)\s+(?:user(?:[ _-]?name)?|login(?:\s+name)?|"
    r"account(?:\s+name)?|gamer\s?tag|screen\s?name|nick(?:name)?|user\s?id|handle)\s+"
    r"(?:is|was|=|:)\s*|\b(?:user[ _-]?name|login|user\s?id|gamer\s?tag|benutzername|"
    r"nombre\s+de\s+usuario|usuario|nom\s+d'utilisateur|identifiant|nome\s+utente|"
    r"gebruikersnaam|nome\s+de\s+usu[aá]rio)\s*(?:is|ist|es|est|è|é|:|=)\s*|"
    r"\b(?:logged|log|logging|signed|sign)\s+in\s+as\s+)[\"'`]?"
)
_USERNAME_VALUE = re.compile(r"(?P<user>[A-Za-z0-9_][A-Za-z0-9_.@-]{1,62}[A-Za-z0-9_])")
_PROMPT = re.compile(
    r"(?m)^[ \t>]*(?:\([\w.-]+\)[ \t]*)?(?P<user>[a-z_][a-z0-9_.-]{0,31})@"
    r"(?P<host>[A-Za-z0-9][A-Za-z0-9.-]{0,62})(?::[^\s$#%]*|[ \t]+[~/][^\s$#%]*)?[ \t]*[$#%>]"
)
_SSH_TARGET = re.compile(
    r"\b(?:ssh|scp|sftp|rsync|mosh)\b[^\n|;&]*?(?<=\s)(?P<user>[a-z_][a-z0-9_.-]{0,31})@"
    r"(?=[A-Za-z0-9])"
)


class UsernameRecognizer(LexiconRecognizer):
    """A login name: after a cue ("my username is", ``login:``, "logged in
    as", ``Benutzername:`` ...), the user of a shell prompt
    (``jdoe@laptop:~$``) or of an ``ssh`` target (0.8). Not: service and
    image accounts (``root``, ``postgres``, ``ec2-user``), placeholders
    (``<user>``, ``${USER}``, ``your_username``), e-mail addresses (they
    are e-mail addresses), and single ordinary English words (``admin``,
    ``banana``)."""

    ENTITY = "USERNAME"

    def find(self, text, nlp_artifacts=None):
        for cue in _USERNAME_CUE.finditer(text):
            value = _USERNAME_VALUE.match(text, cue.end())
            if value and self._personal(value.group("user")):
                yield value.start(), value.end(), 0.88, "user name after a cue"
        if "@" in text:
            for regex in (_PROMPT, _SSH_TARGET):
                for match in regex.finditer(text):
                    if self._personal(match.group("user")):
                        yield match.start("user"), match.end("user"), 0.8, "login of a prompt"

    def _personal(self, value: str) -> bool:
        if "@" in value or generic_account(value) or value.isdigit():
            return False
        return not (value.isalpha() and self.lexicon.ordinary_word(value))


# -- HOME_PATH --------------------------------------------------------------------

_HOME = re.compile(
    r"(?i)(?:(?<![\w.-])(?:/home|/Users|/usr/home|/var/home|/export/home)/|"
    r"(?<![\w])[A-Z]:(?:\\{1,2}|/)(?:Users|Documents and Settings)(?:\\{1,2}|/)|"
    r"(?<![\w/~])~(?=[a-z_][\w.-]*/))"
    r"(?P<user>[^/\\\s\"'`:;,|()<>\[\]{}]{1,64})"
)


class HomePathRecognizer(LogicRecognizer):
    """The user segment of a home directory: ``/home/jdoe``, ``/Users/Maria``,
    ``C:\\Users\\maria.lopez``, ``~jdoe/`` (0.9). Generic homes stay:
    ``/home/user``, ``/Users/Shared``, ``/home/ubuntu``, ``C:\\Users\\Public``,
    ``/home/$USER``, ``/home/<you>``."""

    ENTITY = "HOME_PATH"

    def find(self, text, nlp_artifacts=None):
        if "/" not in text and "\\" not in text:
            return
        for match in _HOME.finditer(text):
            user = match.group("user").rstrip(".")
            if user and not generic_account(user) and user.lower() != "default user":
                start = match.start("user")
                yield start, start + len(user), 0.9, "user of a home directory"


# -- HOSTNAME ---------------------------------------------------------------------

DEVICES = frozenset(
    """
    macbook mbp mba imac mac macmini mini macpro laptop pc desktop notebook thinkpad xps
    surface iphone ipad pixel galaxy android phone tablet workstation ws nuc air pro
    computer pc1 pc2 rig tower chromebook ideapad zenbook vivobook yoga envy spectre
    inspiron latitude precision elitebook probook omen legion rog framework
    """.split()
)
_HOST = re.compile(
    r"(?<![\w./-])(?P<host>[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
    r"(?:\.(?:local|lan|home|localdomain|internal|fritz\.box))?)(?![\w-]|\.[A-Za-z0-9])"
)


class HostnameRecognizer(LexiconRecognizer):
    """A host named after its owner (0.86): a device word and a name part,
    ``Marias-MacBook-Pro.local``, ``jdoe-laptop``, ``laptop-kwame``, also the
    host of a shell prompt whose user is personal. Not: hosts without a
    device word (``build-server-01``), or without a name (``ubuntu-laptop``,
    ``my-macbook``, ``DESKTOP-7F3K2LQ``)."""

    ENTITY = "HOSTNAME"

    def find(self, text, nlp_artifacts=None):
        if "-" not in text:
            return
        for match in _HOST.finditer(text):
            host = match.group("host")
            if "-" in host and self._personal(host):
                yield match.start(), match.end(), 0.86, "host named after a person"

    def _personal(self, host: str) -> bool:
        labels = host.split(".")[0].split("-")
        lowered = [label.lower() for label in labels]
        if not any(label in DEVICES for label in lowered):
            return False
        owners = [
            label[:-1] if label.endswith("s") and label[:-1] else label
            for label in labels
            if label.lower() not in DEVICES
        ]
        return any(self._owner(owner) for owner in owners)

    def _owner(self, owner: str) -> bool:
        if not owner.isalpha():
            return False
        return (
            personal_token(owner, self.lexicon)
            or personal_token(owner + "s", self.lexicon)
            or unknown_word(owner, self.lexicon)
        )
