//! Replay: the [`State`] a step reconstructs (call stack with locals, every queue, timers,
//! thread-pool slots, promise table, console length, phase, clock), kept as ids rather than
//! strings. [`State::apply`] is the only way it changes, for the recorder and for every
//! replay alike; [`super::view`] turns it into the page's view.

use super::{Record, NONE};
use crate::recorder::{IoKind, MicrotaskKind, Phase, PromiseOp, Queue};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

/// A promise in the replay state.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct PromiseS {
    pub(super) status: PromiseStatus,
    pub(super) handled: bool,
    /// Value or reason (index into [`Trace::values`](super::Trace::values)) once settled,
    /// else [`NONE`].
    pub(super) val: u32,
    /// Registered handlers: (label, derived promise or [`NONE`]).
    pub(super) waiters: Vec<(u32, u32)>,
}

impl PromiseS {
    fn new() -> PromiseS {
        PromiseS {
            status: PromiseStatus::Pending,
            handled: false,
            val: NONE,
            waiters: vec![],
        }
    }
}

/// State of a promise in the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PromiseStatus {
    Pending,
    Fulfilled,
    Rejected,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct FrameS {
    pub(super) func: u32,
    pub(super) env: u32,
    pub(super) stmt: u32,
    pub(super) locals: Vec<(u16, u32)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct TimerS {
    pub(super) id: u32,
    pub(super) due_ms: u32,
    pub(super) label: u32,
    pub(super) repeat: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct IoS {
    pub(super) id: u32,
    pub(super) label: u32,
    pub(super) due_us: u32,
    /// Finished in the thread pool (waiting for poll), or network (ready when due).
    pub(super) pooled: bool,
}

/// The replayable state after a step (ids, not strings). Cloned into keyframes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    pub(super) clock: u64,
    pub(super) phase: Phase,
    pub(super) frames: Vec<FrameS>,
    pub(super) ticks: VecDeque<u32>,
    /// (kind, label, promise)
    pub(super) micro: VecDeque<(MicrotaskKind, u32, u32)>,
    pub(super) timers: Vec<TimerS>,
    pub(super) immediates: VecDeque<(u32, u32)>,
    pub(super) io: Vec<IoS>,
    /// Busy slots: (task id, label, cost µs, kind).
    pub(super) pool: Vec<Option<(u32, u32, u32, IoKind)>>,
    pub(super) pool_queue: VecDeque<(u32, u32)>,
    pub(super) promises: BTreeMap<u32, PromiseS>,
    /// Total number of promise waiters (kept so [`State::weight`] stays O(1)).
    pub(super) waiters: usize,
    pub(super) console_len: u32,
    /// The callback most recently taken from a queue.
    pub(super) current: Option<(Queue, u32)>,
    /// The thread these fields belong to (0: the main thread) and the core it last ran on.
    pub(super) agent: u16,
    pub(super) core: u16,
    /// With worker threads: every other thread's state, by agent id (the entry of `agent`
    /// itself is an empty placeholder). [`Record::Agent`] swaps a thread in.
    pub(super) others: Vec<State>,
}

impl State {
    /// Rough number of entries (decides how far apart keyframes may be).
    #[inline]
    pub(super) fn weight(&self) -> usize {
        let own = self.own_weight();
        if self.others.is_empty() {
            own
        } else {
            own + self.others.iter().map(State::weight).sum::<usize>()
        }
    }

    /// The weight of this thread's part.
    #[inline]
    fn own_weight(&self) -> usize {
        self.frames
            .iter()
            .map(|f| f.locals.len() + 1)
            .sum::<usize>()
            + self.ticks.len()
            + self.micro.len()
            + self.timers.len()
            + self.immediates.len()
            + self.io.len()
            + self.pool.len()
            + self.pool_queue.len()
            + self.promises.len()
            + self.waiters
    }

    /// The state of thread `agent` (this one's, or a parked one's).
    pub(super) fn of_agent(&self, agent: u16) -> Option<&State> {
        if agent == self.agent {
            Some(self)
        } else {
            self.others.get(agent as usize)
        }
    }

    /// The agents this state knows (the current one and every parked one).
    pub(super) fn agent_count(&self) -> usize {
        self.others.len().max(self.agent as usize + 1)
    }

    /// Makes thread `agent` the current one: its state comes out of `others`, the current
    /// one goes in. The console is the process's, so its length carries over.
    fn switch_to(&mut self, agent: u16, core: u16) {
        if agent != self.agent {
            let mut others = std::mem::take(&mut self.others);
            let needed = (agent.max(self.agent) as usize) + 1;
            if others.len() < needed {
                others.resize_with(needed, State::default);
            }
            let mut next = std::mem::take(&mut others[agent as usize]);
            next.console_len = self.console_len;
            let old = self.agent;
            std::mem::swap(self, &mut next);
            others[old as usize] = next;
            self.others = others;
            self.agent = agent;
        }
        self.core = core;
    }

    /// Applies one record.
    pub fn apply(&mut self, r: &Record) {
        match *r {
            Record::Stmt { stmt, dt } => {
                self.clock += dt as u64;
                if let Some(f) = self.frames.last_mut() {
                    f.stmt = stmt;
                }
            }
            Record::Call { func, depth, env } => {
                self.frames.truncate(depth.saturating_sub(1) as usize);
                self.frames.push(FrameS {
                    func,
                    env,
                    stmt: NONE,
                    locals: vec![],
                });
            }
            Record::Return { depth } => self.frames.truncate(depth as usize),
            Record::Var { env, slot, val } => {
                if let Some(f) = self.frames.iter_mut().rev().find(|f| f.env == env) {
                    match f.locals.iter_mut().find(|l| l.0 == slot) {
                        Some(l) => l.1 = val,
                        None => f.locals.push((slot, val)),
                    }
                }
            }
            Record::Run { queue, id } => {
                self.frames.clear();
                let label = match queue {
                    Queue::NextTick => self.ticks.pop_front(),
                    Queue::Microtask => self.micro.pop_front().map(|m| m.1),
                    Queue::Timer => {
                        let pos = self.timers.iter().position(|t| t.id == id);
                        pos.map(|p| {
                            let t = self.timers[p];
                            if !t.repeat {
                                self.timers.remove(p);
                            }
                            t.label
                        })
                    }
                    Queue::Immediate => {
                        let pos = self.immediates.iter().position(|t| t.0 == id);
                        pos.and_then(|p| self.immediates.remove(p)).map(|x| x.1)
                    }
                    Queue::Io => {
                        let pos = self.io.iter().position(|t| t.id == id);
                        pos.map(|p| self.io.remove(p).label)
                    }
                };
                self.current = Some((queue, label.unwrap_or(NONE)));
            }
            Record::TickQueued { label } => self.ticks.push_back(label),
            Record::MicrotaskQueued {
                micro,
                label,
                promise,
            } => self.micro.push_back((micro, label, promise)),
            Record::TimerSet {
                id,
                due_ms,
                label,
                repeat,
            } => {
                self.timers.retain(|t| t.id != id);
                let t = TimerS {
                    id,
                    due_ms,
                    label,
                    repeat,
                };
                let pos = self.timers.partition_point(|x| x.due_ms <= due_ms);
                self.timers.insert(pos, t);
            }
            Record::TimerCleared { id } => self.timers.retain(|t| t.id != id),
            Record::ImmediateSet { id, label } => self.immediates.push_back((id, label)),
            Record::ImmediateCleared { id } => self.immediates.retain(|t| t.0 != id),
            Record::IoStarted {
                id, label, due_us, ..
            } => self.io.push(IoS {
                id,
                label,
                due_us,
                pooled: false,
            }),
            Record::PoolQueued { id, label, .. } => self.pool_queue.push_back((id, label)),
            Record::PoolStarted {
                slot,
                id,
                io,
                label,
                cost_us,
            } => {
                self.pool_queue.retain(|q| q.0 != id);
                let s = slot as usize;
                if self.pool.len() <= s {
                    self.pool.resize(s + 1, None);
                }
                self.pool[s] = Some((id, label, cost_us, io));
            }
            Record::PoolDone { slot, id, done_us } => {
                let s = slot as usize;
                let mut label = NONE;
                let due_us = done_us;
                if let Some(Some((_, l, _, _))) = self.pool.get(s) {
                    label = *l;
                }
                if s < self.pool.len() {
                    self.pool[s] = None;
                }
                self.io.push(IoS {
                    id,
                    label,
                    due_us,
                    pooled: true,
                });
            }
            Record::Promise { id, op, val } => {
                if op == PromiseOp::Created {
                    self.promises.insert(id, PromiseS::new());
                    return;
                }
                let p = self.promises.entry(id).or_insert_with(PromiseS::new);
                match op {
                    PromiseOp::Created => {}
                    PromiseOp::Fulfilled => {
                        p.status = PromiseStatus::Fulfilled;
                        p.val = val;
                    }
                    PromiseOp::Rejected => {
                        p.status = PromiseStatus::Rejected;
                        p.val = val;
                    }
                    PromiseOp::Handled => p.handled = true,
                }
            }
            Record::Then { id, derived, label } => {
                let p = self.promises.entry(id).or_insert_with(PromiseS::new);
                p.handled = true;
                p.waiters.push((label, derived));
                self.waiters += 1;
            }
            Record::Output { line } => self.console_len = line + 1,
            Record::Phase { phase } => {
                self.phase = phase;
                self.frames.clear();
            }
            Record::Clock { lo, hi } => self.clock = lo as u64 | (hi as u64) << 32,
            Record::Note { .. }
            | Record::Posted { .. }
            | Record::Spawned { .. }
            | Record::Signal { .. } => {}
            Record::Delivered { .. } => self.frames.clear(),
            Record::Agent { agent, core } => self.switch_to(agent, core),
        }
    }
}
