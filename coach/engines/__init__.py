"""Engines: the heavy, stateful parts (speech model, grammar server, voices, audio devices).

Each is loaded lazily, once, behind a small interface, so analyses stay pure and fast to test.
"""
