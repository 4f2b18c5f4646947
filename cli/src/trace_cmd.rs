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
    /// A host of the virtual network: NAME@LATENCY_MS:BODY_JSON, e.g.
    /// 'api.example.com@50:{"ok":true}' (repeatable).
    #[arg(long = "host")]
    pub hosts: Vec<String>,
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
        network,
        ..Default::default()
    };
    (source, options)
}

fn record(source: String, options: RunOptions) -> (looplab_core::RunOutcome, trace::Trace) {
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || trace::record(&source, &options))
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
    let (outcome, t) = record(source, options);
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
    let (outcome, t) = record(source, options);
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
    let _ = writeln!(
        so,
        "-- {} steps, virtual time {:.3} ms, exit code {}",
        t.len(),
        outcome.virtual_time_ns as f64 / 1e6,
        outcome.exit_code
    );
    0
}
