//! The microtask queue: ECMA-262 jobs (promise reactions, thenable resolutions,
//! `queueMicrotask` callbacks) and [`Vm::enqueue_job`], the one place that appends to
//! [`Vm::microtasks`]. The host's event loop drains the queue.

use super::Vm;
use crate::heap::{FuncKind, ObjKind, Reaction};
use crate::recorder::{Event, MicrotaskKind};
use crate::value::{ObjId, Value};

/// A microtask (ECMA-262 job).
#[derive(Clone, Debug)]
pub enum Job {
    /// PromiseReactionJob.
    Reaction { reaction: Reaction, argument: Value },
    /// NewPromiseResolveThenableJob.
    ResolveThenable {
        promise: ObjId,
        thenable: Value,
        then: Value,
    },
    /// queueMicrotask(fn).
    Callback { func: Value },
}

impl Job {
    /// The values the job holds (roots while it runs).
    pub fn values(&self) -> Vec<Value> {
        match self {
            Job::Reaction { reaction, argument } => {
                let mut v = vec![reaction.handler.clone(), argument.clone()];
                if let Some(c) = &reaction.capability {
                    v.extend([c.promise.clone(), c.resolve.clone(), c.reject.clone()]);
                }
                v
            }
            Job::ResolveThenable {
                promise,
                thenable,
                then,
            } => vec![Value::Obj(*promise), thenable.clone(), then.clone()],
            Job::Callback { func } => vec![func.clone()],
        }
    }
}

impl Vm {
    /// Appends a microtask, reporting it (with its kind) to a listening recorder.
    pub fn enqueue_job(&mut self, job: Job) {
        if self.recording() {
            let (kind, label, promise) = match &job {
                Job::Reaction { reaction, .. } => {
                    let is_await = matches!(&reaction.handler, Value::Obj(o)
                        if matches!(&self.heap.obj(*o).kind,
                            ObjKind::Function(FuncKind::Native { id, .. }) if *id == self.ids.async_resume));
                    let label = if let Value::Undefined = reaction.handler {
                        if reaction.is_reject {
                            "(pass rejection on)".to_string()
                        } else {
                            "(pass value on)".to_string()
                        }
                    } else {
                        self.callback_label(&reaction.handler)
                    };
                    (
                        if is_await {
                            MicrotaskKind::AwaitResume
                        } else {
                            MicrotaskKind::Reaction
                        },
                        label,
                        None,
                    )
                }
                Job::ResolveThenable { then, promise, .. } => (
                    MicrotaskKind::ResolveThenable,
                    self.callback_label(then),
                    Some(*promise),
                ),
                Job::Callback { func } => {
                    (MicrotaskKind::Callback, self.callback_label(func), None)
                }
            };
            self.recorder.event(Event::MicrotaskQueued {
                kind,
                label: &label,
                promise,
            });
        }
        self.microtasks.push_back(job);
    }
}
