//! The simulated machine: virtual cores, the agents (JavaScript threads) that run on them,
//! and the deterministic scheduler that decides which agent runs when, on which core.
//!
//! Engine state is split by lifetime. An **agent** is one JavaScript thread: a [`Vm`] (its
//! heap, realm, frames, microtask and nextTick queues, timers, immediates, its event loop and
//! its own virtual clock). The **process** is what its agents share: stdout and stderr (a
//! worker's output lines travel to the main thread, as in Node), the exit code, the files, and
//! the libuv thread pool ([`pool`], kept on the bus). The **machine** is the cores, the cost
//! model, the [`bus`] the agents talk through, and this scheduler.
//!
//! **The scheduler.** Each agent's event loop is a step function ([`Vm::loop_step`]): one
//! job, or part of one. The machine always advances the agent whose next event is earliest
//! in virtual time (a running agent's clock, an idle agent's wake-up: its next timer or its
//! next message), so an agent decides what to run next only when every other agent has been
//! simulated up to that time: messages are never seen early or late. An agent needs a core
//! to run; with more runnable agents than cores, they queue (FIFO) and take turns by time
//! slices of `CostModel::quantum_ns`, each turn on a core that last ran another thread
//! costing `CostModel::context_switch_ns`. A job yields at the end of its slice at a safe
//! point (see `host::event_loop`), so a worker counting to a billion shares its core fairly.
//!
//! **Pool threads.** The scheduler's threads ([`Thread`]) are the agents and the busy libuv
//! pool threads with CPU work (pbkdf2, randomBytes, zlib): such a pool thread takes a free core
//! or queues in the same FIFO queue, runs in chunks of at most a quantum (simulated in one go;
//! its next event is at the chunk's end), pays a context switch, is preempted at the end of
//! its slice when something waits, and finishes when its CPU time has run; the owning agent
//! hears of it in its next poll phase. Pool tasks with I/O work need no core: their slot is
//! free again at a fixed time. At equal times pool events come first (a slot that frees is
//! seen before anything that could use it). One exception to FIFO: an agent that wakes (from
//! idle or a wait) and finds no free core takes one from a pool thread at once, undoing the
//! part of the pool thread's chunk past that time (the kernel's wake-up preemption: the main
//! thread's callbacks are not delayed by a quantum of hashing); the pool thread waits at the
//! head of the queue.
//!
//! With one agent and an idle pool nothing yields and nothing is queued: single-thread programs
//! without pool work run exactly as before the machine existed. A busy pool sends even a
//! single agent through the scheduler (a submission of CPU work ends the agent's step at the
//! next safe point so that the pool thread can be placed).
//!
//! Same program, same settings: same schedule, output and trace.

pub mod bus;
pub mod pool;
pub mod process;

use crate::bytecode::{ModuleEntry, ModuleKind};
use crate::host::event_loop::{Cursor, LoopStatus};
use crate::host::process::Identity;
use crate::host::worker_threads::AgentLink;
use crate::host::Stream;
use crate::recorder::{Event, JobKind, NoopRecorder, Recorder};
use crate::value::Value;
use crate::vm::{Abort, Vm};
use crate::{RunOptions, EXIT_BUDGET, EXIT_HEAP};
use bus::{AgentId, Bus, NetEvent, Payload, PortId, SpawnRequest};
use pool::{CpuState, Work};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Where an agent stands with the scheduler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentState {
    /// It holds a core; its next event is at its clock.
    Running,
    /// Runnable, waiting for a free core since this time.
    Queued(u64),
    /// Idle until a time (its next timer or completion), or until a message.
    Idle(Option<u64>),
    /// Blocked in `Atomics.wait` until the time-out (`None`: none), unless woken first.
    Blocked(Option<u64>),
    /// Woken by `Atomics.notify`: runnable at this time.
    Woken(u64),
    /// Its thread ended.
    Done,
}

/// One JavaScript thread on the machine.
pub struct Agent {
    pub vm: Vm,
    /// The process it belongs to.
    pub pid: process::Pid,
    pub thread_id: u32,
    /// The agent that created it (`None` for the main thread).
    pub parent: Option<AgentId>,
    /// The `Worker` object's end of its channel, in the parent (where `online`, `error` and
    /// `exit` go).
    pub worker_port: Option<PortId>,
    pub state: AgentState,
    /// The core it holds while running.
    pub core: Option<usize>,
    /// When its current time slice began.
    pub slice_start: u64,
    pub exit_code: Option<i32>,
}

/// A thread the scheduler places on cores: an agent, or a libuv pool thread (by slot) while
/// it has CPU work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thread {
    Agent(AgentId),
    Pool(usize),
}

/// One virtual core.
#[derive(Clone, Debug, Default)]
pub struct Core {
    pub holder: Option<Thread>,
    /// When it became free.
    pub free_at: u64,
    /// The thread it ran last (a different one pays a context switch).
    pub last: Option<Thread>,
}

/// A stretch of time one thread ran on one core.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Slice {
    /// The agent that ran; for a pool thread, the agent whose task it ran.
    pub agent: AgentId,
    /// For a libuv pool thread: its index (0-based; the narration counts from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool_thread: Option<usize>,
    /// "main thread", "worker N" or "libuv pool thread N".
    pub thread: String,
    pub core: usize,
    pub start_ns: u64,
    pub end_ns: u64,
}

/// The next thing the scheduler does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Next {
    /// A pool thread's event: its I/O is done, it wants a core, or it runs on one.
    Pool(usize),
    /// A submission the pool decides at its time.
    Pending,
    /// A running agent steps.
    Run(AgentId),
    /// An idle, blocked or woken agent wants a core.
    Wake(AgentId),
}

/// One thread as the machine report shows it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ThreadReport {
    pub agent: AgentId,
    /// The process it belongs to.
    pub pid: process::Pid,
    /// Node's `threadId`.
    pub thread_id: u32,
    /// "main thread" or "worker N".
    pub name: String,
    pub parent: Option<AgentId>,
    pub exit_code: Option<i32>,
    /// Instructions it executed.
    pub steps: u64,
    /// Live heap objects at its end, and the heap-size figure they stand for.
    pub heap_objects: usize,
    pub heap_bytes: u64,
}

/// What ran where and when, and what the threads sent each other (runs with workers only).
#[derive(Clone, Debug, serde::Serialize)]
pub struct MachineReport {
    pub cores: usize,
    pub threads: Vec<ThreadReport>,
    pub slices: Vec<Slice>,
    pub messages: Vec<bus::MessageRecord>,
    /// The processes: the main program and the children it started.
    pub processes: Vec<process::ProcessReport>,
    /// Context switches (a core handed to another thread).
    pub context_switches: u64,
    /// The process's memory figure: a base per process and per thread plus the live heaps.
    pub rss_bytes: u64,
}

/// A run on the machine.
pub struct Machine {
    pub agents: Vec<Agent>,
    pub cores: Vec<Core>,
    queue: VecDeque<Thread>,
    pub bus: Rc<RefCell<Bus>>,
    options: RunOptions,
    /// Instructions left for the whole run (shared by the agents).
    budget_left: u64,
    /// Set when the run must end early: the text for stderr and the exit code.
    stopped: Option<(String, i32)>,
    slices: Vec<Slice>,
    context_switches: u64,
}

/// Why a new agent could not start.
pub enum BootError {
    /// A syntax error: Node's report of it.
    Syntax { offset: u32, message: String },
    /// The compiler refused the program.
    Compile { offset: u32, message: String },
    /// The prelude failed (an engine bug).
    Prelude(String),
}

impl Machine {
    pub fn new(options: &RunOptions) -> Machine {
        let cost = &options.cost;
        let bus = Bus {
            next_agent: 1,
            message_base_ns: cost.message_base_ns,
            message_byte_ps: cost.message_byte_ps,
            next_thread_id: 1,
            ..Default::default()
        };
        let mut bus = bus;
        bus.pool.default_size = options.threadpool_size.max(1) as usize;
        Machine {
            agents: Vec::new(),
            cores: vec![Core::default(); options.cores.clamp(1, 64) as usize],
            queue: VecDeque::new(),
            bus: Rc::new(RefCell::new(bus)),
            options: options.clone(),
            budget_left: options.instruction_budget,
            stopped: None,
            slices: Vec::new(),
            context_switches: 0,
        }
    }

    /// Starts the main thread on `source`; it gets core 0.
    pub fn boot_main(
        &mut self,
        source: &str,
        recorder: Box<dyn Recorder>,
    ) -> Result<(), BootError> {
        let filename = self.options.filename.clone();
        let identity = self.options.process.clone().unwrap_or_default();
        let pid = identity.pid;
        let vm = self.boot_agent(source, &filename, recorder, 0, None, identity)?;
        self.agents.push(Agent {
            vm,
            pid,
            thread_id: 0,
            parent: None,
            worker_port: None,
            state: AgentState::Running,
            core: Some(0),
            slice_start: 0,
            exit_code: None,
        });
        self.cores[0].holder = Some(Thread::Agent(0));
        self.cores[0].last = Some(Thread::Agent(0));
        Ok(())
    }

    /// A new agent: compiles `source` with the prelude, builds its realm and host, runs the
    /// prelude, and leaves the main module as the first job of its loop.
    fn boot_agent(
        &mut self,
        source: &str,
        filename: &str,
        recorder: Box<dyn Recorder>,
        thread_id: u32,
        parent_port: Option<PortId>,
        identity: Identity,
    ) -> Result<Vm, BootError> {
        let options = self.options.clone();
        let allocator = oxc_allocator::Allocator::default();
        let parsed =
            oxc_parser::Parser::new(&allocator, source, oxc_span::SourceType::cjs()).parse();
        if let Some(d) = parsed.diagnostics.errors().next() {
            let offset = d.labels.first().map(|l| l.offset()).unwrap_or(0);
            return Err(BootError::Syntax {
                offset,
                message: d.message.to_string(),
            });
        }
        let prelude_alloc = oxc_allocator::Allocator::default();
        let prelude =
            oxc_parser::Parser::new(&prelude_alloc, crate::PRELUDE, oxc_span::SourceType::cjs())
                .parse();
        if let Some(d) = prelude.diagnostics.errors().next() {
            return Err(BootError::Prelude(format!("prelude.js: {}", d.message)));
        }
        // the project's files it may require, compiled in with it (host/modules.rs)
        let project = self.project_files();
        let found = crate::host::modules::discover(filename, source, &project);
        let module_allocs: Vec<oxc_allocator::Allocator> =
            found.iter().map(|_| Default::default()).collect();
        let mut scripts = vec![];
        let mut other_modules = vec![];
        for ((path, text), alloc) in found.iter().zip(&module_allocs) {
            if path.ends_with(".json") {
                other_modules.push((path.clone(), ModuleKind::Json(text.clone())));
                continue;
            }
            let parsed = oxc_parser::Parser::new(alloc, text, oxc_span::SourceType::cjs()).parse();
            let error = parsed
                .diagnostics
                .errors()
                .next()
                .map(|d| d.message.to_string());
            match error {
                Some(message) => {
                    other_modules.push((path.clone(), ModuleKind::SyntaxError(message)));
                }
                None => scripts.push((path.clone(), &*alloc.alloc(parsed.program))),
            }
        }
        let mut program = crate::compiler::Compiler::compile_project(
            &parsed.program,
            &scripts,
            Some(&prelude.program),
        )
        .map_err(|e| BootError::Compile {
            offset: e.offset,
            message: e.message,
        })?;
        for (path, kind) in other_modules {
            program.modules.push(ModuleEntry { path, kind });
        }
        let prelude_index = program.prelude;
        let mut vm = Vm::new(program, source, filename);
        vm.recorder = recorder;
        let prog = vm.program.clone();
        vm.recorder.begin(&prog, source, filename);
        vm.heap_budget = options.heap_budget;
        vm.max_frames = options.max_call_depth;
        vm.instr_cost_ns = options.cost.instruction_ns;
        vm.host.fs_latency_ns = options.cost.fs_read_ns;
        vm.host.cwd = options.cwd.clone();
        vm.host.network = options.network.clone();
        vm.host.cost = options.cost.clone();
        vm.host.cpu_count = options.cores.clamp(1, 64);
        for (path, contents) in &options.files {
            let full = if path.starts_with('/') {
                path.clone()
            } else {
                format!("{}/{}", options.cwd.trim_end_matches('/'), path)
            };
            vm.host.files.insert(full, contents.clone());
        }
        let main_source = self.main_source().unwrap_or(source).to_string();
        vm.host.files.insert(options.filename.clone(), main_source);
        let mut link = AgentLink::new(self.agents.len(), self.bus.clone(), thread_id);
        link.parent_port = parent_port;
        vm.host.link = Some(link);
        vm.host.identity = identity;
        crate::host::install_globals(&mut vm);
        if let Some(pi) = prelude_index {
            let exports = vm.new_object();
            vm.budget = u64::MAX;
            if let Err(e) = crate::run_module_function(&mut vm, pi, exports, "/internal/prelude.js")
            {
                let msg = vm.to_display(&e);
                return Err(BootError::Prelude(msg));
            }
            crate::host::install_modules(&mut vm, exports);
        }
        let (module, this, args) = crate::module_call(&mut vm, 0, filename);
        vm.host.main_module = args.get(2).cloned();
        vm.host.looping.cursor = Cursor::Main { module, this, args };
        // the prelude's instructions count against the run's budget
        self.budget_left = self.budget_left.saturating_sub(vm.steps);
        Ok(vm)
    }

    /// The project's files by absolute path, as a program may require them.
    fn project_files(&self) -> std::collections::HashMap<String, String> {
        let cwd = self.options.cwd.trim_end_matches('/');
        self.options
            .files
            .iter()
            .map(|(path, text)| {
                let full = if path.starts_with('/') {
                    path.clone()
                } else {
                    format!("{cwd}/{path}")
                };
                (full, text.clone())
            })
            .collect()
    }

    /// The main program's source (what `new Worker(__filename)` runs).
    fn main_source(&self) -> Option<&str> {
        self.agents.first().map(|a| &*a.vm.source)
    }

    /// Runs until the main thread's process ends.
    pub fn run(&mut self) {
        loop {
            self.handle_requests();
            if self.stopped.is_some() || self.agents[0].state == AgentState::Done {
                return;
            }
            // the earliest event: a pool thread's (first at equal times: a slot that frees is
            // seen before anything that could use it), a running agent at its clock, or an
            // idle one waking up
            let mut next: Option<(u64, Next)> = None;
            let mut consider = |e: (u64, Next)| {
                if next.is_none_or(|n| e < n) {
                    next = Some(e);
                }
            };
            {
                let bus = self.bus.borrow();
                for (k, busy) in bus.pool.slots.iter().enumerate() {
                    let Some(b) = busy else { continue };
                    let t = match b.work {
                        Work::Io { done_ns } => Some(done_ns),
                        Work::Cpu { state, .. } => match state {
                            CpuState::Runnable(t) => Some(t),
                            CpuState::Running { clock, .. } => Some(clock),
                            CpuState::Queued(_) => None,
                        },
                    };
                    if let Some(t) = t {
                        consider((t, Next::Pool(k)));
                    }
                }
                if let Some(t) = bus.pool.pending.iter().map(|t| t.submitted_ns).min() {
                    consider((t, Next::Pending));
                }
            }
            for (i, a) in self.agents.iter().enumerate() {
                let event = match a.state {
                    AgentState::Running => Some((a.vm.clock_ns, Next::Run(i))),
                    AgentState::Idle(until) => {
                        let message = a.vm.next_message_due();
                        let pool = a.vm.next_pool_due();
                        // not before its loop began (the bootstrap millisecond)
                        let floor = a.vm.clock_ns.max(a.vm.host.looping.begin_ns);
                        [until, message, pool]
                            .into_iter()
                            .flatten()
                            .min()
                            .map(|t| (t.max(floor), Next::Wake(i)))
                    }
                    AgentState::Blocked(until) => {
                        until.map(|t| (t.max(a.vm.clock_ns), Next::Wake(i)))
                    }
                    AgentState::Woken(t) => Some((t.max(a.vm.clock_ns), Next::Wake(i))),
                    AgentState::Queued(_) | AgentState::Done => None,
                };
                if let Some(e) = event {
                    consider(e);
                }
            }
            let Some((t, what)) = next else {
                self.stopped = Some((
                    "looplab: every thread is waiting for something no thread can do (in Node this program would never end)\n".into(),
                    EXIT_BUDGET,
                ));
                return;
            };
            match what {
                Next::Pool(k) => self.pool_step(k),
                Next::Pending => self.bus.borrow_mut().pool.decide_pending(),
                Next::Run(i) => self.run_agent(i),
                Next::Wake(i) => {
                    if matches!(self.agents[i].state, AgentState::Blocked(_)) {
                        self.time_out_wait(i);
                    }
                    self.wake(Thread::Agent(i), t);
                }
            }
        }
    }

    /// A thread wants a core at `t`: it takes a free core, or queues for one.
    fn wake(&mut self, th: Thread, t: u64) {
        let free = self
            .cores
            .iter()
            .enumerate()
            .filter(|(_, c)| c.holder.is_none())
            // the core where it can start first: one it ran on last saves a context switch
            .min_by_key(|(k, c)| {
                let switch = if c.last.is_some_and(|l| l != th) {
                    self.options.cost.context_switch_ns
                } else {
                    0
                };
                (c.free_at.max(t) + switch, *k)
            })
            .map(|(k, _)| k);
        // a JavaScript thread that wakes takes a core from a pool thread rather than wait
        // (the kernel's wake-up preemption: the sleeper beats the CPU-bound thread)
        let free = free.or_else(|| match th {
            Thread::Agent(_) => self.take_from_pool_thread(t),
            Thread::Pool(_) => None,
        });
        match free {
            Some(k) => self.give_core(k, th, t),
            None => {
                match th {
                    Thread::Agent(i) => self.agents[i].state = AgentState::Queued(t),
                    Thread::Pool(k) => self.set_cpu_state(k, CpuState::Queued(t)),
                }
                self.queue.push_back(th);
            }
        }
    }

    /// Frees the first core a pool thread holds at `t` (the pool thread's work past `t` is
    /// undone and it waits at the head of the queue); returns the core.
    fn take_from_pool_thread(&mut self, t: u64) -> Option<usize> {
        let (k, slot) = self
            .cores
            .iter()
            .enumerate()
            .find_map(|(k, c)| match c.holder {
                Some(Thread::Pool(slot)) => Some((k, slot)),
                _ => None,
            })?;
        let clock = {
            let mut bus = self.bus.borrow_mut();
            let Some(Some(b)) = bus.pool.slots.get_mut(slot) else {
                return None;
            };
            let Work::Cpu {
                left_ns,
                state: CpuState::Running { clock, .. },
            } = b.work
            else {
                return None;
            };
            // the slice ran ahead of `t` (it is simulated in one go): it stops at `t`
            let back = clock.saturating_sub(t);
            b.work = Work::Cpu {
                left_ns: left_ns + back,
                state: CpuState::Queued(t.min(clock)),
            };
            clock
        };
        if let Some(pos) = self
            .slices
            .iter()
            .rposition(|s| s.core == k && s.pool_thread == Some(slot) && s.end_ns == clock)
        {
            if self.slices[pos].start_ns >= t {
                self.slices.remove(pos);
            } else {
                self.slices[pos].end_ns = t.min(clock);
            }
        }
        self.cores[k].holder = None;
        self.cores[k].free_at = t.min(clock);
        self.queue.push_front(Thread::Pool(slot));
        Some(k)
    }

    /// Sets the scheduler state of pool thread `k` (which has CPU work).
    fn set_cpu_state(&mut self, k: usize, to: CpuState) {
        let mut bus = self.bus.borrow_mut();
        if let Some(Some(b)) = bus.pool.slots.get_mut(k) {
            if let Work::Cpu { state, .. } = &mut b.work {
                *state = to;
            }
        }
    }

    /// Core `k` runs thread `th` from time `at` (plus a context switch if it ran another
    /// thread last).
    fn give_core(&mut self, k: usize, th: Thread, at: u64) {
        let core = &mut self.cores[k];
        let mut start = at.max(core.free_at);
        if core.last.is_some_and(|l| l != th) {
            start += self.options.cost.context_switch_ns;
            self.context_switches += 1;
        }
        core.holder = Some(th);
        core.last = Some(th);
        match th {
            Thread::Agent(i) => {
                let a = &mut self.agents[i];
                a.state = AgentState::Running;
                a.core = Some(k);
                a.vm.host_event(Event::Scheduled { core: k as u32 });
                if start > a.vm.clock_ns {
                    a.vm.clock_ns = start;
                    a.vm.host_event(Event::Clock { ns: start });
                }
                a.slice_start = a.vm.clock_ns;
            }
            Thread::Pool(slot) => self.set_cpu_state(
                slot,
                CpuState::Running {
                    core: k,
                    clock: start,
                    slice_start: start,
                },
            ),
        }
    }

    /// Agent `i` gives its core up at its clock; the first queued thread gets it.
    fn release_core(&mut self, i: AgentId) {
        let Some(k) = self.agents[i].core.take() else {
            return;
        };
        let t = self.agents[i].vm.clock_ns;
        self.free_core(k, t);
    }

    /// Core `k` is free from `t`: the first queued thread gets it.
    fn free_core(&mut self, k: usize, t: u64) {
        self.cores[k].holder = None;
        self.cores[k].free_at = t;
        if let Some(next) = self.queue.pop_front() {
            let since = match next {
                Thread::Agent(i) => match self.agents[i].state {
                    AgentState::Queued(s) => s,
                    _ => t,
                },
                Thread::Pool(slot) => match self.bus.borrow().pool.slots.get(slot) {
                    Some(Some(pool::Busy {
                        work:
                            Work::Cpu {
                                state: CpuState::Queued(s),
                                ..
                            },
                        ..
                    })) => *s,
                    _ => t,
                },
            };
            self.give_core(k, next, t.max(since));
        }
    }

    /// One event of pool thread `k`: its I/O is done; it wants a core; or, on its core, it
    /// finishes its task, is preempted at the end of its slice, or runs up to a quantum more.
    fn pool_step(&mut self, k: usize) {
        let quantum = self.options.cost.quantum_ns.max(1);
        let work = match self.bus.borrow().pool.slots.get(k) {
            Some(Some(b)) => b.work,
            _ => return,
        };
        match work {
            Work::Io { done_ns } => self.finish_pool(k, done_ns),
            Work::Cpu {
                state: CpuState::Runnable(t),
                ..
            } => self.wake(Thread::Pool(k), t),
            Work::Cpu {
                left_ns: 0,
                state: CpuState::Running { clock, .. },
            } => self.finish_pool(k, clock),
            Work::Cpu {
                left_ns,
                state:
                    CpuState::Running {
                        core,
                        clock,
                        mut slice_start,
                    },
            } => {
                if clock >= slice_start + quantum {
                    if !self.queue.is_empty() {
                        // preempted: its core to the first in line, itself to the back
                        self.set_cpu_state(k, CpuState::Queued(clock));
                        self.free_core(core, clock);
                        self.queue.push_back(Thread::Pool(k));
                        return;
                    }
                    slice_start = clock;
                }
                let run = left_ns.min(slice_start + quantum - clock);
                {
                    let mut bus = self.bus.borrow_mut();
                    if let Some(Some(b)) = bus.pool.slots.get_mut(k) {
                        b.work = Work::Cpu {
                            left_ns: left_ns - run,
                            state: CpuState::Running {
                                core,
                                clock: clock + run,
                                slice_start,
                            },
                        };
                    }
                }
                self.note_slice(Thread::Pool(k), core, clock, clock + run);
            }
            Work::Cpu {
                state: CpuState::Queued(_),
                ..
            } => {}
        }
    }

    /// Pool thread `k`'s task is done at `at`: it leaves its core, its agent hears of it,
    /// and the next queued task starts in the slot.
    fn finish_pool(&mut self, k: usize, at: u64) {
        let done = self.bus.borrow_mut().pool.finish(k, at);
        let Some(done) = done else { return };
        if let Work::Cpu {
            state: CpuState::Running { core, .. },
            ..
        } = done.work
        {
            self.free_core(core, at);
        }
        let owner = done.task.agent;
        if self
            .agents
            .get(owner)
            .is_some_and(|a| a.state == AgentState::Done)
        {
            self.bus.borrow_mut().pool.forget_agent(owner);
        }
    }

    fn live_agents(&self) -> usize {
        self.agents
            .iter()
            .filter(|a| a.state != AgentState::Done)
            .count()
    }

    /// Whether threads share the machine: more than one agent, or pool threads with CPU work.
    fn shared(&self) -> bool {
        self.live_agents() > 1 || self.bus.borrow().pool.cpu_busy()
    }

    /// Runs one step of a running agent (after a preemption check).
    fn run_agent(&mut self, i: AgentId) {
        let quantum = self.options.cost.quantum_ns.max(1);
        let now = self.agents[i].vm.clock_ns;
        if now >= self.agents[i].slice_start + quantum {
            if !self.queue.is_empty() {
                // preempted: to the back of the queue, its core to the first in line
                self.release_core(i);
                self.agents[i].state = AgentState::Queued(now);
                self.queue.push_back(Thread::Agent(i));
                return;
            }
            self.agents[i].slice_start = now;
        }
        let shared = self.shared();
        loop {
            let a = &mut self.agents[i];
            a.vm.slice_end_ns = if shared {
                a.slice_start + quantum
            } else {
                u64::MAX
            };
            a.vm.budget = a.vm.steps.saturating_add(self.budget_left);
            let before = a.vm.steps;
            let started = a.vm.clock_ns;
            let status = a.vm.loop_step();
            self.budget_left = self.budget_left.saturating_sub(a.vm.steps - before);
            let ended = self.agents[i].vm.clock_ns;
            if shared && ended > started {
                if let Some(core) = self.agents[i].core {
                    self.note_slice(Thread::Agent(i), core, started, ended);
                }
            }
            let a = &mut self.agents[i];
            let blocked =
                a.vm.host
                    .link
                    .as_mut()
                    .is_some_and(|l| std::mem::take(&mut l.blocked));
            if blocked {
                let until = self.wait_deadline(i);
                self.release_core(i);
                self.agents[i].state = AgentState::Blocked(until);
                return;
            }
            match status {
                LoopStatus::Ran => {
                    // alone on the machine: keep going without the scheduler's bookkeeping
                    if !shared && self.bus_idle() && self.agents.len() == 1 {
                        continue;
                    }
                }
                LoopStatus::Idle(until) => {
                    if !shared && self.bus_idle() {
                        if let Some(w) = until {
                            let a = &mut self.agents[i];
                            a.vm.clock_ns = w;
                            a.vm.host_event(Event::Clock { ns: w });
                            continue;
                        }
                    }
                    self.release_core(i);
                    self.agents[i].state = AgentState::Idle(until);
                }
                LoopStatus::Exited => self.end_agent(i),
            }
            return;
        }
    }

    /// Thread `th` ran on `core` from `start` to `end`.
    fn note_slice(&mut self, th: Thread, core: usize, start: u64, end: u64) {
        let (agent, pool_thread) = match th {
            Thread::Agent(i) => (i, None),
            Thread::Pool(k) => {
                let bus = self.bus.borrow();
                let owner = match bus.pool.slots.get(k) {
                    Some(Some(b)) => b.task.agent,
                    _ => 0,
                };
                (owner, Some(k))
            }
        };
        // consecutive stretches of one thread on one core are one slice
        if let Some(last) = self
            .slices
            .iter_mut()
            .rev()
            .find(|s| s.core == core)
            .filter(|s| s.agent == agent && s.pool_thread == pool_thread && s.end_ns == start)
        {
            last.end_ns = end;
            return;
        }
        let thread = match pool_thread {
            Some(k) => format!("libuv pool thread {}", k + 1),
            None => self.agent_name(agent),
        };
        self.slices.push(Slice {
            agent,
            pool_thread,
            thread,
            core,
            start_ns: start,
            end_ns: end,
        });
    }

    /// The report of a run with workers, messages or CPU work on the thread pool (`None` for
    /// one thread alone that sent no message: nothing to show).
    fn report(&self) -> Option<MachineReport> {
        if self.agents.len() < 2
            && self.slices.is_empty()
            && self.bus.borrow().log.is_empty()
            && self.bus.borrow().procs.entries.len() < 2
        {
            return None;
        }
        let cost = &self.options.cost;
        let threads: Vec<ThreadReport> = self
            .agents
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let heap_objects = a.vm.heap.object_count();
                ThreadReport {
                    agent: i,
                    pid: a.pid,
                    thread_id: a.thread_id,
                    name: self.agent_name(i),
                    parent: a.parent,
                    exit_code: a.exit_code,
                    steps: a.vm.steps,
                    heap_objects,
                    heap_bytes: heap_objects as u64 * cost.heap_object_bytes,
                }
            })
            .collect();
        // a base per Node process, one per extra thread of each, and the live heaps
        let node_processes = threads.iter().filter(|t| t.thread_id == 0).count() as u64;
        let rss_bytes = cost.process_rss_bytes * node_processes
            + cost.thread_rss_bytes * (threads.len() as u64 - node_processes)
            + threads.iter().map(|t| t.heap_bytes).sum::<u64>();
        Some(MachineReport {
            cores: self.cores.len(),
            threads,
            slices: self.slices.clone(),
            messages: self.bus.borrow().log.clone(),
            processes: self.bus.borrow().procs.report(),
            context_switches: self.context_switches,
            rss_bytes,
        })
    }

    /// The time-out of agent `i`'s wait, if it has one.
    fn wait_deadline(&self, i: AgentId) -> Option<u64> {
        let bus = self.bus.borrow();
        bus.waiters
            .iter()
            .find(|w| w.agent == i)
            .map(|w| w.timeout_ns)
            .filter(|t| *t != u64::MAX)
    }

    /// Agent `i`'s `Atomics.wait` timed out: it leaves the waiters and returns "timed-out".
    fn time_out_wait(&mut self, i: AgentId) {
        self.bus.borrow_mut().waiters.retain(|w| w.agent != i);
        if let Some(top) = self.agents[i].vm.stack.last_mut() {
            *top = Value::str("timed-out");
        }
    }

    /// Whether nothing waits in the bus for the machine to act on.
    fn bus_idle(&self) -> bool {
        let b = self.bus.borrow();
        b.spawns.is_empty()
            && b.terminations.is_empty()
            && b.queue.is_empty()
            && b.woken.is_empty()
            && b.procs.spawns.is_empty()
            && b.procs.kills.is_empty()
            && !b.pool.busy()
    }

    /// Agent `i`'s loop is over: its `exit` event, then its parent hears of it.
    fn end_agent(&mut self, i: AgentId) {
        let code = match self.agents[i].vm.abort.clone() {
            Some(Abort::Budget) => {
                let steps: u64 = self.agents.iter().map(|a| a.vm.steps).sum();
                self.stopped = Some((
                    format!(
                        "looplab: stopped after {steps} steps (budget): the program ran longer than the instruction budget allows; a larger budget lets it go on (`looplab run --budget N`)\n"
                    ),
                    EXIT_BUDGET,
                ));
                EXIT_BUDGET
            }
            Some(Abort::Heap) => {
                let vm = &self.agents[i].vm;
                self.stopped = Some((
                    format!(
                        "looplab: stopped after {} steps (heap budget: {} objects)\n",
                        vm.steps,
                        vm.heap.object_count()
                    ),
                    EXIT_HEAP,
                ));
                EXIT_HEAP
            }
            _ => exit_process(&mut self.agents[i].vm),
        };
        if self.is_child_process(i) {
            self.end_process(i, Some(code), None);
            return;
        }
        self.release_core(i);
        let a = &mut self.agents[i];
        a.state = AgentState::Done;
        a.exit_code = Some(code);
        if let Some(port) = a.worker_port {
            let now = a.vm.clock_ns;
            let mut bus = self.bus.borrow_mut();
            bus.send(i, port, Payload::Exit(code), now);
            close_ports_of(&mut bus, i, now);
        }
        self.bus.borrow_mut().pool.forget_agent(i);
    }

    /// Acts on what the agents asked for: new workers and processes, terminations, signals.
    fn handle_requests(&mut self) {
        let (spawns, terminations, woken, processes, kills) = {
            let mut b = self.bus.borrow_mut();
            if b.spawns.is_empty()
                && b.terminations.is_empty()
                && b.woken.is_empty()
                && b.procs.spawns.is_empty()
                && b.procs.kills.is_empty()
            {
                return;
            }
            (
                std::mem::take(&mut b.spawns),
                std::mem::take(&mut b.terminations),
                std::mem::take(&mut b.woken),
                std::mem::take(&mut b.procs.spawns),
                std::mem::take(&mut b.procs.kills),
            )
        };
        for (i, at) in woken {
            if matches!(self.agents[i].state, AgentState::Blocked(_)) {
                self.agents[i].state = AgentState::Woken(at);
            }
        }
        // new threads, in the order their agent ids were handed out
        let mut workers = spawns.into_iter().peekable();
        let mut processes = processes.into_iter().peekable();
        loop {
            let worker_first = match (workers.peek(), processes.peek()) {
                (Some(w), Some(p)) => w.agent < p.agent,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            if worker_first {
                let s = workers.next().expect("peeked");
                self.spawn(s);
            } else {
                let p = processes.next().expect("peeked");
                self.spawn_process(p);
            }
        }
        for k in kills {
            self.signal(k);
        }
        for (port, at) in terminations {
            let Some(i) = self
                .agents
                .iter()
                .position(|a| a.worker_port == Some(port) && a.state != AgentState::Done)
            else {
                continue;
            };
            self.release_core(i);
            self.queue.retain(|q| *q != Thread::Agent(i));
            let a = &mut self.agents[i];
            a.vm.clock_ns = a.vm.clock_ns.max(at);
            a.state = AgentState::Done;
            a.exit_code = Some(1);
            let now = a.vm.clock_ns;
            let mut bus = self.bus.borrow_mut();
            bus.send(i, port, Payload::Exit(1), now);
            close_ports_of(&mut bus, i, now);
            bus.pool.forget_agent(i);
        }
    }

    /// Starts a worker: it boots, then becomes runnable after the start-up cost.
    fn spawn(&mut self, s: SpawnRequest) {
        let id = self.agents.len();
        let pid = self.agents[s.parent].pid;
        let identity = Identity {
            channel: None,
            ipc: false,
            advanced: false,
            stdio: None,
            ..self.agents[s.parent].vm.host.identity.clone()
        };
        let worker_port = self
            .bus
            .borrow()
            .ports
            .get(&s.child_port)
            .and_then(|p| p.peer);
        let Some(vm) = self.boot_thread(
            id,
            &s.source,
            &s.filename,
            s.thread_id,
            Some(s.child_port),
            identity,
            "a worker",
        ) else {
            return;
        };
        let mut vm = vm;
        if let Some(l) = vm.host.link.as_mut() {
            l.id = id;
            l.worker_data = Some(s.worker_data);
        }
        let start = s.at_ns + self.options.cost.worker_start_ns;
        vm.clock_ns = s.at_ns;
        if let Some(port) = worker_port {
            self.bus.borrow_mut().send(id, port, Payload::Online, start);
        }
        self.agents.push(Agent {
            vm,
            pid,
            thread_id: s.thread_id,
            parent: Some(s.parent),
            worker_port,
            state: AgentState::Idle(Some(start)),
            core: None,
            slice_start: 0,
            exit_code: None,
        });
    }

    /// Boots agent `id` (a worker or a child's main thread) recording into a fork of the main
    /// recorder; a program that does not parse becomes one that throws its SyntaxError there.
    /// `None` (and the run stops) when even that cannot start.
    #[allow(clippy::too_many_arguments)]
    fn boot_thread(
        &mut self,
        id: AgentId,
        source: &str,
        filename: &str,
        thread_id: u32,
        parent_port: Option<PortId>,
        identity: Identity,
        what: &str,
    ) -> Option<Vm> {
        let recorder = |m: &Machine| -> Box<dyn Recorder> {
            m.agents[0]
                .vm
                .recorder
                .fork(id.min(u16::MAX as usize) as u16)
                .unwrap_or_else(|| Box::new(NoopRecorder))
        };
        let first = recorder(self);
        match self.boot_agent(
            source,
            filename,
            first,
            thread_id,
            parent_port,
            identity.clone(),
        ) {
            Ok(vm) => Some(vm),
            Err(BootError::Syntax { message, .. }) | Err(BootError::Compile { message, .. }) => {
                let src = format!(
                    "throw new SyntaxError({})",
                    serde_json::to_string(&message).unwrap_or_default()
                );
                let second = recorder(self);
                match self.boot_agent(&src, filename, second, thread_id, parent_port, identity) {
                    Ok(vm) => Some(vm),
                    Err(_) => {
                        self.stopped = Some((
                            format!("looplab: internal error: {what} could not start\n"),
                            70,
                        ));
                        None
                    }
                }
            }
            Err(BootError::Prelude(m)) => {
                self.stopped = Some((format!("looplab: internal prelude failed: {m}\n"), 70));
                None
            }
        }
    }

    /// What the run produced: the main thread's output and exit code.
    pub fn outcome(mut self) -> crate::RunOutcome {
        let report = self.report();
        let threads = self.agents.len() > 1;
        let mut main = self.agents.swap_remove(0);
        let vm = &mut main.vm;
        let code = match self.stopped.take() {
            Some((text, code)) => {
                vm.write(Stream::Stderr, text);
                code
            }
            None => main.exit_code.unwrap_or(0),
        };
        let mut out = crate::RunOutcome::default();
        let mut terminal = std::mem::take(&mut self.bus.borrow_mut().terminal);
        terminal.append(&mut vm.host.output);
        for (s, t) in &terminal {
            match s {
                Stream::Stdout => out.stdout.push_str(t),
                Stream::Stderr => out.stderr.push_str(t),
            }
        }
        out.output = terminal;
        out.exit_code = code;
        out.steps = vm.steps + self.agents.iter().map(|a| a.vm.steps).sum::<u64>();
        out.virtual_time_ns = vm.clock_ns;
        out.nondeterministic = std::mem::take(&mut vm.host.notes);
        if threads {
            out.nondeterministic.push(
                "threads run in parallel: real Node may interleave their work differently".into(),
            );
        }
        if self.bus.borrow().procs.entries.len() > 1 {
            out.nondeterministic.push(
                "processes run in parallel: real Node may see their output and their ends in another order".into(),
            );
        }
        out.machine = report;
        out
    }
}

/// How the report and the narration name a thread.
pub fn thread_name(thread_id: u32) -> String {
    if thread_id == 0 {
        "main thread".into()
    } else {
        format!("worker {thread_id}")
    }
}

/// Closes every port agent `i` owns (its thread ended): its servers stop listening, and
/// the other end of each of its network connections hears `close` (at `now`).
fn close_ports_of(bus: &mut Bus, i: AgentId, now: u64) {
    let mut peers = Vec::new();
    for p in bus.ports.values_mut() {
        if p.owner == i && !p.closed {
            p.closed = true;
            p.refed = false;
            if p.net {
                peers.extend(p.peer);
            }
        }
    }
    for peer in peers {
        if bus.ports.get(&peer).is_some_and(|q| !q.closed) {
            bus.send_at(i, peer, Payload::Net(NetEvent::Close), now, now);
        }
    }
    bus.forget_closed_listeners();
}

/// The end of an agent's process: `process.exit` or a fatal error already chose the code,
/// else `process.exitCode`; `exit` listeners run either way. Returns the exit code.
fn exit_process(vm: &mut Vm) -> i32 {
    let code = match vm.abort.clone() {
        Some(Abort::Exit(c)) => {
            // process.exit or a fatal error: 'exit' listeners still run
            vm.abort = None;
            let p = vm.host.process;
            vm.put(p, "exitCode", Value::Num(c as f64));
            vm.host.exiting = true;
            vm.recorder.job(JobKind::Exit, vm.clock_ns);
            let _ = vm.process_emit("exit", &[Value::Num(c as f64)]);
            Some(c)
        }
        _ => {
            let c = vm.exit_code();
            vm.host.exiting = true;
            vm.recorder.job(JobKind::Exit, vm.clock_ns);
            match vm.process_emit("exit", &[Value::Num(c as f64)]) {
                Ok(_) => None,
                Err(e) => {
                    if vm.abort.is_none() {
                        vm.print_fatal(&e, "uncaughtException");
                        Some(7)
                    } else {
                        None
                    }
                }
            }
        }
    };
    match (code, vm.abort.clone()) {
        (_, Some(Abort::Exit(c))) => c,
        (_, Some(Abort::Budget)) => EXIT_BUDGET,
        (Some(c), _) => c,
        (None, _) => vm.exit_code(),
    }
}
