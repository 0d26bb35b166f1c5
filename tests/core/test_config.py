"""config.toml (issue 12): precedence command line > environment > file > default, `assistant
config`, and bad files reported as path:line with what to write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.app.config import SETTINGS, ConfigError, effective, read_config
from assistant.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def resolved(
    tmp_path: Path, argv: list[str], environ: dict[str, str], text: str
) -> dict[str, tuple[object, str]]:
    parser = build_parser()
    args = parser.parse_args(argv)
    defaults = {s.dest: parser.get_default(s.dest) for s in SETTINGS}
    found = effective(args, environ, read_config(write(tmp_path, text)), defaults)
    return {
        k: (v.value, v.origin.split(":")[0] if v.origin.startswith("/") else v.origin)
        for k, v in found.items()
    }


def test_command_line_beats_environment_beats_file_beats_default(tmp_path: Path) -> None:
    text = 'emergency_number = "999"\nrate = 150\nengine = "pocketsphinx"\n'
    got = resolved(tmp_path, ["--emergency-number", "112"], {"ASSISTANT_RATE": "170"}, text)
    assert got["emergency_number"] == ("112", "command line")
    assert got["rate"] == (170, "environment (ASSISTANT_RATE)")
    assert got["engine"] == ("pocketsphinx", str(tmp_path / "config.toml"))
    assert got["listen_timeout"][1] == "default"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'emergency_numbr = "999"\n',
            "config.toml:1: unknown setting 'emergency_numbr'; did you mean 'emergency_number'?",
        ),
        ('\nrate = "fast"\n', "config.toml:2: rate should be a whole number, e.g. rate = 150"),
        (
            "emergency_number = 999\n",
            'config.toml:1: emergency_number should be text in quotes, e.g. emergency_number = "999"',
        ),
        ('engine = "whisper"\n', "config.toml:1: engine should be one of auto, vosk, pocketsphinx"),
        ('intents = "~/x"\n', "config.toml:1: intents should be a list of folders in quotes"),
        ("rate = \n", "config.toml:1:8: Invalid value; write one setting a line"),
    ],
)
def test_a_bad_file_names_the_line_and_what_to_write(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read_config(write(tmp_path, text))
    assert message in str(caught.value)


def run(tmp_path: Path, args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "XDG_"))}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_the_file_is_used_and_assistant_config_says_where_each_setting_came_from(tmp_path: Path) -> None:
    folder = tmp_path / "config" / "assistant"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text('emergency_number = "999"\n')
    done = run(tmp_path, ["--text", "--no-summary"])
    assert done.returncode == 0, done.stderr
    assert "call 999." in done.stdout
    shown = run(tmp_path, ["config"])
    assert shown.returncode == 0
    assert "emergency_number   999" in shown.stdout and f"{folder / 'config.toml'}:1" in shown.stdout
    assert "engine             auto" in shown.stdout and "default" in shown.stdout
    example = run(tmp_path, ["config", "--example"])
    assert example.returncode == 0 and "# emergency_number = " in example.stdout


def test_a_bad_file_stops_the_start_with_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "config" / "assistant"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text("rate = -3\n")
    done = run(tmp_path, ["--text"])
    assert done.returncode == 2
    assert "config.toml:1: rate should be a whole number" in done.stderr
    assert "Traceback" not in done.stderr
