"""report.html in a real browser: the real command line writes it beside
audit.json, ``python -m pipelines.report DIR`` regenerates it byte for byte,
and headless Chromium (Debian's ``chromium``) renders it: the charts are in the
rendered DOM with their bars, nothing is fetched from anywhere, and a
screenshot can be taken. Without chromium the test is skipped, except in CI
(``REQUIRE_CHROMIUM=1`` or ``CI=true``), where ``make chromium`` (.ci/run)
installs it first."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.e2e.cli import cli, eligibility
from tests.e2e.conftest import SINGLE_PROCESS, canonical_inputs

pytestmark = pytest.mark.e2e

CHARTS = {"funnel", "excluded", "per-source", "pii", "dead-letters", "content-dropped"}


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("REQUIRE_CHROMIUM") == "1" or os.environ.get("CI") == "true":
        pytest.fail("chromium is required here (CI): `make chromium` installs it")
    pytest.skip("chromium is not installed (`make chromium` installs Debian's package)")


def browse(page: Path, tmp_path: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *flags,
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


class Charts(HTMLParser):
    """The rendered DOM's charts: ``{name: [(label, value), ...]}``, and texts by id."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[tuple[str, int]]] = {}
        self.ids: dict[str, str] = {}
        self._chart: str | None = None
        self._id: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "svg" and "chart" in (attributes.get("class") or ""):
            self._chart = attributes["data-chart"]
            self.charts[self._chart] = []
        elif tag == "rect" and attributes.get("class") == "bar" and self._chart:
            self.charts[self._chart].append(
                (attributes["data-label"], int(attributes["data-value"]))
            )
        if "id" in attributes:
            self._id = attributes["id"]

    def handle_endtag(self, tag):
        if tag == "svg":
            self._chart = None

    def handle_data(self, data):
        if self._id and data.strip():
            self.ids.setdefault(self._id, data.strip())


@pytest.fixture(scope="module")
def run_folder(sample, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("report") / "out"
    completed = eligibility(canonical_inputs(sample), output, *SINGLE_PROCESS, "--quiet")
    assert completed.returncode == 0, completed.stderr
    return output


def test_the_report_is_regenerated_byte_for_byte_from_the_audit(run_folder):
    written = (run_folder / "report.html").read_bytes()
    (run_folder / "report.html").unlink()
    completed = cli([str(run_folder)], command="report")
    assert completed.returncode == 0, completed.stderr
    assert (run_folder / "report.html").read_bytes() == written


def test_the_page_is_self_contained(run_folder):
    page = (run_folder / "report.html").read_text()
    for needle in ("<script", "<link", "<img", "src=", "href=", "url(", "@import", "//cdn"):
        assert needle not in page
    assert page.count("http://") == page.count('xmlns="http://www.w3.org/2000/svg"')


def test_chromium_renders_the_charts(run_folder, tmp_path):
    audit = json.loads((run_folder / "audit.json").read_text())
    counts = audit["counts"]
    dumped = browse(run_folder / "report.html", tmp_path, "--dump-dom")
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = Charts()
    dom.feed(dumped.stdout)
    assert set(dom.charts) == CHARTS and all(dom.charts.values())
    funnel = dict(dom.charts["funnel"])
    assert funnel["read"] == counts["records_read"]
    assert funnel["written"] == counts["records_written"]
    assert dict(dom.charts["excluded"]) == counts["excluded"]
    assert dict(dom.charts["pii"]) == counts["pii_entities_redacted"]
    assert sum(v for _, v in dom.charts["dead-letters"]) == counts["dead_lettered"]
    assert dom.ids["reconciles"] == "reconciles"
    assert audit["run"]["policy"]["sha256"] in dumped.stdout
    assert audit["run"]["pii"]["sha256"] in dumped.stdout


def test_chromium_takes_a_screenshot(run_folder, tmp_path):
    picture = tmp_path / "report.png"
    shot = browse(
        run_folder / "report.html", tmp_path, f"--screenshot={picture}", "--window-size=1000,2400"
    )
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = picture.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a page, not a blank
