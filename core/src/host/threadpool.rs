//! The agent's side of the libuv thread pool. The pool itself belongs to the process and
//! lives on the machine ([`crate::machine::pool`]): `UV_THREADPOOL_SIZE` slots (default 4)
//! shared by every thread of the process. File-system operations, `dns.lookup`,
//! `crypto.pbkdf2` / `randomBytes` and async `zlib` run there. [`Vm::pool_submit`] hands the
//! task's description to the pool and keeps its callback and arguments here ([`ThreadPool`],
//! keyed by task id: they are values of this agent's heap); in the poll phase,
//! [`Vm::pool_advance`] takes what the pool has to say (a task started after waiting, is done)
//! and queues the callbacks of finished tasks.
//!
//! CPU work (pbkdf2, randomBytes, zlib) needs a core while it runs, so it competes with the
//! JavaScript threads for the machine's cores; I/O work (fs, dns) holds its slot for its
//! fixed time without a core.
//!
//! The callback-or-promise shape of Node's thread-pool APIs is here too ([`pool_op`]).
//!
//! The pool size is fixed at the first submission, like libuv: `process.env.UV_THREADPOOL_SIZE`
//! set (in the submitting thread) before the first pool operation of the process wins over
//! [`crate::RunOptions::threadpool_size`].

use super::errors::set_code;
use super::event_loop::IoCompletion;
use crate::machine::pool::{cpu_bound, Notice, PoolTask, Submitted};
use crate::recorder::{Event, IoKind};
use crate::value::Value;
use crate::vm::{JsResult, Vm};
use std::collections::BTreeMap;

/// This agent's tasks in the process's pool: task id -> (callback, arguments).
#[derive(Default, Debug)]
pub struct ThreadPool {
    pub tasks: BTreeMap<u64, (Value, Vec<Value>)>,
}

impl ThreadPool {
    /// Whether this agent has work in the pool.
    pub fn busy(&self) -> bool {
        !self.tasks.is_empty()
    }
}

impl Vm {
    /// libuv reads UV_THREADPOOL_SIZE when the pool starts: this agent's `process.env`.
    fn pool_size_from_env(&mut self) -> Option<usize> {
        let p = Value::Obj(self.host.process);
        let Ok(env @ Value::Obj(_)) = self.get_by_name(&p, "env") else {
            return None;
        };
        let v = self.get_by_name(&env, "UV_THREADPOOL_SIZE").ok()?;
        if matches!(v, Value::Undefined) {
            return None;
        }
        let s = self.to_string(&v).ok()?;
        s.trim().parse::<usize>().ok().map(|n| n.clamp(1, 1024))
    }

    /// Submits work to the process's pool; `callback(...args)` runs in the poll phase after it
    /// is done. Returns the task id.
    pub fn pool_submit(
        &mut self,
        kind: IoKind,
        label: String,
        cost_ns: u64,
        callback: Value,
        args: Vec<Value>,
    ) -> u64 {
        if self.host.link.is_none() {
            // a VM outside a machine (unit tests): a bus of its own
            self.host.link = Some(crate::host::worker_threads::AgentLink::new(
                0,
                Default::default(),
                0,
            ));
        }
        let unsized_pool = self.pool_bus(|p| p.size == 0);
        if unsized_pool {
            let size = self.pool_size_from_env();
            self.pool_bus(|p| {
                let size = size.unwrap_or(p.default_size);
                p.start(size)
            });
        }
        self.host.seq += 1;
        let id = self.host.seq;
        let agent = self.host.link.as_ref().map_or(0, |l| l.id);
        let now = self.clock_ns;
        let task = PoolTask {
            agent,
            id,
            kind,
            label,
            cost_ns,
            submitted_ns: now,
        };
        let label = task.label.clone();
        let how = self.pool_bus(|p| p.submit(task));
        self.host.pool.tasks.insert(id, (callback, args));
        match how {
            Submitted::Started(slot) => self.record_pool_start(slot, id, kind, &label, cost_ns),
            Submitted::Queued => {
                if self.recording() {
                    self.recorder.event(Event::PoolQueued {
                        id,
                        kind,
                        label: &label,
                    });
                }
            }
            Submitted::Pending => {}
        }
        if cpu_bound(kind) && how != Submitted::Queued {
            // a pool thread wants a core: let the scheduler look at the machine soon
            self.slice_end_ns = self.slice_end_ns.min(self.clock_ns);
        }
        id
    }

    fn pool_bus<R>(&mut self, f: impl FnOnce(&mut crate::machine::pool::Pool) -> R) -> R {
        let link = self.host.link.as_ref().expect("agent link");
        let mut bus = link.bus.borrow_mut();
        f(&mut bus.pool)
    }

    fn record_pool_start(&mut self, slot: usize, id: u64, kind: IoKind, label: &str, cost_ns: u64) {
        if self.recording() {
            self.recorder.event(Event::PoolStarted {
                slot: slot as u32,
                id,
                kind,
                label,
                cost_ns,
            });
        }
    }

    /// When the pool next has something to tell this agent.
    pub fn next_pool_due(&self) -> Option<u64> {
        let l = self.host.link.as_ref()?;
        let bus = l.bus.borrow();
        if bus.pool.deliveries.is_empty() {
            return None;
        }
        bus.pool.next_delivery(l.id)
    }

    /// Takes what the pool has to say up to `now` (in time order): records it, and hands the
    /// callback of every finished task to the poll phase.
    pub fn pool_advance(&mut self, now: u64) {
        let Some(l) = self.host.link.as_ref() else {
            return;
        };
        let agent = l.id;
        let notices = {
            let mut bus = l.bus.borrow_mut();
            if bus.pool.deliveries.is_empty() {
                return;
            }
            bus.pool.take_deliveries(agent, now)
        };
        for d in notices {
            match d.notice {
                Notice::Queued { id, kind, label } => {
                    if self.recording() {
                        self.recorder.event(Event::PoolQueued {
                            id,
                            kind,
                            label: &label,
                        });
                    }
                }
                Notice::Started {
                    slot,
                    id,
                    kind,
                    label,
                    cost_ns,
                } => self.record_pool_start(slot, id, kind, &label, cost_ns),
                Notice::Done { slot, id } => {
                    self.host_event(Event::PoolDone {
                        slot: slot as u32,
                        id,
                        done_ns: d.at_ns,
                    });
                    if let Some((callback, args)) = self.host.pool.tasks.remove(&id) {
                        self.host.io.push(IoCompletion {
                            due_ns: d.at_ns,
                            seq: id,
                            callback,
                            args,
                        });
                    }
                }
            }
        }
    }
}

/// The trailing callback argument, if any.
pub(crate) fn callback(vm: &Vm, args: &[Value]) -> Option<Value> {
    args.last().filter(|a| vm.is_callable(a)).cloned()
}

/// Runs `result` through the pool: with a callback, `cb(err)` / `cb(null, value)` in the poll
/// phase; without, returns a promise settled in the poll phase.
pub(crate) fn pool_op(
    vm: &mut Vm,
    kind: IoKind,
    label: String,
    cost_ns: u64,
    result: Result<Value, Value>,
    cb: Option<Value>,
) -> JsResult {
    match cb {
        Some(cb) => {
            let args = match result {
                Ok(v) => vec![Value::Null, v],
                Err(e) => vec![e],
            };
            vm.pool_submit(kind, label, cost_ns, cb, args);
            Ok(Value::Undefined)
        }
        None => {
            let cap = vm.new_capability();
            let (f, a) = match result {
                Ok(v) => (cap.resolve.clone(), v),
                Err(e) => (cap.reject.clone(), e),
            };
            vm.pool_submit(kind, label, cost_ns, f, vec![a]);
            Ok(cap.promise)
        }
    }
}

pub(crate) fn require_cb(vm: &mut Vm, args: &[Value]) -> Result<Value, Value> {
    match callback(vm, args) {
        Some(c) => Ok(c),
        None => {
            let e =
                vm.type_error("The \"cb\" argument must be of type function. Received undefined");
            set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{run, RunOptions};

    fn out(src: &str, opts: &RunOptions) -> String {
        let o = run(src, opts);
        assert_eq!(o.exit_code, 0, "stderr: {}", o.stderr);
        o.stdout
    }

    const PBKDF2: &str = r#"
const crypto = require('crypto');
const start = Date.now();
for (let i = 1; i <= 6; i++) {
  crypto.pbkdf2('secret', 'salt', 100000, 64, 'sha512', (err, key) => {
    console.log(i, Math.round((Date.now() - start) / 10) * 10);
  });
}
"#;

    #[test]
    fn pbkdf2_batches_by_pool_size() {
        let o = out(PBKDF2, &RunOptions::default());
        assert_eq!(o, "1 100\n2 100\n3 100\n4 100\n5 200\n6 200\n");
        let mut opts = RunOptions {
            threadpool_size: 2,
            ..Default::default()
        };
        assert_eq!(
            out(PBKDF2, &opts),
            "1 100\n2 100\n3 200\n4 200\n5 300\n6 300\n"
        );
        // eight pool threads need eight cores to run six hashes at once
        opts.threadpool_size = 8;
        opts.cores = 8;
        assert_eq!(
            out(PBKDF2, &opts),
            "1 100\n2 100\n3 100\n4 100\n5 100\n6 100\n"
        );
    }

    #[test]
    fn env_var_sets_pool_size_before_first_use() {
        let src = format!("process.env.UV_THREADPOOL_SIZE = '6';\n{PBKDF2}");
        let opts = RunOptions {
            cores: 8,
            ..Default::default()
        };
        assert_eq!(
            out(&src, &opts),
            "1 100\n2 100\n3 100\n4 100\n5 100\n6 100\n"
        );
    }

    #[test]
    fn pool_callbacks_run_in_poll_before_check() {
        let src = r#"
const fs = require('fs');
fs.stat(__filename, (err, st) => {
  console.log('stat', err === null, st.isFile());
  setTimeout(() => console.log('timeout'), 0);
  setImmediate(() => console.log('immediate'));
});
"#;
        assert_eq!(
            out(src, &RunOptions::default()),
            "stat true true\nimmediate\ntimeout\n"
        );
    }
}
