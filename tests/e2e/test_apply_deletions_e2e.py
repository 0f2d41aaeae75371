"""``python -m pipelines.apply_deletions`` end to end, on run folders written by
the real pipeline (tests/e2e/deletions_scenario.py): the first application
removes exactly the right records and nothing else, a second one changes
nothing, an incomplete folder is refused and untouched; the CoGroupByKey join
gives the same folders; overdue requests fail the command when asked; a kill
during a folder's swap is finished by the next application."""

from __future__ import annotations

import pytest

from tests.e2e import deletions_scenario as scenarios
from tests.e2e.conftest import MULTI_PROCESS, SINGLE_PROCESS

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def applied(deletions_scenario, tmp_path_factory):
    """The scenario after one application on the multi-process local runner."""
    scenario = deletions_scenario.copy_to(tmp_path_factory.mktemp("applied"))
    before = scenarios.snapshots(scenario)
    dead = scenario.root / "dead-letters"
    completed = scenarios.apply(scenario, [*MULTI_PROCESS, f"--dead-letter={dead}"], "first")
    return scenario, before, completed, dead


def test_the_first_application_removes_exactly_the_deleted_records(applied):
    scenario, before, completed, dead = applied
    scenarios.check_first_application(scenario, before, completed)
    scenarios.check_dead_letters(dead)


def test_a_second_application_changes_nothing(applied):
    scenario, _, _, _ = applied
    after_first = {
        day: scenarios.snapshot(scenario.folder(day)) for day in (scenarios.DAY1, scenarios.DAY2)
    }
    scenarios.check_second_application(
        scenario, after_first, scenarios.apply(scenario, MULTI_PROCESS, "second")
    )


def test_the_cogroup_join_writes_the_same_folders(applied, deletions_scenario, tmp_path):
    reference, _, _, _ = applied
    scenario = deletions_scenario.copy_to(tmp_path)
    completed = scenarios.apply(scenario, [*SINGLE_PROCESS, "--join=cogroup"], "cogroup")
    assert completed.returncode == 1, completed.stderr[-5000:]
    scenarios.check_same_folders(scenario, reference)


def test_overdue_requests_fail_the_command_with_fail_on_overdue(deletions_scenario, tmp_path):
    scenario = deletions_scenario.copy_to(tmp_path)
    completed = scenarios.apply(
        scenario, [*SINGLE_PROCESS, "--fail-on-overdue"], "overdue", runs="2026-11-2[45]"
    )
    assert completed.returncode == 3, completed.stderr[-5000:]
    assert "WARNING: 1 records were removed by requests older than 30 days" in completed.stdout
    assert "updated    " in completed.stdout  # the deletions were applied all the same


@pytest.mark.parametrize("step", ["success-removed", "replaced-deletions_applied.json"])
def test_a_kill_during_a_swap_is_finished_by_the_next_application(
    applied, deletions_scenario, tmp_path, step
):
    reference, _, _, _ = applied
    scenario = deletions_scenario.copy_to(tmp_path)
    killed = scenarios.apply(
        scenario, SINGLE_PROCESS, "killed", extra_env={"ELIGIBILITY_TEST_KILL_AT": step}
    )
    assert killed.returncode == -9
    assert not (scenario.folder(scenarios.DAY1) / "_SUCCESS").exists()
    completed = scenarios.apply(scenario, SINGLE_PROCESS, "rerun")
    assert completed.returncode == 1, completed.stderr[-5000:]
    assert f"resumed    {scenario.folder(scenarios.DAY1)}" in completed.stdout
    scenarios.check_same_folders(scenario, reference)
