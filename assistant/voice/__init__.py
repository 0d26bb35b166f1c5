"""Speech input: audio chunks from WAV files or the microphone, turn detection, recognition.

The engines (Vosk, PocketSphinx) and the microphone import their heavy libraries lazily, so
importing this package costs nothing when the assistant runs in text mode.
"""

from assistant.speechmodels.locate import ModelError, resolve_model_path
from assistant.voice.audio import AudioChunk, AudioError, AudioFormatError, to_target
from assistant.voice.endpoint import EndpointConfig, EndpointDetector, TurnState
from assistant.voice.recognizer import Recognizer, Transcript, TurnResult, listen
from assistant.voice.wavinput import WavFileError, iter_wav_chunks

__all__ = [
    "AudioChunk",
    "AudioError",
    "AudioFormatError",
    "EndpointConfig",
    "EndpointDetector",
    "ModelError",
    "Recognizer",
    "Transcript",
    "TurnResult",
    "TurnState",
    "WavFileError",
    "iter_wav_chunks",
    "listen",
    "resolve_model_path",
    "to_target",
]
