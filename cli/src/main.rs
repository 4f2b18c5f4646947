//! The `looplab` command-line tool: runs a JavaScript file in the simulated Node.js host and
//! prints exactly what the program printed, exiting with the program's exit code.

mod trace_cmd;

use clap::{Parser, Subcommand};
use std::io::Write;

const LONG_ABOUT: &str = "Run JavaScript programs in a deterministic simulation of Node.js (v20) and its \
event loop.

Programs run as CommonJS modules on a virtual clock: every VM instruction advances time by 10 ns, an \
asynchronous fs read completes 1 ms after it was requested, and Date.now()/performance.now() read the \
virtual clock, so every run of the same file prints the same output.

Constructs outside the supported subset (BigInt, tagged templates, yield* in async generators, \
ES modules, with, ...) are refused before anything runs with \
`unsupported: <feature> at LINE:COL` on stderr and exit code 1. Syntax errors print like Node and \
exit with 1.";

#[derive(Parser)]
#[command(
    name = "looplab",
    version,
    about = "Run JavaScript programs in a deterministic simulation of Node.js's event loop",
    long_about = LONG_ABOUT
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run FILE like `node FILE`: same stdout, same exit code.
    ///
    /// Exit codes: the program's own exit code (0, 1 for uncaught errors, process.exit(n)),
    /// 124 when the instruction budget runs out, 125 when the heap budget runs out,
    /// 2 when FILE cannot be read.
    Run {
        /// The JavaScript file to run (CommonJS, as Node runs .js files).
        file: std::path::PathBuf,
        /// Maximum number of VM instructions before stopping (exit code 124).
        #[arg(long, default_value_t = 10_000_000_000)]
        budget: u64,
        /// Maximum number of heap objects before stopping (exit code 125).
        #[arg(long, default_value_t = 200_000_000)]
        heap_budget: usize,
        /// Size of the simulated libuv thread pool (the process's one pool, shared by its
        /// worker threads); `process.env.UV_THREADPOOL_SIZE` set before the first pool
        /// operation wins, as in Node.
        #[arg(long, default_value_t = 4)]
        threadpool: u32,
        /// Virtual cores of the simulated machine (1..64); `os.cpus().length` reports them.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
        cores: u32,
        /// Print the compiled bytecode instead of running.
        #[arg(long)]
        disassemble: bool,
        /// A host of the virtual network: NAME@LATENCY_MS:BODY_JSON (repeatable).
        #[arg(long = "host")]
        hosts: Vec<String>,
    },
    /// Record FILE's run and write the trace as JSON (format: docs/trace.md).
    Trace {
        #[command(flatten)]
        sim: trace_cmd::SimArgs,
        /// Write the JSON here instead of stdout.
        #[arg(short = 'o', long)]
        output: Option<std::path::PathBuf>,
    },
    /// Run FILE and explain it step by step: step, phase, line, narration, console output.
    Explain {
        #[command(flatten)]
        sim: trace_cmd::SimArgs,
        /// Also show variable writes and promise bookkeeping steps.
        #[arg(long)]
        all: bool,
    },
}

fn main() {
    let cli = Cli::parse();
    let (file, budget, heap_budget, threadpool, cores, disassemble, hosts) = match cli.command {
        Command::Run {
            file,
            budget,
            heap_budget,
            threadpool,
            cores,
            disassemble,
            hosts,
        } => (
            file,
            budget,
            heap_budget,
            threadpool,
            cores,
            disassemble,
            hosts,
        ),
        Command::Trace { sim, output } => {
            std::process::exit(trace_cmd::trace_cmd(&sim, output.as_deref()))
        }
        Command::Explain { sim, all } => std::process::exit(trace_cmd::explain_cmd(&sim, all)),
    };
    let mut network = vec![];
    for h in &hosts {
        match trace_cmd::parse_host(h) {
            Ok(spec) => network.push(spec),
            Err(e) => {
                eprintln!("looplab: {e}");
                std::process::exit(2);
            }
        }
    }
    let source = match std::fs::read_to_string(&file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("looplab: cannot read {}: {e}", file.display());
            std::process::exit(2);
        }
    };
    if disassemble {
        match looplab_core::compile(&source) {
            Ok(p) => print!("{}", p.disassemble()),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        return;
    }
    let abs = std::fs::canonicalize(&file).unwrap_or(file.clone());
    let cwd = std::env::current_dir()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "/".into());
    let options = looplab_core::RunOptions {
        filename: abs.display().to_string(),
        cwd,
        instruction_budget: budget,
        heap_budget,
        threadpool_size: threadpool,
        cores,
        network,
        files: trace_cmd::project_files(&abs),
        ..Default::default()
    };
    // The interpreter re-enters itself for callbacks from built-ins; give it a deep stack.
    let handle = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || looplab_core::run(&source, &options))
        .expect("spawn interpreter thread");
    let outcome = match handle.join() {
        Ok(o) => o,
        Err(_) => {
            eprintln!("looplab: internal error");
            std::process::exit(70);
        }
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut so = stdout.lock();
    let mut se = stderr.lock();
    for (stream, text) in &outcome.output {
        let _ = match stream {
            looplab_core::Stream::Stdout => so.write_all(text.as_bytes()),
            looplab_core::Stream::Stderr => {
                let _ = so.flush();
                se.write_all(text.as_bytes())
            }
        };
    }
    let _ = so.flush();
    let _ = se.flush();
    std::process::exit(outcome.exit_code);
}
