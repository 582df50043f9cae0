"""Page helpers shared by the browser tests."""

from __future__ import annotations


def tab(page, name: str):
    """The main tab button called `name`. Gradio can keep a second, hidden copy of a tab's
    button for a moment while it re-lays the tab bar out: the visible one is the user's."""
    return page.get_by_role("tab", name=name, exact=True).filter(visible=True).first
