"""WAV files in the formats sox and editors write: the extensible header (24/32-bit, multichannel)
and float samples are read like plain 16-bit PCM; a folder or a pipe is named as such."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from assistant.voice.wavinput import WavFileError, read_wav, read_wav_info
from tests.voice.speech import Synth

pytestmark = pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed")


def samples(path: Path) -> np.ndarray:
    return np.frombuffer(read_wav(path).pcm, dtype="<i2").astype(np.float64)


@pytest.mark.parametrize(
    ("args", "header"),
    [
        (["-b", "24"], 0xFFFE),
        (["-b", "32"], 0xFFFE),
        (["-b", "24", "-c", "2"], 0xFFFE),
        (["-b", "32", "-e", "floating-point"], 3),
        (["-b", "64", "-e", "floating-point"], 3),
    ],
)
def test_sox_formats_read_like_16_bit_pcm(synth: Synth, tmp_path: Path, args: list[str], header: int) -> None:
    source = synth("my calf feels hot")
    out = tmp_path / "converted.wav"
    subprocess.run(["sox", str(source), *args, str(out)], check=True, capture_output=True)
    assert int.from_bytes(out.read_bytes()[20:22], "little") == header  # the format really is that one
    rate, _, channels, frames = read_wav_info(out)
    assert rate == 22050 and frames > 0 and channels == (2 if "-c" in args else 1)
    reference, converted = samples(source), samples(out)
    assert len(converted) == len(reference)
    assert np.corrcoef(reference, converted)[0, 1] > 0.99


def test_a_folder_is_named_as_one(tmp_path: Path) -> None:
    with pytest.raises(WavFileError, match="directory"):
        read_wav(tmp_path)


def test_a_pipe_is_named_as_one(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.wav"
    os.mkfifo(fifo)
    with pytest.raises(WavFileError, match="not a regular file"):
        read_wav(fifo)


def test_a_truncated_extensible_header_is_a_clean_error(synth: Synth, tmp_path: Path) -> None:
    out = tmp_path / "x.wav"
    subprocess.run(["sox", str(synth("yes")), "-b", "24", str(out)], check=True, capture_output=True)
    broken = tmp_path / "broken.wav"
    broken.write_bytes(out.read_bytes()[:30])
    with pytest.raises(WavFileError):
        read_wav(broken)
