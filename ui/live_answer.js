// Sends a microphone answer to the server while it is recorded, so that it is transcribed while
// the user speaks (ui/live_answers.py). Runs as the `js_on_load` of each answer area's live
// element (ui/answer_area.py), with `props.recorder` the id of that area's recorder,
// `server.live_chunk(message)` the server side and `trigger` the element's events.
//
// The page-wide part (window.coachLive, installed once) taps Gradio's own recording: a click on
// a recorder's record button arms that recorder's area with a new answer id, and every
// MediaRecorder the page creates reports start / pause / resume / stop. On start, the armed
// area feeds the recorded MediaStream through an AudioWorklet in a 16 kHz AudioContext that
// keeps it as 16-bit mono PCM (what the server keeps and analyses) and hands it over in 0.1 s
// chunks. Chunks go to the server one message at a time, in order (those recorded while a
// message was on its way go together), once the server has opened the
// answer (`opened`, chained after the start_recording event); on stop the rest goes with
// `last: true`, and the element's `submit` event ({answer: id}) tells the server to analyse it
// at once, without waiting for Gradio to upload the browser's own recording (stop_recording
// comes 0.4-0.6 s later and finds the answer taken). Whatever fails here, the answer is marked
// broken and the server analyses the browser's own recording instead, as it does without
// this script.
// While the answer is recorded (from `opened` to stop), the page polls
// `server.live_panel({answer: id})` every POLL_MS and draws the returned HTML into the area's
// live panel (`props.panel`, ui/live_panel.py): a cheap read of the server's snapshot, one
// poll at a time, never in the way of the chunks. Its time left is handed to the area's
// countdown (ui/countdown.js), one clock for both numbers. After stop it is polled faster and
// says what is left to do (ui/live_panel.py), until the server sends "" (feedback ready).
const recorderId = props.recorder;
const live = window.coachLive || (window.coachLive = (() => {
  const CHUNK = 1600;  // samples at 16 kHz: 0.1 s (Stop finds at most that much unsent)
  const RATE = 16000;
  const POLL_MS = 1000;  // the live panel's refresh
  const FINISHING_POLL_MS = 250;  // after Stop: what is left to do, until the feedback comes
  const FINISHING_MAX_MS = 120000;  // after Stop, the panel waits this long for the feedback
  const WORKLET = `registerProcessor("coach-pcm-tap", class extends AudioWorkletProcessor {
    constructor() {
      super();
      this.buffer = new Int16Array(${CHUNK});
      this.filled = 0;
      this.state = "on";
      this.port.onmessage = (event) => {
        if (event.data === "flush") {
          this.port.postMessage({samples: this.buffer.slice(0, this.filled), last: true});
          this.state = "done";
        } else {
          this.state = event.data;  // "on" | "paused"
        }
      };
    }
    process(inputs) {
      if (this.state === "done") return false;
      const input = inputs[0];
      if (this.state !== "on" || !input || !input.length) return true;
      for (let i = 0; i < input[0].length; i++) {
        let sum = 0;
        for (const channel of input) sum += channel[i];
        const v = Math.round(sum / input.length * 32768);
        this.buffer[this.filled++] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
        if (this.filled === ${CHUNK}) {
          this.port.postMessage({samples: this.buffer, last: false}, [this.buffer.buffer]);
          this.buffer = new Int16Array(${CHUNK});
          this.filled = 0;
        }
      }
      return true;
    }
  });`;
  const areas = {};  // recorder id -> {server, answer}
  let armed = null;  // the area whose record button was pressed last
  let context = null;
  let ready = null;

  const newId = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };
  const base64 = (samples) => {
    const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text);
  };
  const audio = () => {  // made on the first record click (a user gesture), then reused
    if (!context) {
      context = new AudioContext({sampleRate: RATE});
      const url = URL.createObjectURL(new Blob([WORKLET], {type: "application/javascript"}));
      ready = context.audioWorklet.addModule(url);
    }
    if (context.state === "suspended") context.resume();
    return ready;
  };

  class Answer {
    constructor(area) {
      this.area = area;
      this.id = newId();
      this.seq = 0;
      this.queue = [];
      this.opened = false;
      this.sending = false;
      this.broken = false;
      this.ended = false;  // the last chunk is queued
      this.marks = {armed: performance.now()};
    }
    async begin(stream) {
      try {
        await audio();
        this.source = context.createMediaStreamSource(stream);
        this.node = new AudioWorkletNode(context, "coach-pcm-tap", {numberOfOutputs: 0});
        this.node.port.onmessage = (event) => this.push(event.data.samples, event.data.last);
        this.source.connect(this.node);
        this.marks.tapped = performance.now();
      } catch (error) {
        console.warn("coach: the answer cannot be streamed, it is sent when you stop", error);
        this.broken = true;
      }
    }
    pause(paused) {
      if (this.node) this.node.port.postMessage(paused ? "paused" : "on");
    }
    end() {
      this.marks.stopped = performance.now();
      if (!this.node) { this.broken = true; this.stopPanel(); return; }
      this.node.port.postMessage("flush");
      if (this.opened && !this.broken && this.area.trigger) {
        this.marks.submitted = performance.now();
        this.area.trigger("submit", {answer: this.id});  // the server waits for the last chunk
        // the panel now shows what is left to do, until the server sends "" (feedback ready)
        this.finishing = setTimeout(() => this.stopPanel(), FINISHING_MAX_MS);
        clearInterval(this.poller);  // polled faster: the panel goes as soon as the feedback comes
        this.poller = setInterval(() => this.refresh(), FINISHING_POLL_MS);
        this.refresh();
      } else {
        this.stopPanel();
      }
    }
    push(samples, last) {
      if (last) {
        this.ended = true;
        this.marks.flushed = performance.now();
        this.source.disconnect();
      }
      this.queue.push({samples, last});
      this.pump();
    }
    open() {
      this.opened = true;
      this.pump();
      if (!this.poller) this.poller = setInterval(() => this.refresh(), POLL_MS);
    }
    panel() { return this.area.panel && document.getElementById(this.area.panel); }
    async refresh() {
      if (this.broken) { this.stopPanel(); return; }
      if (this.polling || !this.area.server.live_panel) return;
      this.polling = true;
      try {
        const reply = await this.area.server.live_panel({answer: this.id});
        const panel = this.panel();
        if (panel && this.poller && reply && typeof reply.html === "string") {
          panel.innerHTML = reply.html;
          this.clock(panel.querySelector("[data-testid=live-time]"));
          this.marks.panels = (this.marks.panels || 0) + 1;
          if (reply.html.includes('data-testid="live-finishing"')) this.marks.finishing = true;
        }
        if (this.finishing && reply && reply.html === "") this.stopPanel();
      } catch (error) {
        console.warn("coach: the live panel was not refreshed", error);
      }
      this.polling = false;
    }
    clock(element) {  // the time left is the countdown's own number (ui/countdown.js)
      const countdown = document.querySelector(
        '.countdown[data-recorder="' + this.area.recorder + '"]');
      if (element && countdown && window.coachCountdown) {
        window.coachCountdown(countdown.id).mirror(element);
      }
    }
    stopPanel() {
      clearInterval(this.poller);
      clearTimeout(this.finishing);
      this.poller = null;
      const panel = this.panel();
      if (panel) panel.innerHTML = "";
    }
    async pump() {
      if (this.sending || !this.opened) return;
      this.sending = true;
      while (this.queue.length && !this.broken) {
        // what was recorded while the previous message was on its way goes as one message,
        // so a slow round trip never builds a backlog (at most 1 s: the server's size limit)
        const pieces = this.queue.splice(0, 10);
        const last = pieces.some((piece) => piece.last);
        const samples = new Int16Array(pieces.reduce((n, piece) => n + piece.samples.length, 0));
        pieces.reduce((at, piece) => (samples.set(piece.samples, at), at + piece.samples.length), 0);
        let reply = null;
        try {
          reply = await this.area.server.live_chunk({
            answer: this.id, seq: this.seq++, rate: RATE, last, pcm: base64(samples)});
        } catch (error) {
          console.warn("coach: a piece of the answer was not delivered", error);
        }
        if (!reply || !reply.ok) { this.broken = true; break; }
        this.marks.sent = this.seq;
        this.marks.sentSamples = (this.marks.sentSamples || 0) + samples.length;
        if (last) this.marks.delivered = performance.now();
      }
      this.sending = false;
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button.record-button");
    if (!button) return;
    for (const [id, area] of Object.entries(areas)) {
      const recorder = document.getElementById(id);
      if (recorder && recorder.contains(button)) {
        try { audio(); } catch (error) { return; }  // no Web Audio here: whole file on stop
        area.answer = new Answer(area);
        armed = area;
      }
    }
  }, true);

  const Native = window.MediaRecorder;
  if (Native) {
    window.MediaRecorder = class extends Native {
      constructor(...args) {
        super(...args);
        let answer = null;
        this.addEventListener("start", () => {
          answer = armed && armed.answer;
          armed = null;
          if (answer) answer.begin(this.stream);
        });
        this.addEventListener("pause", () => answer && answer.pause(true));
        this.addEventListener("resume", () => answer && answer.pause(false));
        this.addEventListener("stop", () => { if (answer) answer.end(); answer = null; });
      }
    };
  }

  return {
    register(id, server, trigger, panel) {
      areas[id] = areas[id] || {answer: null};
      Object.assign(areas[id], {server, trigger, panel, recorder: id});
    },
    // The id of the answer being recorded: sent with start_recording, which opens it.
    answerId(id) { const a = areas[id] && areas[id].answer; return a ? a.id : ""; },
    opened(id) { const a = areas[id] && areas[id].answer; if (a) a.open(); },
    // On stop_recording: the id of the answer just recorded, if it was submitted or could
    // still be used: the server knows whether the submit took it, or waits for its last
    // chunk (LiveAnswers.claim). "" when streaming it failed before Stop.
    stoppedId(id) {
      const a = areas[id] && areas[id].answer;
      return a && (a.marks.submitted || (a.node && !a.broken)) ? a.id : "";
    },
    marks(id) { const a = areas[id] && areas[id].answer; return a ? a.marks : null; },
  };
})());
live.register(recorderId, server, trigger, props.panel);
