//! Every ordering claim a narration makes is checked against the recorded order.
//!
//! The narration of a step (`looplab_core::trace::narrate`) says things like "it runs at step
//! 41, after …", "next is … (step 17)" or "the nextTick queue is empty, so …"; each such
//! sentence comes with a structured [`Claim`]. This test records the differential generator's
//! programs (`tests/progen/`, all six families, `LOOPLAB_CLAIMS_COUNT` programs, default
//! 2,000), narrates every step, and checks each claim against a model of the queues that it
//! builds from the records on its own (first in, first out for nextTick callbacks and
//! microtasks, by id for timers and immediates). A claim the run contradicts fails the test,
//! and so does a step number in the text that no claim backs.
//!
//! To reproduce one program: `LOOPLAB_CLAIMS_SEED=123 LOOPLAB_CLAIMS_COUNT=1`.

#[allow(dead_code)] // the claim test reads only the programs' source
mod progen;

use looplab_core::recorder::Queue;
use looplab_core::trace::narrate::{narrate, Claim};
use looplab_core::trace::{record, Record, State, Trace};
use looplab_core::RunOptions;
use progen::{generate, Family};
use std::collections::{HashMap, VecDeque};

const FAMILIES: [Family; 6] = [
    Family::Micro,
    Family::Macro,
    Family::Io,
    Family::Typed,
    Family::Errors,
    Family::Workers,
];

fn env_num(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// The recorded order, rebuilt from the records without the narrator's help. Each thread has
/// its own queues: its steps are modelled apart from the other threads'.
struct Model {
    /// Per step: (nextTick queue length, microtask queue length) just before it.
    lens_before: Vec<(usize, usize)>,
    /// Per step that queued a callback: the step that runs it, if any.
    runs_of_queued: HashMap<usize, Option<usize>>,
    /// Per step: the callback running then (its `Run` step and queue), none after a phase change.
    running: Vec<Option<(usize, Queue)>>,
    /// Per step: the next `Run` after it before any phase change.
    next_run: Vec<Option<usize>>,
}

impl Model {
    fn new(t: &Trace) -> Model {
        let n = t.records.len();
        let mut m = Model {
            lens_before: vec![(0, 0); n],
            runs_of_queued: HashMap::new(),
            running: vec![None; n],
            next_run: vec![None; n],
        };
        let agents: std::collections::BTreeSet<u16> = t.agents.iter().map(|a| a.1).collect();
        for agent in agents {
            m.add_thread(t, agent);
        }
        m
    }

    /// Models the steps of one thread.
    fn add_thread(&mut self, t: &Trace, agent: u16) {
        let n = t.records.len();
        let m = self;
        let mut ticks: VecDeque<usize> = VecDeque::new();
        let mut micro: VecDeque<usize> = VecDeque::new();
        let mut by_id: HashMap<(bool, u32), Vec<usize>> = HashMap::new();
        let mut current = None;
        for i in t.steps_of(agent, 0..n) {
            let r = &t.records[i];
            m.lens_before[i] = (ticks.len(), micro.len());
            m.running[i] = current;
            match *r {
                Record::TickQueued { .. } => {
                    ticks.push_back(i);
                    m.runs_of_queued.insert(i, None);
                }
                Record::MicrotaskQueued { .. } => {
                    micro.push_back(i);
                    m.runs_of_queued.insert(i, None);
                }
                Record::TimerSet { id, .. } | Record::ImmediateSet { id, .. } => {
                    let timer = matches!(r, Record::TimerSet { .. });
                    by_id.entry((timer, id)).or_default().push(i);
                    m.runs_of_queued.insert(i, None);
                }
                Record::TimerCleared { id } => {
                    by_id.remove(&(true, id));
                }
                Record::ImmediateCleared { id } => {
                    by_id.remove(&(false, id));
                }
                Record::Run { queue, id } => {
                    current = Some((i, queue));
                    let queued: Vec<usize> = match queue {
                        Queue::NextTick => ticks.pop_front().into_iter().collect(),
                        Queue::Microtask => micro.pop_front().into_iter().collect(),
                        Queue::Timer => by_id.remove(&(true, id)).unwrap_or_default(),
                        Queue::Immediate => by_id.remove(&(false, id)).unwrap_or_default(),
                        Queue::Io => vec![],
                    };
                    for q in queued {
                        m.runs_of_queued.insert(q, Some(i));
                    }
                }
                Record::Phase { .. } | Record::Delivered { .. } => current = None,
                _ => {}
            }
        }
        let mut next = None;
        for i in t.steps_of_rev(agent, 0..n) {
            m.next_run[i] = next;
            match t.records[i] {
                Record::Run { .. } => next = Some(i),
                Record::Phase { .. } => next = None,
                _ => {}
            }
        }
    }

    /// Why `claim`, made by the narration of step `i`, contradicts the run (None: it holds).
    fn contradiction(&self, t: &Trace, i: usize, claim: &Claim) -> Option<String> {
        let is_run = |j: usize| matches!(t.records.get(j), Some(Record::Run { .. }));
        match *claim {
            Claim::QueuedRunsAt { at } => match self.runs_of_queued.get(&i) {
                None => Some("the step queued nothing".into()),
                Some(&actual) if actual != at => Some(format!("it actually runs at {actual:?}")),
                Some(_) => None,
            },
            Claim::RunsBefore { first, then } => {
                if !is_run(first) || !is_run(then) {
                    Some("a step named is not a callback run".into())
                } else if first >= then {
                    Some(format!("step {first} does not come before step {then}"))
                } else {
                    None
                }
            }
            Claim::QueueLenAt { at, queue, len } => {
                let (ticks, micro) = self.lens_before.get(at).copied()?;
                let actual = match queue {
                    Queue::NextTick => ticks,
                    Queue::Microtask => micro,
                    _ => return Some("only nextTick and microtask lengths are claimed".into()),
                };
                (actual != len).then(|| format!("the queue actually holds {actual}"))
            }
            Claim::NextRun { at } => {
                let actual = self.next_run[i];
                (actual != at).then(|| format!("the next run is actually {actual:?}"))
            }
            Claim::During { run, queue } => {
                let actual = self.running[i];
                (actual != Some((run, queue))).then(|| format!("actually running: {actual:?}"))
            }
            Claim::CancelledAt { at } => {
                let set = match t.records[i] {
                    Record::TimerSet { id, .. } => Record::TimerCleared { id },
                    Record::ImmediateSet { id, .. } => Record::ImmediateCleared { id },
                    _ => return Some("the step set no timer or immediate".into()),
                };
                if t.records.get(at) != Some(&set) {
                    Some(format!("step {at} does not cancel it"))
                } else if self.runs_of_queued.get(&i) != Some(&None) {
                    Some("it runs".into())
                } else {
                    None
                }
            }
        }
    }
}

/// The steps a claim names.
fn steps_of(claim: &Claim) -> Vec<usize> {
    match *claim {
        Claim::QueuedRunsAt { at } | Claim::NextRun { at } => at.into_iter().collect(),
        Claim::RunsBefore { first, then } => vec![first, then],
        Claim::QueueLenAt { at, .. } => vec![at],
        Claim::During { run, .. } => vec![run],
        Claim::CancelledAt { at } => vec![at],
    }
}

/// The numbers N of "step N" in a text, outside quoted program text (`code` and printed
/// output, where a program's own strings may say "step 2").
fn step_numbers(text: &str) -> Vec<usize> {
    let text = text.split("Printed to ").next().unwrap_or("");
    let text: String = text
        .split('`')
        .enumerate()
        .filter(|(k, _)| k % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join(" ");
    let text = text.as_str();
    text.match_indices("step ")
        .filter_map(|(k, m)| {
            let digits: String = text[k + m.len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// Per kind of claim: how many were checked.
#[derive(Default)]
struct Tally {
    programs: usize,
    steps: usize,
    claims: HashMap<&'static str, usize>,
}

fn kind(claim: &Claim) -> &'static str {
    match claim {
        Claim::QueuedRunsAt { .. } => "queued-runs-at",
        Claim::RunsBefore { .. } => "runs-before",
        Claim::QueueLenAt { .. } => "queue-len-at",
        Claim::NextRun { .. } => "next-run",
        Claim::During { .. } => "during",
        Claim::CancelledAt { .. } => "cancelled-at",
    }
}

/// Narrates every step of `t` and checks its claims; returns the failures.
fn check_trace(t: &Trace, name: &str, tally: &mut Tally) -> Vec<String> {
    let model = Model::new(t);
    let mut failures = vec![];
    let mut state = State::default();
    for i in 0..t.records.len() {
        let n = narrate(t, i, &state);
        state.apply(&t.records[i]);
        tally.steps += 1;
        for c in &n.claims {
            *tally.claims.entry(kind(c)).or_default() += 1;
            if let Some(why) = model.contradiction(t, i, c) {
                failures.push(format!(
                    "{name} step {i} ({}): claim {c:?} is false: {why}\n  text: {}",
                    n.rule, n.text
                ));
            }
        }
        let backed: Vec<usize> = n.claims.iter().flat_map(steps_of).collect();
        for s in step_numbers(&n.text) {
            if s != i && !backed.contains(&s) {
                failures.push(format!(
                    "{name} step {i} ({}): the text names step {s}, which no claim backs\n  text: {}",
                    n.rule, n.text
                ));
            }
        }
    }
    tally.programs += 1;
    failures
}

fn options() -> RunOptions {
    RunOptions {
        instruction_budget: 20_000_000,
        ..RunOptions::default()
    }
}

#[test]
fn every_ordering_claim_of_the_narration_holds_in_generated_programs() {
    let count = env_num("LOOPLAB_CLAIMS_COUNT").unwrap_or(2000) as usize;
    let seed = env_num("LOOPLAB_CLAIMS_SEED").unwrap_or(1);
    let threads = 2;
    let results: Vec<(Tally, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                s.spawn(move || {
                    let mut tally = Tally::default();
                    let mut failures = vec![];
                    for i in (k..count).step_by(threads) {
                        let p = generate(FAMILIES[i % FAMILIES.len()], seed + i as u64);
                        let (_, t) = record(&p.source, &options());
                        failures.extend(check_trace(&t, &p.file_name(), &mut tally));
                    }
                    (tally, failures)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut total = Tally::default();
    let mut failures = vec![];
    for (t, f) in results {
        total.programs += t.programs;
        total.steps += t.steps;
        for (k, v) in t.claims {
            *total.claims.entry(k).or_default() += v;
        }
        failures.extend(f);
    }
    let mut kinds: Vec<_> = total.claims.iter().collect();
    kinds.sort();
    println!(
        "{} programs, {} steps narrated, claims checked: {kinds:?}",
        total.programs, total.steps
    );
    assert_eq!(total.programs, count);
    if count >= 100 {
        // Every kind of claim is exercised by the generated programs.
        for k in [
            "queued-runs-at",
            "runs-before",
            "queue-len-at",
            "next-run",
            "during",
        ] {
            assert!(
                total.claims.get(k).copied().unwrap_or(0) > 0,
                "no {k} claim was made"
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} contradicted claims, first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The example: a nextTick queued by a promise reaction waits until the microtask
/// queue is empty, so it runs after P, R2 and R3, and the narration says so and why.
#[test]
fn next_tick_queued_by_a_reaction_is_narrated_after_the_microtasks() {
    let src = "const log = (s) => console.log(s);\n\
               Promise.resolve().then(() => { process.nextTick(() => log('T')); Promise.resolve().then(() => log('P')) }).then(() => log('R2')).then(() => log('R3'));\n";
    let (outcome, t) = record(src, &options());
    assert_eq!(outcome.stdout, "P\nR2\nR3\nT\n");
    let mut tally = Tally::default();
    let failures = check_trace(&t, "nexttick-in-reaction", &mut tally);
    assert!(failures.is_empty(), "{failures:#?}");
    let queued = t
        .records
        .iter()
        .position(|r| matches!(r, Record::TickQueued { .. }))
        .expect("a nextTick is queued");
    let text = t.narrate(queued).text;
    let after = text.find("after").expect(&text);
    let (p, r2, r3) = (
        text.find("log('P')").expect(&text),
        text.find("log('R2')").expect(&text),
        text.find("log('R3')").expect(&text),
    );
    assert!(after < p && p < r2 && r2 < r3, "{text}");
    assert!(
        text.contains("only once the microtask queue is empty"),
        "{text}"
    );
    assert!(text.contains("queued by a microtask"), "{text}");
    // And while P runs, the narration says the nextTick callback waits.
    let p_run = (queued..t.len())
        .find(|&i| {
            matches!(
                t.records[i],
                Record::Run {
                    queue: Queue::Microtask,
                    ..
                }
            )
        })
        .expect("P runs");
    let text = t.narrate(p_run).text;
    assert!(text.contains("does not stop for them"), "{text}");
}

/// Runs with child processes: a fork with IPC both ways, an exec and a spawn with a pipe.
/// Every claim the narration makes in any of their threads holds, and the process steps
/// name no step they cannot back.
#[test]
fn claims_hold_in_runs_with_child_processes() {
    let programs = [
        (
            "fork-ipc",
            "const { fork } = require('child_process');\n\
             if (process.argv[2] === 'child') {\n\
               process.on('message', (m) => { Promise.resolve().then(() => process.send({ back: m.n + 1 })); if (m.n > 2) process.disconnect(); });\n\
               process.nextTick(() => process.send({ ready: true }));\n\
             } else {\n\
               const child = fork(__filename, ['child']);\n\
               let n = 0;\n\
               child.on('message', (m) => { setImmediate(() => console.log('got', JSON.stringify(m))); child.send({ n: n++ }); });\n\
               child.on('exit', (c) => console.log('exit', c));\n\
             }\n",
        ),
        (
            "exec",
            "const { exec } = require('child_process');\n\
             exec('echo hi', (e, out) => { process.nextTick(() => console.log('tick')); console.log(out.trim()); });\n\
             setTimeout(() => console.log('timer'), 1);\n",
        ),
        (
            "spawn-pipe",
            "const { spawn } = require('child_process');\n\
             const c = spawn(process.execPath, ['-e', 'console.log(1); setTimeout(() => console.log(2), 5)']);\n\
             c.stdout.on('data', (d) => Promise.resolve(d).then((x) => console.log('data', String(x).trim())));\n\
             c.on('close', (code) => console.log('close', code));\n",
        ),
    ];
    let mut tally = Tally::default();
    for (name, src) in programs {
        let (outcome, t) = record(src, &options());
        assert_eq!(outcome.exit_code, 0, "{name}: {}", outcome.stderr);
        assert!(
            t.machine.as_ref().is_some_and(|m| m.processes.len() == 2),
            "{name}"
        );
        let failures = check_trace(&t, name, &mut tally);
        assert!(failures.is_empty(), "{failures:#?}");
    }
    assert!(tally.claims.values().sum::<usize>() > 0);
}
