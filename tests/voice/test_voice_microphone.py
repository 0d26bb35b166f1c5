"""The real microphone code, recording from a fake ALSA capture device fed from a file.

PortAudio reads the ALSA configuration when it initialises, so each case runs in a subprocess
whose HOME holds an ``.asoundrc`` routing the default capture device to ALSA's ``file`` plugin.
That device does not pace in real time and keeps delivering after the file ends: read a
bounded amount.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.voice.audio import mono_int16
from assistant.voice.wavinput import read_wav
from tests.voice.speech import Synth
from tests.voice.support import fake_home, run_python

pytestmark = pytest.mark.voice

RECORD = """
import json, sys
from assistant.voice.microphone import AudioDeviceError, Microphone, list_input_devices
out = {"devices": [d.name for d in list_input_devices()]}
try:
    with Microphone(DEVICE) as mic:
        chunks = list(mic.chunks(SECONDS))
    out["rate"] = mic.sample_rate
    out["sizes"] = sorted({c.frames for c in chunks})
    out["formats"] = sorted({(c.sample_rate, c.sample_width, c.channels) for c in chunks})
    open(sys.argv[1], "wb").write(b"".join(c.pcm for c in chunks))
except AudioDeviceError as exc:
    out["error"] = str(exc)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def portaudio() -> None:
    pytest.importorskip("sounddevice", reason="sounddevice (and libportaudio2) not installed")


def record(home: Path, out: Path, device: int | str | None, seconds: float) -> dict[str, Any]:
    code = RECORD.replace("DEVICE", repr(device)).replace("SECONDS", repr(seconds))
    done = run_python(["-c", textwrap.dedent(code), str(out)], home)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture
def spoken_yes(tmp_path: Path, synth: Synth) -> np.ndarray:
    """'yes' by espeak-ng, 16 kHz, with 0.3 s of silence before and 1 s after."""
    speech = mono_int16(read_wav(synth("yes")))
    silence = np.zeros(4800, np.int16)
    return np.concatenate([silence, speech, np.zeros(16000, np.int16)])


@pytest.mark.usefixtures("portaudio")
@pytest.mark.parametrize("device", [None, "filecap", "FILE", 0])
def test_records_the_fake_device(tmp_path: Path, spoken_yes: np.ndarray, device: Any) -> None:
    infile = tmp_path / "capture.raw"
    infile.write_bytes(spoken_yes.astype("<i2").tobytes())
    out = tmp_path / "recorded.raw"
    result = record(fake_home(tmp_path, infile), out, device, 1.5)
    assert "error" not in result, result
    assert "filecap" in result["devices"]
    assert result["rate"] == 16000
    assert result["sizes"] == [1600]
    assert result["formats"] == [[16000, 2, 1]]
    recorded = np.frombuffer(out.read_bytes(), dtype="<i2")
    assert recorded.size == 24000
    # The file plugin hands the file over sample for sample.
    assert np.array_equal(recorded[: spoken_yes.size], spoken_yes[: recorded.size])


@pytest.mark.usefixtures("portaudio")
def test_recorded_speech_is_recognized(tmp_path: Path, spoken_yes: np.ndarray) -> None:
    pytest.importorskip("pocketsphinx", reason="pocketsphinx is not installed")
    from assistant.voice.audio import AudioChunk
    from assistant.voice.recognizer import listen
    from assistant.voice.sphinx_engine import SphinxRecognizer

    infile = tmp_path / "capture.raw"
    infile.write_bytes(spoken_yes.astype("<i2").tobytes())
    out = tmp_path / "recorded.raw"
    record(fake_home(tmp_path, infile), out, None, 2.0)
    recorded = np.frombuffer(out.read_bytes(), dtype="<i2")
    chunks = [AudioChunk.from_samples(recorded[i : i + 1600]) for i in range(0, recorded.size, 1600)]
    recognizer = SphinxRecognizer(["yes", "no", "not sure"])
    recognizer.set_phrases(["yes", "no", "not sure"])
    assert listen(chunks, recognizer).heard == "yes"


@pytest.mark.usefixtures("portaudio")
def test_unknown_device_name_lists_the_devices(tmp_path: Path) -> None:
    infile = tmp_path / "capture.raw"
    infile.write_bytes(b"\x00\x00" * 16000)
    result = record(fake_home(tmp_path, infile), tmp_path / "out.raw", "usb headset", 0.5)
    assert "no microphone matches 'usb headset'" in result["error"]
    assert "filecap" in result["error"]
    assert "--text" in result["error"]


@pytest.mark.usefixtures("portaudio")
def test_no_device_gives_a_clear_error(tmp_path: Path) -> None:
    # The capture file does not exist: ALSA cannot open the device and PortAudio lists none.
    home = fake_home(tmp_path, tmp_path / "missing.raw")
    result = record(home, tmp_path / "out.raw", None, 0.5)
    if result["devices"]:
        pytest.skip(f"this machine has real sound devices: {result['devices']}")
    assert result["error"] == "no microphone found; run with --text to continue in text mode"
