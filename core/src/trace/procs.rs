//! Processes in the trace: which process a thread or a message belongs to (read from the
//! machine report), and when each process is spawned, starts and exits in the trace — an
//! index built once after recording, so that the view of any step lists the processes as they
//! were at that step, whatever the way the page got there (seek or linear replay).

use super::{Record, Trace};
use crate::machine::bus::MessageRecord;
use crate::machine::process::ProcessReport;
use crate::recorder::Phase;
use serde::Serialize;

/// When one process of the machine report shows up in the trace.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct ProcSteps {
    /// The step that spawned it (0 for the main program; `None`: not within the trace).
    spawn: Option<usize>,
    /// Its main thread's first step (a Node process).
    first: Option<usize>,
    /// The first step after which it has exited: its main thread's exit step, or the step at
    /// which its parent took its exit notice, whichever comes first.
    exit: Option<usize>,
}

/// A process as the view of a step shows it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ProcessView {
    pub pid: u32,
    pub ppid: u32,
    /// Its command line (`node` for the main program).
    pub command: String,
    /// Its main thread's agent (a Node process; `None` for a program the shell runs).
    pub agent: Option<u16>,
    /// `starting` (spawned, its first statement has not run yet), `running` or `exited`.
    pub state: &'static str,
    /// Once exited: its exit code, or the signal that ended it.
    pub exit_code: Option<i32>,
    pub signal: Option<&'static str>,
}

impl Trace {
    /// The processes of the run (the main program first); empty without a machine report.
    pub fn processes(&self) -> &[ProcessReport] {
        self.machine.as_ref().map_or(&[], |m| &m.processes[..])
    }

    /// Whether the run started other processes.
    pub fn multiprocess(&self) -> bool {
        self.processes().len() > 1
    }

    /// The process thread `agent` belongs to.
    pub fn process_of_agent(&self, agent: u16) -> Option<&ProcessReport> {
        let pid = self.machine.as_ref()?.threads.get(agent as usize)?.pid;
        self.process(pid)
    }

    /// Process `pid`.
    pub fn process(&self, pid: u32) -> Option<&ProcessReport> {
        self.processes().iter().find(|p| p.pid == pid)
    }

    /// The child process whose channel has `port` at one of its ends.
    pub fn process_of_port(&self, port: u64) -> Option<&ProcessReport> {
        self.processes()
            .iter()
            .find(|p| p.handle == Some(port) || p.channel == Some(port))
    }

    /// Entry `msg` of the machine's message log.
    pub fn message(&self, msg: u32) -> Option<&MessageRecord> {
        self.machine.as_ref()?.messages.get(msg as usize)
    }

    /// The log entry of the message of `kind` that arrives on the parent's end of process
    /// `p`'s channel (`online`, `exit`), if one was sent.
    pub fn process_notice(&self, p: &ProcessReport, kind: &str) -> Option<&MessageRecord> {
        let handle = p.handle?;
        self.machine
            .as_ref()?
            .messages
            .iter()
            .find(|m| m.to_port == handle && m.kind == kind)
    }

    /// Whether thread `agent` is the main thread of a child process (not of the main
    /// program).
    pub fn is_child_process(&self, agent: u16) -> bool {
        self.process_of_agent(agent)
            .is_some_and(|p| p.handle.is_some() && p.agent == Some(agent as usize))
    }

    /// Builds the index of when each process is spawned, starts and exits (after recording).
    pub(super) fn index_processes(&mut self) {
        let procs = self.processes();
        if procs.len() < 2 {
            self.process_steps = vec![];
            return;
        }
        let mut steps: Vec<ProcSteps> = procs
            .iter()
            .map(|p| ProcSteps {
                spawn: p.handle.is_none().then_some(0),
                first: p.agent.and_then(|a| {
                    self.agents
                        .iter()
                        .find(|r| r.1 as usize == a)
                        .map(|r| r.0 as usize)
                }),
                exit: None,
            })
            .collect();
        let exit_msgs: Vec<Option<u32>> = procs
            .iter()
            .map(|p| {
                let handle = p.handle?;
                let m = self.machine.as_ref()?;
                m.messages
                    .iter()
                    .position(|m| m.to_port == handle && m.kind == "exit")
                    .map(|k| k as u32)
            })
            .collect();
        let pid_at = |pid: u32| procs.iter().position(|p| p.pid == pid);
        for (run, next) in self.agents.iter().zip(
            self.agents
                .iter()
                .skip(1)
                .map(|r| r.0 as usize)
                .chain([self.records.len()]),
        ) {
            let agent = run.1 as usize;
            for i in run.0 as usize..next {
                let k = match self.records[i] {
                    Record::Spawned { pid, .. } => match pid_at(pid) {
                        Some(k) if steps[k].spawn.is_none() => {
                            steps[k].spawn = Some(i);
                            continue;
                        }
                        _ => continue,
                    },
                    Record::Phase { phase: Phase::Exit } => {
                        procs.iter().position(|p| p.agent == Some(agent))
                    }
                    Record::Delivered { msg } => exit_msgs.iter().position(|e| *e == Some(msg)),
                    _ => continue,
                };
                if let Some(k) = k {
                    if steps[k].exit.is_none() {
                        steps[k].exit = Some(i);
                    }
                }
            }
        }
        self.process_steps = steps;
    }

    /// The processes as they are after step `step` (empty for a run of one process).
    pub(super) fn process_views(&self, step: usize) -> Vec<ProcessView> {
        let main_code = self
            .machine
            .as_ref()
            .and_then(|m| m.threads.first())
            .and_then(|t| t.exit_code);
        self.processes()
            .iter()
            .zip(&self.process_steps)
            .filter(|(_, s)| s.spawn.is_some_and(|at| at <= step))
            .map(|(p, s)| {
                let exited = s.exit.is_some_and(|at| at <= step);
                let state = if exited {
                    "exited"
                } else if p.agent.is_some() && s.first.is_none_or(|at| at > step) {
                    "starting"
                } else {
                    "running"
                };
                let code = if p.handle.is_none() {
                    p.exit_code.or(main_code)
                } else {
                    p.exit_code
                };
                ProcessView {
                    pid: p.pid,
                    ppid: p.ppid,
                    command: p.command.clone(),
                    agent: p.agent.map(|a| a.min(u16::MAX as usize) as u16),
                    state,
                    exit_code: if exited { code } else { None },
                    signal: if exited { p.signal } else { None },
                }
            })
            .collect()
    }
}
