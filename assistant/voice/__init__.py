"""Voice: audio chunks from WAV files or the microphone, turn detection, recognition (Vosk,
PocketSphinx), the recognizers' vocabulary, and speech output (pyttsx3).

Nothing is imported here: the engines, numpy and the sound libraries load only when voice mode
runs, so text mode and ``assistant models`` never pay for them. Import the modules directly.
"""
