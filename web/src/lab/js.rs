//! The lab's few hot browser loops, in JavaScript next to the Rust that drives them:
//!
//! - `LivePainter`: on every animation frame, copies the Mandelbrot buffers out of a lab
//!   worker's *shared* memory into a JS-owned `ImageData` (web APIs refuse views onto shared
//!   memory) and paints rows in the colour of the thread that painted them. Preview at most
//!   512×512, only rows finished since the last paint, and at most every `PAINT_EVERY_MS` (about
//!   15 paints a second, still live to the eye): every frame the page draws takes CPU from the
//!   kernel being measured on a machine with few cores.
//! - `FrameMonitor`: moves a dot on every animation frame and records the frame times and the
//!   browser's `longtask` entries, to measure how smooth the page stayed.
//! - `MessagingBench`: round trips of payloads to an echo worker by structured clone, by
//!   transfer and through a `SharedArrayBuffer`.
//!
//! They are per-pixel or per-frame loops where crossing the wasm/JS boundary per element would
//! cost more than the work; everything else (what to run, statistics, rendering) is Rust.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const PREVIEW = 512;
const PAINT_EVERY_MS = 60;

export class LivePainter {
  constructor(canvas, palette) {
    this.canvas = canvas;
    this.palette = palette.split(',').map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
    this.live = null;
    this.frame = 0;
    this.timer = 0;
    this.paintMs = 0;
    this.frames = 0;
  }
  attach(live) {
    this.stop(false);
    const step = Math.max(1, Math.ceil(Math.max(live.width, live.height) / PREVIEW));
    this.live = live;
    this.step = step;
    this.w = Math.ceil(live.width / step);
    this.h = Math.ceil(live.height / step);
    this.canvas.width = this.w;
    this.canvas.height = this.h;
    this.image = new ImageData(this.w, this.h);
    new Uint32Array(this.image.data.buffer).fill(0xff262626);
    this.canvas.getContext('2d').putImageData(this.image, 0, 0);
    // The owner last painted for each preview row (0: not painted yet).
    this.shown = new Uint32Array(this.h);
    this.frames = 0;
    this.paintMs = 0;
    // A timer, then an animation frame: no frame is requested in between.
    const tick = () => {
      this.paint();
      this.timer = setTimeout(() => { this.frame = requestAnimationFrame(tick); }, PAINT_EVERY_MS);
    };
    this.frame = requestAnimationFrame(tick);
  }
  paint() {
    const live = this.live;
    if (!live) return;
    const t0 = performance.now();
    // Fresh views every frame: the shared buffer can grow (and be replaced) while the job runs.
    const buffer = live.memory.buffer;
    const pixels = new Uint32Array(buffer, live.pixels, live.width * live.height);
    const owners = new Uint32Array(buffer, live.owners, live.height);
    const out = new Uint32Array(this.image.data.buffer);
    const { step, w, h, shown } = this;
    const max = live.maxIter;
    const logMax = Math.log(max + 1);
    // Only rows whose owner changed since the last frame are copied: a row's owner is stored
    // after its pixels, so a row is painted once, complete. Each frame costs little.
    let lo = h, hi = -1;
    for (let y = 0; y < h; y++) {
      const row = y * step;
      const owner = owners[row];
      if (owner === shown[y]) continue;
      shown[y] = owner;
      lo = Math.min(lo, y);
      hi = y;
      if (owner === 0) {
        out.fill(0xff262626, y * w, (y + 1) * w);
        continue;
      }
      const [r, g, b] = this.palette[(owner - 1) % this.palette.length];
      const base = row * live.width;
      for (let x = 0; x < w; x++) {
        const n = pixels[base + x * step];
        const k = n >= max ? 0.12 : 0.35 + 0.65 * (Math.log(n + 1) / logMax);
        out[y * w + x] = 0xff000000 | ((b * k) << 16) | ((g * k) << 8) | (r * k);
      }
    }
    if (hi < 0) return;
    this.canvas.getContext('2d').putImageData(this.image, 0, 0, 0, lo, w, hi - lo + 1);
    this.frames += 1;
    this.paintMs = Math.max(this.paintMs, performance.now() - t0);
  }
  stop(finalPaint = true) {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    if (finalPaint) this.paint();
    this.live = null;
  }
  get maxPaintMs() { return this.paintMs; }
  get paintedFrames() { return this.frames; }
}

export class FrameMonitor {
  constructor(dot) { this.dot = dot; this.running = false; }
  start() {
    this.frames = [];
    this.longTasks = [];
    this.t0 = performance.now();
    this.running = true;
    try {
      this.observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.startTime >= this.t0) this.longTasks.push(e.duration);
      });
      this.observer.observe({ type: 'longtask', buffered: true });
    } catch (_) { this.observer = null; }
    const tick = (t) => {
      if (!this.running) return;
      this.frames.push(t);
      const track = this.dot.parentElement ? this.dot.parentElement.clientWidth - 16 : 200;
      const x = ((t / 1000) * 160) % (2 * track);
      this.dot.style.transform = `translateX(${x < track ? x : 2 * track - x}px)`;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
  async stop() {
    // Let two more frames and the long-task observer catch up before reading.
    await nextFrames(2);
    await new Promise((ok) => setTimeout(ok, 60));
    this.running = false;
    if (this.observer) {
      for (const e of this.observer.takeRecords()) if (e.startTime >= this.t0) this.longTasks.push(e.duration);
      this.observer.disconnect();
    }
    return { frames: this.frames, longTasks: this.longTasks, windowMs: performance.now() - this.t0 };
  }
}

// Calls `job` inside a timer task of its own and resolves with its result. The call must
// happen *inside* the timer callback: with wasm threads, Rust futures resume from
// `Atomics.waitAsync` tasks, which Chromium leaves out of its long-task reports, so a job run
// after awaiting a timer would block the page without ever being reported.
export function inTimerTask(job) {
  return new Promise((ok, fail) => setTimeout(() => {
    try { ok(job()); } catch (e) { fail(e); }
  }, 0));
}

export function nextFrames(n) {
  return new Promise((ok) => {
    const tick = () => (--n <= 0 ? ok() : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  });
}

export class MessagingBench {
  constructor() { this.worker = null; this.reject = null; }
  roundTrip(method, payload) {
    return new Promise((ok, fail) => {
      this.reject = fail;
      this.worker.onmessage = (e) => ok(e.data.payload);
      this.worker.onerror = (e) => fail(new Error(e.message || 'the echo worker failed'));
      if (method === 'transfer') this.worker.postMessage({ op: 'echo', method, payload }, [payload]);
      else this.worker.postMessage({ op: 'echo', method, payload });
    });
  }
  // Returns [{ method, bytes, ms: [..] }]; `progress(text)` is called before each size.
  async run(methods, sizes, repeats, progress) {
    this.worker = new Worker('./lab-worker.js', { type: 'module' });
    const out = [];
    try {
      for (const method of methods) {
        for (const bytes of sizes) {
          progress(`${method}: ${bytes} bytes`);
          let payload = method === 'shared' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
          payload = await this.roundTrip(method, payload); // warm-up
          const ms = [];
          for (let i = 0; i < repeats; i++) {
            const t0 = performance.now();
            payload = await this.roundTrip(method, payload);
            ms.push(performance.now() - t0);
          }
          out.push({ method, bytes, ms });
        }
      }
    } finally {
      this.worker.terminate();
      this.worker = null;
    }
    return out;
  }
  cancel() {
    if (this.worker) this.worker.terminate();
    if (this.reject) this.reject(new Error('cancelled'));
  }
}
"#)]
extern "C" {
    /// Paints a lab worker's live Mandelbrot buffers on a canvas, on animation frames.
    pub type LivePainter;
    #[wasm_bindgen(constructor)]
    pub fn new(canvas: &web_sys::HtmlCanvasElement, palette: &str) -> LivePainter;
    /// Starts painting from `live` (the worker's `{ memory, pixels, owners, width, … }`).
    #[wasm_bindgen(method)]
    pub fn attach(this: &LivePainter, live: &JsValue);
    /// Paints one last frame and stops.
    #[wasm_bindgen(method)]
    pub fn stop(this: &LivePainter);
    /// The slowest frame's painting time, in milliseconds.
    #[wasm_bindgen(method, getter = maxPaintMs)]
    pub fn max_paint_ms(this: &LivePainter) -> f64;
    /// Frames painted since the last `attach`.
    #[wasm_bindgen(method, getter = paintedFrames)]
    pub fn painted_frames(this: &LivePainter) -> u32;

    /// Records animation frames and long tasks while it runs.
    pub type FrameMonitor;
    #[wasm_bindgen(constructor)]
    pub fn new(dot: &web_sys::Element) -> FrameMonitor;
    #[wasm_bindgen(method)]
    pub fn start(this: &FrameMonitor);
    /// Resolves with `{ frames: [ms], longTasks: [ms], windowMs }`.
    #[wasm_bindgen(method)]
    pub fn stop(this: &FrameMonitor) -> js_sys::Promise;

    /// Resolves after `n` animation frames.
    #[wasm_bindgen(js_name = nextFrames)]
    pub fn next_frames(n: u32) -> js_sys::Promise;

    /// Runs `job` inside a timer task of its own; resolves with what it returns.
    #[wasm_bindgen(js_name = inTimerTask)]
    pub fn in_timer_task(job: &Closure<dyn FnMut() -> JsValue>) -> js_sys::Promise;

    /// Round trips to an echo worker.
    pub type MessagingBench;
    #[wasm_bindgen(constructor)]
    pub fn new() -> MessagingBench;
    /// Resolves with `[{ method, bytes, ms: [..] }]`.
    #[wasm_bindgen(method)]
    pub fn run(
        this: &MessagingBench,
        methods: js_sys::Array,
        sizes: js_sys::Array,
        repeats: u32,
        progress: &js_sys::Function,
    ) -> js_sys::Promise;
    /// Terminates the echo worker and rejects the pending round trip.
    #[wasm_bindgen(method)]
    pub fn cancel(this: &MessagingBench);
}
