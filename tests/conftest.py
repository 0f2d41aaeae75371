"""Fixtures shared by the end-to-end tests (tests/e2e) and the engine tests
(tests/engines): a generated day of exports whose outcome is known."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import AS_OF
from tools.generate_sample import generate


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("sample")
    generate(directory, n_conversations=400, seed=1124, as_of=AS_OF)
    return directory


@pytest.fixture(scope="session")
def truth(sample) -> dict:
    return json.loads((sample / "truth.json").read_text())


@pytest.fixture(scope="session")
def deletions_scenario(tmp_path_factory):
    """Day 1 and day 2 run by the real pipeline, an incomplete folder and a
    deletion file with known effect (tests/e2e/deletions_scenario.py)."""
    from tests.e2e.deletions_scenario import build

    return build(tmp_path_factory.mktemp("deletions"))
