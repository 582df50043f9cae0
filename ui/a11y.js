() => {
  // Gradio's audio waveform (wavesurfer.js, in a shadow root) scrolls sideways for a long
  // recording but cannot be reached by keyboard: make each such scroll area focusable, with a
  // name, so arrow keys scroll it (WCAG 2.1.1; axe rule scrollable-region-focusable).
  const fix = () => document.querySelectorAll("#waveform > div").forEach((host) => {
    const scroll = host.shadowRoot && host.shadowRoot.querySelector(".scroll");
    if (scroll && !scroll.hasAttribute("tabindex")) {
      scroll.setAttribute("tabindex", "0");
      scroll.setAttribute("role", "region");
      scroll.setAttribute("aria-label", "Waveform of the recording");
    }
  });
  new MutationObserver(fix).observe(document.body, {childList: true, subtree: true});
  fix();
}
