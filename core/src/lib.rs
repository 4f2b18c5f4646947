//! `looplab-core`: the pure, deterministic simulator behind Looplab.
//!
//! It parses a JavaScript program, compiles it to a compact instruction set, runs it on a
//! stepping VM inside a simulated Node.js host (event loop, virtual clock), and reports what
//! the program printed.
//!
//! **Architecture Invariant:** this crate has no web dependency and no I/O of its own; the same
//! input always yields the same output.
//!
//! Entry point: [`run`]. Modules: [`compiler`] (AST → [`bytecode`]), [`vm`] (interpreter),
//! [`heap`] and [`value`] (data model), [`builtins`] (standard library), [`inspect`]
//! (`util.inspect`), [`host`] (Node.js event loop and modules), [`recorder`] (trace hook).

pub mod builtins;
pub mod bytecode;
pub mod compiler;
pub mod heap;
pub mod host;
pub mod inspect;
pub mod machine;
pub mod recorder;
pub mod shell;
pub mod trace;
pub mod value;
pub mod vm;

pub use host::http::HostSpec;
pub use host::Stream;
pub use recorder::{JobKind, NoopRecorder, Recorder};

use value::Value;

/// Exit code used when the instruction budget runs out.
pub const EXIT_BUDGET: i32 = 124;
/// Exit code used when the heap budget (object count) runs out.
pub const EXIT_HEAP: i32 = 125;

/// The virtual cost model: how simulated time advances. All values are virtual nanoseconds.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CostModel {
    /// Virtual time one executed VM instruction takes (default 10 ns: ~100M instr/s).
    pub instruction_ns: u64,
    /// Latency of one asynchronous file read, from request to completion in the poll phase
    /// (default 1 ms). `readFileSync` blocks the loop for a quarter of it. Runs on the
    /// thread pool.
    pub fs_read_ns: u64,
    /// Thread-pool time of one `fs.writeFile` (default 1 ms; the sync form blocks a quarter).
    pub fs_write_ns: u64,
    /// Thread-pool time of `fs.stat` / `fs.readdir` and of the directory operations `mkdir`,
    /// `rmdir`, `unlink`, `rm` (default 200 µs; sync forms a quarter).
    pub fs_stat_ns: u64,
    /// Thread-pool time of one `dns.lookup` (default 2 ms).
    pub dns_lookup_ns: u64,
    /// Thread-pool time of one PBKDF2 iteration with sha512 / sha256 / other digests
    /// (defaults 1000 / 600 / 400 ns: 100 000 sha512 iterations take 100 ms, like a laptop).
    pub pbkdf2_sha512_ns: u64,
    pub pbkdf2_sha256_ns: u64,
    pub pbkdf2_other_ns: u64,
    /// Thread-pool time of `crypto.randomBytes` (default 50 µs plus 10 ns per byte).
    pub random_bytes_ns: u64,
    /// Thread-pool time of an async zlib call: base (default 500 µs) plus per input byte
    /// (default 20 ns).
    pub zlib_base_ns: u64,
    pub zlib_byte_ns: u64,
    /// Starting a worker thread: from `new Worker` until its script runs.
    pub worker_start_ns: u64,
    /// One message between threads (`postMessage`): fixed part, and per byte of its clone
    /// in picoseconds (the figure for binary payloads; object payloads cost more per byte in
    /// Node, see docs/costs.md).
    pub message_base_ns: u64,
    pub message_byte_ps: u64,
    /// Waking a thread blocked in `Atomics.wait` (from `Atomics.notify` until it runs).
    pub atomics_wake_ns: u64,
    /// One hop of an HTTP exchange between a client and a server of the same process over
    /// loopback: a response reaches the client one hop after the server writes it; a request
    /// reaches the server two hops after `end()` (connect, then the request).
    pub loopback_ns: u64,
    /// A core switching to another thread.
    pub context_switch_ns: u64,
    /// The time slice a thread runs before a waiting thread gets its core.
    pub quantum_ns: u64,
    /// Memory figures: a process's base RSS, each extra thread's, and the bytes one live heap
    /// object stands for.
    pub process_rss_bytes: u64,
    pub thread_rss_bytes: u64,
    pub heap_object_bytes: u64,
    /// `spawn()` until the child process exists: the caller is blocked that long
    /// (`uv_spawn` waits for the child).
    pub process_start_ns: u64,
    /// `fork()` until the child Node process runs its first statement.
    pub fork_start_ns: u64,
    /// A child's end until its parent sees its `exit` event.
    pub process_exit_ns: u64,
    /// One IPC message (or pipe chunk) between processes: fixed part, and per byte of its
    /// text in picoseconds.
    pub ipc_message_base_ns: u64,
    pub ipc_byte_ps: u64,
}

impl CostModel {
    /// Virtual time of one PBKDF2 iteration with `digest`.
    pub fn pbkdf2_iteration_ns(&self, digest: &str) -> u64 {
        match digest.to_ascii_lowercase().as_str() {
            "sha512" | "sha384" => self.pbkdf2_sha512_ns,
            "sha256" | "sha224" => self.pbkdf2_sha256_ns,
            _ => self.pbkdf2_other_ns,
        }
    }
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel {
            instruction_ns: 10,
            fs_read_ns: 1_000_000,
            fs_write_ns: 1_000_000,
            fs_stat_ns: 200_000,
            dns_lookup_ns: 2_000_000,
            pbkdf2_sha512_ns: 1_000,
            pbkdf2_sha256_ns: 600,
            pbkdf2_other_ns: 400,
            random_bytes_ns: 50_000,
            zlib_base_ns: 500_000,
            zlib_byte_ns: 20,
            // measured on Node 20 on this kind of machine: docs/costs.md
            worker_start_ns: 41_100_000,
            message_base_ns: 14_300,
            message_byte_ps: 293,
            atomics_wake_ns: 11_000,
            loopback_ns: 300_000,
            context_switch_ns: 55_000,
            quantum_ns: 3_950_000,
            process_rss_bytes: 41_100_000,
            thread_rss_bytes: 8_700_000,
            heap_object_bytes: 56,
            process_start_ns: 1_450_000,
            fork_start_ns: 50_550_000,
            process_exit_ns: 6_540_000,
            ipc_message_base_ns: 55_700,
            ipc_byte_ps: 31_066,
        }
    }
}

/// Options for one run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Absolute path of the program (becomes `__filename`; its source is readable via `fs`).
    pub filename: String,
    /// Working directory for relative paths (`process.cwd()`).
    pub cwd: String,
    /// Maximum number of VM instructions before stopping with [`EXIT_BUDGET`].
    pub instruction_budget: u64,
    /// Maximum number of heap objects before stopping with [`EXIT_HEAP`].
    pub heap_budget: usize,
    /// Maximum JavaScript call depth before `RangeError: Maximum call stack size exceeded`.
    pub max_call_depth: usize,
    /// Size of the simulated libuv thread pool (`UV_THREADPOOL_SIZE`, default 4; a program
    /// that sets `process.env.UV_THREADPOOL_SIZE` before its first pool operation wins).
    pub threadpool_size: u32,
    pub cost: CostModel,
    /// Virtual files (absolute or cwd-relative path, contents) the program can read.
    pub files: Vec<(String, String)>,
    /// Hosts of the virtual network (`fetch`, `http.get`, `dns.lookup`).
    pub network: Vec<HostSpec>,
    /// Virtual cores of the machine (1..64, default 4); `os.cpus()` and
    /// `os.availableParallelism()` report them.
    pub cores: u32,
    /// Who the program's process is (pid, argv, env); `None`: the main program of the
    /// machine. Set for a `node` that a shell line of another run starts.
    pub process: Option<host::process::Identity>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            filename: "/main.js".into(),
            cwd: "/".into(),
            instruction_budget: 1_000_000_000,
            heap_budget: 50_000_000,
            max_call_depth: 9000,
            threadpool_size: 4,
            cost: CostModel::default(),
            files: Vec::new(),
            network: Vec::new(),
            cores: 4,
            process: None,
        }
    }
}

/// Everything a run produced.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct RunOutcome {
    /// Output lines in order, tagged with their stream.
    pub output: Vec<(Stream, String)>,
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// Executed VM instructions.
    pub steps: u64,
    /// Virtual time at exit, in nanoseconds.
    pub virtual_time_ns: u64,
    /// Places where real Node.js is nondeterministic and one order was chosen.
    pub nondeterministic: Vec<String>,
    /// With worker threads: which thread ran when on which core, and their messages.
    pub machine: Option<machine::MachineReport>,
}

pub(crate) const PRELUDE: &str = include_str!("host/prelude.js");

/// Parses and compiles a program without running it (used by tests and the disassembler).
pub fn compile(source: &str) -> Result<bytecode::Program, String> {
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, source, oxc_span::SourceType::cjs()).parse();
    if let Some(d) = parsed.diagnostics.errors().next() {
        return Err(format!("SyntaxError: {}", d.message));
    }
    compiler::Compiler::compile_script(&parsed.program, None).map_err(|e| e.message)
}

fn line_col(source: &str, offset: u32) -> (usize, usize) {
    let before = source.get(..offset as usize).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

fn fail(out: &mut RunOutcome, text: String) -> RunOutcome {
    out.output.push((Stream::Stderr, text.clone()));
    out.stderr.push_str(&text);
    out.exit_code = 1;
    out.clone()
}

/// Runs a program to completion in a fresh simulated Node.js process.
pub fn run(source: &str, options: &RunOptions) -> RunOutcome {
    run_with_recorder(source, options, Box::new(NoopRecorder))
}

/// Like [`run`], reporting VM events to `recorder`. A panic inside the engine (a bug) is
/// reported as an internal error with exit code 70 instead of unwinding into the caller.
pub fn run_with_recorder(
    source: &str,
    options: &RunOptions,
    recorder: Box<dyn Recorder>,
) -> RunOutcome {
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_inner(source, options, recorder)
    }));
    r.unwrap_or_else(|_| {
        let text = "looplab: internal error (engine panic)\n".to_string();
        RunOutcome {
            output: vec![(Stream::Stderr, text.clone())],
            stderr: text,
            exit_code: 70,
            ..Default::default()
        }
    })
}

fn run_inner(source: &str, options: &RunOptions, recorder: Box<dyn Recorder>) -> RunOutcome {
    let mut out = RunOutcome::default();
    let mut machine = machine::Machine::new(options);
    match machine.boot_main(source, recorder) {
        Ok(()) => {}
        Err(machine::BootError::Syntax { offset, message }) => {
            let (l, c) = line_col(source, offset);
            let line_text = source.lines().nth(l - 1).unwrap_or("");
            let text = format!(
                "{}:{l}:{c}\n{line_text}\n{}^\n\nSyntaxError: {}\n\nNode.js v20.20.2\n",
                options.filename,
                " ".repeat(c - 1),
                message
            );
            return fail(&mut out, text);
        }
        Err(machine::BootError::Compile { offset, message }) => {
            let (l, c) = line_col(source, offset);
            return fail(&mut out, format!("{message} at {l}:{c}\n"));
        }
        Err(machine::BootError::Prelude(msg)) => {
            return fail(
                &mut out,
                format!("looplab: internal prelude failed: {msg}\n"),
            );
        }
    }
    machine.run();
    machine.outcome()
}

/// Runs module function `index` (the prelude) to its end with `exports` as `this`.
pub(crate) fn run_module_function(
    vm: &mut vm::Vm,
    index: u32,
    exports: value::ObjId,
    filename: &str,
) -> Result<Value, Value> {
    let (f, this, args) = module_call_with(vm, index, exports, filename);
    let mut roots = vec![f.clone(), this.clone()];
    roots.extend_from_slice(&args);
    vm.with_gc_window(&roots, |vm| vm.call(&f, this, &args))
}

/// The call that runs module function `index` as file `filename`: the function, its `this`
/// (a fresh `exports`) and its arguments (`exports, require, module, __filename,
/// __dirname`).
pub(crate) fn module_call(
    vm: &mut vm::Vm,
    index: u32,
    filename: &str,
) -> (Value, Value, Vec<Value>) {
    let exports = vm.new_object();
    module_call_with(vm, index, exports, filename)
}

fn module_call_with(
    vm: &mut vm::Vm,
    index: u32,
    exports: value::ObjId,
    filename: &str,
) -> (Value, Value, Vec<Value>) {
    let env = vm.heap.new_env(0, None);
    let fp = vm.realm.function_proto;
    let f = vm.alloc(
        Some(fp),
        heap::ObjKind::Function(heap::FuncKind::Closure {
            func: index,
            env,
            this_val: None,
            home: None,
        }),
    );
    let module = vm.new_object();
    vm.put(module, "exports", Value::Obj(exports));
    vm.put(module, "id", Value::str("."));
    vm.put(module, "filename", Value::str(filename));
    vm.put(module, "loaded", Value::Bool(false));
    let dirname = filename
        .rsplit_once('/')
        .map(|x| if x.0.is_empty() { "/" } else { x.0 })
        .unwrap_or(".")
        .to_string();
    let require = host::modules::require_for(vm, &dirname);
    let args = vec![
        Value::Obj(exports),
        require,
        Value::Obj(module),
        Value::str(filename),
        Value::str(&dirname),
    ];
    (Value::Obj(f), Value::Obj(exports), args)
}
