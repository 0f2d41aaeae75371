"""Allow-lists: values that look like personal data but identify nobody.

Applied to every detection before replacement, and by the residual check
(the same policy, not the same detectors). From ``allow_list`` in
``config/pii.yaml``:

- ``email_domains`` with ``email_placeholder_local_parts``: an address at one
  of these domains (or a subdomain) is allowed only when its local part is a
  generic placeholder (``user@example.com``); ``maria.gonzalez@example.com``
  is redacted like any other address.
- ``reserved_tlds``: addresses and hosts under ``.example``, ``.test``,
  ``.invalid``, ``.localhost`` (RFC 2606/6761).
- ``ip_networks``: private (RFC 1918), loopback, link-local, shared, multicast
  and documentation (RFC 5737, RFC 3849) ranges: they do not single out a
  device on the internet.
- ``values``: values that identify nobody (by default names of technologies
  and companies that the NER model takes for people), compared after the
  same normalisation as placeholders (digits only for numbers, case and
  spacing folded for names). Published test values (the card ``4111 1111
  1111 1111``, ``123-45-6789``, ``John Doe``, 555-01xx numbers) are NOT
  allowed by default: they are indistinguishable from real ones in a
  conversation, and redacting one costs nothing.
- ``patterns``: per entity type, regular expressions matched (``search``) on
  the normalised value.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping, Sequence

_SPACES = re.compile(r"\s+")
_DIGIT_ENTITIES = frozenset({"PHONE_NUMBER", "CREDIT_CARD", "US_SSN"})


def normalise(entity_type: str, value: str) -> str:
    """The identity of a value: digits only for numbers, IBANs without spaces
    and upper case, anything else with case and spacing folded."""
    if entity_type in _DIGIT_ENTITIES:
        return re.sub(r"\D", "", value)
    if entity_type == "IBAN_CODE":
        return re.sub(r"[\s-]", "", value).upper()
    return _SPACES.sub(" ", value).strip().casefold()


@dataclass(frozen=True)
class AllowList:
    email_domains: tuple[str, ...] = ()
    email_placeholder_local_parts: frozenset = frozenset()
    reserved_tlds: tuple[str, ...] = ()
    ip_networks: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    patterns: Mapping[str, Sequence[str]] = field(default_factory=dict)

    # the keys of the ``allow_list`` section of config/pii.yaml
    CONFIG_KEYS = (
        "email_domains",
        "email_placeholder_local_parts",
        "reserved_tlds",
        "ip_networks",
        "values",
        "patterns",
    )

    @classmethod
    def from_config(cls, doc: Mapping) -> "AllowList":
        return cls(
            email_domains=tuple(d.lower() for d in doc.get("email_domains") or ()),
            email_placeholder_local_parts=frozenset(
                p.lower() for p in doc.get("email_placeholder_local_parts") or ()
            ),
            reserved_tlds=tuple(t.lower().lstrip(".") for t in doc.get("reserved_tlds") or ()),
            ip_networks=tuple(doc.get("ip_networks") or ()),
            values=tuple(doc.get("values") or ()),
            patterns={k: tuple(v) for k, v in (doc.get("patterns") or {}).items()},
        )

    @cached_property
    def _networks(self):
        return tuple(ipaddress.ip_network(n, strict=False) for n in self.ip_networks)

    @cached_property
    def _compiled(self) -> dict:
        return {
            entity: [re.compile(p) for p in patterns] for entity, patterns in self.patterns.items()
        }

    def permits(self, entity_type: str, value: str) -> bool:
        """True if ``value`` of ``entity_type`` is allowed to stay in the text."""
        if entity_type == "EMAIL_ADDRESS" and self.is_placeholder_email(value):
            return True
        if entity_type == "IP_ADDRESS" and self.is_reserved_ip(value):
            return True
        normal = normalise(entity_type, value)
        if normal in self._normalised_values(entity_type):
            return True
        return any(p.search(normal) for p in self._compiled.get(entity_type, ()))

    def _normalised_values(self, entity_type: str) -> frozenset:
        cache = self._value_cache
        if entity_type not in cache:
            cache[entity_type] = frozenset(normalise(entity_type, v) for v in self.values)
        return cache[entity_type]

    @cached_property
    def _value_cache(self) -> dict:
        return {}

    def is_placeholder_email(self, value: str) -> bool:
        local, _, host = value.lower().rpartition("@")
        if self.is_reserved_host(host):
            return True
        host = host.rstrip(".")
        return local in self.email_placeholder_local_parts and any(
            host == d or host.endswith("." + d) for d in self.email_domains
        )

    def is_reserved_host(self, host: str) -> bool:
        """A host under a reserved top-level domain (.example, .test, .invalid, ...)."""
        return host.lower().rstrip(".").rpartition(".")[2] in self.reserved_tlds

    def is_reserved_ip(self, value: str) -> bool:
        try:
            address = ipaddress.ip_address(value.strip("[]").split("%")[0])
        except ValueError:
            return False
        return any(
            address in network for network in self._networks if network.version == address.version
        )
