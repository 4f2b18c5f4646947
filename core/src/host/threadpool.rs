//! The simulated libuv thread pool: `UV_THREADPOOL_SIZE` slots (default 4) on the virtual
//! clock. File-system operations, `dns.lookup`, `crypto.pbkdf2` / `randomBytes` and async
//! `zlib` run here. A task occupies a slot for its cost (see [`crate::CostModel`]); tasks
//! beyond the slot count wait in FIFO order and start the moment a slot frees (worker threads
//! do not wait for the event loop). A finished task's callback runs in the next poll phase.
//!
//! The callback-or-promise shape of Node's thread-pool APIs is here too ([`pool_op`]).
//!
//! The pool size is fixed at the first submission, like libuv: `process.env.UV_THREADPOOL_SIZE`
//! set before the first pool operation wins over [`crate::RunOptions::threadpool_size`].

use super::errors::set_code;
use super::event_loop::IoCompletion;
use crate::recorder::{Event, IoKind};
use crate::value::Value;
use crate::vm::{JsResult, Vm};
use std::collections::VecDeque;

/// One unit of work for the pool.
#[derive(Clone, Debug)]
pub struct PoolTask {
    pub id: u64,
    pub kind: IoKind,
    pub label: String,
    pub cost_ns: u64,
    pub callback: Value,
    pub args: Vec<Value>,
}

/// The pool: slots (each running one task until `done_ns`) and the wait queue.
#[derive(Default, Debug)]
pub struct ThreadPool {
    /// Configured size (0 until the pool starts on first use).
    pub size: usize,
    /// Default size when the program does not set `UV_THREADPOOL_SIZE`.
    pub default_size: usize,
    pub slots: Vec<Option<(PoolTask, u64)>>,
    pub queue: VecDeque<PoolTask>,
}

impl ThreadPool {
    /// Whether any task is running or waiting.
    pub fn busy(&self) -> bool {
        !self.queue.is_empty() || self.slots.iter().any(|s| s.is_some())
    }
    /// The earliest completion time of a running task.
    pub fn next_done(&self) -> Option<u64> {
        self.slots.iter().flatten().map(|(_, d)| *d).min()
    }
}

impl Vm {
    fn pool_start(&mut self) {
        if self.host.pool.size > 0 {
            return;
        }
        let mut size = self.host.pool.default_size.max(1);
        // libuv reads UV_THREADPOOL_SIZE when the pool starts.
        let p = Value::Obj(self.host.process);
        if let Ok(env @ Value::Obj(_)) = self.get_by_name(&p, "env") {
            if let Ok(v) = self.get_by_name(&env, "UV_THREADPOOL_SIZE") {
                if !matches!(v, Value::Undefined) {
                    if let Ok(s) = self.to_string(&v) {
                        if let Ok(n) = s.trim().parse::<usize>() {
                            size = n.clamp(1, 1024);
                        }
                    }
                }
            }
        }
        self.host.pool.size = size;
        self.host.pool.slots = vec![None; size];
    }

    /// Submits work to the pool; `callback(...args)` runs in the poll phase after it is done.
    /// Returns the task id.
    pub fn pool_submit(
        &mut self,
        kind: IoKind,
        label: String,
        cost_ns: u64,
        callback: Value,
        args: Vec<Value>,
    ) -> u64 {
        self.pool_start();
        self.host.seq += 1;
        let id = self.host.seq;
        let task = PoolTask {
            id,
            kind,
            label,
            cost_ns,
            callback,
            args,
        };
        let now = self.clock_ns;
        match self.host.pool.slots.iter().position(|s| s.is_none()) {
            Some(slot) => self.pool_run(slot, task, now),
            None => {
                if self.recording() {
                    self.recorder.event(Event::PoolQueued {
                        id,
                        kind,
                        label: &task.label,
                    });
                }
                self.host.pool.queue.push_back(task);
            }
        }
        id
    }

    fn pool_run(&mut self, slot: usize, task: PoolTask, start_ns: u64) {
        let done = start_ns + task.cost_ns;
        if self.recording() {
            self.recorder.event(Event::PoolStarted {
                slot: slot as u32,
                id: task.id,
                kind: task.kind,
                label: &task.label,
                done_ns: done,
            });
        }
        self.host.pool.slots[slot] = Some((task, done));
    }

    /// Completes every task done by `now` (in completion order), handing its callback to the
    /// poll phase and starting waiting tasks in the freed slots at the completion time.
    pub fn pool_advance(&mut self, now: u64) {
        loop {
            let next = self
                .host
                .pool
                .slots
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.as_ref().map(|(_, d)| (*d, i)))
                .filter(|(d, _)| *d <= now)
                .min();
            let Some((done, slot)) = next else { return };
            let Some((task, _)) = self.host.pool.slots[slot].take() else {
                return;
            };
            self.host_event(Event::PoolDone {
                slot: slot as u32,
                id: task.id,
            });
            self.host.io.push(IoCompletion {
                due_ns: done,
                seq: task.id,
                callback: task.callback,
                args: task.args,
            });
            if let Some(t) = self.host.pool.queue.pop_front() {
                self.pool_run(slot, t, done);
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
        opts.threadpool_size = 8;
        assert_eq!(
            out(PBKDF2, &opts),
            "1 100\n2 100\n3 100\n4 100\n5 100\n6 100\n"
        );
    }

    #[test]
    fn env_var_sets_pool_size_before_first_use() {
        let src = format!("process.env.UV_THREADPOOL_SIZE = '6';\n{PBKDF2}");
        assert_eq!(
            out(&src, &RunOptions::default()),
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
