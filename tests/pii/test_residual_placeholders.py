"""The residual check and the recognizers agree on what is no identifier: a
conversation is not dead-lettered for a placeholder key or a host under a
TLD that is never delegated (issue 12: no conversation lost to the residual
check for a value the recognizers rightly kept)."""

import pytest

from transforms.pii.config import load_pii_config
from transforms.pii.residual import CHECKS, residual_findings

ALLOW = load_pii_config().allow_list


@pytest.mark.parametrize(
    "text",
    [
        "-----BEGIN RSA PRIVATE KEY-----\n<paste your key here>\n-----END RSA PRIVATE KEY-----",
        "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
        "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345678 <- is this format right?",
        "sk-abcdefghijklmnopqrstuvwxyz0123456789",
        "ssh root@db.internal.corp",
        "scp backup@nas.home:/volume1 .",
    ],
)
def test_placeholders_and_private_hosts_are_no_residual(text):
    assert residual_findings([text], list(CHECKS), ALLOW) == []


@pytest.mark.parametrize(
    "text, kind",
    [
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=", "SECRET"),
        (
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
            "DEK-Info: AES-128-CBC,3F17A3C1\n\nMIIEowIBAAKCAQEA",
            "SECRET",
        ),
        ("ghp_q8Zr2LmN4vT7xK1pW9sY3bF6hJ0dC5gA2eR8", "SECRET"),
        ("write to anna.keller@gmail.com", "EMAIL_ADDRESS"),
        ("ssh root@db.example-corp.com", "EMAIL_ADDRESS"),
    ],
)
def test_real_keys_and_public_addresses_still_are(text, kind):
    assert residual_findings([text], list(CHECKS), ALLOW) == [(0, kind)]
