"""``python -m pipelines.apply_deletions`` end to end, on run folders written by
the real pipeline (tests/e2e/deletions_scenario.py): the first application
removes exactly the right records and nothing else, a second one changes
nothing, an incomplete folder is refused and untouched; the CoGroupByKey join
gives the same folders; overdue requests fail the command when asked; a kill
during a folder's swap is finished by the next application."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import MULTI_PROCESS, SINGLE_PROCESS
from tests.e2e.deletions_scenario import (
    DAY1,
    DAY2,
    apply,
    check_dead_letters,
    check_first_application,
    check_second_application,
    comparable,
    snapshot,
    snapshots,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def applied(deletions_scenario, tmp_path_factory):
    """The scenario after one application on the multi-process local runner."""
    scenario = deletions_scenario.copy_to(tmp_path_factory.mktemp("applied"))
    before = snapshots(scenario)
    dead = scenario.root / "dead-letters"
    completed = apply(scenario, [*MULTI_PROCESS, f"--dead-letter={dead}"], "first")
    return scenario, before, completed, dead


def test_the_first_application_removes_exactly_the_deleted_records(applied):
    scenario, before, completed, dead = applied
    check_first_application(scenario, before, completed)
    check_dead_letters(dead)


def test_a_second_application_changes_nothing(applied):
    scenario, _, _, _ = applied
    after_first = {day: snapshot(scenario.folder(day)) for day in (DAY1, DAY2)}
    check_second_application(scenario, after_first, apply(scenario, MULTI_PROCESS, "second"))


def test_the_cogroup_join_writes_the_same_folders(applied, deletions_scenario, tmp_path):
    reference, _, _, _ = applied
    scenario = deletions_scenario.copy_to(tmp_path)
    completed = apply(scenario, [*SINGLE_PROCESS, "--join=cogroup"], "cogroup")
    assert completed.returncode == 1, completed.stderr[-5000:]
    for day in (DAY1, DAY2):
        assert comparable(snapshot(scenario.folder(day))) == comparable(
            snapshot(reference.folder(day))
        )


def test_overdue_requests_fail_the_command_with_fail_on_overdue(deletions_scenario, tmp_path):
    scenario = deletions_scenario.copy_to(tmp_path)
    completed = apply(
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
    killed = apply(scenario, SINGLE_PROCESS, "killed", extra_env={"ELIGIBILITY_TEST_KILL_AT": step})
    assert killed.returncode == -9
    assert not (scenario.folder(DAY1) / "_SUCCESS").exists()
    completed = apply(scenario, SINGLE_PROCESS, "rerun")
    assert completed.returncode == 1, completed.stderr[-5000:]
    assert f"resumed    {scenario.folder(DAY1)}" in completed.stdout
    for day in (DAY1, DAY2):
        assert comparable(snapshot(scenario.folder(day))) == comparable(
            snapshot(reference.folder(day))
        )
