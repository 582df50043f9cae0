"""The Settings tab's "check sounds" switch: on the form, saved to settings.json, read back.

The tab is built in a Blocks (no server); its Save button's inputs are the form `save` gets.
Saving with the switch off turns `Settings.check_sounds` off for the next answers and for the
next start; on again brings it back.
"""

from __future__ import annotations

import gradio as gr
import pytest

from coach import Settings
from coach.settings import NUDGE_KINDS, load_settings, settings_from_dict, settings_to_dict
from coach.ui.settings_tab import SOUNDS_LABEL, save, settings_tab
from coach.ui.shared import Shared

FORM = (110, 160, "", "", "espeak", 145, "base", False)  # up to the grammar switch
NUDGES_ON = (True,) * len(NUDGE_KINDS)


class SettingsCoach:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings(check_grammar=False)


@pytest.mark.parametrize("saved", [True, False])
def test_the_tab_has_the_switch_showing_the_current_setting_among_the_saved_fields(saved):
    shared = Shared(SettingsCoach(Settings(check_grammar=False, check_sounds=saved)))
    with gr.Blocks() as tab:
        settings_tab(shared)
    (button,) = [fn for fn in tab.fns.values() if fn.inputs]  # the Save button's one handler
    switches = [i for i, c in enumerate(button.inputs)
                if isinstance(c, gr.Checkbox) and c.label == SOUNDS_LABEL]
    assert switches == [len(FORM)]  # right after the grammar switch, where `save` reads it
    assert button.inputs[len(FORM)].value is saved


def test_turning_sounds_off_is_saved_and_on_brings_it_back():
    shared = Shared(SettingsCoach())
    status = save(shared, *FORM, False, *NUDGES_ON)
    assert 'data-testid="settings-saved"' in status
    assert shared.coach.settings.check_sounds is False
    assert load_settings().check_sounds is False
    save(shared, *FORM, True, *NUDGES_ON)
    assert shared.coach.settings.check_sounds is True
    assert load_settings().check_sounds is True


def test_the_setting_survives_the_file_round_trip_and_a_file_without_it_keeps_it_on():
    off = Settings(check_sounds=False)
    assert settings_from_dict(settings_to_dict(off)).check_sounds is False
    assert settings_from_dict({}).check_sounds is True
