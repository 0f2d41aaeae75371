"""Loaded by every Python process of a guarded test run (via PYTHONPATH): records
any attempt to reach a non-loopback address or to resolve a remote host name.

Beam's multi-process runner talks to its workers over loopback gRPC; anything
else is a network connection the pipeline must not make at run time. The
attempt is recorded in $NETWORK_GUARD_LOG and refused.
"""

import ipaddress
import os
import sys

_LOG = os.environ.get("NETWORK_GUARD_LOG")
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "", None}


def _is_local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in _LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _record(event: str, target) -> None:
    with open(_LOG, "a", encoding="utf-8") as handle:
        handle.write(f"{os.getpid()} {event} {target!r}\n")


def _hook(event, args):
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and not _is_local(address[0]):
            _record(event, address)
            raise ConnectionRefusedError("network guard: no connection beyond loopback")
    elif event == "socket.getaddrinfo":
        if not _is_local(args[0]):
            _record(event, args[0])
            raise OSError("network guard: no remote name resolution")


if _LOG:
    sys.addaudithook(_hook)
