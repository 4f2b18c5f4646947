//! Trace tests: narrated snapshots of small programs, seek/replay equivalence on long traces,
//! thread-pool and network timing.

use expect_test::{expect, Expect};
use looplab_core::recorder::{Phase, Queue, ValuePreview};
use looplab_core::trace::{record, record_with, Record, State, Trace};
use looplab_core::{HostSpec, RunOptions};

/// One line per step (variable writes and promise bookkeeping included):
/// `step phase line rule | narration`.
fn explain(src: &str, opts: &RunOptions) -> String {
    let (out, t) = record(src, opts);
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    let mut s = String::new();
    let mut c = t.cursor();
    for i in 0..t.len() {
        let st = t.step_from(i, c.state());
        c.forward();
        let line = st.line.map(|l| format!("L{l}")).unwrap_or_default();
        let phase = serde_json::to_value(st.phase).unwrap();
        s.push_str(&format!(
            "{i} {} {line} {} | {}\n",
            phase.as_str().unwrap(),
            st.rule,
            st.narration
        ));
        for a in &st.alternatives {
            s.push_str(&format!("    or: {a}\n"));
        }
    }
    s
}

fn check(src: &str, expected: Expect) {
    expected.assert_eq(&explain(src, &RunOptions::default()));
}

#[test]
fn tick_promise_timeout_immediate() {
    check(
        r#"setTimeout(() => console.log('timeout'), 0);
setImmediate(() => console.log('immediate'));
Promise.resolve().then(() => console.log('promise'));
process.nextTick(() => console.log('tick'));
"#,
        expect![[r#"
            0 main  phase.main | Node loads the program and runs the main module (a CommonJS module) synchronously, top to bottom.
            1 main  call.enter | Node starts running the main module: it is called like a function, so its frame is the first on the call stack.
            2 main L1 stmt.execute | Line 1: (main module) runs `setTimeout(() => console.log('timeout'), 0);`.
            3 main L1 timer.set | A timer for `(anonymous)` is created, due at 1 ms of virtual time; its callback waits for a timers phase at or after that time. It runs at step 29.
            4 main L2 stmt.execute | Line 2: (main module) runs `setImmediate(() => console.log('immediate'));`.
            5 main L2 immediate.set | `(anonymous)` joins the immediate queue, which the check phase empties (it follows the poll phase). It runs at step 36, after `console.log('tick')` (line 4), `console.log('promise')` (line 3) and `console.log('timeout')` (line 1).
            6 main L3 stmt.execute | Line 3: (main module) runs `Promise.resolve().then(() => console.log('promise'));`.
            7 main L3 promise.created | Promise #1 is created (pending).
            8 main L3 promise.fulfilled | Promise #1 is fulfilled with undefined; any handlers already attached are queued as microtasks.
            9 main L3 promise.created | Promise #2 is created (pending).
            10 main L3 promise.then | `(anonymous)` is registered as a handler of promise #1; the promise is already settled, so the job is queued right away. The registration returns promise #2, the next link of the chain.
            11 main L3 queue.microtask.reaction | Promise #1 is settled and has a handler, so a job to call `(anonymous)` joins the microtask queue. It runs at step 20, after `console.log('tick')` (line 4). Why: when a callback or the main module ends, Node runs its nextTick queue before it lets V8 drain the microtask queue.
            12 main L4 stmt.execute | Line 4: (main module) runs `process.nextTick(() => console.log('tick'));`.
            13 main L4 queue.next-tick | `(anonymous)` joins the nextTick queue. It is the next callback to run (step 15).
            14 main L4 stack.empty.main-done | The main module has finished and the call stack is empty. Node runs its nextTick queue first: next is `console.log('tick')` (line 4) (step 15). 1 microtask waits until the nextTick queue is empty.
            15 main  run.next-tick | Node runs the next process.nextTick callback (`(anonymous)`). 1 microtask already waits; V8 runs them only once Node has emptied the nextTick queue (the next one, `console.log('promise')` (line 3), at step 20).
            16 main  call.enter | `(anonymous)` is called: a new frame goes on top of the call stack.
            17 main L4 stmt.execute | Line 4: (anonymous) runs `console.log('tick')`.
            18 main L4 console.output | Printed to stdout: tick
            19 main L4 stack.empty.job-done | `(anonymous)` finished and the call stack is empty. The nextTick queue is empty, so V8 drains the microtask queue: next is `console.log('promise')` (line 3) (step 20).
            20 main  run.microtask.reaction | The nextTick queue is empty, so V8 drains the microtask queue: it runs the promise handler `(anonymous)`.
            21 main  call.enter | `(anonymous)` is called: a new frame goes on top of the call stack.
            22 main L3 stmt.execute | Line 3: (anonymous) runs `console.log('promise')`.
            23 main L3 console.output | Printed to stdout: promise
            24 main L3 stack.empty.job-done | `(anonymous)` finished and the call stack is empty. The nextTick and microtask queues are empty, so the loop moves on.
            25 main  promise.fulfilled | Promise #2 is fulfilled with undefined; any handlers already attached are queued as microtasks.
            26 main  nondeterminism.timeout-vs-immediate | Real Node.js does not promise an order here: a 0 ms setTimeout and a setImmediate scheduled from the main module race. Looplab runs the timer first.
                or: Timer first: the loop starts more than 1 ms after the timer was created, so the timer is already due in the first timers phase.
                or: Immediate first: the loop starts within the same millisecond, the timer is not yet due, the check phase runs the immediate, and the timer fires on the next iteration.
            27 main  clock.wait | Nothing is ready to run, so the loop waits: the virtual clock advances from 0.025 ms to 1 ms.
            28 timers  phase.timers | A new event-loop iteration begins with the timers phase (clock at 1 ms): expired timers run, earliest due first.
            29 timers  run.timer | Timers phase: the timer `(anonymous)` was due at 1 ms and the clock is at 1 ms, so its callback runs.
            30 timers  call.enter | `(anonymous)` is called: a new frame goes on top of the call stack.
            31 timers L1 stmt.execute | Line 1: (anonymous) runs `console.log('timeout')`.
            32 timers L1 console.output | Printed to stdout: timeout
            33 timers L1 stack.empty.callback-done | The timer callback finished and the call stack is empty. The nextTick and microtask queues are empty, so the loop moves on.
            34 poll  phase.poll | Poll phase: Node runs the callbacks of finished I/O; with nothing ready and no immediates, it waits for the next timer or I/O completion.
            35 check  phase.check | Check phase: the immediates queued before it began run, one after another.
            36 check  run.immediate | Check phase: the setImmediate callback `(anonymous)` runs (the check phase comes right after the poll phase).
            37 check  call.enter | `(anonymous)` is called: a new frame goes on top of the call stack.
            38 check L2 stmt.execute | Line 2: (anonymous) runs `console.log('immediate')`.
            39 check L2 console.output | Printed to stdout: immediate
            40 check L2 stack.empty.callback-done | The setImmediate callback finished and the call stack is empty. The nextTick and microtask queues are empty, so the loop moves on.
            41 before-exit  phase.before-exit | Nothing keeps the loop alive any more, so Node emits 'beforeExit'; if a listener schedules work, the loop continues.
            42 exit  phase.exit | The process exits: 'exit' listeners run (after any 'beforeExit' listeners), and no further callbacks will.
        "#]],
    );
}

#[test]
fn await_chain() {
    check(
        r#"async function inner() { return 1; }
async function outer() {
  const v = await inner();
  console.log('got', v);
}
outer().then(() => console.log('done'));
"#,
        expect![[r#"
            0 main  phase.main | Node loads the program and runs the main module (a CommonJS module) synchronously, top to bottom.
            1 main  call.enter | Node starts running the main module: it is called like a function, so its frame is the first on the call stack.
            2 main  var.assign | `inner` is now [Function: inner].
            3 main  var.assign | `outer` is now [Function: outer].
            4 main L6 stmt.execute | Line 6: (main module) runs `outer().then(() => console.log('done'));`.
            5 main L6 promise.created | Promise #1 is created (pending).
            6 main L6 call.enter | `outer` is called: a new frame goes on top of the call stack.
            7 main L3 stmt.execute | Line 3: outer runs `const v = await inner();`.
            8 main L3 promise.created | Promise #2 is created (pending).
            9 main L3 call.enter | `inner` is called: a new frame goes on top of the call stack.
            10 main L1 stmt.execute | Line 1: inner runs `return 1;`.
            11 main L1 call.return | `inner` returns (or pauses at an `await`): its frame leaves the call stack.
            12 main L3 promise.fulfilled | Promise #2 is fulfilled with 1; any handlers already attached are queued as microtasks.
            13 main L3 call.return | `outer` returns (or pauses at an `await`): its frame leaves the call stack.
            14 main L6 promise.then | An `await` waits for promise #2: when it settles, a job will resume async outer; the promise is already settled, so the job is queued right away.
            15 main L6 queue.microtask.await-resume | The awaited promise #2 is settled, so a job to resume async outer joins the microtask queue. It is the next callback to run (step 19).
            16 main L6 promise.created | Promise #3 is created (pending).
            17 main L6 promise.then | `(anonymous)` is registered as a handler of promise #1; it is queued when the promise settles. The registration returns promise #3, the next link of the chain.
            18 main L6 stack.empty.main-done | The main module has finished and the call stack is empty. The nextTick queue is empty, so V8 drains the microtask queue: next is `outer` (line 4) (step 19).
            19 main  run.microtask.await-resume | The nextTick queue is empty, so V8 drains the microtask queue: the next microtask resumes an async function (resume async outer), whose awaited promise has settled.
            20 main  call.enter | `outer` continues after its `await`: its saved frame goes back on the call stack.
            21 main  var.assign | `v` is now 1.
            22 main L4 stmt.execute | Line 4: outer runs `console.log('got', v);`.
            23 main L4 console.output | Printed to stdout: got 1
            24 main L4 stack.empty.job-done | `outer` finished and the call stack is empty. V8 keeps draining the microtask queue: next is `console.log('done')` (line 6) (step 27).
            25 main  promise.fulfilled | Promise #1 is fulfilled with undefined; any handlers already attached are queued as microtasks.
            26 main  queue.microtask.reaction | Promise #1 is settled and has a handler, so a job to call `(anonymous)` joins the microtask queue. It is the next callback to run (step 27).
            27 main  run.microtask.reaction | V8 keeps draining the microtask queue: it runs the promise handler `(anonymous)`.
            28 main  call.enter | `(anonymous)` is called: a new frame goes on top of the call stack.
            29 main L6 stmt.execute | Line 6: (anonymous) runs `console.log('done')`.
            30 main L6 console.output | Printed to stdout: done
            31 main L6 stack.empty.job-done | `(anonymous)` finished and the call stack is empty. The nextTick and microtask queues are empty, so the loop moves on.
            32 main  promise.fulfilled | Promise #3 is fulfilled with undefined; any handlers already attached are queued as microtasks.
            33 main  clock.wait | Nothing is ready to run, so the loop waits: the virtual clock advances from 0.025 ms to 1 ms.
            34 before-exit  phase.before-exit | Nothing keeps the loop alive any more, so Node emits 'beforeExit'; if a listener schedules work, the loop continues.
            35 exit  phase.exit | The process exits: 'exit' listeners run (after any 'beforeExit' listeners), and no further callbacks will.
        "#]],
    );
}

#[test]
fn pbkdf2_threadpool_demo() {
    let src = r#"const crypto = require('crypto');
const start = Date.now();
for (let i = 1; i <= 6; i++) {
  crypto.pbkdf2('pw', 'salt', 100000, 64, 'sha512', () => console.log(i, Date.now() - start));
}
"#;
    let (out, t) = record(src, &RunOptions::default());
    assert_eq!(out.stdout, "1 100\n2 100\n3 100\n4 100\n5 200\n6 200\n");
    // the view at the 5th task's queueing: four busy slots, one waiting
    let queued: Vec<usize> = (0..t.len())
        .filter(|&i| matches!(t.records[i], Record::PoolQueued { .. }))
        .collect();
    assert_eq!(queued.len(), 2);
    let v = t.view(queued[0]);
    assert_eq!(v.threadpool.len(), 4);
    assert!(v.threadpool.iter().all(|s| s.is_some()));
    assert_eq!(v.threadpool_queue.len(), 1);
    assert_eq!(v.threadpool_queue[0].label, "crypto.pbkdf2");
    let rules: Vec<&str> = (0..t.len())
        .map(|i| t.step(i).rule)
        .filter(|r| r.starts_with("threadpool.") || r.starts_with("run.io"))
        .collect();
    expect![[r#"
        threadpool.start
        threadpool.start
        threadpool.start
        threadpool.start
        threadpool.wait
        threadpool.wait
        threadpool.done
        threadpool.start
        threadpool.done
        threadpool.start
        threadpool.done
        run.io.threadpool
        run.io.threadpool
        run.io.threadpool
        threadpool.done
        run.io.threadpool
        threadpool.done
        run.io.threadpool
        threadpool.done
        run.io.threadpool"#]]
    .assert_eq(&rules.join("\n"));
}

#[test]
fn timeout_vs_immediate_lists_both_orders() {
    let (_, t) = record(
        "setTimeout(() => {}, 0); setImmediate(() => {});",
        &RunOptions::default(),
    );
    let notes: Vec<_> = (0..t.len())
        .map(|i| t.step(i))
        .filter(|s| s.rule == "nondeterminism.timeout-vs-immediate")
        .collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].alternatives.len(), 2);
}

#[test]
fn equal_due_timers_from_different_ms_are_flagged() {
    let src = "setTimeout(() => console.log('a'), 10);\nconst t = Date.now(); while (Date.now() - t < 2) {}\nsetTimeout(() => console.log('b'), 8);\n";
    let (out, t) = record(src, &RunOptions::default());
    assert_eq!(out.stdout, "a\nb\n");
    assert!((0..t.len()).any(|i| t.step(i).rule == "nondeterminism.equal-due-timers"));
}

fn network() -> Vec<HostSpec> {
    vec![HostSpec {
        host: "api.test".into(),
        latency_ms: 50,
        body_json: r#"{"n":7}"#.into(),
    }]
}

#[test]
fn parallel_fetches_overlap_sequential_ones_add_up() {
    let src = r#"const t0 = Date.now();
async function main() {
  const rs = await Promise.all([1, 2, 3].map((i) => fetch('http://api.test/' + i)));
  console.log('parallel', rs.length, rs[0].ok, Date.now() - t0);
  const t1 = Date.now();
  for (const i of [1, 2, 3]) {
    const r = await fetch('http://api.test/' + i);
    const j = await r.json();
    if (j.n !== 7) throw new Error('body');
  }
  console.log('sequential', Date.now() - t1);
}
main();
"#;
    let opts = RunOptions {
        network: network(),
        threadpool_size: 1,
        ..Default::default()
    };
    let (out, t) = record(src, &opts);
    assert_eq!(
        out.stdout, "parallel 3 true 50\nsequential 150\n",
        "{}",
        out.stderr
    );
    // network I/O never touches the thread pool
    assert!(!t
        .records
        .iter()
        .any(|r| matches!(r, Record::PoolStarted { .. } | Record::PoolQueued { .. })));
    let started = t
        .records
        .iter()
        .filter(|r| matches!(r, Record::IoStarted { .. }))
        .count();
    assert_eq!(started, 6);
}

#[test]
fn http_get_and_unknown_host() {
    let src = r#"const http = require('http');
http.get('http://api.test/x', (res) => {
  let body = '';
  res.on('data', (d) => (body += d));
  res.on('end', () => console.log(res.statusCode, body));
});
fetch('http://nowhere.test/').catch((e) => console.log(e.message, e.cause.code));
"#;
    let opts = RunOptions {
        network: network(),
        ..Default::default()
    };
    let out = looplab_core::run(src, &opts);
    assert_eq!(out.stdout, "fetch failed ENOTFOUND\n200 {\"n\":7}\n");
}

#[test]
fn fs_ops_on_virtual_files() {
    let src = r#"const fs = require('fs');
console.log(fs.readdirSync('/data'), fs.statSync('/data/a.txt').size);
fs.writeFileSync('/data/c.txt', 'hello');
fs.readFile('/data/c.txt', 'utf8', (e, s) => console.log('read', s));
fs.promises.stat('/data').then((st) => console.log('dir', st.isDirectory()));
fs.readdir('/nope', (e) => console.log(e.code));
"#;
    let opts = RunOptions {
        files: vec![
            ("/data/a.txt".into(), "abc".into()),
            ("/data/b/x.txt".into(), "x".into()),
        ],
        ..Default::default()
    };
    let out = looplab_core::run(src, &opts);
    assert_eq!(
        out.stdout, "[ 'a.txt', 'b' ] 3\ndir true\nENOENT\nread hello\n",
        "{}",
        out.stderr
    );
}

/// A program of well over 10k steps touching every kind of record.
const LONG: &str = r#"
let total = 0;
function work(n) { let s = 0; for (let i = 0; i < n; i++) { s += i; } return s; }
async function chain(k) { for (let i = 0; i < k; i++) { total += await Promise.resolve(i); } }
for (let r = 0; r < 40; r++) {
  setTimeout(() => { total += work(40); process.nextTick(() => { total++; }); }, r % 7);
  setImmediate(() => { total += work(30); });
  chain(5);
  require('fs').stat(__filename, () => { total += 1; });
}
const iv = setInterval(() => { total += work(20); }, 3);
setTimeout(() => { clearInterval(iv); console.log('total', total); }, 20);
"#;

fn long_trace() -> Trace {
    let (out, t) = record(LONG, &RunOptions::default());
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    assert!(t.len() >= 10_000, "only {} steps", t.len());
    t
}

#[test]
fn seeking_anywhere_equals_linear_replay() {
    let t = long_trace();
    // linear replay, remembering every state we will compare against
    let mut rng = 0x2545F4914F6CDD1Du64;
    let mut next = |m: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % m as u64) as usize
    };
    let targets: Vec<usize> = (0..300).map(|_| next(t.len())).collect();
    let mut sorted = targets.clone();
    sorted.sort();
    let mut expected: std::collections::HashMap<usize, State> = Default::default();
    let mut s = State::default();
    let mut k = 0;
    for (i, r) in t.records.iter().enumerate() {
        s.apply(r);
        while k < sorted.len() && sorted[k] == i {
            expected.insert(i, s.clone());
            k += 1;
        }
    }
    let mut c = t.cursor();
    for (n, &i) in targets.iter().enumerate() {
        // from wherever the cursor is (random previous target), and from a fresh start
        c.seek(i);
        assert_eq!(c.state(), &expected[&i], "cursor seek to {i} (move {n})");
        assert_eq!(t.state_after(Some(i)), expected[&i], "state_after({i})");
        assert_eq!(c.view(), t.view(i));
    }
    assert!(t.keyframes.len() > 3, "keyframes: {}", t.keyframes.len());
}

#[test]
fn long_trace_is_compact_and_consistent() {
    let t = long_trace();
    assert!(
        t.bytes_per_step() < 64.0,
        "{} bytes/step",
        t.bytes_per_step()
    );
    let end = t.view(t.len() - 1);
    assert_eq!(end.phase, Phase::Exit);
    assert!(end.timers.is_empty() && end.immediates.is_empty() && end.microtasks.is_empty());
    let plain = looplab_core::run(LONG, &RunOptions::default());
    assert_eq!(
        format!("{}\n", t.console.last().unwrap().text),
        plain.stdout
    );
    // every step has a rule with a concept
    for i in (0..t.len()).step_by(97) {
        let s = t.step(i);
        assert!(!s.rule.is_empty() && !s.concept.is_empty() && !s.narration.is_empty());
    }
}

#[test]
fn locals_and_call_stack_in_view() {
    let src = "function f(a) {\n  const b = a * 2;\n  console.log(b);\n}\nf(21);\n";
    let (_, t) = record(src, &RunOptions::default());
    let i = (0..t.len())
        .find(|&i| matches!(t.records[i], Record::Output { .. }))
        .unwrap();
    let v = t.view(i);
    let names: Vec<_> = v.call_stack.iter().map(|f| f.function.as_str()).collect();
    assert_eq!(names, ["(main module)", "f"]);
    let f = &v.call_stack[1];
    assert_eq!(f.line, Some(3));
    let locals: Vec<String> = f
        .locals
        .iter()
        .map(|(n, v)| format!("{n}={}", looplab_core::trace::show_value(v)))
        .collect();
    assert_eq!(locals, ["a=21", "b=42"]);
    assert_eq!(v.console_lines, 1);
}

#[test]
fn json_export_has_header_and_every_step() {
    let (_, t) = record("console.log(1);", &RunOptions::default());
    let v: serde_json::Value = serde_json::from_str(&t.to_json()).unwrap();
    assert_eq!(v["format"], "looplab-trace");
    assert_eq!(v["version"], looplab_core::trace::FORMAT_VERSION);
    assert_eq!(v["steps"].as_array().unwrap().len(), t.len());
    assert!(v["steps"][0]["rule"].is_string());
}

#[test]
fn promises_are_numbered_per_run_with_values_and_waiters() {
    let src = "const a = Promise.resolve(5);\nconst b = a.then((v) => v + 1);\nasync function f() { const x = await b; return x; }\nf();\n";
    let (_, t) = record(src, &RunOptions::default());
    let end = t.view(t.len() - 1);
    let ids: Vec<u32> = end.promises.iter().map(|p| p.id).collect();
    assert_eq!(ids, (1..=ids.len() as u32).collect::<Vec<_>>());
    let a = &end.promises[0];
    assert_eq!(a.value, Some(ValuePreview::Num(5.0)));
    assert_eq!(a.waiters.len(), 1);
    assert_eq!(a.waiters[0].derived, Some(2));
    let b = &end.promises[1];
    assert_eq!(b.value, Some(ValuePreview::Num(6.0)));
    assert!(
        b.waiters.iter().any(|w| w.handler == "resume async f"),
        "{:?}",
        b.waiters
    );
    // the microtask that runs `(v) => v + 1` names promise #1
    let queued = t
        .records
        .iter()
        .find_map(|r| match r {
            Record::MicrotaskQueued { promise, .. } => Some(*promise),
            _ => None,
        })
        .unwrap();
    assert_eq!(queued, 1);
}

#[test]
fn step_over_stays_in_the_frame_and_callbacks_are_macrotasks() {
    let src = "function f() {\n  let s = 0;\n  s += 1;\n  return s;\n}\nf();\nconsole.log(f());\nsetTimeout(f, 1);\nsetImmediate(f);\n";
    let (_, t) = record(src, &RunOptions::default());
    // from `f();` in the main module, step over lands on the next main-module statement
    let first = (0..t.len())
        .find(|&i| matches!(t.step(i).rule, "stmt.execute") && t.step(i).line == Some(6))
        .unwrap();
    let over = t.step_over(first).unwrap();
    assert_eq!(t.step(over).line, Some(7), "{}", t.step(over).narration);
    assert!(matches!(t.records[over], Record::Stmt { .. }));
    // inside f, step over moves statement by statement, then leaves at the return
    let inner = (first..t.len())
        .find(|&i| t.step(i).line == Some(2))
        .unwrap();
    let next = t.step_over(inner).unwrap();
    assert_eq!(t.step(next).line, Some(3));
    assert_eq!(t.step_over(t.len() - 1), None);
    // one timer and one immediate: two macrotask starts, in order
    let starts = t.callback_starts();
    assert_eq!(starts.len(), 2);
    assert!(matches!(
        t.records[starts[0] as usize],
        Record::Run {
            queue: Queue::Timer,
            ..
        }
    ));
    assert!(starts[0] < starts[1]);
}

#[test]
fn a_step_limit_truncates_the_trace_but_not_the_run() {
    let (out, t) = record_with(LONG, &RunOptions::default(), 500, None);
    let plain = looplab_core::run(LONG, &RunOptions::default());
    assert_eq!(out.stdout, plain.stdout);
    assert_eq!(t.len(), 500);
    assert!(t.truncated);
    let _ = t.view(499);
    let (_, full) = record("console.log(1)", &RunOptions::default());
    assert!(!full.truncated);
}

#[test]
fn block_scoped_locals_captured_by_closures_are_shown() {
    let src = "function g() {\n  for (let i = 0; i < 2; i++) {\n    const d = i + 1;\n    setTimeout(() => d, 0);\n    console.log(d);\n  }\n}\ng();\n";
    let (_, t) = record(src, &RunOptions::default());
    let i = (0..t.len())
        .filter(|&i| matches!(t.records[i], Record::Output { .. }))
        .nth(1)
        .unwrap();
    let v = t.view(i);
    let g = v.call_stack.last().unwrap();
    assert_eq!(g.function, "g");
    let locals: Vec<String> = g
        .locals
        .iter()
        .map(|(n, v)| format!("{n}={}", looplab_core::trace::show_value(v)))
        .collect();
    assert!(locals.contains(&"i=1".to_string()), "{locals:?}");
    assert!(locals.contains(&"d=2".to_string()), "{locals:?}");
}
