//! Traces of runs with child processes: a spawn is a step of its parent, a child's steps are
//! its own thread's, every IPC message and pipe chunk is sent and then received as steps in
//! order, the parent's poll phase takes the child's exit, narration names both processes and
//! the numbers of the run, and the view lists the processes as they are at each step.

use looplab_core::machine::bus::MessageRecord;
use looplab_core::recorder::Phase;
use looplab_core::trace::{narrate, record, Record, State, Trace};
use looplab_core::RunOptions;

/// A fork with IPC both ways: the child says it is ready, the parent asks for a sum, the
/// child answers and is told to stop.
const FORK_IPC: &str = r#"const { fork } = require('child_process');
if (process.argv[2] === 'child') {
  process.on('message', (msg) => {
    if (msg.start) {
      let sum = 0;
      for (let i = 0; i < 300; i++) sum += i;
      process.send({ result: sum });
    } else if (msg.stop) {
      process.exit(0);
    }
  });
  process.send({ ready: true });
} else {
  const child = fork(__filename, ['child']);
  child.on('message', (msg) => {
    console.log('parent got', JSON.stringify(msg));
    if (msg.ready) child.send({ start: true });
    else child.send({ stop: true });
  });
  child.on('exit', (code) => console.log('child exited', code));
  console.log('parent keeps serving while the child works');
}
"#;

/// exec: a shell line's output comes back through a pipe, its end as 'exit'.
const EXEC: &str = r#"const { exec } = require('child_process');
exec('echo hello from the shell', (error, stdout) => {
  console.log('stdout', JSON.stringify(stdout));
});
setImmediate(() => console.log('immediate'));
"#;

/// spawn of a Node child whose stdout is a pipe the parent reads.
const SPAWN_PIPE: &str = r#"const { spawn } = require('child_process');
const child = spawn(process.execPath, ['-e', 'for (let i = 1; i <= 3; i++) console.log("line " + i)']);
let out = '';
child.stdout.on('data', (data) => { out += data; });
child.on('exit', (code, signal) => console.log('exit', code, signal));
child.on('close', (code) => console.log('close', code, out.trim().split('\n').length));
"#;

/// A child that would wait a long time, killed by its parent.
const KILL: &str = r#"const { fork } = require('child_process');
if (process.argv[2] === 'child') {
  setTimeout(() => console.log('never'), 10000);
  process.send('up');
} else {
  const child = fork(__filename, ['child']);
  child.on('message', () => child.kill());
  child.on('exit', (code, signal) => console.log('exit', code, signal));
}
"#;

fn traced(src: &str) -> Trace {
    let (out, t) = record(src, &RunOptions::default());
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    t
}

/// Every `Posted` step with its message and the step that delivers it.
fn posted(t: &Trace) -> Vec<(usize, u32, &MessageRecord)> {
    let m = t.machine.as_ref().expect("machine report");
    (0..t.len())
        .filter_map(|i| match t.records[i] {
            Record::Posted { msg } => Some((i, msg, &m.messages[msg as usize])),
            _ => None,
        })
        .collect()
}

fn delivered_at(t: &Trace, msg: u32) -> Option<usize> {
    (0..t.len()).find(|&j| matches!(t.records[j], Record::Delivered { msg: d } if d == msg))
}

fn steps_with_rule(t: &Trace, rule: &str) -> Vec<(usize, String)> {
    let mut c = t.cursor();
    let mut out = vec![];
    for i in 0..t.len() {
        let n = narrate::narrate(t, i, c.state());
        if n.rule == rule {
            out.push((i, n.text));
        }
        c.forward();
    }
    out
}

fn ms(ns: u64) -> String {
    let (whole, frac) = (ns / 1_000_000, (ns % 1_000_000) / 1_000);
    if frac == 0 {
        format!("{whole} ms")
    } else {
        format!("{whole}.{frac:03} ms")
    }
}

#[test]
fn a_fork_sends_and_receives_ipc_messages_both_ways_in_order() {
    let t = traced(FORK_IPC);
    let cost = RunOptions::default().cost;
    assert!(t.threaded() && t.multiprocess());
    assert_eq!(t.thread_name(1), "process 4243");
    // the spawn is the parent's step, with the command and the cost of creating a process
    let spawns: Vec<usize> = (0..t.len())
        .filter(|&i| matches!(t.records[i], Record::Spawned { pid: 4243, .. }))
        .collect();
    assert_eq!(spawns.len(), 1);
    assert_eq!(t.agent_of(spawns[0]), 0);
    let text = t.narrate(spawns[0]).text;
    assert!(
        text.starts_with("Main thread: The operating system starts process 4243")
            && text.contains("child`")
            && text.contains(&format!(
                "blocks the main thread for {}",
                ms(cost.process_start_ns)
            ))
            && text.contains(&format!("{} after the spawn", ms(cost.fork_start_ns)))
            && text.contains("JSON"),
        "{text}"
    );
    // the child's start is narrated as a process start, after the spawn
    let starts = steps_with_rule(&t, "process.start");
    assert_eq!(starts.len(), 1);
    assert!(starts[0].0 > spawns[0] && t.agent_of(starts[0].0) == 1);
    assert!(starts[0].1.starts_with("Process 4243: "), "{}", starts[0].1);
    // IPC: ready (child→parent), start (parent→child), result (child→parent), stop
    let ipc: Vec<_> = posted(&t)
        .into_iter()
        .filter(|p| p.2.kind == "ipc")
        .collect();
    assert_eq!(ipc.len(), 4, "{ipc:?}");
    let senders: Vec<usize> = ipc.iter().map(|p| p.2.from).collect();
    assert_eq!(senders, vec![1, 0, 1, 0]);
    let mut last = 0;
    for (i, msg, m) in &ipc {
        assert_eq!(t.agent_of(*i), m.from as u16);
        let d = delivered_at(&t, *msg).expect("every message is received");
        assert!(
            d > *i && d > last,
            "message {msg} sent at {i}, received at {d}"
        );
        last = d;
        assert_eq!(t.agent_of(d), m.to as u16);
        let sent = t.narrate(*i).text;
        let got = t.narrate(d).text;
        if m.from == 1 {
            assert!(
                sent.starts_with("Process 4243: process.send serialises its message as JSON")
                    && sent.contains("the main thread can read it"),
                "{sent}"
            );
            assert!(
                got.starts_with(
                    "Main thread: The poll phase reads an IPC message from process 4243"
                ) && got.contains(&format!("{} bytes", m.bytes)),
                "{got}"
            );
        } else {
            assert!(
                sent.starts_with("Main thread: child.send serialises")
                    && sent.contains("process 4243 can read it"),
                "{sent}"
            );
            assert!(
                got.starts_with(
                    "Process 4243: The poll phase reads an IPC message from the main thread"
                ),
                "{got}"
            );
        }
    }
    // the parent takes the exit notice in its poll phase, after the child's last step
    let exits = steps_with_rule(&t, "process.exit");
    assert_eq!(exits.len(), 1);
    let (at, text) = &exits[0];
    assert_eq!(t.agent_of(*at), 0);
    assert!(
        text.starts_with(
            "Main thread: The poll phase reads the child's exit: process 4243 exited with code 0"
        ),
        "{text}"
    );
    let child_last = (0..t.len()).rev().find(|&i| t.agent_of(i) == 1).unwrap();
    assert!(*at > child_last);
    let printed: String = t.console.iter().map(|c| format!("{}\n", c.text)).collect();
    assert!(printed.ends_with("child exited 0\n"), "{printed}");
}

#[test]
fn the_view_lists_the_processes_as_they_are_at_each_step() {
    let t = traced(FORK_IPC);
    let spawn = (0..t.len())
        .find(|&i| matches!(t.records[i], Record::Spawned { .. }))
        .unwrap();
    assert_eq!(
        t.view(spawn - 1).processes.len(),
        1,
        "only the main program yet"
    );
    let at_spawn = t.view(spawn);
    assert_eq!(at_spawn.processes.len(), 2);
    let child = &at_spawn.processes[1];
    assert_eq!(
        (child.pid, child.ppid, child.state),
        (4243, 4242, "starting")
    );
    assert!(child.command.ends_with("child"), "{}", child.command);
    let first = (0..t.len()).find(|&i| t.agent_of(i) == 1).unwrap();
    assert_eq!(t.view(first).processes[1].state, "running");
    // it has exited from its own exit step on (its parent hears of it later)
    let own_exit = (0..t.len())
        .find(|&i| {
            t.agent_of(i) == 1 && matches!(t.records[i], Record::Phase { phase: Phase::Exit })
        })
        .expect("the child exits");
    assert_eq!(t.view(own_exit - 1).processes[1].state, "running");
    assert_eq!(t.view(own_exit).processes[1].state, "exited");
    let exit = steps_with_rule(&t, "process.exit")[0].0;
    assert!(exit > own_exit);
    let after = t.view(exit);
    assert_eq!(after.processes[1].state, "exited");
    assert_eq!(after.processes[1].exit_code, Some(0));
    // threads carry their process, so the page can group them
    let threads = &t.view(t.len() - 1).threads;
    assert_eq!(threads.len(), 2);
    assert_eq!(
        (threads[0].pid, threads[0].process.as_str()),
        (4242, "node")
    );
    assert_eq!(threads[1].pid, 4243);
    assert_eq!(threads[1].process, child.command);
}

#[test]
fn exec_output_arrives_through_a_pipe_and_its_end_as_exit() {
    let t = traced(EXEC);
    // one thread: the shell runs outside the machine's cores
    assert!(!t.threaded() && t.multiprocess());
    let spawn = steps_with_rule(&t, "process.spawn");
    assert_eq!(spawn.len(), 1);
    assert!(
        spawn[0].1.starts_with("exec runs its command line in a shell: the operating system starts process 4243, `/bin/sh -c echo hello from the shell`"),
        "{}",
        spawn[0].1
    );
    // the spawn blocks: the next step of the thread is the clock jump
    let (rule, _) = {
        let s = t.step(spawn[0].0 + 1);
        (s.rule, s.narration)
    };
    assert_eq!(rule, "clock.blocked");
    let reads = steps_with_rule(&t, "pipe.read");
    assert_eq!(reads.len(), 1);
    assert!(
        reads[0]
            .1
            .contains("21 bytes from process 4243's stdout pipe"),
        "{}",
        reads[0].1
    );
    let ends = steps_with_rule(&t, "pipe.end");
    assert_eq!(ends.len(), 2, "stdout and stderr are both pipes");
    let exit = steps_with_rule(&t, "process.exit");
    assert!(
        exit[0].1.contains("process 4243 exited with code 0"),
        "{}",
        exit[0].1
    );
    assert!(reads[0].0 < ends[0].0 && ends[1].0 < exit[0].0);
    assert_eq!(t.view(exit[0].0).processes[1].state, "exited");
    assert_eq!(t.view(exit[0].0 - 1).processes[1].state, "running");
}

#[test]
fn a_spawned_childs_pipe_chunks_are_written_then_read() {
    let t = traced(SPAWN_PIPE);
    let chunks: Vec<_> = posted(&t)
        .into_iter()
        .filter(|p| p.2.kind == "stdout")
        .collect();
    assert_eq!(chunks.len(), 3);
    let mut last = 0;
    for (i, msg, m) in chunks {
        assert_eq!(t.agent_of(i), 1);
        let text = t.narrate(i).text;
        assert!(
            text.starts_with(&format!(
                "Process 4243: The {} bytes go to this process's stdout, which is a pipe",
                m.bytes
            )),
            "{text}"
        );
        let d = delivered_at(&t, msg).expect("read");
        assert!(d > last && d > i);
        last = d;
        let text = t.narrate(d).text;
        assert!(
            text.starts_with(
                "Main thread: The poll phase reads 7 bytes from process 4243's stdout pipe"
            ),
            "{text}"
        );
    }
    let printed: String = t.console.iter().map(|c| format!("{}\n", c.text)).collect();
    assert_eq!(printed, "exit 0 null\nclose 0 3\n");
}

#[test]
fn kill_is_a_step_and_the_exit_names_the_signal() {
    let t = traced(KILL);
    let signals = steps_with_rule(&t, "process.signal");
    assert_eq!(signals.len(), 1);
    let (at, text) = &signals[0];
    assert_eq!(t.agent_of(*at), 0);
    assert!(
        text.starts_with("Main thread: kill sends SIGTERM to process 4243")
            && text.contains("signal 'SIGTERM'"),
        "{text}"
    );
    // the killed child's end is a step of its own thread, after the kill
    let own_exit = (0..t.len())
        .find(|&i| {
            t.agent_of(i) == 1 && matches!(t.records[i], Record::Phase { phase: Phase::Exit })
        })
        .expect("the child's end is recorded");
    assert!(own_exit > *at);
    let text = t.narrate(own_exit).text;
    assert!(
        text.starts_with("Process 4243: SIGTERM ends the process at once")
            && text.contains("no 'exit' listener"),
        "{text}"
    );
    assert_eq!(t.view(own_exit - 1).processes[1].state, "running");
    assert_eq!(t.view(own_exit).processes[1].state, "exited");
    let exit = steps_with_rule(&t, "process.exit");
    assert!(exit[0].0 > own_exit);
    assert!(
        exit[0].1.contains("process 4243 was ended by SIGTERM"),
        "{}",
        exit[0].1
    );
    let v = t.view(exit[0].0);
    assert_eq!(
        (v.processes[1].state, v.processes[1].signal),
        ("exited", Some("SIGTERM"))
    );
}

#[test]
fn spawn_sync_blocks_for_the_whole_run() {
    let src = "const { execSync } = require('child_process');\nconsole.log(String(execSync('echo hi')).trim());\n";
    let t = traced(src);
    let s = steps_with_rule(&t, "process.spawn-sync");
    assert_eq!(s.len(), 1);
    let Record::Spawned { cost_us, .. } = t.records[s[0].0] else {
        panic!("not a spawn");
    };
    assert!(
        s[0].1
            .contains(&format!("{} in all", ms(cost_us as u64 * 1000))),
        "{}",
        s[0].1
    );
    assert!(s[0].1.contains("`/bin/sh -c echo hi`"), "{}", s[0].1);
}

#[test]
fn seeking_a_process_trace_equals_linear_replay() {
    for src in [FORK_IPC, EXEC, SPAWN_PIPE, KILL] {
        let t = traced(src);
        let mut states = Vec::with_capacity(t.len());
        let mut s = State::default();
        for r in &t.records {
            s.apply(r);
            states.push(s.clone());
        }
        let mut c = t.cursor();
        for i in (0..t.len())
            .rev()
            .step_by(7)
            .chain((0..t.len()).step_by(11))
        {
            c.seek(i);
            assert_eq!(c.state(), &states[i], "seek to {i}");
            assert_eq!(c.view(), t.view(i));
        }
    }
}

#[test]
fn process_traces_are_deterministic_and_every_rule_is_listed() {
    for src in [FORK_IPC, EXEC, SPAWN_PIPE, KILL] {
        let a = traced(src).to_json();
        let b = traced(src).to_json();
        assert!(a == b, "two traces of the same run differ");
        let t = traced(src);
        for i in 0..t.len() {
            let rule = t.step(i).rule;
            assert!(
                narrate::RULES.iter().any(|r| r.0 == rule),
                "step {i}: rule {rule} is not listed"
            );
            // no process step falls back to the thread-switch text
            assert!(!t.narrate(i).text.contains("message log is missing"));
        }
    }
}

#[test]
fn traces_without_processes_list_none() {
    let (_, t) = record(
        "setTimeout(() => console.log('a'), 1);\n",
        &RunOptions::default(),
    );
    assert!(!t.multiprocess());
    assert!(t.view(t.len() - 1).processes.is_empty());
    assert!(!t.to_json().contains("\"processes\""));
}

#[test]
fn records_stay_sixteen_bytes() {
    // docs/trace.md: "Records are a 16-byte enum" (the spawn record packs four fields)
    assert_eq!(std::mem::size_of::<Record>(), 16);
}
