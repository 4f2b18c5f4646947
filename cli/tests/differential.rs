//! Differential testing: random programs (see `progen/`) must print the same stdout and exit
//! with the same code under `node FILE.js` and `looplab run FILE.js`.
//!
//! Tests:
//! - `generator_is_reproducible_and_covers_features`: no processes; the generator is a pure
//!   function of its seed, stays within its size bounds and uses every feature it promises.
//! - `generated_programs_are_deterministic_in_node`: keeps the generator honest. Each program
//!   is run by node twice (the second time with the CPU loaded by busy threads); outputs must be
//!   identical, the exit code must be the one the generator promised, and a program that exits 0
//!   must write nothing to stderr.
//! - `looplab_matches_node`: the differential test proper (>= 1000 programs by default).
//! - `workers_programs_are_deterministic_in_node`: the node self-check for the workers family
//!   (`worker_threads` programs, outside the rotation), 150 programs by default, with no
//!   tolerance for order changes under CPU load.
//! - `looplab_matches_node_workers`: the differential test for the workers family (300
//!   programs by default).
//! - `processes_programs_are_deterministic_in_node`: the node self-check for the processes
//!   family (`child_process` and `cluster` programs, outside the rotation), 150 programs by
//!   default, with no tolerance for order changes under CPU load.
//! - `looplab_matches_node_processes`: the differential test for the processes family (300
//!   programs by default).
//!
//! Environment knobs:
//! - `LOOPLAB_DIFF_SEED`   first seed (default 1); program i uses seed SEED + i.
//! - `LOOPLAB_DIFF_COUNT`  programs for `looplab_matches_node` (default 1000), the node
//!   self-check (default 200) and their workers and processes forms (default 300 and 150).
//! - `LOOPLAB_DIFF_FAMILY` `micro`, `macro`, `io`, `typed`, `errors`, `workers` or `processes`
//!   to test one family (default: take turns among all but `workers` and `processes`, which
//!   have tests of their own).
//! - `LOOPLAB_PROCGEN_OFF` parts of the processes family to leave out, comma-separated (see
//!   `progen::processes::SWITCHES`: fork, advanced, silent, kill, cluster, exec, spawn, sync,
//!   promisify, stdin, files, node, sleep, env).
//! - `LOOPLAB_DIFF_THREADS` worker threads (default 6 for the comparison, 4 for the node
//!   self-check, whose second pass also runs a busy thread; programs mostly sleep in timers).
//! - `LOOPLAB_DIFF_LOAD_TOLERANCE` percent of programs allowed to change order only under CPU
//!   load in the node self-check (default 10; 0 for the workers family).
//! - `LOOPLAB_DIFF_TIMEOUT_MS` per-program timeout (default 10000).
//! - `LOOPLAB_DIFF_BIN`    looplab binary to test instead of this build's.
//! - `LOOPLAB_DIFF_KEEP`   keep the directory of generated programs even on success.
//!
//! Without `node` the two node tests skip with a note, or fail under CI (`CI` or
//! `LOOPLAB_REQUIRE_NODE=1` set; see `looplab_testkit`).
//!
//! To reproduce one program, e.g. `macro_000123.js`: `LOOPLAB_DIFF_SEED=123 LOOPLAB_DIFF_COUNT=1
//! LOOPLAB_DIFF_FAMILY=macro` (or read it from the directory a failing run keeps and prints).
//!
//! To write generated programs to a directory instead (for reading, minimising or running by
//! hand), use the `progen-dump` tool, which shares this generator:
//! `cargo run -p looplab-cli --example progen-dump -- DIR [--family F] [--count N] [--seed S]`
//! (program i has seed S + i, families take turns as here; e.g. `--family macro --seed 123
//! --count 1` writes `macro_000123.js`).

mod progen;

use progen::{
    generate, Family, Program, MAX_LINES, MIN_LINES, PROCESSES_MAX_LINES, WORKERS_MAX_LINES,
};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The families the tests take turns with.
const FAMILIES: [Family; 5] = [
    Family::Micro,
    Family::Macro,
    Family::Io,
    Family::Typed,
    Family::Errors,
];

/// How many mismatches are printed in full.
const SHOW: usize = 5;
/// At most this many mismatches are re-checked against quiet node runs (the rest count as is).
const MAX_CONFIRM: usize = 60;

struct Config {
    seed: u64,
    count: usize,
    family: Option<Family>,
    threads: usize,
    timeout: Duration,
    keep: bool,
}

fn env_num(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    let parsed = if let Some(hex) = v.strip_prefix("0x") {
        u64::from_str_radix(hex, 16)
    } else {
        v.parse()
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={v:?} is not a number")))
}

fn config(default_count: usize, default_threads: usize) -> Config {
    let family = match std::env::var("LOOPLAB_DIFF_FAMILY").as_deref() {
        Ok("micro") => Some(Family::Micro),
        Ok("macro") => Some(Family::Macro),
        Ok("io") => Some(Family::Io),
        Ok("typed") => Some(Family::Typed),
        Ok("errors") => Some(Family::Errors),
        Ok("workers") => Some(Family::Workers),
        Ok("processes") => Some(Family::Processes),
        Ok("") | Err(_) => None,
        Ok(other) => {
            panic!(
                "LOOPLAB_DIFF_FAMILY={other:?}: expected micro, macro, io, typed, errors, workers or processes"
            )
        }
    };
    Config {
        seed: env_num("LOOPLAB_DIFF_SEED").unwrap_or(1),
        count: env_num("LOOPLAB_DIFF_COUNT").map_or(default_count, |n| n as usize),
        family,
        threads: env_num("LOOPLAB_DIFF_THREADS").map_or(default_threads, |n| n.max(1) as usize),
        timeout: Duration::from_millis(env_num("LOOPLAB_DIFF_TIMEOUT_MS").unwrap_or(10_000)),
        keep: std::env::var_os("LOOPLAB_DIFF_KEEP").is_some(),
    }
}

impl Config {
    fn program(&self, i: usize) -> Program {
        let family = self.family.unwrap_or(FAMILIES[i % FAMILIES.len()]);
        generate(family, self.seed + i as u64)
    }
}

/// What one process did.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outcome {
    stdout: String,
    stderr: String,
    /// None when killed by a signal or by the timeout.
    code: Option<i32>,
    timed_out: bool,
}

impl Outcome {
    fn describe_exit(&self) -> String {
        if self.timed_out {
            "TIMEOUT (killed)".to_string()
        } else {
            match self.code {
                Some(c) => format!("exit code {c}"),
                None => "killed by a signal".to_string(),
            }
        }
    }
}

/// Run a command with stdin closed, capturing stdout/stderr, killing it after `timeout`.
fn run(mut cmd: Command, timeout: Duration) -> Outcome {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(e) => panic!("waiting for {cmd:?}: {e}"),
        }
        if start.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(2));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().expect("stdout reader")).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr reader")).into_owned();
    Outcome {
        stdout,
        stderr,
        code: status.and_then(|s| s.code()),
        timed_out,
    }
}

/// `node FILE` in the program's own directory, first emptied of everything but the program:
/// I/O programs list that directory, and files an earlier run wrote there would show.
fn node_cmd(file: &Path) -> Command {
    if let Some(dir) = file.parent() {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if entry.path() != file {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let mut c = Command::new("node");
    c.arg(file);
    // Loading the CA bundle doubles node's start-up time and cannot change a program's output.
    c.env_remove("NODE_EXTRA_CA_CERTS")
        .env_remove("NODE_OPTIONS");
    if let Some(dir) = file.parent() {
        c.current_dir(dir);
    }
    c
}

fn looplab_cmd(bin: &Path, file: &Path) -> Command {
    let mut c = Command::new(bin);
    c.arg("run").arg(file);
    if let Some(dir) = file.parent() {
        c.current_dir(dir);
    }
    c
}

/// Run `f(i)` for i in 0..n on `threads` threads; results in index order.
fn parallel<T: Send>(n: usize, threads: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, T)> = thread::scope(|s| {
        let workers: Vec<_> = (0..threads.min(n.max(1)))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break mine;
                        }
                        mine.push((i, f(i)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker thread panicked"))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, t)| t).collect()
}

/// A scratch directory for generated programs: removed on success, kept on failure.
struct Scratch {
    dir: PathBuf,
    keep: bool,
}

impl Scratch {
    fn new(name: &str, keep: bool) -> Scratch {
        let dir = std::env::temp_dir().join(format!("looplab-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch { dir, keep }
    }
    /// Writes the program into a directory of its own (`DIR/NAME/NAME.js`).
    fn write(&self, p: &Program) -> PathBuf {
        let own = self.dir.join(p.file_name().trim_end_matches(".js"));
        std::fs::create_dir_all(&own).expect("create program dir");
        let path = own.join(p.file_name());
        std::fs::write(&path, &p.source).expect("write program");
        path
    }
    fn finish(mut self, failed: bool) {
        if failed || self.keep {
            eprintln!("generated programs kept in {}", self.dir.display());
            self.keep = true;
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A unified-style line diff (LCS), `-` for `a` only, `+` for `b` only; at most `max` lines.
fn line_diff(a: &str, b: &str, max: usize) -> String {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    if a.len() * b.len() > 4_000_000 {
        return "(outputs too long to diff)\n".to_string();
    }
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(format!("  {}", a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(format!("+ {}", b[j]));
            j += 1;
        } else {
            out.push(format!("- {}", a[i]));
            i += 1;
        }
    }
    let total = out.len();
    let mut s: String = out.into_iter().take(max).map(|l| l + "\n").collect();
    if total > max {
        s.push_str(&format!("... ({} more diff lines)\n", total - max));
    }
    s
}

fn numbered(src: &str) -> String {
    src.lines()
        .enumerate()
        .map(|(i, l)| format!("{:3} | {l}\n", i + 1))
        .collect()
}

fn report(
    title: &str,
    path: &Path,
    p: &Program,
    a_name: &str,
    a: &Outcome,
    b_name: &str,
    b: &Outcome,
) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "=== {title}: {} (family {}, seed {}, expects exit {})\n",
        path.display(),
        p.family.name(),
        p.seed,
        p.exit_code
    ));
    s.push_str(&numbered(&p.source));
    s.push_str(&format!(
        "--- {a_name}: {}\n{}",
        a.describe_exit(),
        a.stdout
    ));
    if !a.stderr.is_empty() {
        s.push_str(&format!("--- {a_name} stderr:\n{}", tail(&a.stderr, 15)));
    }
    s.push_str(&format!(
        "--- {b_name}: {}\n{}",
        b.describe_exit(),
        b.stdout
    ));
    if !b.stderr.is_empty() {
        s.push_str(&format!("--- {b_name} stderr:\n{}", tail(&b.stderr, 15)));
    }
    s.push_str(&format!("--- diff (- {a_name}, + {b_name}):\n"));
    s.push_str(&line_diff(&a.stdout, &b.stdout, 60));
    s
}

fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let from = lines.len().saturating_sub(n);
    lines[from..].iter().map(|l| format!("{l}\n")).collect()
}

/// Busy threads that load every core until dropped.
struct CpuLoad {
    stop: std::sync::Arc<AtomicBool>,
    handles: Vec<thread::JoinHandle<()>>,
}

impl CpuLoad {
    fn start(n: usize) -> CpuLoad {
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let handles = (0..n)
            .map(|k| {
                let stop = stop.clone();
                thread::spawn(move || {
                    let mut x = k as u64 + 1;
                    while !stop.load(Ordering::Relaxed) {
                        for _ in 0..10_000 {
                            x = x
                                .wrapping_mul(6364136223846793005)
                                .wrapping_add(1442695040888963407);
                        }
                        std::hint::black_box(x);
                    }
                })
            })
            .collect();
        CpuLoad { stop, handles }
    }
}

impl Drop for CpuLoad {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for h in self.handles.drain(..) {
            let _ = h.join();
        }
    }
}

#[test]
fn generator_is_reproducible_and_covers_features() {
    let mut all: [String; 5] = Default::default();
    let mut fatal = [0usize; 5];
    for (k, family) in FAMILIES.into_iter().enumerate() {
        for seed in 1..=300u64 {
            let p = generate(family, seed);
            let again = generate(family, seed);
            assert_eq!(
                p.source,
                again.source,
                "{} seed {seed} is not reproducible",
                family.name()
            );
            let lines = p.source.lines().count();
            assert!(
                (MIN_LINES..=MAX_LINES).contains(&lines),
                "{} seed {seed} has {lines} lines (want {MIN_LINES}..={MAX_LINES}):\n{}",
                family.name(),
                p.source
            );
            fatal[k] += p.expect_fatal as usize;
            all[k].push_str(&p.source);
        }
    }
    let micro_features = [
        "Promise.all(",
        "Promise.allSettled(",
        "Promise.race(",
        "Promise.any(",
        "AggregateError",
        "withResolvers()",
        "queueMicrotask(",
        "process.nextTick((a, b) =>",
        "async function",
        "async (p) =>",
        "await ",
        "{ then(res)",
        "{ then(_, rej)",
        ".finally(",
        ".catch(",
        "try {",
        "new Map(",
        "function* ",
        "async function* ",
        "process.on(\"exit\"",
        "process.on(\"beforeExit\"",
        "process.on(\"unhandledRejection\"",
        "process.exitCode = ",
        "JSON.stringify(",
        "switch (",
        "=> i / 4)",
        "class ",
        "extends",
        "-0",
        "NaN",
        "Promise.reject(",
        "throw new",
    ];
    let macro_features = [
        "setTimeout(",
        "setInterval(",
        "clearInterval(",
        "setImmediate(",
        "clearImmediate(",
        "clearTimeout(",
        "fs.readFile(",
        "tp.setTimeout(",
        "tp.setImmediate(",
        "process.nextTick(",
        "queueMicrotask(",
        ", 0);",
        "setImmediate((x) => {",
    ];
    let io_features = [
        "fs.writeFile(",
        "fs.readFile(",
        "fs.stat(",
        "fs.readdir(__dirname",
        "require(\"fs/promises\")",
        "fs.promises;",
        "await fsp.writeFile(",
        "await fsp.readFile(",
        "await fsp.stat(",
        "await fsp.readdir(__dirname",
        "await fsp.readdir(here(\"missing",
        "fs.readFile(here(\"missing",
        "Promise.all([fsp.readFile(",
        "fs.writeFileSync(",
        "fs.readFileSync(",
        "fs.statSync(",
        "fs.existsSync(",
        "errShape(",
        "new EventEmitter()",
        "extends EventEmitter",
        ".once(\"ev\"",
        ".prependListener(",
        ".prependOnceListener(",
        ".off(\"ev\"",
        ".emit(\"error\"",
        ".on(\"error\"",
        "await once(",
        "await tp.setTimeout(",
        "await tp.setImmediate(",
        "of tp.setInterval(",
        "setInterval(",
        "setImmediate(",
        "setTimeout(",
        "process.nextTick(",
    ];
    for f in micro_features {
        assert!(all[0].contains(f), "no micro program uses {f:?}");
    }
    for f in macro_features {
        assert!(all[1].contains(f), "no macro program uses {f:?}");
    }
    for f in io_features {
        assert!(all[2].contains(f), "no io program uses {f:?}");
    }
    let typed_features = [
        "new ArrayBuffer(",
        "new SharedArrayBuffer(",
        "new Uint8ClampedArray(",
        "new Float32Array(",
        ".from(",
        ".of(",
        ".subarray(",
        ".sort((x, y) =>",
        ".set(",
        "new DataView(",
        ".getFloat64(",
        "Atomics.",
        "Buffer.from(",
        "Buffer.concat(",
        ".readUInt16BE(",
        ".writeDoubleBE(",
        "structuredClone(",
        "queueMicrotask(",
        "catch (e)",
    ];
    for f in typed_features {
        assert!(all[3].contains(f), "no typed program uses {f:?}");
    }
    let errors_features = [
        "(1, \"a\")",
        "?.()",
        "?.[k]",
        ".f()",
        "new Math.max()",
        "const { a } = ",
        "const { a = 1 } = ",
        "const { [k]: a } = ",
        "const { ...r } = ",
        "({ a } = ",
        "const [a] = ",
        "[a, b] = ",
        "(({ a }) => a)(",
        "for (const { a } of [1, ",
        "for (const v of ",
        "[...",
        "Math.max(...",
        "new Set(...",
        "Array.from(",
        "new Map(",
        "Object.fromEntries(",
        "Promise.all(",
        "for await (const w of ",
        "class A {} A();",
        "constructor() { } } new B();",
        "JSON.parse(",
        "Object.freeze(",
        "get v()",
        "Symbol() + ",
        " in o.u",
        "instanceof ",
        "c = 2;",
        "typeof v",
        "String(e)",
        "e.name, e.message",
    ];
    for f in errors_features {
        assert!(all[4].contains(f), "no errors program uses {f:?}");
    }
    // the errors family never ends fatally
    assert_eq!(fatal[4], 0, "errors programs must not end fatally");
    assert!(
        fatal[..4].iter().all(|&n| n > 10),
        "too few fatal endings: {fatal:?}"
    );
    assert!(
        fatal[..4].iter().all(|&n| n < 120),
        "too many fatal endings: {fatal:?}"
    );

    // The workers family (outside the rotation).
    let mut workers = String::new();
    let mut workers_fatal = 0;
    for seed in 1..=300u64 {
        let p = generate(Family::Workers, seed);
        assert_eq!(
            p.source,
            generate(Family::Workers, seed).source,
            "workers seed {seed} is not reproducible"
        );
        let lines = p.source.lines().count();
        assert!(
            (MIN_LINES..=WORKERS_MAX_LINES).contains(&lines),
            "workers seed {seed} has {lines} lines (want {MIN_LINES}..={WORKERS_MAX_LINES}):\n{}",
            p.source
        );
        assert!(
            p.source.contains("new Worker("),
            "workers seed {seed} starts no worker:\n{}",
            p.source
        );
        workers_fatal += p.expect_fatal as usize;
        workers.push_str(&p.source);
    }
    let workers_features = [
        "require(\"worker_threads\")",
        "require(\"node:worker_threads\")",
        "if (isMainThread)",
        "new Worker(__filename, { workerData: { role: ",
        "eval: true, workerData",
        "} else if (workerData.role === ",
        "threadId",
        ".threadId",
        ".once(\"online\"",
        ".on(\"message\"",
        ".on(\"error\"",
        ".once(\"exit\"",
        "parentPort.on(\"message\"",
        "parentPort.once(\"message\"",
        "parentPort.postMessage(",
        "parentPort.close()",
        "parentPort.removeAllListeners(\"message\")",
        ".terminate()",
        "process.exit(",
        "throw new RangeError(",
        "throw new TypeError(",
        "new MessageChannel()",
        ".port2.on(\"message\"",
        "[ch",
        "await ask(ch",
        ".port1.close()",
        "parentPort.once(\"message\", ({ port })",
        "port.close()",
        "new SharedArrayBuffer(",
        "new Int32Array(",
        "Atomics.add(",
        "Atomics.load(",
        "Atomics.store(",
        "Atomics.wait(",
        "Atomics.notify(",
        ".buffer;",
        ", [ab",
        "if (i === ",
        "(async () => {",
        ".byteLength",
        "new Map(",
        "new Set(",
        "new Date(",
        "= \"changed\"",
        "setTimeout(",
        "setImmediate(",
        "process.nextTick(",
        "Promise.resolve(i).then(",
        "async (m) =>",
        "await ",
        "Promise.all(",
        "console.log(",
    ];
    for f in workers_features {
        assert!(workers.contains(f), "no workers program uses {f:?}");
    }
    assert!(
        (5..60).contains(&workers_fatal),
        "workers programs: {workers_fatal} of 300 end fatally"
    );

    // The processes family (outside the rotation); features of the parts LOOPLAB_PROCGEN_OFF
    // turns off are not demanded.
    let mut procs = String::new();
    let mut procs_fatal = 0;
    let mut exit_codes = std::collections::BTreeSet::new();
    for seed in 1..=400u64 {
        let p = generate(Family::Processes, seed);
        assert_eq!(
            p.source,
            generate(Family::Processes, seed).source,
            "processes seed {seed} is not reproducible"
        );
        let lines = p.source.lines().count();
        assert!(
            (MIN_LINES..=PROCESSES_MAX_LINES).contains(&lines),
            "processes seed {seed} has {lines} lines (want {MIN_LINES}..={PROCESSES_MAX_LINES}):\n{}",
            p.source
        );
        procs_fatal += p.expect_fatal as usize;
        exit_codes.insert(p.exit_code);
        procs.push_str(&p.source);
    }
    let sw = progen::processes::Switches::from_env();
    // Each group is demanded when all the switches it names are on.
    let procs_features: &[(&[&str], &[&str])] = &[
        (
            &["fork"],
            &[
                "require(\"child_process\")",
                "require(\"node:child_process\")",
                "const role = process.argv[2];",
                "fork(__filename, [\"c",
                "} else if (role === \"c",
                "process.on(\"message\", (m) =>",
                "process.on(\"message\", async (m) =>",
                "process.send(f(m));",
                "await ask(c",
                "ask(c",
                ".on(\"message\", (m) => { if (got.push(m) ===",
                ".once(\"spawn\"",
                ".on(\"exit\", (code, sig) =>",
                ".on(\"disconnect\"",
                "closeOf(c",
                ".disconnect();",
                "process.disconnect();",
                "process.exit(",
                "process.exitCode = ",
                "process.on(\"disconnect\"",
                "process.on(\"exit\", (code) => console.log(",
                "process.argv.slice(2)",
                "typeof process.send",
                "process.connected",
                ".pid === c",
                ".ppid === process.pid",
                ".send(\"stop\")",
                "new Map(",
                "new Set(",
                "new Date(",
                "undefined",
                "Buffer.from(",
                "Symbol(\"x\")",
                "fork(__filename, [\"f",
                "String(i), String(n)",
                "process.send({ i, r:",
                "() => { if (i === ",
                "Promise.all(ks",
                ".exitCode, c",
                ".signalCode",
                ".connected, c",
                "two words",
                "await new Promise((res) => setImmediate(res));",
                "await new Promise((res) => setTimeout(res, ",
            ],
        ),
        (
            &["fork", "advanced"],
            &[
                "serialization: \"advanced\"",
                "u: undefined, z: [-0, NaN] }",
                "new Uint16Array(",
                "set: new Set([n, -0])",
            ],
        ),
        (
            &["fork", "silent"],
            &[
                "silent: true",
                "stdio: [\"inherit\", \"inherit\", \"pipe\", \"ipc\"]",
                ".stdout.on(\"data\", (d) => { out",
                ".stderr.on(\"data\", (d) => { err",
                "throw new RangeError(\"child c",
                "throw new TypeError(\"fan ",
                ".includes(\"Error: child c",
            ],
        ),
        (
            &["fork", "kill"],
            &[
                ".kill(), c",
                ".kill(\"SIGKILL\"), c",
                ".kill(\"SIGINT\"), c",
                ".killed",
            ],
        ),
        (
            &["spawn", "kill"],
            &[
                "spawn(\"sleep\", [\"30\"])",
                ".kill(\"SIGHUP\")",
                "process.kill(s",
            ],
        ),
        (
            &["spawn", "kill", "exec"],
            &["sh(\"kill -9 \" + s", "sh(\"kill -s KILL \" + s"],
        ),
        (
            &["cluster"],
            &[
                "require(\"cluster\")",
                "require(\"node:cluster\")",
                "cluster.isWorker ? \"cw\" : process.argv[2]",
                "cluster.isPrimary, cluster.isMaster, cluster.isWorker",
                "cluster.fork({ CW_NAME: name })",
                "w.once(\"online\"",
                "Object.keys(cluster.workers)",
                "w.process.pid",
                "cluster.worker.id",
                "process.env.CW_NAME",
                "w.exitedAfterDisconnect",
                "cluster.on(\"exit\"",
                "cluster.worker.disconnect()",
                "process.exit(cluster.worker.id + ",
                "ws1.forEach((w) => w.disconnect());",
            ],
        ),
        (
            &["exec"],
            &[
                "exec(\"",
                "await sh(\"",
                "await Promise.all([sh(",
                "(err, stdout, stderr) =>",
                "err.killed, err.signal, err.cmd",
                "err && err.message",
                ".on(\"exit\", (code, sig) => console.log(",
                "execFile(\"",
                "err.errno, err.syscall, err.path, err.spawnargs",
                "execFile(\"nosuchprogram\"",
                "execFile(\"cd\"",
                " | grep",
                " | wc",
                " | head",
                " | cat",
                " && ",
                " || ",
                "; ",
                "printf '",
                "echo ",
                "nosuchcmd",
                ">&2",
                "'single  quoted'",
                "\\\"double quoted\\\"",
                "; exit ",
                "$?",
                "! true",
                "V",
                "cat missing",
                "grep -q x missing",
                "echo a && && echo b",
                "echo 'unterminated",
            ],
        ),
        (
            &["spawn"],
            &[
                "spawn(\"",
                ".stdout.on(\"data\", (d) => chunks",
                "Buffer.concat(chunks",
                ".stdout.setEncoding(\"utf8\")",
                "{ shell: true }",
                "{ stdio: \"inherit\" }",
                "{ stdio: \"ignore\" }",
                "spawn(\"nosuchprog\"",
                ".on(\"error\", (e) =>",
                "e.spawnargs, e.message",
            ],
        ),
        (
            &["sync"],
            &[
                "execSync(\"",
                "stdio: \"pipe\"",
                "e.status, e.signal",
                "execFileSync(\"",
                "spawnSync(\"",
                "spawnSync(\"nosuchprog\"",
                ".error.code",
                ".output && ",
                ").toString()",
                "encoding: \"utf8\"",
            ],
        ),
        (
            &["exec", "promisify"],
            &[
                "util.promisify(exec)",
                "const { stdout, stderr } = await execP",
            ],
        ),
        (
            &["spawn", "stdin"],
            &[".stdin.write(", ".stdin.end(", "spawn(\"wc\", [\"-l\"])"],
        ),
        (&["sync", "stdin"], &["input: "]),
        (&["exec", "files"], &[" > f", " >> f", "wc -l < f"]),
        (
            &["sync", "files"],
            &["fs.mkdirSync(", "fs.writeFileSync(", "ls d", "head -n 1 d"],
        ),
        (
            &["node"],
            &[
                "} else if (role === \"n",
                "throw new Error(\"node child failed\")",
            ],
        ),
        (
            &["node", "exec"],
            &[
                "sh(`node \"${__filename}\" n",
                "execFile(process.execPath, [__filename, \"n",
            ],
        ),
        (
            &["node", "spawn"],
            &["spawn(process.execPath, [__filename, \"n"],
        ),
        (
            &["node", "sync"],
            &[
                "spawnSync(process.execPath, [__filename, \"n",
                "execFileSync(process.execPath, [__filename, \"n",
            ],
        ),
        (&["exec", "sleep"], &["sleep 0.0"]),
        (
            &["exec", "env"],
            &[
                "{ env: { A: ",
                "{ env: { ...process.env, GREETING",
                "{ cwd: \"/\" }",
                "; pwd",
                "env -i K=v L=w",
                "{ encoding: \"buffer\" }",
            ],
        ),
        (
            &["fork", "env"],
            &[
                "env: { ...process.env, FAN_INPUT: String(n) }",
                "process.env.FAN_INPUT",
            ],
        ),
    ];
    let missing: Vec<String> = procs_features
        .iter()
        .filter(|(switches, _)| switches.iter().all(|s| sw.on(s)))
        .flat_map(|(switches, features)| {
            features
                .iter()
                .filter(|f| !procs.contains(*f))
                .map(move |f| format!("{f:?} (switches {})", switches.join("+")))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "no processes program uses {}",
        missing.join(", ")
    );
    assert!(
        (5..60).contains(&procs_fatal),
        "processes programs: {procs_fatal} of 400 end fatally"
    );
    assert!(
        exit_codes.len() >= 3,
        "processes programs: exit codes {exit_codes:?}"
    );
}

#[test]
fn processes_programs_are_deterministic_in_node() {
    if !looplab_testkit::node("processes_programs_are_deterministic_in_node") {
        return;
    }
    let cfg = Config {
        family: Some(Family::Processes),
        ..config(150, 4)
    };
    node_self_check(cfg, 0);
}

#[test]
fn generated_programs_are_deterministic_in_node() {
    if !looplab_testkit::node("generated_programs_are_deterministic_in_node") {
        return;
    }
    node_self_check(config(200, 4), 10);
}

#[test]
fn workers_programs_are_deterministic_in_node() {
    if !looplab_testkit::node("workers_programs_are_deterministic_in_node") {
        return;
    }
    let cfg = Config {
        family: Some(Family::Workers),
        ..config(150, 4)
    };
    node_self_check(cfg, 0);
}

/// Runs `cfg`'s programs under node twice (the second time with the CPU loaded) and fails on
/// any program whose output, exit code or stderr is not what the generator promised, or when
/// more than `default_tolerance` percent (`LOOPLAB_DIFF_LOAD_TOLERANCE`) changed their order
/// only under load.
fn node_self_check(cfg: Config, default_tolerance: u64) {
    let scratch = Scratch::new(
        &format!("progen-node-{}", cfg.family.map_or("all", Family::name)),
        cfg.keep,
    );
    let programs: Vec<(Program, PathBuf)> = (0..cfg.count)
        .map(|i| {
            let p = cfg.program(i);
            let path = scratch.write(&p);
            (p, path)
        })
        .collect();
    let start = Instant::now();
    let first = parallel(programs.len(), cfg.threads, |i| {
        run(node_cmd(&programs[i].1), cfg.timeout)
    });
    let second = {
        let _load = CpuLoad::start(1);
        parallel(programs.len(), cfg.threads, |i| {
            run(node_cmd(&programs[i].1), cfg.timeout)
        })
    };
    // Hard problems, and programs whose order changed only under CPU load (their quiet re-runs
    // agree): on a busy 2-core machine a scheduler stall of 50-100 ms can beat any fixed margin
    // (measured at load average 12-17: 1.5-3.5% of programs), so up to 10% of those are
    // tolerated (and shown); structural nondeterminism shows up in the quiet re-runs too.
    let mut problems = Vec::new();
    let mut load_sensitive = Vec::new();
    for (i, (p, path)) in programs.iter().enumerate() {
        let (a, b) = (&first[i], &second[i]);
        let want = p.exit_code;
        if !same(a, b) {
            let q1 = run(node_cmd(path), cfg.timeout);
            let q2 = run(node_cmd(path), cfg.timeout);
            if same(&q1, &q2) {
                load_sensitive.push(report(
                    "node changed its order under CPU load (quiet re-runs agree)",
                    path,
                    p,
                    "node (run 1)",
                    a,
                    "node (run 2, CPU loaded)",
                    b,
                ));
            } else {
                problems.push(report(
                    "node disagrees with itself even without load",
                    path,
                    p,
                    "node (quiet re-run 1)",
                    &q1,
                    "node (quiet re-run 2)",
                    &q2,
                ));
            }
            continue;
        }
        let why = if a.timed_out {
            Some("node timed out".to_string())
        } else if a.code != Some(want) {
            Some(format!(
                "exit code {:?}, the generator promised {want}",
                a.code
            ))
        } else if !p.expect_fatal && !a.stderr.is_empty() {
            Some("a program that does not fail wrote to stderr".to_string())
        } else if a.stdout.lines().count() < if p.expect_fatal { 2 } else { 3 } {
            Some("too few lines of output".to_string())
        } else {
            None
        };
        if let Some(why) = why {
            problems.push(report(
                &why,
                path,
                p,
                "node (run 1)",
                a,
                "node (run 2, CPU loaded)",
                b,
            ));
        }
    }
    let tolerated = programs.len()
        * env_num("LOOPLAB_DIFF_LOAD_TOLERANCE").unwrap_or(default_tolerance) as usize
        / 100;
    eprintln!(
        "node self-check: {} programs x 2 runs in {:.1}s: {} problems, {} load-sensitive (tolerated: {tolerated})",
        programs.len(),
        start.elapsed().as_secs_f64(),
        problems.len(),
        load_sensitive.len()
    );
    for r in problems.iter().chain(&load_sensitive).take(SHOW) {
        eprintln!("{r}");
    }
    let failed = !problems.is_empty() || load_sensitive.len() > tolerated;
    scratch.finish(failed);
    assert!(
        problems.is_empty(),
        "{} of {} generated programs are not deterministic in node",
        problems.len(),
        programs.len()
    );
    assert!(
        load_sensitive.len() <= tolerated,
        "{} of {} generated programs change their output under CPU load (more than the tolerated {tolerated})",
        load_sensitive.len(),
        programs.len()
    );
}

/// Same stdout and exit status.
fn same(a: &Outcome, b: &Outcome) -> bool {
    a.stdout == b.stdout && a.code == b.code && a.timed_out == b.timed_out
}

#[test]
fn looplab_matches_node() {
    if !looplab_testkit::node("looplab_matches_node") {
        return;
    }
    compare_with_node(config(1000, 6));
}

#[test]
fn looplab_matches_node_workers() {
    if !looplab_testkit::node("looplab_matches_node_workers") {
        return;
    }
    compare_with_node(Config {
        family: Some(Family::Workers),
        ..config(300, 6)
    });
}

#[test]
fn looplab_matches_node_processes() {
    if !looplab_testkit::node("looplab_matches_node_processes") {
        return;
    }
    compare_with_node(Config {
        family: Some(Family::Processes),
        ..config(300, 6)
    });
}

/// Runs `cfg`'s programs under node and looplab and fails on any difference in stdout or exit
/// code that quiet node re-runs confirm.
fn compare_with_node(cfg: Config) {
    let bin = std::env::var_os("LOOPLAB_DIFF_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_looplab")));
    let scratch = Scratch::new(
        &format!("diff-{}", cfg.family.map_or("all", Family::name)),
        cfg.keep,
    );
    let start = Instant::now();
    let results = parallel(cfg.count, cfg.threads, |i| {
        let p = cfg.program(i);
        let path = scratch.write(&p);
        let node = run(node_cmd(&path), cfg.timeout);
        let ll = run(looplab_cmd(&bin, &path), cfg.timeout);
        let ok =
            !node.timed_out && !ll.timed_out && node.stdout == ll.stdout && node.code == ll.code;
        (p, path, node, ll, ok)
    });
    // A mismatch may be node's fault: a scheduler stall under the test's own parallel load can
    // reorder timers. Confirm a (small) number of mismatches by re-running node twice alone:
    // if node agrees with itself and with looplab, it was the load, not looplab.
    let mut confirmed = 0;
    let mut bad = Vec::new();
    let mut node_load_sensitive = 0;
    let mut node_unstable = Vec::new();
    for (p, path, node, ll, ok) in &results {
        if *ok {
            continue;
        }
        if confirmed == MAX_CONFIRM {
            bad.push((p, path, node.clone(), ll));
            continue;
        }
        confirmed += 1;
        let q1 = run(node_cmd(path), cfg.timeout);
        let q2 = run(node_cmd(path), cfg.timeout);
        if !same(&q1, &q2) {
            node_unstable.push(report(
                "node disagrees with itself in re-runs (generator bug, or extreme machine load)",
                path,
                p,
                "node (quiet re-run 1)",
                &q1,
                "node (quiet re-run 2)",
                &q2,
            ));
        } else if same(&q1, ll) && !q1.timed_out {
            node_load_sensitive += 1;
        } else {
            bad.push((p, path, q1, ll));
        }
    }
    let per_family: Vec<String> = FAMILIES
        .into_iter()
        .chain([Family::Workers, Family::Processes])
        .filter_map(|f| {
            let all = results.iter().filter(|r| r.0.family == f).count();
            let wrong = bad.iter().filter(|r| r.0.family == f).count();
            (all > 0).then(|| format!("{} {}/{all}", f.name(), all - wrong))
        })
        .collect();
    eprintln!(
        "differential: {} programs in {:.1}s against {}: {} match ({}), {} mismatch; \
         node was load-sensitive on {}, unstable on {}",
        results.len(),
        start.elapsed().as_secs_f64(),
        bin.display(),
        results.len() - bad.len() - node_unstable.len(),
        per_family.join(", "),
        bad.len(),
        node_load_sensitive,
        node_unstable.len()
    );
    for (p, path, node, ll) in bad.iter().take(SHOW) {
        eprintln!(
            "{}",
            report("MISMATCH", path, p, "node", node, "looplab", ll)
        );
    }
    for r in node_unstable.iter().take(SHOW) {
        eprintln!("{r}");
    }
    if bad.len() > SHOW {
        let names: Vec<String> = bad.iter().map(|r| r.0.file_name()).collect();
        eprintln!("all mismatching programs: {}", names.join(" "));
    }
    let failed = !bad.is_empty() || node_unstable.len() > results.len() / 100;
    scratch.finish(failed || !node_unstable.is_empty());
    assert!(
        bad.is_empty(),
        "{} of {} programs differ between node and looplab",
        bad.len(),
        results.len()
    );
    assert!(
        node_unstable.len() <= results.len() / 100,
        "{} of {} programs are not deterministic in node (more than 1%)",
        node_unstable.len(),
        results.len()
    );
}
