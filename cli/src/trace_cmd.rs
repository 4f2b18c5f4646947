//! `looplab trace FILE` (the trace as JSON) and `looplab explain FILE` (the narrated steps).

use clap::Args;
use looplab_core::trace::{self, Record};
use looplab_core::{HostSpec, RunOptions};
use std::io::Write;

/// Options shared by the commands that run a program.
#[derive(Args, Clone, Debug)]
pub struct SimArgs {
    /// The JavaScript file to run.
    pub file: std::path::PathBuf,
    /// Maximum number of VM instructions before stopping (exit code 124).
    #[arg(long, default_value_t = 200_000_000)]
    pub budget: u64,
    /// Size of the simulated libuv thread pool (UV_THREADPOOL_SIZE).
    #[arg(long, default_value_t = 4)]
    pub threadpool: u32,
    /// Virtual cores of the simulated machine (1..64).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub cores: u32,
    /// A host of the virtual network: NAME@LATENCY_MS:BODY_JSON, e.g.
    /// 'api.example.com@50:{"ok":true}' (repeatable).
    #[arg(long = "host")]
    pub hosts: Vec<String>,
    /// Keep at most this many steps in the trace: the run goes on to its end, the trace
    /// stops (and says so). Every thread's steps count.
    #[arg(long, default_value_t = 2_000_000)]
    pub max_steps: usize,
}

/// Parses NAME@LATENCY_MS:BODY_JSON.
pub fn parse_host(s: &str) -> Result<HostSpec, String> {
    let (host, rest) = s
        .split_once('@')
        .ok_or_else(|| format!("--host {s}: expected NAME@LATENCY_MS:BODY_JSON"))?;
    let (lat, body) = rest.split_once(':').unwrap_or((rest, "{}"));
    let latency_ms = lat
        .trim()
        .parse()
        .map_err(|_| format!("--host {s}: latency must be a whole number of ms"))?;
    Ok(HostSpec {
        host: host.to_string(),
        latency_ms,
        body_json: body.to_string(),
    })
}

/// Reads the file and builds run options like `looplab run` does.
pub fn load(args: &SimArgs) -> (String, RunOptions) {
    let source = match std::fs::read_to_string(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("looplab: cannot read {}: {e}", args.file.display());
            std::process::exit(2);
        }
    };
    let mut network = vec![];
    for h in &args.hosts {
        match parse_host(h) {
            Ok(spec) => network.push(spec),
            Err(e) => {
                eprintln!("looplab: {e}");
                std::process::exit(2);
            }
        }
    }
    let abs = std::fs::canonicalize(&args.file).unwrap_or(args.file.clone());
    let cwd = std::env::current_dir()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "/".into());
    let options = RunOptions {
        filename: abs.display().to_string(),
        cwd,
        instruction_budget: args.budget,
        threadpool_size: args.threadpool,
        cores: args.cores,
        network,
        files: project_files(&abs),
        ..Default::default()
    };
    (source, options)
}

/// The virtual project of a run: the `.js`, `.mjs`, `.cjs` and `.json` files beside `main`
/// and in its subdirectories (at most 64, each under 1 MB), so `new Worker('./worker.js')`,
/// `require('./lib/util')` and `fs` find them.
pub fn project_files(main: &std::path::Path) -> Vec<(String, String)> {
    let Some(dir) = main.parent() else {
        return vec![];
    };
    let mut paths = vec![];
    collect_project_files(dir, main, 0, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .take(64)
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p.display().to_string(), text))
        })
        .collect()
}

/// The script and JSON files under `dir` (three levels deep at most, without hidden
/// directories and `node_modules`), but `main`.
fn collect_project_files(
    dir: &std::path::Path,
    main: &std::path::Path,
    depth: usize,
    out: &mut Vec<std::path::PathBuf>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        if out.len() >= 256 {
            return;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if depth < 3 && !name.starts_with('.') && name != "node_modules" {
                collect_project_files(&path, main, depth + 1, out);
            }
        } else if path != main
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "js" | "mjs" | "cjs" | "json"))
            && std::fs::metadata(&path).is_ok_and(|m| m.len() < 1 << 20)
        {
            out.push(path);
        }
    }
}

fn record(
    source: String,
    options: RunOptions,
    max_steps: usize,
) -> (looplab_core::RunOutcome, trace::Trace) {
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || trace::record_with(&source, &options, max_steps, None))
        .expect("spawn interpreter thread")
        .join()
        .unwrap_or_else(|_| {
            eprintln!("looplab: internal error");
            std::process::exit(70);
        })
}

/// `looplab trace FILE [-o OUT]`.
pub fn trace_cmd(args: &SimArgs, out: Option<&std::path::Path>) -> i32 {
    let (source, options) = load(args);
    let (outcome, t) = record(source, options, args.max_steps);
    let json = t.to_json();
    match out {
        Some(p) => {
            if let Err(e) = std::fs::write(p, json) {
                eprintln!("looplab: cannot write {}: {e}", p.display());
                return 2;
            }
            eprintln!(
                "looplab: {} steps, {:.1} bytes/step, exit code {}",
                t.len(),
                t.bytes_per_step(),
                outcome.exit_code
            );
        }
        None => {
            let so = std::io::stdout();
            let mut so = so.lock();
            let _ = so.write_all(json.as_bytes());
            let _ = so.write_all(b"\n");
        }
    }
    0
}

fn phase_name(p: looplab_core::recorder::Phase) -> String {
    serde_json::to_value(p)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// `looplab explain FILE`: step number, phase, line, narration; console output interleaved.
pub fn explain_cmd(args: &SimArgs, all: bool) -> i32 {
    let (source, options) = load(args);
    let (outcome, t) = record(source, options, args.max_steps);
    let so = std::io::stdout();
    let mut so = so.lock();
    let mut c = t.cursor();
    for i in 0..t.len() {
        let step = t.step_from(i, c.state());
        c.forward();
        // Variable writes and promise bookkeeping are in the trace; the terminal shows them
        // only with --all.
        let minor = matches!(step.record, Record::Var { .. } | Record::Promise { .. });
        if minor && !all {
            continue;
        }
        if let Some(o) = &step.output {
            let _ = writeln!(
                so,
                "{:>6}  {:<11} {:>9}  {} {}",
                i,
                phase_name(step.phase),
                "",
                if o.stderr { "!>" } else { ">>" },
                o.text
            );
            continue;
        }
        let line = step.line.map(|l| format!("L{l}")).unwrap_or_default();
        let _ = writeln!(
            so,
            "{:>6}  {:<11} {:>9}  {}",
            i,
            phase_name(step.phase),
            line,
            step.narration
        );
        for a in &step.alternatives {
            let _ = writeln!(so, "{:>6}  {:<11} {:>9}    - {}", "", "", "", a);
        }
    }
    if let Some(m) = &outcome.machine {
        let _ = write!(so, "{}", explain_machine(m));
    }
    if t.truncated {
        let _ = writeln!(
            so,
            "-- the trace keeps the first {} steps (--max-steps); the run went on to its end",
            t.len()
        );
    }
    let _ = writeln!(
        so,
        "-- {} steps, virtual time {:.3} ms, exit code {}",
        t.len(),
        outcome.virtual_time_ns as f64 / 1e6,
        outcome.exit_code
    );
    0
}

/// The machine's story of a run with workers or CPU work on the thread pool: the threads, when
/// each (and each busy libuv pool thread) ran on which core, and every message between them,
/// in time order.
fn explain_machine(m: &looplab_core::machine::MachineReport) -> String {
    let ms = |ns: u64| format!("{:.3} ms", ns as f64 / 1e6);
    let name = |agent: usize| {
        m.threads
            .get(agent)
            .map_or_else(|| format!("thread {agent}"), |t| t.name.clone())
    };
    let mut out = format!(
        "-- the machine: {} cores, {} threads, {} context switches, memory ~{:.1} MB\n",
        m.cores,
        m.threads.len(),
        m.context_switches,
        m.rss_bytes as f64 / 1e6
    );
    for t in &m.threads {
        let exit = t.exit_code.map_or_else(
            || "still running at exit".into(),
            |c| format!("exit code {c}"),
        );
        out.push_str(&format!(
            "   {:<12} {} instructions, heap {} objects (~{:.1} MB), {exit}\n",
            t.name,
            t.steps,
            t.heap_objects,
            t.heap_bytes as f64 / 1e6
        ));
    }
    // slices and messages, merged in time order
    let mut events: Vec<(u64, String)> = Vec::new();
    for s in &m.slices {
        events.push((
            s.start_ns,
            match s.pool_thread {
                Some(_) => format!(
                    "{} ({}'s task) runs on core {} until {}",
                    s.thread,
                    name(s.agent),
                    s.core,
                    ms(s.end_ns)
                ),
                None => format!(
                    "{} runs on core {} until {}",
                    name(s.agent),
                    s.core,
                    ms(s.end_ns)
                ),
            },
        ));
    }
    for msg in &m.messages {
        // a message on a child process's channel: to its parent (the `ChildProcess`
        // object's port) or to the child
        let process = m
            .processes
            .iter()
            .find(|p| p.handle == Some(msg.to_port) || p.channel == Some(msg.to_port));
        if let Some(p) = process {
            let what = match msg.kind {
                "ipc" => format!("an IPC message ({} bytes)", msg.bytes),
                "stdout" | "stderr" => format!("a {} chunk ({} bytes)", msg.kind, msg.bytes),
                "output" => format!("an output line ({} bytes) it inherited", msg.bytes),
                "online" => "'online' (its program starts)".to_string(),
                "eof" => "the end of a pipe".to_string(),
                "exit" => "'exit' (the process ended)".to_string(),
                other => format!("'{other}'"),
            };
            // a program's output and end are queued by its parent when it starts
            let (from, to) = if p.handle == Some(msg.to_port) {
                (format!("process {}", p.pid), name(msg.to))
            } else {
                (name(msg.from), format!("process {}", p.pid))
            };
            events.push((
                msg.sent_ns,
                format!(
                    "{from} sends {what} to {to}, delivered at {}",
                    ms(msg.due_ns)
                ),
            ));
            continue;
        }
        let what = match msg.kind {
            "message" => format!("a message ({} bytes)", msg.bytes),
            "output" => format!(
                "an output line ({} bytes) for the process's stdout",
                msg.bytes
            ),
            "online" => "'online' (its script starts)".to_string(),
            "error" => "'error' (an uncaught exception)".to_string(),
            "exit" => "'exit' (its thread ended)".to_string(),
            other => format!("'{other}'"),
        };
        events.push((
            msg.sent_ns,
            format!(
                "{} sends {what} to {}, delivered at {}",
                name(msg.from),
                name(msg.to),
                ms(msg.due_ns)
            ),
        ));
    }
    events.sort_by_key(|e| e.0);
    for (t, text) in events {
        out.push_str(&format!("   {:>12}  {text}\n", ms(t)));
    }
    out
}
