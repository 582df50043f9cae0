() => {
  // The answer countdown: started by the recorder's start_recording event, stopped by
  // stop_recording. Runs in the page only; the limit comes from #coach-countdown[data-limit].
  const MAX_S = 300;  // analysis refuses recordings over 5 minutes
  const fmt = (s) => {
    const a = Math.max(0, Math.round(Math.abs(s)));
    return Math.floor(a / 60) + ":" + String(a % 60).padStart(2, "0");
  };
  const el = () => document.getElementById("coach-countdown");
  const set = (e, time, label, state, fill) => {
    e.querySelector(".cd-time").textContent = time;
    e.querySelector(".cd-label").textContent = label;
    e.className = "countdown " + state;
    e.querySelector(".cd-fill").style.width = Math.min(100, fill) + "%";
  };
  window.coachCountdown = {
    timer: null,
    started: 0,
    start() {
      this.halt();
      const e = el();
      if (!e) return;
      const limit = Number(e.dataset.limit) || 60;
      this.started = Date.now();
      const tick = () => {
        const e = el();
        if (!e || !this.started) return;
        const used = (Date.now() - this.started) / 1000;
        const left = limit - used;
        if (used >= MAX_S) {
          set(e, "+" + fmt(-left), "over 5 minutes: stop now, longer answers cannot be analysed", "running over", 100);
        } else if (left >= 0) {
          set(e, fmt(left), left < 10 ? "left · start wrapping up" : "left", left < 10 ? "running warn" : "running", 100 * used / limit);
        } else {
          set(e, "+" + fmt(-left), "over the limit · finish your sentence", "running over", 100);
        }
      };
      tick();
      this.timer = setInterval(tick, 250);
    },
    halt() {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
    },
    stop() {
      const e = el();
      const used = this.started ? (Date.now() - this.started) / 1000 : 0;
      this.halt();
      this.started = 0;
      if (!e || !used) return;
      const limit = Number(e.dataset.limit) || 60;
      set(e, fmt(used), used > limit ? "recorded, over the limit · analysing" : "recorded · analysing",
          used > limit ? "done over" : "done", 100 * Math.min(used, limit) / limit);
    },
  };
}
