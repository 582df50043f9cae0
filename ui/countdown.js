() => {
  // The answer countdowns, one clock per countdown element (#coach-countdown on the Practice
  // tab, #round-countdown on the Mock round tab): `window.coachCountdown(id).start()` on the
  // recorder's start_recording event, `.stop()` on stop_recording. Runs in the page only; the
  // limit comes from the element's data-limit. With data-strict="true" the clock also presses
  // the stop button of its recorder (#<data-recorder>) when the time is up, a moment late so
  // the last word is kept and the answer reads as a time-out. The server draws a new element
  // (a new data-key) for each question and after each error: a clock never writes into a
  // countdown other than the one it started on.
  // The live panel's time left (ui/live_panel.py) is this clock's number too: ui/live_answer.js
  // hands each panel's time element to `.mirror(element)`, and every tick writes both at once,
  // so the two never disagree (the server's figure is only drawn until the page's clock runs).
  const MAX_S = 300;  // analysis refuses recordings over 5 minutes
  const GRACE_S = 0.3;
  const fmt = (s) => {
    const a = Math.max(0, Math.floor(Math.abs(s)));  // rounded down, as players count
    return Math.floor(a / 60) + ":" + String(a % 60).padStart(2, "0");
  };
  // Time left is rounded up, as countdowns do: beside the recorder's own clock, which rounds
  // the time recorded down, the two always add up to the limit (0:24 recorded, 0:06 left).
  const fmtLeft = (s) => fmt(Math.ceil(s));
  const set = (e, time, label, state, fill) => {
    e.querySelector(".cd-time").textContent = time;
    e.querySelector(".cd-label").textContent = label;
    e.className = "countdown " + state;
    e.querySelector(".cd-fill").style.width = Math.min(100, fill) + "%";
  };
  const makeClock = (id) => ({
    el: () => document.getElementById(id),
    timer: null,
    limitTimer: null,
    started: 0,
    key: null,
    start() {
      this.halt();
      const e = this.el();
      if (!e) return;
      const limit = Number(e.dataset.limit) || 60;
      this.started = Date.now();
      this.key = e.dataset.key;
      const tick = () => {
        const e = this.el();
        if (!e || !this.started) return;
        if (e.dataset.key !== this.key) { this.halt(); return; }  // a new question came
        const used = (Date.now() - this.started) / 1000;
        const left = limit - used;
        this.mirrored(left);
        if (used >= MAX_S) {
          set(e, "+" + fmt(-left), "over 5 minutes: stop now, longer answers cannot be analysed", "running over", 100);
        } else if (left >= 0) {
          set(e, fmtLeft(left), left < 10 ? "left · start wrapping up" : "left", left < 10 ? "running warn" : "running", 100 * used / limit);
        } else {
          set(e, "+" + fmt(-left), "over the limit · finish your sentence", "running over", 100);
        }
      };
      tick();
      this.timer = setInterval(tick, 250);
      if (e.dataset.strict === "true") {
        this.limitTimer = setTimeout(() => {
          const stop = document.querySelector("#" + e.dataset.recorder + " button.stop-button");
          if (stop) stop.click();
        }, (limit + GRACE_S) * 1000);
      }
    },
    // `element` shows this clock's time left ("0:25 left", "0:03 over") from now on
    mirror(element) {
      if (!element || !this.started) return;
      element.dataset.countdown = id;
      const limit = Number((this.el() || {dataset: {}}).dataset.limit) || 60;
      this.mirrored(limit - (Date.now() - this.started) / 1000);
    },
    mirrored(left) {
      for (const m of document.querySelectorAll('[data-countdown="' + id + '"]')) {
        m.textContent = left >= 0 ? fmtLeft(left) + " left" : fmt(left) + " over";
        m.classList.toggle("lp-low", left <= 10);
      }
    },
    halt() {
      if (this.timer) clearInterval(this.timer);
      clearTimeout(this.limitTimer);
      this.timer = null;
      this.limitTimer = null;
    },
    stop() {
      const e = this.el();
      const used = this.started ? (Date.now() - this.started) / 1000 : 0;
      this.halt();
      this.started = 0;
      if (!e || !used || e.dataset.key !== this.key) return;
      const limit = Number(e.dataset.limit) || 60;
      set(e, fmt(used), used > limit ? "recorded, over the limit · analysing" : "recorded · analysing",
          used > limit ? "done over" : "done", 100 * Math.min(used, limit) / limit);
    },
  });
  const clocks = {};
  window.coachCountdown = (id) => clocks[id] || (clocks[id] = makeClock(id));
}
