() => {
  // The polished and model answers' notes give an estimate of their length until their audio
  // is there; then they give the audio's own length, so the note and the player never disagree.
  const PAIRS = [
    ["#polished-audio", "#polished [data-testid=polished-length]"],
    ["#model-audio", "#polished [data-testid=model-length]"],
    ["#attempt-polished-audio", "#attempt-polished [data-testid=polished-length]"],
    ["#attempt-model-audio", "#attempt-polished [data-testid=model-length]"],
  ];
  const sync = () => PAIRS.forEach(([player, note]) => {
    const audio = document.querySelector(`${player} audio`);
    const span = document.querySelector(note);
    if (!audio || !span || !(audio.duration > 0) || !Number.isFinite(audio.duration)) return;
    const text = `${Math.floor(audio.duration)} s as read aloud`;  // as its player shows it
    if (span.textContent !== text) span.textContent = text;
  });
  document.addEventListener("loadedmetadata", sync, true);  // it does not bubble: capture it
  new MutationObserver(sync).observe(document.body, {childList: true, subtree: true});
  sync();
}
