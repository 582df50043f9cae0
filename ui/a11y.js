() => {
  // Two fixes to Gradio's markup that the app cannot make from Python.
  // 1. A Radio's inputs each get a name of their own ("radio-1", "radio-2", ...), so they are
  //    not one group to the browser: Tab stops on every option and the arrow keys do nothing.
  //    Giving them one name makes each Radio a real radio group (one Tab stop, arrows choose).
  // 2. The audio waveform (wavesurfer.js, in a shadow root) scrolls sideways for a long
  //    recording but cannot be reached by keyboard: each such scroll area becomes focusable,
  //    with a name, so arrow keys scroll it (WCAG 2.1.1; axe rule scrollable-region-focusable).
  const groupRadios = () => document.querySelectorAll("fieldset").forEach((set) => {
    const radios = set.querySelectorAll("input[type=radio]");
    radios.forEach((radio) => { if (radio.name !== radios[0].name) radio.name = radios[0].name; });
  });
  const focusableWaveforms = () => document.querySelectorAll("#waveform > div").forEach((host) => {
    const scroll = host.shadowRoot && host.shadowRoot.querySelector(".scroll");
    if (scroll && !scroll.hasAttribute("tabindex")) {
      scroll.setAttribute("tabindex", "0");
      scroll.setAttribute("role", "region");
      scroll.setAttribute("aria-label", "Waveform of the recording");
    }
  });
  const fix = () => { groupRadios(); focusableWaveforms(); };
  new MutationObserver(fix).observe(document.body, {childList: true, subtree: true});
  fix();
}
