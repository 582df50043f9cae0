() => {
  // Browsers label audio-only WebM, MP4, Matroska and Ogg video files as video/* ("video/webm"
  // for what Chrome itself records), and Gradio's audio upload takes only audio/* types: such a
  // file was dropped without a word. The coach decodes the audio of all of them, so before
  // Gradio sees a chosen or dropped file, one of these is handed on as audio of the same
  // container. The analysis still refuses a file without sound, with a plain message.
  const AUDIO_TYPES = {webm: "audio/webm", mp4: "audio/mp4", m4a: "audio/mp4", m4v: "audio/mp4",
                       mov: "audio/mp4", mkv: "audio/x-matroska", mka: "audio/x-matroska",
                       ogg: "audio/ogg", ogv: "audio/ogg", oga: "audio/ogg", opus: "audio/ogg"};
  const EXTRA_ACCEPT = ",video/webm,video/mp4,video/ogg,video/x-matroska,.webm,.mp4,.m4a,.mkv,.ogg,.opus,.mov";
  const asAudio = (file) => {
    const ext = (file.name.split(".").pop() || "").toLowerCase();
    if (file.type.startsWith("audio/") || !AUDIO_TYPES[ext]) return null;
    return new File([file], file.name, {type: AUDIO_TYPES[ext], lastModified: file.lastModified});
  };
  const retyped = (files) => {
    const list = Array.from(files || []);
    if (!list.some(asAudio)) return null;
    const out = new DataTransfer();
    list.forEach((f) => out.items.add(asAudio(f) || f));
    return out.files;
  };
  const audioInput = (node) => {
    const box = node && node.closest && node.closest("[data-testid='audio'], .audio-container, .block");
    return box && box.querySelector("input[type=file][accept*='audio']");
  };
  // A file chosen in the file dialog: retype it before Gradio's own listener on the input runs.
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    if (!(input.accept || "").includes("audio")) return;
    const files = retyped(input.files);
    if (files) input.files = files;
  }, true);
  // A dropped file: Gradio would filter it out; give it to the input as if it were chosen.
  document.addEventListener("drop", (event) => {
    const input = audioInput(event.target);
    const files = input && retyped(event.dataTransfer && event.dataTransfer.files);
    if (!files) return;
    event.preventDefault();
    event.stopPropagation();
    input.files = files;
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }, true);
  // Let the file dialog offer these files too.
  const widen = () => document.querySelectorAll("input[type=file][accept*='audio/*']").forEach((input) => {
    if (!input.accept.includes(".webm")) input.accept += EXTRA_ACCEPT;
  });
  new MutationObserver(widen).observe(document.body, {childList: true, subtree: true});
  widen();
}
