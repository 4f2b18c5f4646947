//! A virtual POSIX-like shell and the programs of the simulated machine.
//!
//! `child_process.exec` runs its command line through `/bin/sh -c` (dash on Debian); `execFile`
//! and `spawn` run one program directly. This module is that shell and those programs as a
//! pure library: the file system and `node` itself come from a [`ShellHost`], time is virtual
//! (each run reports its output as timed chunks, its duration and its CPU use), and nothing
//! touches the real machine.
//!
//! Files: [`parse`] (lexer and parser: command line → [`Script`]), `exec` (the interpreter:
//! expansion, redirections, pipelines, lists, dash's builtins), `programs` (the programs on the
//! machine and their cost model), `regex` (the small regular-expression matcher `grep` uses),
//! `tests` (unit tests, the table compared with real `/bin/sh`, fuzzing). `docs/shell.md`
//! lists every program with its output, duration and CPU use, and how they were measured.

mod exec;
pub mod parse;
mod programs;
mod regex;
#[cfg(test)]
mod tests;

pub use parse::{parse, Script};
pub use programs::PROGRAMS;

/// A command line the shell refuses: dash's syntax error text (`/bin/sh: 1: Syntax error: ...`,
/// status 2) or an `unsupported:` message for a construct this shell does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellError {
    pub message: String,
}

/// What the shell needs from the machine.
pub trait ShellHost {
    /// The contents of a file (absolute path); `None` if it does not exist or is a directory.
    fn read_file(&self, path: &str) -> Option<String>;
    /// Creates or replaces a file (absolute path; its directory exists).
    fn write_file(&mut self, path: &str, contents: String);
    /// Entry names of a directory (absolute path), sorted; `None` if it is not a directory.
    fn list_dir(&self, path: &str) -> Option<Vec<String>>;
    /// Runs `node ARGS` as a new process of the simulation (the host decides how); stdin given.
    fn run_node(
        &mut self,
        args: &[String],
        stdin: &str,
        env: &[(String, String)],
        cwd: &str,
    ) -> ProgramRun;
    /// Sends signal number `signal` (Linux numbering; 0 only checks) to process `pid`.
    /// `false` when there is no such process.
    fn kill(&mut self, pid: i64, signal: i32) -> bool;
}

/// What one program (or a whole command line) did: output as timed chunks (offset in
/// nanoseconds from its start), exit status, how long it took and how much of that it used a
/// CPU core.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ProgramRun {
    pub stdout: Vec<(u64, String)>,
    pub stderr: Vec<(u64, String)>,
    pub status: i32,
    pub duration_ns: u64,
    pub cpu_ns: u64,
    /// Whether it read its stdin (a child whose stdin is a pipe then waits for the parent to
    /// end it).
    pub read_stdin: bool,
}

impl ProgramRun {
    /// All of stdout as one string.
    pub fn stdout_text(&self) -> String {
        self.stdout.iter().map(|(_, s)| s.as_str()).collect()
    }
    /// All of stderr as one string.
    pub fn stderr_text(&self) -> String {
        self.stderr.iter().map(|(_, s)| s.as_str()).collect()
    }
}

/// Where and with what a command line or program runs.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ShellContext {
    /// Absolute working directory.
    pub cwd: String,
    /// The environment, in order.
    pub env: Vec<(String, String)>,
    /// Everything the process will read on stdin.
    pub stdin: String,
}

/// Most output one run keeps (stdout and stderr together, and any one file a redirection
/// writes); the rest is dropped with a note on stderr.
pub const OUTPUT_CAP: usize = 16 * 1024 * 1024;
/// Most bytes all the programs of one run may produce together (pipes and files included),
/// so that a 64 KiB line of `cat f f f f > g; cat g g g g > f; ...` stays cheap.
pub const WORK_CAP: usize = 64 * 1024 * 1024;

/// Runs a parsed script like `/bin/sh -c` would (dash, what Node's exec uses on Linux).
pub fn run(script: &Script, ctx: &ShellContext, host: &mut dyn ShellHost) -> ProgramRun {
    exec::run_script(script, ctx, host)
}

/// Parses and runs a command line; a line that does not parse gives dash's status 2 and its
/// message on stderr, as `/bin/sh -c` does.
pub fn run_line(line: &str, ctx: &ShellContext, host: &mut dyn ShellHost) -> ProgramRun {
    match parse(line) {
        Ok(script) => run(&script, ctx, host),
        Err(e) => exec::parse_failure(&e),
    }
}

/// Runs one program directly, without a shell (what execFile/spawn without `shell` do).
/// `None` when the program does not exist (spawn then fails with ENOENT).
pub fn run_program(
    name: &str,
    args: &[String],
    ctx: &ShellContext,
    host: &mut dyn ShellHost,
) -> Option<ProgramRun> {
    exec::run_direct(name, args, ctx, host)
}
