//! The macrotask family: timers, intervals, immediates, `fs.readFile` and `timers/promises`,
//! with microtasks and ticks queued from inside the macrotasks.
//!
//! # Why Node's order is deterministic
//! Every macrotask callback belongs to a *cluster*: a root callback (the main module, a timer,
//! an interval run, a `timers/promises` wake-up, or an I/O callback) plus everything that runs
//! right after it without waiting for time: its microtasks and ticks, its `setImmediate`
//! callbacks (and their nested immediates), and its "small" timers (`setTimeout` 0/1/2).
//! A cluster has a nominal start time `t` (ms since start, as the code's delays say) and a span.
//!
//! Clusters are placed so that their windows `[t, t + span]` are at least [`GAP`] ms apart, and
//! at least [`GAP_INVERTED`] ms apart when the earlier-firing one was created later (its creation
//! could be delayed past the other). Inside a cluster, order is fixed by structure only:
//! - immediates are FIFO, and nested ones run one loop iteration later;
//! - from an I/O callback, `setImmediate` always runs before a new `setTimeout(0)`; so small
//!   timers are only used there (not from timer callbacks: creating a second timer refreshes
//!   libuv's cached time, and the first can then fire in the same timers phase), only with
//!   depth-1 immediates (a depth-2 immediate could race them), and their callbacks only log
//!   and queue microtasks;
//! - `fs.readFile` needs several thread-pool round trips, so it always completes after the
//!   issuing cluster's depth-1 immediates; a cluster that reads a file has no deeper immediates
//!   and no small timers, and the I/O callback gets its own window (with [`IO_SLACK`]).
//! - setTimeout(0) vs setImmediate from the main module is never generated.

use super::Gen;

/// Minimum distance between two cluster windows.
const GAP: u32 = 30;
/// Minimum distance when the earlier-firing cluster was created later.
const GAP_INVERTED: u32 = 40;
/// How long `fs.readFile` may take, nominally.
const IO_SLACK: u32 = 40;
/// No cluster starts later than this (keeps programs quick).
const HORIZON: u32 = 400;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Root {
    Main,
    Timer,
    Io,
}

#[derive(Clone, Copy, Debug)]
struct Plan {
    /// Nominal start time of the cluster.
    t: u32,
    /// Nesting depth of clusters (main = 0).
    depth: u32,
    /// The cluster issues one `fs.readFile`.
    io: bool,
    /// The cluster creates a group of `setTimeout(0|1|2)` timers.
    small: bool,
    /// Maximum nesting of `setImmediate` chains (0 = none).
    imm_depth: u32,
    /// How long the cluster's own work lasts, nominally.
    span: u32,
    /// Uncertainty of the start: the cluster starts somewhere in `[t, t + slack]` (I/O
    /// completion time, inherited by everything scheduled from an I/O callback).
    slack: u32,
    /// Index of the cluster's slot.
    slot: usize,
}

struct Slot {
    t: u32,
    /// Window length: span plus slack.
    span: u32,
    /// Nominal time at which the timer creating this cluster was created.
    created: u32,
    /// Generation order (tie-break for equal creation times).
    gen: u32,
}

struct Macro<'a> {
    g: &'a mut Gen,
    slots: Vec<Slot>,
}

/// Generate a whole macrotask-family program. Returns whether it deliberately ends fatally.
pub(super) fn program(g: &mut Gen) -> bool {
    let mut m = Macro {
        g,
        slots: Vec::new(),
    };
    let plan = m.plan(Root::Main, 0, 0, 0);
    m.slots.push(Slot {
        t: 0,
        span: plan.span,
        created: 0,
        gen: 0,
    });
    let items = m.g.rng.range(3, 6) as usize;
    m.body(&plan, items);
    if !m.g.no_fatal && m.g.rng.chance(12) {
        m.fatal_timer(&plan)
    } else {
        false
    }
}

impl Macro<'_> {
    fn plan(&mut self, root: Root, t: u32, depth: u32, slack: u32) -> Plan {
        let rng = &mut self.g.rng;
        let io = depth < 3 && rng.chance(if root == Root::Main { 40 } else { 18 });
        // Small timers only from I/O callbacks: in a timer callback, any later timer insertion
        // refreshes libuv's cached loop time, and a new setTimeout(0) can then fire in the
        // same timers phase, before the check phase (observed with node 20).
        let small = !io && root == Root::Io && rng.chance(60);
        let imm_depth = if io || small {
            1
        } else {
            rng.range(1, 3) as u32
        };
        // The main module's own run (compiling and running the rest of the script, and
        // bootstrap work before the loop's first iteration) is the slowest part: more room.
        let main_extra = if root == Root::Main { 30 } else { 0 };
        let span = 3 + imm_depth + main_extra + if small { 5 } else { 0 };
        Plan {
            t,
            depth,
            io,
            small,
            imm_depth,
            span,
            slack,
            slot: 0,
        }
    }

    /// Can a cluster `[t, t + span]`, created at `created`, be added? `exempt` is a slot whose
    /// order against the new one is fixed by structure (the cluster that issued a readFile).
    fn fits(&self, t: u32, span: u32, created: u32, exempt: Option<usize>) -> bool {
        if t + span > HORIZON + 40 {
            return false;
        }
        let gen = self.slots.len() as u32;
        self.slots.iter().enumerate().all(|(i, s)| {
            if Some(i) == exempt {
                return true;
            }
            // (first, second) by start time; equal starts never fit.
            let new_first = t < s.t;
            let (f_t, f_span, f_created, f_gen, s_t, s_created, s_gen) = if new_first {
                (t, span, created, gen, s.t, s.created, s.gen)
            } else {
                (s.t, s.span, s.created, s.gen, t, created, gen)
            };
            if s_t <= f_t + f_span {
                return false;
            }
            let gap = s_t - (f_t + f_span);
            let first_created_earlier =
                f_created < s_created || (f_created == s_created && f_gen < s_gen);
            gap >= if first_created_earlier {
                GAP
            } else {
                GAP_INVERTED
            }
        })
    }

    fn add_slot(&mut self, t: u32, span: u32, created: u32) -> usize {
        let gen = self.slots.len() as u32;
        self.slots.push(Slot {
            t,
            span,
            created,
            gen,
        });
        self.slots.len() - 1
    }

    /// Pick a delay for a timer created in `plan`'s cluster that starts a new cluster of
    /// `span`. Returns None when nothing fits.
    fn pick_delay(&mut self, plan: &Plan, span: u32) -> Option<u32> {
        let min = plan.span + plan.slack + GAP;
        for _ in 0..12 {
            let d = min + 5 * self.g.rng.below(36) as u32;
            if plan.t + d <= HORIZON && self.fits(plan.t + d, span + plan.slack, plan.t, None) {
                return Some(d);
            }
        }
        None
    }

    fn room(&self) -> bool {
        self.g.lines() < 52
    }

    /// The statements of one cluster's root callback.
    fn body(&mut self, plan: &Plan, items: usize) {
        let mut did_io = false;
        let mut did_small = false;
        for i in 0..items {
            let last = i + 1 == items;
            if plan.io && !did_io && (last || self.g.rng.chance(30)) && self.room() {
                did_io = true;
                self.read_file(plan);
                continue;
            }
            if plan.small && !did_small && (last || self.g.rng.chance(30)) {
                did_small = true;
                self.small_timers();
                continue;
            }
            match self.g.rng.below(12) {
                0 => self.g.plain_block(),
                1 | 2 => self.g.micro_stmt(1),
                3 | 4 if plan.imm_depth > 0 => self.immediate(plan, 1),
                5 | 6 if self.room() => self.child_timer(plan),
                7 if self.room() => self.interval(plan),
                8 if self.room() => self.timers_promise(plan),
                9 => self.cancel(plan),
                10 if plan.imm_depth > 0 => self.deferred_immediate(),
                _ => {
                    let v = self.g.value_expr();
                    self.g.log_expr(&v);
                }
            }
        }
    }

    /// `setImmediate(cb, arg)` whose callback logs, queues microtasks, and maybe nests.
    fn immediate(&mut self, plan: &Plan, level: u32) {
        let l = self.g.label();
        let arg = self.g.value_expr();
        self.g.open("setImmediate((x) => {");
        self.g.line(&format!("console.log(\"{l}\", x);"));
        if self.g.rng.chance(40) {
            self.g.micro_stmt(0);
        }
        if level < plan.imm_depth && self.g.rng.chance(60) {
            self.immediate(plan, level + 1);
        }
        if self.room() && self.g.rng.chance(20) {
            self.child_timer(plan);
        }
        self.g.close(&format!("}}, {arg});"));
    }

    /// A depth-1 immediate queued from a tick or microtask of the root callback, or via
    /// `timers/promises`.
    fn deferred_immediate(&mut self) {
        let l = self.g.label();
        match self.g.rng.below(3) {
            0 => self
                .g
                .line(&format!("process.nextTick(() => setImmediate(() => console.log(\"{l}\")));")),
            1 => self.g.line(&format!(
                "Promise.resolve().then(() => setImmediate((a, b) => console.log(\"{l}\", a, b), 1, \"two\"));"
            )),
            _ => {
                self.g.need_timers_promises = true;
                self.g.line(&format!(
                    "tp.setImmediate(\"imm\").then((v) => console.log(\"{l}\", v));"
                ));
            }
        }
    }

    /// `setTimeout(cb, d, arg)` starting a new cluster.
    fn child_timer(&mut self, plan: &Plan) {
        if plan.depth >= 3 {
            return;
        }
        let sub0 = self.plan(Root::Timer, 0, plan.depth + 1, plan.slack);
        let Some(d) = self.pick_delay(plan, sub0.span) else {
            return;
        };
        let slot = self.add_slot(plan.t + d, sub0.span + sub0.slack, plan.t);
        let sub = Plan {
            t: plan.t + d,
            slot,
            ..sub0
        };
        let l = self.g.label();
        let with_arg = self.g.rng.chance(40);
        if with_arg {
            self.g.open("setTimeout((a) => {");
            self.g.line(&format!("console.log(\"{l}\", a);"));
        } else {
            self.g.open("setTimeout(() => {");
            self.g.line(&format!("console.log(\"{l}\");"));
        }
        let n = self.g.rng.range(1, 3) as usize;
        self.body(&sub, n);
        if with_arg {
            let a = self.g.value_expr();
            self.g.close(&format!("}}, {d}, {a});"));
        } else {
            self.g.close(&format!("}}, {d});"));
        }
    }

    /// `setInterval` cleared after k runs; each run is its own cluster.
    fn interval(&mut self, plan: &Plan) {
        let k = self.g.rng.range(2, 3) as u32;
        let imm = self.g.rng.chance(40);
        let span = 4 + imm as u32 + plan.slack;
        let min = plan.span + plan.slack + GAP;
        let mut chosen = None;
        for _ in 0..12 {
            let d = min + 5 * self.g.rng.below(14) as u32;
            let ok = (1..=k).all(|i| {
                let t = plan.t + i * d;
                t <= HORIZON && self.fits(t, span, plan.t + (i - 1) * d, None)
            });
            if ok {
                chosen = Some(d);
                break;
            }
        }
        let Some(d) = chosen else { return };
        for i in 1..=k {
            self.add_slot(plan.t + i * d, span, plan.t + (i - 1) * d);
        }
        let n = self.g.var("n");
        let iv = self.g.var("iv");
        let l = self.g.label();
        self.g.line(&format!("let {n} = 0;"));
        self.g.open(&format!("const {iv} = setInterval(() => {{"));
        self.g.line(&format!("{n}++;"));
        self.g.line(&format!("console.log(\"{l}\", {n});"));
        if self.g.rng.chance(50) {
            self.g.micro_stmt(0);
        }
        if imm {
            let l2 = self.g.label();
            self.g
                .line(&format!("setImmediate(() => console.log(\"{l2}\", {n}));"));
        }
        self.g
            .line(&format!("if ({n} === {k}) clearInterval({iv});"));
        self.g.close(&format!("}}, {d});"));
    }

    /// `await tp.setTimeout(d, value)` in an async IIFE; the continuation is a new cluster.
    fn timers_promise(&mut self, plan: &Plan) {
        if plan.depth >= 3 {
            return;
        }
        let sub0 = self.plan(Root::Timer, 0, plan.depth + 1, plan.slack);
        let Some(d) = self.pick_delay(plan, sub0.span) else {
            return;
        };
        let slot = self.add_slot(plan.t + d, sub0.span + sub0.slack, plan.t);
        let sub = Plan {
            t: plan.t + d,
            slot,
            ..sub0
        };
        self.g.need_timers_promises = true;
        let l1 = self.g.label();
        let l2 = self.g.label();
        let v = self.g.var("tv");
        let val = self.g.value_expr();
        self.g.open("(async () => {");
        self.g.line(&format!("console.log(\"{l1}\");"));
        self.g
            .line(&format!("const {v} = await tp.setTimeout({d}, {val});"));
        self.g.line(&format!("console.log(\"{l2}\", {v});"));
        let n = self.g.rng.range(1, 2) as usize;
        self.body(&sub, n);
        self.g.close("})();");
    }

    /// A group of `setTimeout(0|1|2)` with non-decreasing delays: they run, in order, after this
    /// cluster's (depth-1) immediates. Their callbacks only log and queue microtasks.
    fn small_timers(&mut self) {
        let n = self.g.rng.range(1, 3);
        let mut d = 0;
        for _ in 0..n {
            d = (d + self.g.rng.below(2)).min(2);
            self.g.small_timer(d as u32);
        }
    }

    /// `fs.readFile(__filename, ...)`: the callback starts its own cluster.
    fn read_file(&mut self, plan: &Plan) {
        let sub0 = self.plan(Root::Io, plan.t + 1, plan.depth + 1, plan.slack + IO_SLACK);
        let window = sub0.span + sub0.slack;
        if !self.fits(plan.t + 1, window, plan.t, Some(plan.slot)) {
            return;
        }
        let slot = self.add_slot(plan.t + 1, window, plan.t);
        let sub = Plan { slot, ..sub0 };
        self.g.need_fs = true;
        let l = self.g.label();
        let utf8 = self.g.rng.chance(70);
        if utf8 {
            self.g
                .open("fs.readFile(__filename, \"utf8\", (err, data) => {");
            self.g.line(&format!(
                "console.log(\"{l}\", err, data.split(\"\\n\")[0]);"
            ));
        } else {
            self.g.open("fs.readFile(__filename, (err, buf) => {");
            self.g.line(&format!(
                "console.log(\"{l}\", err, buf.length > 0, String.fromCharCode(buf[0], buf[1]));"
            ));
        }
        let n = self.g.rng.range(1, 3) as usize;
        self.body(&sub, n);
        self.g.close("});");
    }

    /// A timer or immediate that is cancelled before it can run.
    fn cancel(&mut self, plan: &Plan) {
        let l = self.g.label();
        match self.g.rng.below(4) {
            0 => {
                let t = self.g.var("t");
                let d = plan.span + plan.slack + GAP + 5 * self.g.rng.below(10) as u32;
                self.g.line(&format!(
                    "const {t} = setTimeout(() => console.log(\"{l} never\"), {d});"
                ));
                match self.g.rng.below(3) {
                    0 => self.g.line(&format!("clearTimeout({t});")),
                    1 => self
                        .g
                        .line(&format!("queueMicrotask(() => clearTimeout({t}));")),
                    _ => self
                        .g
                        .line(&format!("process.nextTick(clearTimeout, {t});")),
                }
            }
            1 => {
                let im = self.g.var("im");
                self.g.line(&format!(
                    "const {im} = setImmediate(() => console.log(\"{l} never\"));"
                ));
                self.g.line(&format!("clearImmediate({im});"));
            }
            2 if plan.imm_depth > 0 => {
                // An earlier immediate in the same queue cancels a later one.
                let im = self.g.var("im");
                let l2 = self.g.label();
                self.g.line(&format!("let {im};"));
                self.g.line(&format!(
                    "setImmediate(() => {{ console.log(\"{l2}\"); clearImmediate({im}); }});"
                ));
                self.g.line(&format!(
                    "{im} = setImmediate(() => console.log(\"{l} never\"));"
                ));
            }
            _ => {
                let t = self.g.var("t");
                let d = plan.span + plan.slack + GAP + 5 * self.g.rng.below(10) as u32;
                self.g.line(&format!(
                    "const {t} = setTimeout(() => console.log(\"{l} never\"), {d});"
                ));
                if plan.imm_depth > 0 {
                    self.g
                        .line(&format!("setImmediate(() => clearTimeout({t}));"));
                } else {
                    self.g.line(&format!("{t}.unref(); clearTimeout({t});"));
                }
            }
        }
    }

    /// A timer from the main module that ends the program with an uncaught error or an
    /// unhandled rejection (exit code 1). Returns false when no delay fits.
    fn fatal_timer(&mut self, plan: &Plan) -> bool {
        let Some(d) = self.pick_delay(plan, 2) else {
            return false;
        };
        self.add_slot(d, 2, 0);
        let l = self.g.label();
        let how = match self.g.rng.below(3) {
            0 => "throw new Error(\"fatal in timer\");",
            1 => "Promise.reject(new RangeError(\"unhandled in timer\"));",
            _ => "process.nextTick(() => { throw new TypeError(\"fatal in tick\"); });",
        };
        self.g.line(&format!(
            "setTimeout(() => {{ console.log(\"{l}\"); {how} }}, {d});"
        ));
        true
    }
}
