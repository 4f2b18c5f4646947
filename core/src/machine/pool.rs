//! The process's libuv thread pool: `UV_THREADPOOL_SIZE` pool threads (slots) shared by every
//! agent of the process, as in Node (worker threads have no pool of their own).
//!
//! The pool lives in the [`super::bus::Bus`]: a running agent submits work to it
//! ([`crate::vm::Vm::pool_submit`] hands over the task's description; the callback and its
//! arguments stay in the agent, keyed by the agent's task id), and the machine
//! ([`super::Machine`]) moves the pool threads forward in virtual time.
//!
//! - The size is fixed at the first submission: `UV_THREADPOOL_SIZE` from the submitting
//!   agent's `process.env`, else [`crate::RunOptions::threadpool_size`].
//! - Tasks beyond the size wait in one FIFO queue (in the order the machine sees the
//!   submissions) and start the moment a slot frees.
//! - **CPU work** (`crypto.pbkdf2`/`scrypt`/`randomBytes`, async `zlib`: [`cpu_bound`]) needs a
//!   core: a busy pool thread is a scheduler thread like an agent (it takes a free core or
//!   queues with the agents, runs in slices of at most a quantum, pays a context switch, is
//!   preempted when something waits), and its task is done when its CPU time (`cost_ns`) has
//!   all run. **I/O work** (`fs`, `dns.lookup`) holds its slot for its fixed time and needs no
//!   core (it waits on the disk or the network).
//! - What the owning agent learns later — its task started after waiting, was queued, is done —
//!   is left in [`Pool::deliveries`] with its virtual time; the agent takes it in its next poll
//!   phase at or after that time (libuv hands finished work to the loop once per poll), which
//!   records it in the agent's trace and queues the callback.
//!
//! A submission is decided at once (the task starts in a free slot or queues, and the trace
//! says so at the call) when nothing in the pool can change before the submission's time;
//! otherwise (a slot might free in between) it is left pending and the machine decides it in
//! time order ([`Pool::pending`]).

use super::bus::AgentId;
use crate::recorder::IoKind;
use std::collections::VecDeque;

/// Whether work of this kind runs on the CPU of its pool thread (the others wait on a device).
pub fn cpu_bound(kind: IoKind) -> bool {
    matches!(kind, IoKind::Crypto | IoKind::Zlib)
}

/// One unit of work for the pool.
#[derive(Clone, Debug)]
pub struct PoolTask {
    /// The submitting agent and its id for the task (its callback is kept there).
    pub agent: AgentId,
    pub id: u64,
    pub kind: IoKind,
    pub label: String,
    /// CPU time (CPU work) or time on the device (I/O work).
    pub cost_ns: u64,
    pub submitted_ns: u64,
}

/// Where a pool thread with CPU work stands with the scheduler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuState {
    /// It wants a core from this time (the scheduler has not placed it yet).
    Runnable(u64),
    /// Waiting in the scheduler's queue for a core since this time.
    Queued(u64),
    /// On core `core`, simulated up to `clock`; its slice began at `slice_start`.
    Running {
        core: usize,
        clock: u64,
        slice_start: u64,
    },
}

/// What a busy slot is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// Waiting on the disk or the network until `done_ns`.
    Io { done_ns: u64 },
    /// CPU work with `left_ns` still to run.
    Cpu { left_ns: u64, state: CpuState },
}

/// A busy pool thread.
#[derive(Clone, Debug)]
pub struct Busy {
    pub task: PoolTask,
    pub started_ns: u64,
    pub work: Work,
}

impl Busy {
    /// The earliest time the task can be done (exact for I/O; for CPU work, if it keeps a
    /// core from now on).
    pub fn earliest_done(&self) -> u64 {
        match self.work {
            Work::Io { done_ns } => done_ns,
            Work::Cpu { left_ns, state } => {
                let from = match state {
                    CpuState::Runnable(t) | CpuState::Queued(t) => t,
                    CpuState::Running { clock, .. } => clock,
                };
                from + left_ns
            }
        }
    }
}

/// What the owning agent is told in its poll phase.
#[derive(Clone, Debug)]
pub enum Notice {
    /// The task waits for a free slot (decided by the machine, not at the call).
    Queued {
        id: u64,
        kind: IoKind,
        label: String,
    },
    /// The task started in `slot` (after waiting, or decided by the machine).
    Started {
        slot: usize,
        id: u64,
        kind: IoKind,
        label: String,
        cost_ns: u64,
    },
    /// The task is done; its callback waits for the poll phase.
    Done { slot: usize, id: u64 },
}

/// A notice for `agent`, due at `at_ns`.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub agent: AgentId,
    pub at_ns: u64,
    pub seq: u64,
    pub notice: Notice,
}

/// The pool (see the module docs).
#[derive(Debug, Default)]
pub struct Pool {
    /// Number of pool threads (0 until the first submission).
    pub size: usize,
    /// The size when the program does not set `UV_THREADPOOL_SIZE`.
    pub default_size: usize,
    pub slots: Vec<Option<Busy>>,
    pub queue: VecDeque<PoolTask>,
    /// Submissions the machine decides at their time (see the module docs).
    pub pending: Vec<PoolTask>,
    /// Notices not yet taken by their agents.
    pub deliveries: Vec<Delivery>,
    seq: u64,
}

/// How a submission went at the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Submitted {
    /// Started in this slot.
    Started(usize),
    /// Waits in the queue: every slot is busy.
    Queued,
    /// Left to the machine (see the module docs).
    Pending,
}

impl Pool {
    /// Fixes the size (at the first submission).
    pub fn start(&mut self, size: usize) {
        if self.size == 0 {
            self.size = size.max(1);
            self.slots = vec![None; self.size];
        }
    }

    /// Whether any task is running, waiting or pending.
    pub fn busy(&self) -> bool {
        !self.queue.is_empty() || !self.pending.is_empty() || self.slots.iter().any(|s| s.is_some())
    }

    /// Whether a pool thread has CPU work (it competes for the cores).
    pub fn cpu_busy(&self) -> bool {
        self.slots
            .iter()
            .flatten()
            .any(|b| matches!(b.work, Work::Cpu { .. }))
            || self
                .pending
                .iter()
                .chain(&self.queue)
                .any(|t| cpu_bound(t.kind))
    }

    /// Whether `agent` has tasks in the pool, or notices not yet taken.
    pub fn has_work_of(&self, agent: AgentId) -> bool {
        self.slots.iter().flatten().any(|b| b.task.agent == agent)
            || self
                .queue
                .iter()
                .chain(&self.pending)
                .any(|t| t.agent == agent)
            || self.deliveries.iter().any(|d| d.agent == agent)
    }

    /// The earliest notice for `agent`.
    pub fn next_delivery(&self, agent: AgentId) -> Option<u64> {
        self.deliveries
            .iter()
            .filter(|d| d.agent == agent)
            .map(|d| d.at_ns)
            .min()
    }

    /// Removes and returns `agent`'s notices due by `now`, in (time, order) order.
    pub fn take_deliveries(&mut self, agent: AgentId, now: u64) -> Vec<Delivery> {
        let (mut mine, rest): (Vec<Delivery>, Vec<Delivery>) = std::mem::take(&mut self.deliveries)
            .into_iter()
            .partition(|d| d.agent == agent && d.at_ns <= now);
        self.deliveries = rest;
        mine.sort_by_key(|d| (d.at_ns, d.seq));
        mine
    }

    fn deliver(&mut self, agent: AgentId, at_ns: u64, notice: Notice) {
        self.seq += 1;
        self.deliveries.push(Delivery {
            agent,
            at_ns,
            seq: self.seq,
            notice,
        });
    }

    /// A submission at `task.submitted_ns` by a running agent (see the module docs).
    pub fn submit(&mut self, task: PoolTask) -> Submitted {
        let now = task.submitted_ns;
        let settled =
            self.pending.is_empty() && self.slots.iter().flatten().all(|b| b.earliest_done() > now);
        if !settled {
            self.pending.push(task);
            return Submitted::Pending;
        }
        match self.slots.iter().position(|s| s.is_none()) {
            Some(k) => {
                self.begin(k, task, now);
                Submitted::Started(k)
            }
            None => {
                self.queue.push_back(task);
                Submitted::Queued
            }
        }
    }

    /// Slot `k` starts `task` at `at`.
    fn begin(&mut self, k: usize, task: PoolTask, at: u64) {
        let work = if cpu_bound(task.kind) {
            Work::Cpu {
                left_ns: task.cost_ns,
                state: CpuState::Runnable(at),
            }
        } else {
            Work::Io {
                done_ns: at + task.cost_ns,
            }
        };
        self.slots[k] = Some(Busy {
            task,
            started_ns: at,
            work,
        });
    }

    /// The machine decides the earliest pending submission (at its time).
    pub fn decide_pending(&mut self) {
        let Some(pos) = self
            .pending
            .iter()
            .enumerate()
            .min_by_key(|(i, t)| (t.submitted_ns, *i))
            .map(|(i, _)| i)
        else {
            return;
        };
        let task = self.pending.remove(pos);
        let now = task.submitted_ns;
        match self.slots.iter().position(|s| s.is_none()) {
            Some(k) => {
                self.deliver(
                    task.agent,
                    now,
                    Notice::Started {
                        slot: k,
                        id: task.id,
                        kind: task.kind,
                        label: task.label.clone(),
                        cost_ns: task.cost_ns,
                    },
                );
                self.begin(k, task, now);
            }
            None => {
                self.deliver(
                    task.agent,
                    now,
                    Notice::Queued {
                        id: task.id,
                        kind: task.kind,
                        label: task.label.clone(),
                    },
                );
                self.queue.push_back(task);
            }
        }
    }

    /// Slot `k`'s task is done at `at`: its agent hears of it, and the first queued task
    /// starts in the slot. Returns the finished task.
    pub fn finish(&mut self, k: usize, at: u64) -> Option<Busy> {
        let busy = self.slots[k].take()?;
        self.deliver(
            busy.task.agent,
            at,
            Notice::Done {
                slot: k,
                id: busy.task.id,
            },
        );
        if let Some(next) = self.queue.pop_front() {
            let at = at.max(next.submitted_ns);
            self.deliver(
                next.agent,
                at,
                Notice::Started {
                    slot: k,
                    id: next.id,
                    kind: next.kind,
                    label: next.label.clone(),
                    cost_ns: next.cost_ns,
                },
            );
            self.begin(k, next, at);
        }
        Some(busy)
    }

    /// Drops the tasks of an agent whose thread ended (a running task runs to its end; nobody
    /// hears of it).
    pub fn forget_agent(&mut self, agent: AgentId) {
        self.queue.retain(|t| t.agent != agent);
        self.pending.retain(|t| t.agent != agent);
        self.deliveries.retain(|d| d.agent != agent);
    }
}
