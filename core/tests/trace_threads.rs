//! Traces of runs with worker threads: every thread's steps are recorded, each change of
//! thread is a step, messages are steps on both sides, seeking restores every thread's state,
//! and narration names the thread.

use looplab_core::trace::{record, Record, State, Trace};
use looplab_core::RunOptions;

/// Two workers count (long enough to share cores and to need keyframes) and post results;
/// one of them runs code given with `eval: true`.
const TWO_WORKERS: &str = r#"const { Worker, isMainThread, parentPort, workerData } = require('worker_threads');
if (isMainThread) {
  const a = new Worker(__filename, { workerData: 4000 });
  const b = new Worker(`
    const { parentPort } = require('worker_threads');
    let n = 0;
    for (let i = 0; i < 3000; i++) n += i % 3;
    parentPort.postMessage({ from: 'eval', n });
  `, { eval: true });
  let left = 2;
  for (const w of [a, b]) {
    w.on('message', (m) => console.log('main got', JSON.stringify(m)));
    w.on('exit', (c) => { left--; console.log('exit', c, 'left', left); });
  }
  setTimeout(() => console.log('main timer'), 5);
} else {
  let sum = 0;
  for (let i = 0; i < workerData; i++) sum += i;
  console.log('worker done');
  parentPort.postMessage({ sum });
}
"#;

fn opts(cores: u32) -> RunOptions {
    RunOptions {
        cores,
        ..RunOptions::default()
    }
}

fn traced(src: &str, cores: u32) -> Trace {
    let (out, t) = record(src, &opts(cores));
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    // the trace's console is exactly what the run printed, each line once
    let printed: String = t.console.iter().map(|c| format!("{}\n", c.text)).collect();
    assert_eq!(printed, out.stdout);
    t
}

#[test]
fn every_thread_records_its_steps() {
    let t = traced(TWO_WORKERS, 4);
    assert!(t.threaded());
    let agents: std::collections::BTreeSet<u16> = t.agents.iter().map(|a| a.1).collect();
    assert_eq!(agents.into_iter().collect::<Vec<_>>(), vec![0, 1, 2]);
    // each run of steps of another thread starts with its Agent step
    for w in t.agents.windows(2) {
        assert!(
            matches!(t.records[w[1].0 as usize], Record::Agent { agent, .. } if agent == w[1].1),
            "run at {} does not start with its Agent step",
            w[1].0
        );
    }
    // the eval worker's statements point into its own file
    assert_eq!(
        t.files.len(),
        2,
        "{:?}",
        t.files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let eval_lines: Vec<usize> = (0..t.len())
        .filter(|&i| t.agent_of(i) == 2)
        .filter(|&i| {
            matches!(t.records[i], Record::Stmt { stmt, .. } if t.statements[stmt as usize].file == 1)
        })
        .collect();
    assert!(!eval_lines.is_empty());
    let n = t.narrate(eval_lines[1]);
    assert!(n.text.starts_with("Worker 2: Line "), "{}", n.text);
    // each data message is posted by one thread and delivered to another, both as steps
    let machine = t.machine.as_ref().expect("machine report");
    let posted: Vec<(usize, u32)> = (0..t.len())
        .filter_map(|i| match t.records[i] {
            Record::Posted { msg } => Some((i, msg)),
            _ => None,
        })
        .collect();
    assert_eq!(posted.len(), 2);
    for (i, msg) in posted {
        let m = &machine.messages[msg as usize];
        assert_eq!(m.from, t.agent_of(i) as usize);
        let delivered = (0..t.len())
            .find(|&j| matches!(t.records[j], Record::Delivered { msg: d } if d == msg))
            .expect("delivered");
        assert!(delivered > i);
        assert_eq!(t.agent_of(delivered), 0);
        let text = t.narrate(delivered).text;
        assert!(
            text.starts_with("Main thread: The poll phase takes a message")
                && text.contains(&format!("from worker {}", m.from)),
            "{text}"
        );
    }
}

#[test]
fn seeking_restores_every_thread() {
    let t = traced(TWO_WORKERS, 2);
    assert!(t.keyframes.len() > 3, "keyframes: {}", t.keyframes.len());
    let mut states = Vec::with_capacity(t.len());
    let mut s = State::default();
    for r in &t.records {
        s.apply(r);
        states.push(s.clone());
    }
    let mut c = t.cursor();
    for i in (0..t.len())
        .rev()
        .step_by(37)
        .chain((0..t.len()).step_by(53))
    {
        c.seek(i);
        assert_eq!(c.state(), &states[i], "seek to {i}");
        assert_eq!(c.view(), t.view(i));
    }
    // the view lists every thread with its own clock and phase
    let end = t.view(t.len() - 1);
    assert_eq!(end.threads.len(), 3);
    assert_eq!(end.threads[1].name, "worker 1");
    assert!(end.threads.iter().all(|th| th.clock_ns > 0));
}

#[test]
fn threaded_traces_are_deterministic() {
    let a = traced(TWO_WORKERS, 2).to_json();
    let b = traced(TWO_WORKERS, 2).to_json();
    assert!(a == b, "two traces of the same run differ");
    assert!(a.contains("\"kind\":\"agent\""));
}

#[test]
fn single_thread_traces_have_no_thread_steps() {
    let src =
        "setTimeout(() => console.log('a'), 1);\nPromise.resolve().then(() => console.log('b'));\n";
    let (_, t) = record(src, &RunOptions::default());
    assert!(!t.threaded());
    assert!(t.machine.is_none());
    assert!(!t.records.iter().any(|r| matches!(
        r,
        Record::Agent { .. } | Record::Posted { .. } | Record::Delivered { .. }
    )));
    assert!(!t.narrate(2).text.starts_with("Main thread:"));
}

#[test]
fn narration_looks_ahead_within_the_thread() {
    // the worker queues a nextTick; the claim names the worker's own next step, never the
    // main thread's
    let src = r#"const { Worker, isMainThread } = require('worker_threads');
if (isMainThread) {
  new Worker(__filename);
  setTimeout(() => console.log('main'), 50);
} else {
  process.nextTick(() => console.log('tick in worker'));
  Promise.resolve().then(() => console.log('promise in worker'));
}
"#;
    let t = traced(src, 1);
    for i in 0..t.len() {
        for claim in t.narrate(i).claims {
            use looplab_core::trace::narrate::Claim;
            let steps: Vec<usize> = match claim {
                Claim::QueuedRunsAt { at: Some(at) } | Claim::NextRun { at: Some(at) } => vec![at],
                Claim::RunsBefore { first, then } => vec![first, then],
                _ => vec![],
            };
            for s in steps {
                assert_eq!(
                    t.agent_of(s),
                    t.agent_of(i),
                    "step {i}'s claim names step {s}"
                );
            }
        }
    }
}
