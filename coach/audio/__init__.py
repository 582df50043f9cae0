"""Audio in and out: decoding any file (`decode`), WAV files (`wav`), voice activity, resampling
and the microphone/speaker (`recorder`). Nothing here analyses what was said."""
