"""Engines: the heavy, stateful parts (speech model, voices, voice activity, audio devices).

The grammar engine (a LanguageTool server) lives with the rest of grammar in coach/grammar/.

Each is loaded lazily, once, behind a small interface, so analyses stay pure and fast to test.
"""
