"""``python -m pipelines.apply_deletions`` on Prism: the end-to-end checks of
tests/e2e/test_apply_deletions_e2e.py (exact removals against lineage, every
other row and untouched shard byte-identical, a second application changes
nothing, the incomplete folder refused and untouched), with the command's
pipeline run by Beam's Go runner (LOOPBACK workers, an empty $HOME so that a
download of Prism would be caught), and the network guard quiet."""

from __future__ import annotations

import pytest

from tests.e2e import deletions_scenario as scenarios

pytestmark = pytest.mark.engines


def test_apply_deletions_on_prism(prism_binary, deletions_scenario, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    scenario = deletions_scenario.copy_to(tmp_path)
    prism = [
        "--runner=PrismRunner",
        f"--prism_location={prism_binary}",
        "--environment_type=LOOPBACK",
    ]
    before = scenarios.snapshots(scenario)
    dead = tmp_path / "dead-letters"
    env = {"HOME": str(home)}
    first = scenarios.apply(
        scenario, [*prism, f"--dead-letter={dead}"], "prism-first", extra_env=env
    )
    scenarios.check_first_application(scenario, before, first)
    scenarios.check_dead_letters(dead)
    after_first = {
        day: scenarios.snapshot(scenario.folder(day)) for day in (scenarios.DAY1, scenarios.DAY2)
    }
    second = scenarios.apply(scenario, prism, "prism-second", extra_env=env)
    scenarios.check_second_application(scenario, after_first, second)
