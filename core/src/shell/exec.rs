//! The interpreter: runs a [`Script`] the way dash runs `sh -c LINE`.
//!
//! Expansion (parameters, field splitting on whitespace, `~`, globbing over the host's files),
//! redirections (an fd table per command, files written through the host), pipelines (each
//! stage a subshell; stages overlap in time), `&&` / `||` / `;` lists, and the builtins that
//! change the shell itself (`cd`, `exit`, `export`, `unset`, assignments). Programs and the
//! builtins that only print (`echo`, `printf`, `pwd`, `kill`, ...) live in `programs`.

use super::parse::{is_name, AndOr, Command, Connector, Part, Pipeline, RedirKind, Script, Word};
use super::programs::{self, Io, Lookup};
use super::{ProgramRun, ShellContext, ShellError, ShellHost, OUTPUT_CAP, WORK_CAP};

/// `/bin/sh` itself: from spawn until it runs the first command (measured: docs/shell.md).
pub const SH_START_NS: u64 = 3_000_000;
/// `/bin/sh` exiting after the last command.
pub const SH_EXIT_NS: u64 = 500_000;
/// CPU time of the shell's own start and exit.
pub const SH_CPU_NS: u64 = 1_300_000;
/// A builtin run in the shell's own process (`echo`, `cd`, `true`, assignments...).
pub const BUILTIN_NS: u64 = 20_000;
/// The shell forking a subshell for a builtin in a pipeline.
pub const FORK_NS: u64 = 1_500_000;
pub const FORK_CPU_NS: u64 = 600_000;
/// Delay between the starts of consecutive stages of a pipeline (the shell forks them one by
/// one).
pub const PIPE_STAGGER_NS: u64 = 1_500_000;
/// A stage that reads its stdin ends at least this long after the stage before it closed it.
pub const PIPE_DRAIN_NS: u64 = 50_000;

/// The failure of a line that does not parse: dash prints the message and exits with 2.
pub fn parse_failure(e: &ShellError) -> ProgramRun {
    ProgramRun {
        stdout: Vec::new(),
        stderr: vec![(SH_START_NS, format!("{}\n", e.message))],
        status: 2,
        duration_ns: SH_START_NS + SH_EXIT_NS,
        cpu_ns: SH_CPU_NS,
        read_stdin: false,
    }
}

#[derive(Clone)]
struct Var {
    name: String,
    value: String,
    exported: bool,
}

/// Where one file descriptor of a command points.
#[derive(Clone, Debug, PartialEq)]
enum Fd {
    /// The stdout of the command's context (the pipe to the next stage or the script's).
    Out,
    /// The script's stderr.
    Err,
    /// The context's stdin (the pipe from the previous stage or the script's stdin).
    In,
    /// A file opened for writing (absolute path).
    File(String),
    /// A file opened for reading: its contents.
    Read(String),
    Null,
    Closed,
}

/// What one command or pipeline produced, before it is placed in the script's timeline.
#[derive(Default)]
struct Streams {
    out: Vec<(u64, String)>,
    err: Vec<(u64, String)>,
    status: i32,
    duration: u64,
    cpu: u64,
    read_stdin: bool,
}

struct Shell<'h> {
    host: &'h mut dyn ShellHost,
    vars: Vec<Var>,
    cwd: String,
    status: i32,
    stdin: String,
    stdin_used: bool,
    exited: Option<i32>,
    /// Bytes the programs may still produce in this run (`WORK_CAP`).
    work_left: usize,
    work_exhausted: bool,
    /// A program's output was cut at the budget.
    truncated: bool,
}

pub fn run_script(script: &Script, ctx: &ShellContext, host: &mut dyn ShellHost) -> ProgramRun {
    let mut sh = Shell::new(ctx, host);
    let mut t = SH_START_NS;
    let mut cpu = SH_CPU_NS;
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    for list in &script.lists {
        let s = sh.and_or(list);
        stdout.extend(s.out.into_iter().map(|(o, c)| (t.saturating_add(o), c)));
        stderr.extend(s.err.into_iter().map(|(o, c)| (t.saturating_add(o), c)));
        t = t.saturating_add(s.duration);
        cpu = cpu.saturating_add(s.cpu);
        if sh.exited.is_some() || sh.work_exhausted {
            break;
        }
    }
    if sh.work_exhausted {
        stderr.push((t, format!("/bin/sh: looplab: the programs of this command line produced more than {} MiB; stopped\n", WORK_CAP >> 20)));
        sh.status = 1;
        sh.exited = None;
    }
    let status = sh.exited.unwrap_or(sh.status);
    let mut run = ProgramRun {
        stdout,
        stderr,
        status,
        duration_ns: t.saturating_add(SH_EXIT_NS),
        cpu_ns: cpu,
        read_stdin: sh.stdin_used,
    };
    cap_output(&mut run, sh.truncated);
    run
}

/// Runs one program without a shell.
pub fn run_direct(
    name: &str,
    args: &[String],
    ctx: &ShellContext,
    host: &mut dyn ShellHost,
) -> Option<ProgramRun> {
    let prog = programs::lookup(name, false)?;
    let mut sh = Shell::new(ctx, host);
    let env: Vec<(String, String)> = ctx.env.clone();
    let stdin = ctx.stdin.clone();
    let s = sh.program(prog, name, args, &env, &stdin, false, false);
    let mut run = ProgramRun {
        stdout: s.out,
        stderr: s.err,
        status: s.status,
        duration_ns: s.duration,
        cpu_ns: s.cpu,
        read_stdin: s.read_stdin,
    };
    cap_output(&mut run, sh.truncated);
    Some(run)
}

/// Keeps at most `OUTPUT_CAP` bytes of stdout and stderr together.
fn cap_output(run: &mut ProgramRun, truncated: bool) {
    let mut left = OUTPUT_CAP;
    let mut over = truncated;
    for chunks in [&mut run.stdout, &mut run.stderr] {
        for (_, c) in chunks.iter_mut() {
            if c.len() > left {
                let cut = floor_boundary(c, left);
                c.truncate(cut);
                over = true;
            }
            left -= c.len();
        }
        chunks.retain(|(_, c)| !c.is_empty());
    }
    if over {
        let end = run.duration_ns;
        run.stderr.push((
            end,
            format!(
                "looplab: output beyond {} MiB was dropped\n",
                OUTPUT_CAP >> 20
            ),
        ));
    }
}

pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Absolute, normalised form of `p` seen from `cwd`.
pub(crate) fn resolve(cwd: &str, p: &str) -> String {
    if p.starts_with('/') {
        crate::host::fs::normalize(p)
    } else {
        crate::host::fs::normalize(&format!("{cwd}/{p}"))
    }
}

pub(crate) fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// Shell pattern matching (`*`, `?`, `[...]`, `\x`) of a whole name.
fn fnmatch(pat: &[char], name: &[char]) -> bool {
    // Classic backtracking over the last `*` only: linear-ish, no recursion.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        let step = if p < pat.len() {
            match pat[p] {
                '*' => {
                    star = Some((p, n));
                    p += 1;
                    continue;
                }
                '?' => Some(p + 1),
                '[' => match class_match(pat, p, name[n]) {
                    Some((true, next)) => Some(next),
                    Some((false, _)) => None,
                    None => (name[n] == '[').then_some(p + 1),
                },
                '\\' if p + 1 < pat.len() => (pat[p + 1] == name[n]).then_some(p + 2),
                c => (c == name[n]).then_some(p + 1),
            }
        } else {
            None
        };
        match step {
            Some(next) => {
                p = next;
                n += 1;
            }
            None => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    while p < pat.len() && pat[p] == '*' {
        p += 1;
    }
    p == pat.len()
}

/// `[...]` at `pat[p]`: whether `c` matches and the index after `]`; `None` if unterminated.
fn class_match(pat: &[char], p: usize, c: char) -> Option<(bool, usize)> {
    let mut i = p + 1;
    let negate = matches!(pat.get(i), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < pat.len() {
        if pat[i] == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        let lo = pat[i];
        if i + 2 < pat.len() && pat[i + 1] == '-' && pat[i + 2] != ']' {
            if lo <= c && c <= pat[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if lo == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

fn has_glob(pat: &str) -> bool {
    let mut esc = false;
    for c in pat.chars() {
        if esc {
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else if matches!(c, '*' | '?' | '[') {
            return true;
        }
    }
    false
}

fn unescape(pat: &str) -> String {
    let mut out = String::new();
    let mut esc = false;
    for c in pat.chars() {
        if !esc && c == '\\' {
            esc = true;
        } else {
            out.push(c);
            esc = false;
        }
    }
    out
}

/// One field being built: its text and the same text as a pattern (quoted glob characters and
/// backslashes escaped).
#[derive(Default)]
struct Field {
    text: String,
    pat: String,
    glob: bool,
}

impl Field {
    fn push(&mut self, s: &str, quoted: bool) {
        self.text.push_str(s);
        for c in s.chars() {
            if quoted && matches!(c, '*' | '?' | '[' | '\\') || !quoted && c == '\\' {
                self.pat.push('\\');
            } else if !quoted && matches!(c, '*' | '?' | '[') {
                self.glob = true;
            }
            self.pat.push(c);
        }
    }
}

impl<'h> Shell<'h> {
    fn new(ctx: &ShellContext, host: &'h mut dyn ShellHost) -> Self {
        let mut vars: Vec<Var> = ctx
            .env
            .iter()
            .map(|(n, v)| Var {
                name: n.clone(),
                value: v.clone(),
                exported: true,
            })
            .collect();
        let cwd = if ctx.cwd.starts_with('/') {
            resolve("/", &ctx.cwd)
        } else {
            resolve("/", &format!("/{}", ctx.cwd))
        };
        // dash exports PWD at start.
        vars.retain(|v| v.name != "PWD");
        vars.push(Var {
            name: "PWD".into(),
            value: cwd.clone(),
            exported: true,
        });
        Shell {
            host,
            vars,
            cwd,
            status: 0,
            stdin: ctx.stdin.clone(),
            stdin_used: false,
            exited: None,
            work_left: WORK_CAP,
            work_exhausted: false,
            truncated: false,
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.value.as_str())
    }

    fn set(&mut self, name: &str, value: String, export: bool) {
        if let Some(v) = self.vars.iter_mut().find(|v| v.name == name) {
            v.value = value;
            v.exported |= export;
        } else {
            self.vars.push(Var {
                name: name.to_string(),
                value,
                exported: export,
            });
        }
    }

    fn param(&self, name: &str) -> String {
        match name {
            "?" => self.status.to_string(),
            "#" => "0".into(),
            "0" => "/bin/sh".into(),
            "$" | "!" | "-" | "@" | "*" => String::new(),
            n if n.as_bytes()[0].is_ascii_digit() => String::new(),
            n => self.get(n).unwrap_or("").to_string(),
        }
    }

    fn and_or(&mut self, list: &AndOr) -> Streams {
        let mut acc = self.pipeline(&list.first);
        for (conn, p) in &list.rest {
            if self.exited.is_some() || self.work_exhausted {
                break;
            }
            let go = match conn {
                Connector::And => self.status == 0,
                Connector::Or => self.status != 0,
            };
            if go {
                let s = self.pipeline(p);
                append(&mut acc, s);
            }
        }
        acc
    }

    fn pipeline(&mut self, p: &Pipeline) -> Streams {
        let mut s = if p.commands.len() == 1 {
            let stdin_src = None;
            self.command(&p.commands[0], stdin_src, false)
        } else {
            let mut total = Streams::default();
            let mut input: Option<String> = None;
            let mut prev_end = 0u64;
            let n = p.commands.len();
            for (i, c) in p.commands.iter().enumerate() {
                // Each stage is a subshell: its assignments, `cd` and `exit` stay in it.
                let saved = (self.vars.clone(), self.cwd.clone(), self.exited);
                let stage =
                    self.command(c, input.take().or_else(|| (i > 0).then(String::new)), true);
                self.vars = saved.0;
                self.cwd = saved.1;
                self.exited = saved.2;
                let start = (i as u64).saturating_mul(PIPE_STAGGER_NS);
                let shift = |o: u64| {
                    let at = start.saturating_add(o);
                    if stage.read_stdin && i > 0 {
                        at.max(prev_end)
                    } else {
                        at
                    }
                };
                let mut end = start.saturating_add(stage.duration);
                if stage.read_stdin && i > 0 {
                    end = end.max(prev_end.saturating_add(PIPE_DRAIN_NS));
                }
                total
                    .err
                    .extend(stage.err.iter().map(|(o, c)| (shift(*o), c.clone())));
                if i + 1 < n {
                    input = Some(stage.out.iter().map(|(_, c)| c.as_str()).collect());
                } else {
                    total.out = stage
                        .out
                        .iter()
                        .map(|(o, c)| (shift(*o), c.clone()))
                        .collect();
                    total.status = stage.status;
                }
                total.duration = total.duration.max(end);
                total.cpu = total.cpu.saturating_add(stage.cpu);
                if i == 0 {
                    total.read_stdin = stage.read_stdin;
                }
                prev_end = end;
                if self.work_exhausted {
                    break;
                }
            }
            total.err.sort_by_key(|(o, _)| *o);
            total
        };
        if p.negated {
            s.status = i32::from(s.status == 0);
        }
        self.status = s.status;
        s
    }

    fn expand_fields(&self, w: &Word, out: &mut Vec<String>) {
        let mut fields: Vec<Field> = Vec::new();
        let mut cur: Option<Field> = None;
        for part in &w.parts {
            match part {
                Part::Lit { text, quoted } => {
                    cur.get_or_insert_with(Field::default).push(text, *quoted)
                }
                Part::Tilde => {
                    let home = self.get("HOME").unwrap_or("/").to_string();
                    cur.get_or_insert_with(Field::default).push(&home, true);
                }
                Part::Var { name, quoted: true } => {
                    let v = self.param(name);
                    cur.get_or_insert_with(Field::default).push(&v, true);
                }
                Part::Var {
                    name,
                    quoted: false,
                } => {
                    let v = self.param(name);
                    let pieces = v.split([' ', '\t', '\n']);
                    let starts_blank = v.starts_with([' ', '\t', '\n']);
                    if starts_blank {
                        if let Some(f) = cur.take() {
                            fields.push(f);
                        }
                    }
                    let mut first = true;
                    for piece in pieces {
                        if piece.is_empty() {
                            continue;
                        }
                        if !first {
                            if let Some(f) = cur.take() {
                                fields.push(f);
                            }
                        }
                        first = false;
                        cur.get_or_insert_with(Field::default).push(piece, false);
                    }
                    if v.ends_with([' ', '\t', '\n']) && !v.trim().is_empty() {
                        if let Some(f) = cur.take() {
                            fields.push(f);
                        }
                    }
                }
            }
        }
        if let Some(f) = cur {
            fields.push(f);
        }
        for f in fields {
            if f.glob {
                let found = self.glob(&f.pat);
                if found.is_empty() {
                    out.push(f.text);
                } else {
                    out.extend(found);
                }
            } else {
                out.push(f.text);
            }
        }
    }

    /// Expands a word to one string (assignments, redirection targets): no splitting, no
    /// globbing.
    fn expand_one(&self, w: &Word) -> String {
        let mut s = String::new();
        for part in &w.parts {
            match part {
                Part::Lit { text, .. } => s.push_str(text),
                Part::Tilde => s.push_str(self.get("HOME").unwrap_or("/")),
                Part::Var { name, .. } => s.push_str(&self.param(name)),
            }
        }
        s
    }

    /// Pathname expansion over the host's files; sorted; empty when nothing matches.
    fn glob(&self, pat: &str) -> Vec<String> {
        let absolute = pat.starts_with('/');
        // (path shown to the user, absolute path)
        let mut cands: Vec<(String, String)> = vec![(
            if absolute { "/".into() } else { String::new() },
            if absolute {
                "/".into()
            } else {
                self.cwd.clone()
            },
        )];
        let comps: Vec<&str> = pat.split('/').filter(|c| !c.is_empty()).collect();
        for (k, comp) in comps.iter().enumerate() {
            let last = k + 1 == comps.len();
            let mut next = Vec::new();
            for (shown, abs) in &cands {
                let join = |name: &str| {
                    let s = if shown.is_empty() || shown.ends_with('/') {
                        format!("{shown}{name}")
                    } else {
                        format!("{shown}/{name}")
                    };
                    let a = if abs.ends_with('/') {
                        format!("{abs}{name}")
                    } else {
                        format!("{abs}/{name}")
                    };
                    (s, a)
                };
                if has_glob(comp) {
                    let Some(entries) = self.host.list_dir(abs) else {
                        continue;
                    };
                    let pc: Vec<char> = comp.chars().collect();
                    for e in entries {
                        if e.starts_with('.') && !comp.starts_with('.') {
                            continue;
                        }
                        let ec: Vec<char> = e.chars().collect();
                        if fnmatch(&pc, &ec) {
                            let (s, a) = join(&e);
                            if last || self.host.list_dir(&a).is_some() {
                                next.push((s, a));
                            }
                        }
                    }
                } else {
                    let (s, a) = join(&unescape(comp));
                    if self.host.list_dir(&a).is_some()
                        || (last && self.host.read_file(&a).is_some())
                    {
                        next.push((s, a));
                    }
                }
            }
            cands = next;
            if cands.is_empty() || cands.len() > 100_000 {
                return Vec::new();
            }
        }
        let mut v: Vec<String> = cands.into_iter().map(|(s, _)| s).collect();
        if pat.ends_with('/') {
            for s in &mut v {
                s.push('/');
            }
        }
        v.sort();
        v
    }

    fn err_at(line: usize, msg: &str) -> String {
        format!("/bin/sh: {line}: {msg}\n")
    }

    /// Runs one simple command. `input`: the pipe from the previous stage, `None` for the
    /// script's stdin. `in_pipeline`: builtins cost a fork.
    fn command(&mut self, c: &Command, input: Option<String>, in_pipeline: bool) -> Streams {
        let mut words = Vec::new();
        for w in &c.words {
            self.expand_fields(w, &mut words);
        }
        let assigns: Vec<(String, String)> = c
            .assigns
            .iter()
            .map(|(n, w)| (n.clone(), self.expand_one(w)))
            .collect();
        let base_ns = if in_pipeline { FORK_NS } else { BUILTIN_NS };
        let base_cpu = if in_pipeline { FORK_CPU_NS } else { BUILTIN_NS };

        // Redirections, in order.
        let mut fds = [
            Fd::In,
            Fd::Out,
            Fd::Err,
            Fd::Closed,
            Fd::Closed,
            Fd::Closed,
            Fd::Closed,
            Fd::Closed,
            Fd::Closed,
            Fd::Closed,
        ];
        for r in &c.redirs {
            let fd = r.fd as usize;
            let res: Result<Fd, String> = match &r.kind {
                RedirKind::Dup(m) => match &fds[*m as usize] {
                    Fd::Closed => Err(format!("{m}: Bad file descriptor")),
                    f => Ok(f.clone()),
                },
                RedirKind::Close => Ok(Fd::Closed),
                RedirKind::In(w) => {
                    let name = self.expand_one(w);
                    let path = resolve(&self.cwd, &name);
                    match path.as_str() {
                        "/dev/null" => Ok(Fd::Read(String::new())),
                        "/dev/stdin" => Ok(fds[0].clone()),
                        _ => match self.host.read_file(&path) {
                            Some(text) => Ok(Fd::Read(text)),
                            None if self.host.list_dir(&path).is_some() => {
                                Ok(Fd::Read(String::new()))
                            }
                            None => Err(format!("cannot open {name}: No such file")),
                        },
                    }
                }
                RedirKind::Out(w) | RedirKind::Append(w) => {
                    let name = self.expand_one(w);
                    let path = resolve(&self.cwd, &name);
                    match path.as_str() {
                        "/dev/null" => Ok(Fd::Null),
                        "/dev/stdout" => Ok(fds[1].clone()),
                        "/dev/stderr" => Ok(fds[2].clone()),
                        _ if name.is_empty() => {
                            Err(format!("cannot create {name}: Directory nonexistent"))
                        }
                        _ if self.host.list_dir(&path).is_some() => {
                            Err(format!("cannot create {name}: Is a directory"))
                        }
                        _ if self.host.list_dir(parent(&path)).is_none() => {
                            Err(format!("cannot create {name}: Directory nonexistent"))
                        }
                        _ => {
                            let append = matches!(r.kind, RedirKind::Append(_));
                            if !append || self.host.read_file(&path).is_none() {
                                self.host.write_file(&path, String::new());
                            }
                            Ok(Fd::File(path))
                        }
                    }
                }
            };
            match res {
                Ok(f) => fds[fd] = f,
                Err(msg) => {
                    return Streams {
                        err: vec![(base_ns, Self::err_at(c.line, &msg))],
                        status: 2,
                        duration: base_ns,
                        cpu: base_cpu,
                        ..Streams::default()
                    };
                }
            }
        }

        // Stdin of the command.
        let (stdin, stdin_is_file, from_script) = match &fds[0] {
            Fd::In => match &input {
                Some(s) => (s.clone(), false, false),
                None if self.stdin_used => (String::new(), false, true),
                None => (self.stdin.clone(), false, true),
            },
            Fd::Read(s) => (s.clone(), true, false),
            _ => (String::new(), false, false),
        };

        let mut s = if words.is_empty() {
            // Only assignments (each sees the ones before it) and redirections.
            for (n, w) in &c.assigns {
                let v = self.expand_one(w);
                self.set(n, v, false);
            }
            Streams {
                status: 0,
                duration: base_ns,
                cpu: base_cpu,
                ..Streams::default()
            }
        } else {
            let name = words[0].clone();
            let args = &words[1..];
            self.run_named(
                c.line,
                &name,
                args,
                &assigns,
                &stdin,
                stdin_is_file,
                in_pipeline,
            )
        };
        if s.read_stdin && from_script {
            self.stdin_used = true;
        }
        s.read_stdin = s.read_stdin && matches!(fds[0], Fd::In);
        self.status = s.status;
        self.route(&mut s, &fds);
        s
    }

    /// Sends the command's stdout and stderr where fds 1 and 2 point.
    fn route(&mut self, s: &mut Streams, fds: &[Fd; 10]) {
        if fds[1] == Fd::Out && fds[2] == Fd::Err {
            return;
        }
        let out = std::mem::take(&mut s.out);
        let err = std::mem::take(&mut s.err);
        let mut files: Vec<(String, String)> = Vec::new();
        for (fd, chunks) in [(1usize, out), (2usize, err)] {
            for (t, c) in chunks {
                match &fds[fd] {
                    Fd::Out => s.out.push((t, c)),
                    Fd::Err => s.err.push((t, c)),
                    Fd::File(p) => match files.iter_mut().find(|(q, _)| q == p) {
                        Some((_, text)) => text.push_str(&c),
                        None => files.push((p.clone(), c)),
                    },
                    _ => {}
                }
            }
        }
        s.out.sort_by_key(|(t, _)| *t);
        s.err.sort_by_key(|(t, _)| *t);
        for (path, text) in files {
            let mut cur = self.host.read_file(&path).unwrap_or_default();
            let room = OUTPUT_CAP.saturating_sub(cur.len());
            cur.push_str(&text[..floor_boundary(&text, room)]);
            self.host.write_file(&path, cur);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn run_named(
        &mut self,
        line: usize,
        name: &str,
        args: &[String],
        assigns: &[(String, String)],
        stdin: &str,
        stdin_is_file: bool,
        in_pipeline: bool,
    ) -> Streams {
        let base_ns = if in_pipeline { FORK_NS } else { BUILTIN_NS };
        let base_cpu = if in_pipeline { FORK_CPU_NS } else { BUILTIN_NS };
        let done = |status: i32, err: Option<String>| Streams {
            err: err.map(|e| vec![(base_ns, e)]).unwrap_or_default(),
            status,
            duration: base_ns,
            cpu: base_cpu,
            ..Streams::default()
        };
        match name {
            "cd" => {
                let target = match args.first().map(String::as_str) {
                    None => self.get("HOME").unwrap_or("/").to_string(),
                    Some("-") => self.get("OLDPWD").unwrap_or(&self.cwd).to_string(),
                    Some(d) => d.to_string(),
                };
                let path = resolve(&self.cwd, &target);
                if self.host.list_dir(&path).is_none() {
                    return done(
                        2,
                        Some(Self::err_at(line, &format!("cd: can't cd to {target}"))),
                    );
                }
                let old = std::mem::replace(&mut self.cwd, path.clone());
                self.set("OLDPWD", old, true);
                self.set("PWD", path.clone(), true);
                let out = if args.first().map(String::as_str) == Some("-") {
                    Some(format!("{path}\n"))
                } else {
                    None
                };
                let mut s = done(0, None);
                if let Some(o) = out {
                    s.out.push((base_ns, o));
                }
                s
            }
            "exit" => {
                let code = match args.first() {
                    None => self.status,
                    Some(a) => match a.parse::<u64>() {
                        Ok(n) if a.bytes().all(|b| b.is_ascii_digit()) => (n % 256) as i32,
                        _ => {
                            self.exited = Some(2);
                            return done(
                                2,
                                Some(Self::err_at(line, &format!("exit: Illegal number: {a}"))),
                            );
                        }
                    },
                };
                self.exited = Some(code);
                done(code, None)
            }
            "export" | "readonly" => {
                for a in args {
                    let (n, v) = match a.find('=') {
                        Some(i) => (&a[..i], Some(a[i + 1..].to_string())),
                        None => (a.as_str(), None),
                    };
                    if !is_name(n) {
                        self.exited = Some(2);
                        return done(
                            2,
                            Some(Self::err_at(
                                line,
                                &format!("{name}: {n}: bad variable name"),
                            )),
                        );
                    }
                    match v {
                        Some(v) => self.set(n, v, true),
                        None => match self.vars.iter_mut().find(|x| x.name == n) {
                            Some(x) => x.exported = true,
                            None => self.vars.push(Var {
                                name: n.into(),
                                value: String::new(),
                                exported: true,
                            }),
                        },
                    }
                }
                for (n, v) in assigns {
                    self.set(n, v.clone(), false);
                }
                let mut s = done(0, None);
                if args.is_empty() {
                    let mut text = String::new();
                    let mut vs: Vec<&Var> = self.vars.iter().filter(|v| v.exported).collect();
                    vs.sort_by(|a, b| a.name.cmp(&b.name));
                    for v in vs {
                        text.push_str(&format!(
                            "export {}='{}'\n",
                            v.name,
                            v.value.replace('\'', "'\\''")
                        ));
                    }
                    s.out.push((base_ns, text));
                }
                s
            }
            "unset" => {
                self.vars.retain(|v| !args.contains(&v.name));
                done(0, None)
            }
            "exec" | "eval" | "." | "source" | "set" | "shift" | "trap" | "wait" | "read"
            | "alias" | "unalias" | "local" | "return" | "break" | "continue" | "getopts"
            | "command" | "type" | "hash" | "ulimit" | "umask" | "times" | "jobs" | "fg" | "bg"
            | "test" | "[" => done(
                2,
                Some(Self::err_at(
                    line,
                    &format!("unsupported: the builtin \"{name}\""),
                )),
            ),
            _ => {
                let Some(prog) = programs::lookup(name, true) else {
                    return done(127, Some(Self::err_at(line, &format!("{name}: not found"))));
                };
                // The program's environment: exported variables, then the prefix assignments.
                let mut env: Vec<(String, String)> = self
                    .vars
                    .iter()
                    .filter(|v| v.exported)
                    .map(|v| (v.name.clone(), v.value.clone()))
                    .collect();
                for (n, v) in assigns {
                    match env.iter_mut().find(|(k, _)| k == n) {
                        Some(e) => e.1 = v.clone(),
                        None => env.push((n.clone(), v.clone())),
                    }
                }
                self.program(prog, name, args, &env, stdin, stdin_is_file, in_pipeline)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn program(
        &mut self,
        prog: Lookup,
        name: &str,
        args: &[String],
        env: &[(String, String)],
        stdin: &str,
        stdin_is_file: bool,
        in_pipeline: bool,
    ) -> Streams {
        let cwd = self.cwd.clone();
        let budget = self.work_left.min(OUTPUT_CAP);
        let mut io = Io::new(&mut *self.host, &cwd, env, stdin, stdin_is_file, budget);
        let run = programs::run(prog, name, args, &mut io, in_pipeline);
        let used = io.produced;
        let over = io.truncated;
        self.work_left = self.work_left.saturating_sub(used);
        self.truncated |= over;
        if over && self.work_left == 0 {
            self.work_exhausted = true;
        }
        Streams {
            out: run.stdout,
            err: run.stderr,
            status: run.status,
            duration: run.duration_ns,
            cpu: run.cpu_ns,
            read_stdin: io.read_stdin,
        }
    }
}

fn append(acc: &mut Streams, s: Streams) {
    let t = acc.duration;
    acc.out
        .extend(s.out.into_iter().map(|(o, c)| (t.saturating_add(o), c)));
    acc.err
        .extend(s.err.into_iter().map(|(o, c)| (t.saturating_add(o), c)));
    acc.duration = t.saturating_add(s.duration);
    acc.cpu = acc.cpu.saturating_add(s.cpu);
    acc.status = s.status;
}
