//! What the page and the simulator worker say to each other, and the pure logic around it:
//! run settings (and how they map onto the core's [`RunOptions`]), the result of a run as the
//! page keeps it, and editor diagnostics read from the core's error report.
//!
//! Everything here is plain data (serde) so it crosses `postMessage` unchanged and is tested
//! natively.

use looplab_core::{HostSpec, RunOptions, RunOutcome, Stream};
use serde::{Deserialize, Serialize};

/// The knobs of one run. They appear in the URL (see [`super::url`]) so a shared link replays
/// exactly the same run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Size of the simulated libuv thread pool (`UV_THREADPOOL_SIZE`), 1..=128.
    pub pool: u32,
    /// Latency of one asynchronous file read, in microseconds.
    pub io_us: u64,
    /// Virtual time one VM instruction costs, in nanoseconds.
    pub instr_ns: u64,
}

impl Default for Settings {
    fn default() -> Self {
        let options = RunOptions::default();
        Settings {
            pool: options.threadpool_size,
            io_us: options.cost.fs_read_ns / 1_000,
            instr_ns: options.cost.instruction_ns,
        }
    }
}

impl Settings {
    /// Brings every field into its allowed range (URLs are hand-editable).
    pub fn clamped(self) -> Settings {
        Settings {
            pool: self.pool.clamp(1, 128),
            io_us: self.io_us.clamp(1, 10_000_000),
            instr_ns: self.instr_ns.clamp(1, 1_000_000),
        }
    }

    /// The core's options for a run with these settings (on the playground's network).
    pub fn run_options(&self) -> RunOptions {
        let mut options = RunOptions {
            network: playground_network(),
            ..RunOptions::default()
        };
        let s = self.clone().clamped();
        options.threadpool_size = s.pool;
        options.cost.fs_read_ns = s.io_us * 1_000;
        options.cost.instruction_ns = s.instr_ns;
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
        }
        .run_options();
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
