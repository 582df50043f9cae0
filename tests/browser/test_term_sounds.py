"""The sounds of a key term in the app: upload an answer that says "dmesg", open the term's
sounds (phonemes in IPA, each marked), and play yours beside the model: the speaker's own clip
of the word cut from the recording and the chosen voice saying it. A screenshot of the card
goes to test-artifacts/term-sounds.png.
"""

from __future__ import annotations

from playwright.sync_api import expect

FEEDBACK_TIMEOUT_MS = 90_000
PLAY_JS = """async (audio) => {
  if (!(audio.duration > 0)) await new Promise((ok, fail) => {
    audio.addEventListener('loadedmetadata', ok, {once: true});
    audio.addEventListener('error', () => fail(new Error('cannot load ' + audio.src)),
                           {once: true});
    audio.load();
  });
  audio.muted = true;  // a muted player may play without a click
  const before = audio.currentTime;
  await audio.play();
  await new Promise((ok) => setTimeout(ok, 250));
  const after = audio.currentTime;
  audio.pause();
  return {duration: audio.duration, before, after};
}"""


def test_a_key_terms_sounds_open_and_yours_and_the_models_clip_play(app_url, launch, truth,
                                                                     library, server_log,
                                                                     artifacts):
    answer = truth["oom-us150-clean"]  # "... And I run dmesg on the node ..."
    scenario = library.get(answer.scenario)
    page = launch().new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    page.locator("#scenario-list label").filter(has_text=scenario.title).first.click()
    page.locator(f"[data-testid=scenario][data-id='{scenario.id}']").wait_for(timeout=30_000)
    page.locator("#answer button[aria-label='Upload file']").click()
    page.locator("#answer input[type=file]").set_input_files(str(answer.path))
    page.locator("#summary [data-testid=summary]").wait_for(timeout=FEEDBACK_TIMEOUT_MS)

    card = page.locator("#sounds [data-testid=sounds]")
    expect(card).to_contain_text("Sounds of key terms")
    term = card.locator("details.term-sounds[data-term='dmesg']")
    expect(term).to_have_count(1)
    if term.get_attribute("open") is None:
        term.locator("summary").click()
    expect(term).to_have_attribute("open", "")
    phonemes = term.locator(".phoneme")
    assert phonemes.count() >= 4  # d iː m ɛ s ɡ, as espeak says "D message"
    for i in range(phonemes.count()):  # each sound says how it went in words, not colour alone
        label = phonemes.nth(i).get_attribute("aria-label")
        assert label and label.startswith("/") and any(
            w in label for w in ("as expected", "close", "off", "not judged")), label

    for kind in ("yours", "model"):
        audio = term.locator(f"audio[data-clip={kind}]")
        audio.wait_for(state="attached", timeout=60_000)  # made after the written feedback
        played = audio.evaluate(PLAY_JS)
        # at least a second: the player shows a shorter clip as "0:00 / 0:00" (empty, it seems)
        assert played["duration"] >= 1.0, (kind, played)
        assert played["after"] > played["before"], (kind, played)
    card.screenshot(path=str(artifacts / "term-sounds.png"))  # for a person to look at
    yours = term.locator("audio[data-clip=yours]").evaluate("a => a.duration")
    assert yours < 3, f"your clip is the word, not the answer ({yours} s)"
    assert server_log() == ""
