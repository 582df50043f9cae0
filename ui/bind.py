"""`bind`: a module-level handler with its first arguments given, in the form Gradio reads.

Handlers in ui/ are plain functions of (view, shared, *inputs) returning `{component: update}`.
Gradio finds a handler's special parameters by inspecting it: a `gr.Progress()` default, a
`gr.EventData` type hint. `functools.partial` hides the type hints, so `bind` returns a
function whose signature and hints are the handler's remaining parameters.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any


def bind(handler: Callable[..., Any], *given: Any) -> Callable[..., Any]:
    @functools.wraps(handler)
    def bound(*inputs: Any, **options: Any) -> Any:
        return handler(*given, *inputs, **options)

    signature = inspect.signature(handler)
    remaining = list(signature.parameters.values())[len(given):]
    bound.__signature__ = signature.replace(parameters=remaining)  # type: ignore[attr-defined]
    return bound
