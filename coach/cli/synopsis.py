"""The command line's synopsis, one usage line per command, made from the parser itself.

The README's synopsis is this text (`python -m coach.cli.synopsis` prints it); a test fails when
the two differ, so the README cannot drift from `coach --help`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

WIDTH = 100


def _commands(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every command that runs something, sub-commands after their command, in --help order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                if sub.get_default("func"):
                    yield sub
                yield from _commands(sub)


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = argparse.HelpFormatter(parser.prog, width=WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups,
                        prefix="")
    return formatter.format_help().strip().replace(" [-h]", "")


def synopsis(parser: argparse.ArgumentParser | None = None) -> str:
    if parser is None:
        from coach.cli.main import build_parser

        parser = build_parser()
    return "\n".join(_usage(command) for command in _commands(parser)) + "\n"


if __name__ == "__main__":
    print(synopsis(), end="")
