"""``python -m pipelines.check_run``: what a scheduler is told about a run folder."""

from __future__ import annotations

import json

from pipelines.check_run import main


def write_run(folder, read: int, dead: int, reconciles: bool = True) -> None:
    folder.mkdir()
    (folder / "_SUCCESS").write_text("{}")
    audit = {
        "counts": {"records_read": read, "dead_lettered": dead},
        "reconciliation": {"reconciles": reconciles},
    }
    (folder / "audit.json").write_text(json.dumps(audit))


def test_a_complete_run_within_the_threshold_passes_and_others_fail(tmp_path, capsys):
    write_run(tmp_path / "fine", 1000, 20)
    write_run(tmp_path / "broken", 1000, 21)
    write_run(tmp_path / "unreconciled", 10, 0, reconciles=False)
    write_run(tmp_path / "incomplete", 10, 0)
    (tmp_path / "incomplete" / "_SUCCESS").unlink()
    assert main([str(tmp_path / "fine"), "--max-dead-letter-rate", "0.02"]) == 0
    assert main([str(tmp_path / "broken"), "--max-dead-letter-rate", "0.02"]) == 1
    assert "21 of 1000 records dead-lettered (2.10%)" in capsys.readouterr().out
    assert main([str(tmp_path / "unreconciled")]) == 1
    assert main([str(tmp_path / "incomplete")]) == 1
    assert "has no _SUCCESS" in capsys.readouterr().out
