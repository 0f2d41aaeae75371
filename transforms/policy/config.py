"""The versioned policy file (``config/policy.yaml``), loaded into typed settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

from schemas.timestamps import TimestampError, parse_instant

DEFAULT_POLICY_PATH = Path(__file__).resolve().parents[2] / "config" / "policy.yaml"
SUBJECTS = ("user", "workspace", "org")


class PolicyError(ValueError):
    """The policy file is malformed; the message says where."""


@dataclass(frozen=True)
class DatedRule:
    rule: str
    created_before: int  # instant
    default: bool
    reason: str


@dataclass(frozen=True)
class Gate:
    """A setting that must be on when the conversation was created (C1, B1, A1)."""

    rule: str
    subject: str  # "user" | "workspace" | "org"
    default: bool
    reason: str
    missing_reason: str
    dated_rules: tuple[DatedRule, ...] = ()

    def regime_at(self, created_at: int) -> tuple[str, bool, str]:
        """(rule id, default, reason) in force for data created at ``created_at``."""
        for dated in self.dated_rules:
            if created_at < dated.created_before:
                return dated.rule, dated.default, dated.reason
        return self.rule, self.default, self.reason


@dataclass(frozen=True)
class Category:
    name: str
    never_reason: Optional[str] = None  # F1
    gate: Optional[Gate] = None
    trim_messages: bool = False
    retention_days: Optional[int] = None
    user_id_required: bool = False


@dataclass(frozen=True)
class Policy:
    policy_id: str
    version: str
    sources: dict  # source value -> Category

    def category(self, source: str) -> Optional[Category]:
        return self.sources.get(source)

    def known_category(self, source: str) -> Category:
        """The category of a source the rules have already found known (U1 ran)."""
        category = self.sources.get(source)
        if category is None:
            raise KeyError("a source unknown to the policy reached a rule after U1")
        return category

    def sources_requiring_user_id(self) -> frozenset:
        return frozenset(s for s, c in self.sources.items() if c.user_id_required)


def load_policy(path: Optional[str] = None) -> Policy:
    """Read and check a policy file; the default ships with the project."""
    file = Path(path) if path else DEFAULT_POLICY_PATH
    try:
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError(f"cannot read policy file {file}: {exc}") from None
    try:
        return parse_policy(document, str(file))
    except (TypeError, AttributeError) as exc:  # a list where a mapping belongs, say
        raise PolicyError(
            f"{file}: a setting has the wrong type ({type(exc).__name__}: {exc})"
        ) from None


# The keys each part of the file may hold: a misspelt one (``trim_mesages``)
# would silently leave its rule at the default, so it is an error.
_TOP_KEYS = ("policy_id", "version", "sources", "categories")
_CATEGORY_KEYS = (
    "never",
    "gate",
    "missing_reason",
    "dated_rules",
    "trim_messages",
    "retention_days",
    "user_id_required",
)
_NEVER_KEYS = ("rule", "reason")
_GATE_KEYS = ("rule", "subject", "default", "reason")
_DATED_KEYS = ("rule", "created_before", "default", "reason")


def _known_keys(body: dict, known: tuple[str, ...], where: str, path: str) -> dict:
    """``body``, refused when it holds a key not in ``known`` (named by its path)."""
    unknown = sorted(str(k) for k in body if k not in known)
    if unknown:
        raise PolicyError(
            f"{where}: unknown key {path}{unknown[0]}; the keys here are {', '.join(known)}"
        )
    return body


def parse_policy(document: Any, where: str = "policy") -> Policy:
    doc = _known_keys(_mapping(document, where), _TOP_KEYS, where, "")
    categories = {
        name: _category(name, _mapping(body, f"{where}: categories.{name}"), where)
        for name, body in _mapping(doc.get("categories"), f"{where}: categories").items()
    }
    sources = {}
    for source, category in _mapping(doc.get("sources"), f"{where}: sources").items():
        if category not in categories:
            raise PolicyError(f"{where}: source {source!r} names unknown category {category!r}")
        sources[str(source)] = categories[category]
    for key in ("policy_id", "version"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            raise PolicyError(f"{where}: {key} must be a non-empty string")
    return Policy(policy_id=doc["policy_id"], version=doc["version"], sources=sources)


def _category(name: str, body: dict, where: str) -> Category:
    path = f"categories.{name}."
    _known_keys(body, _CATEGORY_KEYS, where, path)
    never = body.get("never")
    gate = body.get("gate")
    if (never is None) == (gate is None):
        raise PolicyError(f"{where}: category {name!r} needs exactly one of 'never' or 'gate'")
    if never is not None:
        _known_keys(_mapping(never, f"{where}: {name}.never"), _NEVER_KEYS, where, f"{path}never.")
        return Category(
            name=name,
            never_reason=_text(never, "reason", f"{where}: {name}.never"),
            user_id_required=bool(body.get("user_id_required", False)),
        )
    gate_where = f"{where}: {name}.gate"
    gate = _known_keys(_mapping(gate, gate_where), _GATE_KEYS, where, f"{path}gate.")
    for index, dated in enumerate(body.get("dated_rules") or ()):
        _known_keys(_mapping(dated, gate_where), _DATED_KEYS, where, f"{path}dated_rules[{index}].")
    subject = _text(gate, "subject", gate_where)
    if subject not in SUBJECTS:
        raise PolicyError(f"{gate_where}: subject must be one of {SUBJECTS}")
    reason = _text(gate, "reason", gate_where)
    dated = tuple(
        DatedRule(
            rule=_text(d, "rule", gate_where),
            created_before=_instant(d, "created_before", gate_where),
            default=_flag(d, "default", gate_where),
            reason=_text(d, "reason", gate_where),
        )
        for d in body.get("dated_rules") or ()
    )
    retention = body.get("retention_days")
    if retention is not None and (not isinstance(retention, int) or retention < 0):
        raise PolicyError(f"{where}: {name}.retention_days must be a non-negative integer")
    return Category(
        name=name,
        gate=Gate(
            rule=_text(gate, "rule", gate_where),
            subject=subject,
            default=_flag(gate, "default", gate_where),
            reason=reason,
            missing_reason=body.get("missing_reason") or reason,
            dated_rules=tuple(sorted(dated, key=lambda d: d.created_before)),
        ),
        trim_messages=bool(body.get("trim_messages", False)),
        retention_days=retention,
        user_id_required=bool(body.get("user_id_required", False)),
    )


def _mapping(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise PolicyError(f"{where} must be a mapping")
    return value


def _text(body: dict, key: str, where: str) -> str:
    value = _mapping(body, where).get(key)
    if not isinstance(value, str) or not value:
        raise PolicyError(f"{where}: {key} must be a non-empty string")
    return value


def _flag(body: dict, key: str, where: str) -> bool:
    value = body.get(key)
    if not isinstance(value, bool):
        raise PolicyError(f"{where}: {key} must be true or false")
    return value


def _instant(body: dict, key: str, where: str) -> int:
    try:
        return parse_instant(body.get(key))
    except TimestampError as exc:
        raise PolicyError(f"{where}: {key}: {exc}") from None
