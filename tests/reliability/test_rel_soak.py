"""Long runs: 200 conversations in one process stay within a small memory bound.

A bound check, not a timing assertion: bench/soak.py reports the latency figures.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from assistant.content.knowledge import Knowledge
from tests.support import load_script

SOAK = Path(__file__).resolve().parents[2] / "bench" / "soak.py"
#: Resident memory may grow by at most this much over the run (allocator noise is ~100 KiB).
MAX_GROWTH_KIB = 10 * 1024


@pytest.fixture(scope="module")
def soak_module() -> ModuleType:
    return load_script(SOAK, "bench_soak")


def test_two_hundred_conversations_stay_within_the_memory_bound(
    soak_module: ModuleType, knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # a script that saved by mistake would show here
    report = soak_module.soak(knowledge, soak_module.TOY_SCRIPTS, conversations=200, warmup=20)
    assert report.conversations == 200
    assert sum(report.endings.values()) == 200
    assert "unfinished" not in report.endings
    assert report.endings["completed"] >= 100
    assert report.rss_growth_kib < MAX_GROWTH_KIB, report
    assert list(tmp_path.iterdir()) == []


def test_the_soak_script_runs_as_a_command(
    soak_module: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert soak_module.main(["-n", "20", "--warmup", "2", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["conversations"] == 20
    assert set(report) >= {"rss_growth_kib", "first_median_ms", "last_p95_ms", "endings"}
