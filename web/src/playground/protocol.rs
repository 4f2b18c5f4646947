//! What the page and the simulator worker say to each other, and the pure logic around it:
//! run settings (and how they map onto the core's [`RunOptions`]), the result of a run as the
//! page keeps it, and editor diagnostics read from the core's error report.
//!
//! Everything here is plain data (serde) so it crosses `postMessage` unchanged and is tested
//! natively.

use looplab_core::{HostSpec, RunOptions, RunOutcome, Stream};
use serde::{Deserialize, Serialize};

use super::project::Project;

/// The knobs of one run. They appear in the URL (see [`super::url`]) so a shared link replays
/// exactly the same run. Each one is described once, in [`SETTINGS`]: its URL key, label, range
/// and where it goes in the core's [`RunOptions`]. A field left out of a message takes its
/// default (callers written before a field existed keep working).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Size of the simulated libuv thread pool (`UV_THREADPOOL_SIZE`), 1..=128.
    pub pool: u32,
    /// Latency of one asynchronous file read, in microseconds.
    pub io_us: u64,
    /// Virtual time one VM instruction costs, in nanoseconds.
    pub instr_ns: u64,
    /// Virtual cores of the machine, 1..=64.
    pub cores: u32,
    /// Starting a worker thread (`new Worker` until its script runs), microseconds.
    pub worker_start_us: u64,
    /// Starting a Node child process (`fork` until its first statement), microseconds.
    pub fork_start_us: u64,
    /// Starting a program (`spawn`/`exec` until the child exists), microseconds.
    pub spawn_start_us: u64,
    /// One IPC message between processes, fixed part, nanoseconds.
    pub ipc_ns: u64,
    /// One `postMessage` between threads, fixed part, nanoseconds.
    pub message_ns: u64,
    /// The structured clone of a message, per byte, picoseconds.
    pub clone_byte_ps: u64,
}

/// One run setting: its URL key (also its `data-testid`, `setting-KEY`), what the settings panel
/// calls it, its allowed range, and how to read and write it.
pub struct SettingField {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub min: u64,
    pub max: u64,
    pub get: fn(&Settings) -> u64,
    pub set: fn(&mut Settings, u64),
}

/// Every run setting, in the order the panel shows them.
pub const SETTINGS: &[SettingField] = &[
    SettingField {
        key: "cores",
        label: "Cores",
        help: "virtual CPU cores of the machine, 1–64",
        min: 1,
        max: 64,
        get: |s| u64::from(s.cores),
        set: |s, v| s.cores = v as u32,
    },
    SettingField {
        key: "pool",
        label: "Thread pool size",
        help: "UV_THREADPOOL_SIZE, 1–128",
        min: 1,
        max: 128,
        get: |s| u64::from(s.pool),
        set: |s, v| s.pool = v as u32,
    },
    SettingField {
        key: "io",
        label: "File read latency (µs)",
        help: "virtual time from fs.readFile to its callback",
        min: 1,
        max: 10_000_000,
        get: |s| s.io_us,
        set: |s, v| s.io_us = v,
    },
    SettingField {
        key: "ins",
        label: "Cost per instruction (ns)",
        help: "virtual time one VM instruction takes",
        min: 1,
        max: 1_000_000,
        get: |s| s.instr_ns,
        set: |s, v| s.instr_ns = v,
    },
    SettingField {
        key: "wstart",
        label: "Worker start (µs)",
        help: "new Worker() until the worker's first statement",
        min: 0,
        max: 10_000_000,
        get: |s| s.worker_start_us,
        set: |s, v| s.worker_start_us = v,
    },
    SettingField {
        key: "fork",
        label: "Process start (µs)",
        help: "fork() until the child Node process's first statement",
        min: 0,
        max: 10_000_000,
        get: |s| s.fork_start_us,
        set: |s, v| s.fork_start_us = v,
    },
    SettingField {
        key: "spawn",
        label: "Program start (µs)",
        help: "spawn()/exec() until the child program exists",
        min: 0,
        max: 10_000_000,
        get: |s| s.spawn_start_us,
        set: |s, v| s.spawn_start_us = v,
    },
    SettingField {
        key: "ipc",
        label: "IPC message (ns)",
        help: "one process.send() between processes, fixed part",
        min: 0,
        max: 1_000_000_000,
        get: |s| s.ipc_ns,
        set: |s, v| s.ipc_ns = v,
    },
    SettingField {
        key: "msg",
        label: "postMessage (ns)",
        help: "one message between threads, fixed part",
        min: 0,
        max: 1_000_000_000,
        get: |s| s.message_ns,
        set: |s, v| s.message_ns = v,
    },
    SettingField {
        key: "clone",
        label: "Clone per byte (ps)",
        help: "structured clone of a message, per byte",
        min: 0,
        max: 100_000_000,
        get: |s| s.clone_byte_ps,
        set: |s, v| s.clone_byte_ps = v,
    },
];

/// The field with URL key `key`.
pub fn setting_field(key: &str) -> Option<&'static SettingField> {
    SETTINGS.iter().find(|f| f.key == key)
}

impl SettingField {
    /// Sets `value` clamped to the field's range; says so when it had to clamp.
    pub fn set_clamped(&self, settings: &mut Settings, value: u64) -> Option<String> {
        let clamped = value.clamp(self.min, self.max);
        (self.set)(settings, clamped);
        (clamped != value).then(|| {
            format!(
                "{} ({}={value}) is out of range ({}–{}): using {clamped}.",
                self.label, self.key, self.min, self.max
            )
        })
    }
}

impl Default for Settings {
    fn default() -> Self {
        let options = RunOptions::default();
        let cost = &options.cost;
        Settings {
            pool: options.threadpool_size,
            io_us: cost.fs_read_ns / 1_000,
            instr_ns: cost.instruction_ns,
            cores: options.cores,
            worker_start_us: cost.worker_start_ns / 1_000,
            fork_start_us: cost.fork_start_ns / 1_000,
            spawn_start_us: cost.process_start_ns / 1_000,
            ipc_ns: cost.ipc_message_base_ns,
            message_ns: cost.message_base_ns,
            clone_byte_ps: cost.message_byte_ps,
        }
    }
}

impl Settings {
    /// Brings every field into its allowed range (URLs are hand-editable).
    pub fn clamped(self) -> Settings {
        self.clamp_report().0
    }

    /// Brings every field into its allowed range, with a sentence for each that was not.
    pub fn clamp_report(mut self) -> (Settings, Vec<String>) {
        let notes = SETTINGS
            .iter()
            .filter_map(|f| {
                let value = (f.get)(&self);
                f.set_clamped(&mut self, value)
            })
            .collect();
        (self, notes)
    }

    /// The core's options for a run with these settings (on the playground's network).
    pub fn run_options(&self) -> RunOptions {
        let mut options = RunOptions {
            network: playground_network(),
            ..RunOptions::default()
        };
        let s = self.clone().clamped();
        options.threadpool_size = s.pool;
        options.cores = s.cores;
        let cost = &mut options.cost;
        cost.fs_read_ns = s.io_us * 1_000;
        cost.instruction_ns = s.instr_ns;
        cost.worker_start_ns = s.worker_start_us * 1_000;
        cost.fork_start_ns = s.fork_start_us * 1_000;
        cost.process_start_ns = s.spawn_start_us * 1_000;
        cost.ipc_message_base_ns = s.ipc_ns;
        cost.message_base_ns = s.message_ns;
        cost.message_byte_ps = s.clone_byte_ps;
        options
    }

    /// The options for running `project`: its main file at `/NAME`, the others next to it.
    pub fn run_options_for(&self, project: &Project) -> RunOptions {
        let mut options = self.run_options();
        let (filename, files) = project.run_paths();
        options.filename = filename;
        options.cwd = "/".into();
        options.files = files;
        options
    }
}

/// The hosts of the virtual network every playground run can `fetch` from
/// (`examples/network.json`; the end-to-end tests pass the same hosts to `looplab run`, and
/// `examples/node-network.cjs` serves them to real Node).
pub fn playground_network() -> Vec<HostSpec> {
    serde_json::from_str(include_str!("examples/network.json")).unwrap_or_default()
}

/// One line the program printed, with its stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleLine {
    /// `true` for stderr, `false` for stdout.
    pub stderr: bool,
    pub text: String,
}

/// A problem to mark in the editor, in UTF-8 byte offsets of the source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub from: usize,
    pub to: usize,
    pub message: String,
    /// `"error"` for syntax errors, `"warning"` for constructs the simulator does not support.
    pub severity: String,
}

/// What the worker reports when a run ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    /// The console, one entry per line (a write without a final newline is its own line).
    pub console: Vec<ConsoleLine>,
    pub exit_code: i32,
    /// Executed VM instructions.
    pub steps: u64,
    /// Virtual time at exit, nanoseconds.
    pub virtual_time_ns: u64,
    /// Places where real Node.js may pick another order, and the order chosen.
    pub nondeterministic: Vec<String>,
    /// Set when the program never started: a syntax error or an unsupported construct.
    pub diagnostics: Vec<Diagnostic>,
    /// Wall-clock time the worker spent, milliseconds.
    pub elapsed_ms: f64,
    /// The recorded trace's shape, when the run was recorded for stepping.
    pub timeline: Option<super::timeline::Timeline>,
}

impl RunResult {
    /// Builds the page's result from the core's outcome for `source`.
    pub fn from_outcome(source: &str, outcome: &RunOutcome, elapsed_ms: f64) -> RunResult {
        let mut console = Vec::new();
        for (stream, text) in &outcome.output {
            let stderr = matches!(stream, Stream::Stderr);
            let body = text.strip_suffix('\n').unwrap_or(text);
            for line in body.split('\n') {
                console.push(ConsoleLine {
                    stderr,
                    text: line.to_string(),
                });
            }
        }
        let diagnostics = if outcome.steps == 0 && outcome.exit_code != 0 {
            diagnostics_from_report(source, &outcome.stderr)
        } else {
            Vec::new()
        };
        RunResult {
            console,
            exit_code: outcome.exit_code,
            steps: outcome.steps,
            virtual_time_ns: outcome.virtual_time_ns,
            nondeterministic: outcome.nondeterministic.clone(),
            diagnostics,
            elapsed_ms,
            timeline: None,
        }
    }

    /// True when the program could not start (the editor shows why, the last good run stays).
    pub fn failed_to_start(&self) -> bool {
        !self.diagnostics.is_empty()
    }
}

/// Reads the core's report of a program that never ran into editor diagnostics.
///
/// Two shapes exist: a syntax error in Node's format (`FILE:LINE:COL`, the source line, a
/// caret, then `SyntaxError: message`), and a compile error `unsupported: what at LINE:COL`.
pub fn diagnostics_from_report(source: &str, stderr: &str) -> Vec<Diagnostic> {
    let mut lines = stderr.lines();
    let first = lines.next().unwrap_or("");
    if let Some(rest) = first
        .split_once(" at ")
        .filter(|_| first.starts_with("unsupported:"))
    {
        if let Some((line, col)) = parse_line_col(rest.1) {
            let from = byte_offset(source, line, col);
            return vec![Diagnostic {
                from,
                to: token_end(source, from),
                message: format!("{} (the simulator cannot run this yet)", rest.0),
                severity: "warning".into(),
            }];
        }
    }
    if let Some(message) = stderr.lines().find(|l| l.starts_with("SyntaxError:")) {
        let position = first.rsplitn(3, ':').collect::<Vec<_>>();
        if let [col, line, _file] = position.as_slice() {
            if let (Ok(line), Ok(col)) = (line.parse::<usize>(), col.parse::<usize>()) {
                let from = byte_offset(source, line, col);
                return vec![Diagnostic {
                    from,
                    to: token_end(source, from),
                    message: message.to_string(),
                    severity: "error".into(),
                }];
            }
        }
        return vec![Diagnostic {
            from: 0,
            to: 0,
            message: message.to_string(),
            severity: "error".into(),
        }];
    }
    Vec::new()
}

fn parse_line_col(text: &str) -> Option<(usize, usize)> {
    let (line, col) = text.trim().split_once(':')?;
    Some((line.parse().ok()?, col.parse().ok()?))
}

/// UTF-8 byte offset of 1-based `line` and `col` (col counts characters), clamped to the source.
pub fn byte_offset(source: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match source[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return source.len(),
        }
    }
    let rest = &source[start..];
    let line_text = rest.split('\n').next().unwrap_or("");
    start
        + line_text
            .char_indices()
            .nth(col.saturating_sub(1))
            .map(|(i, _)| i)
            .unwrap_or(line_text.len())
}

/// The end of the word (or single character) at `from`, for a visible squiggle.
fn token_end(source: &str, from: usize) -> usize {
    let rest = &source[from.min(source.len())..];
    let word = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$'))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let len = if word > 0 {
        word
    } else {
        rest.chars().next().map(char::len_utf8).unwrap_or(0)
    };
    from + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_map_onto_run_options_and_clamp() {
        let options = Settings {
            pool: 0,
            io_us: 2_000,
            instr_ns: 5,
            cores: 100,
            ..Settings::default()
        }
        .run_options();
        assert_eq!(options.cores, 64);
        assert_eq!(options.threadpool_size, 1);
        assert_eq!(options.cost.fs_read_ns, 2_000_000);
        assert_eq!(options.cost.instruction_ns, 5);
        assert_eq!(options.network.len(), 3);
        assert_eq!(options.network[0].host, "users.example");
        let defaults = Settings::default().run_options();
        assert_eq!(
            defaults.cost.fs_read_ns,
            RunOptions::default().cost.fs_read_ns
        );
    }

    #[test]
    fn every_setting_defaults_to_the_core_and_reaches_it() {
        let defaults = Settings::default().run_options();
        let core = RunOptions::default();
        assert_eq!(defaults.cores, core.cores);
        assert_eq!(defaults.cost.worker_start_ns, core.cost.worker_start_ns);
        assert_eq!(defaults.cost.fork_start_ns, core.cost.fork_start_ns);
        assert_eq!(defaults.cost.process_start_ns, core.cost.process_start_ns);
        assert_eq!(
            defaults.cost.ipc_message_base_ns,
            core.cost.ipc_message_base_ns
        );
        assert_eq!(defaults.cost.message_base_ns, core.cost.message_base_ns);
        assert_eq!(defaults.cost.message_byte_ps, core.cost.message_byte_ps);
        // Each field writes its own knob: set every one to a value of its range and read back.
        let mut s = Settings::default();
        for (i, f) in SETTINGS.iter().enumerate() {
            assert_eq!(
                f.set_clamped(&mut s, f.min + 1 + i as u64),
                None,
                "{}",
                f.key
            );
        }
        for (i, f) in SETTINGS.iter().enumerate() {
            assert_eq!((f.get)(&s), f.min + 1 + i as u64, "{}", f.key);
        }
        let o = s.run_options();
        assert_eq!(o.cores, 2);
        assert_eq!(o.cost.worker_start_ns, 5_000);
        assert_eq!(o.cost.fork_start_ns, 6_000);
        assert_eq!(o.cost.process_start_ns, 7_000);
        assert_eq!(o.cost.ipc_message_base_ns, 8);
        assert_eq!(o.cost.message_base_ns, 9);
        assert_eq!(o.cost.message_byte_ps, 10);
        let keys: std::collections::HashSet<_> = SETTINGS.iter().map(|f| f.key).collect();
        assert_eq!(keys.len(), SETTINGS.len(), "URL keys are unique");
        assert!(setting_field("cores").is_some() && setting_field("nope").is_none());
    }

    #[test]
    fn settings_without_the_newer_fields_take_their_defaults() {
        let s: Settings =
            serde_json::from_str(r#"{"pool": 2, "io_us": 1000, "instr_ns": 10}"#).unwrap();
        assert_eq!(
            s,
            Settings {
                pool: 2,
                ..Settings::default()
            }
        );
    }

    #[test]
    fn absurd_settings_are_clamped_with_a_sentence_each() {
        let (s, notes) = Settings {
            cores: 1000,
            pool: 0,
            ..Settings::default()
        }
        .clamp_report();
        assert_eq!((s.cores, s.pool), (64, 1));
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(
            notes[0],
            "Cores (cores=1000) is out of range (1–64): using 64."
        );
        assert!(notes[1].contains("pool=0") && notes[1].contains("using 1"));
        assert!(Settings::default().clamp_report().1.is_empty());
    }

    #[test]
    fn a_project_runs_with_its_files_next_to_main() {
        let mut project = Project::single(
            "const { Worker } = require('worker_threads');\n\
             const { fork } = require('child_process');\n\
             const fs = require('fs');\n\
             console.log(fs.readFileSync('./data.txt', 'utf8'), fs.readFileSync('lib/more.txt', 'utf8'));\n\
             const w = new Worker('./worker.js');\n\
             w.on('message', (m) => {\n\
               console.log('worker says', m);\n\
               fork('./child.js').on('message', (c) => console.log('child says', c));\n\
             });\n",
        );
        for (name, text) in [
            ("lib/more.txt", "world"),
            ("data.txt", "hello"),
            (
                "worker.js",
                "require('worker_threads').parentPort.postMessage(6 * 7);\n",
            ),
            ("child.js", "process.send('hi'); process.disconnect();\n"),
        ] {
            project.files.insert(name.into(), text.into());
        }
        let options = Settings::default().run_options_for(&project);
        assert_eq!(options.filename, "/main.js");
        let outcome = looplab_core::run(project.main_text(), &options);
        assert_eq!(
            outcome.stdout, "hello world\nworker says 42\nchild says hi\n",
            "{outcome:?}"
        );
        // Another main file runs under its own name.
        let mut other = project.clone();
        other.main = "child.js".into();
        let options = Settings::default().run_options_for(&other);
        assert_eq!(options.filename, "/child.js");
        assert!(options.files.iter().any(|(name, _)| name == "/main.js"));
    }

    #[test]
    fn console_splits_lines_and_keeps_streams() {
        let outcome = looplab_core::run(
            "console.log('a\\nb'); console.error('c')",
            &RunOptions::default(),
        );
        let result = RunResult::from_outcome("", &outcome, 0.0);
        let lines: Vec<_> = result
            .console
            .iter()
            .map(|l| (l.stderr, l.text.as_str()))
            .collect();
        assert_eq!(lines, [(false, "a"), (false, "b"), (true, "c")]);
        assert!(!result.failed_to_start());
    }

    #[test]
    fn syntax_errors_become_diagnostics_at_their_position() {
        let source = "let a = 1;\nconsole.log(a +);\n";
        let outcome = looplab_core::run(source, &RunOptions::default());
        let result = RunResult::from_outcome(source, &outcome, 0.0);
        assert!(result.failed_to_start(), "{outcome:?}");
        let d = &result.diagnostics[0];
        assert_eq!(d.severity, "error");
        assert!(d.message.starts_with("SyntaxError:"), "{d:?}");
        assert_eq!(&source[d.from..d.to], ")");
    }

    #[test]
    fn unsupported_constructs_become_warnings() {
        let source = "const o = {};\nwith (o) {}\n";
        let outcome = looplab_core::run(source, &RunOptions::default());
        let result = RunResult::from_outcome(source, &outcome, 0.0);
        let d = &result.diagnostics[0];
        assert_eq!(d.severity, "warning");
        assert!(d.message.contains("unsupported: with statement"), "{d:?}");
        assert_eq!(&source[d.from..d.to], "with");
    }

    #[test]
    fn runtime_errors_are_not_diagnostics() {
        let source = "null.x";
        let outcome = looplab_core::run(source, &RunOptions::default());
        let result = RunResult::from_outcome(source, &outcome, 0.0);
        assert!(!result.failed_to_start());
        assert!(result
            .console
            .iter()
            .any(|l| l.stderr && l.text.contains("TypeError")));
    }

    #[test]
    fn byte_offsets_count_characters_within_a_line() {
        let source = "é = 1\nab";
        assert_eq!(byte_offset(source, 1, 2), 2);
        assert_eq!(byte_offset(source, 2, 2), 8);
        assert_eq!(byte_offset(source, 9, 1), source.len());
    }
}
