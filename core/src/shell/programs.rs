//! The programs of the simulated machine and dash's printing builtins, with their cost model.
//!
//! Each program gets an [`Io`]: its arguments, environment, working directory, stdin, the host
//! (files, `node`, signals) and a virtual clock. It writes output at the clock's current time
//! and advances the clock for the work it does. Fixed costs come from measurements on the
//! development machine (docs/shell.md); per-byte costs too where measured, otherwise they are
//! marked as estimates there.

use super::exec::{floor_boundary, resolve};
use super::regex::Regex;
use super::{ProgramRun, ShellHost};

/// From spawn until a small program's `main` runs (fork + exec + dynamic loading).
pub const PROC_START_NS: u64 = 2_800_000;
/// From a program's last write until its parent has reaped it.
pub const PROC_EXIT_NS: u64 = 400_000;
/// CPU time of starting and ending a small program (`/bin/true`).
pub const PROC_CPU_NS: u64 = 1_100_000;

/// A program on the machine: extra fixed wall and CPU time beyond a bare process, and what it
/// does.
pub struct Spec {
    pub name: &'static str,
    pub extra_ns: u64,
    pub extra_cpu_ns: u64,
    run: Main,
}

/// Programs found in `/bin` (`/usr/bin`); `node` is separate (the host runs it).
pub const PROGRAMS: &[Spec] = &[
    Spec {
        name: "true",
        extra_ns: 0,
        extra_cpu_ns: 0,
        run: |_, _| 0,
    },
    Spec {
        name: "false",
        extra_ns: 0,
        extra_cpu_ns: 0,
        run: |_, _| 1,
    },
    Spec {
        name: "echo",
        extra_ns: 0,
        extra_cpu_ns: 100_000,
        run: gnu_echo,
    },
    Spec {
        name: "printf",
        extra_ns: 1_000_000,
        extra_cpu_ns: 600_000,
        run: gnu_printf,
    },
    Spec {
        name: "pwd",
        extra_ns: 0,
        extra_cpu_ns: 300_000,
        run: gnu_pwd,
    },
    Spec {
        name: "env",
        extra_ns: 300_000,
        extra_cpu_ns: 500_000,
        run: env,
    },
    Spec {
        name: "cat",
        extra_ns: 800_000,
        extra_cpu_ns: 600_000,
        run: cat,
    },
    Spec {
        name: "wc",
        extra_ns: 800_000,
        extra_cpu_ns: 600_000,
        run: wc,
    },
    Spec {
        name: "head",
        extra_ns: 800_000,
        extra_cpu_ns: 600_000,
        run: head,
    },
    Spec {
        name: "grep",
        extra_ns: 2_800_000,
        extra_cpu_ns: 1_400_000,
        run: grep,
    },
    Spec {
        name: "ls",
        extra_ns: 2_000_000,
        extra_cpu_ns: 1_300_000,
        run: ls,
    },
    Spec {
        name: "sleep",
        extra_ns: 0,
        extra_cpu_ns: 0,
        run: sleep,
    },
    Spec {
        name: "kill",
        extra_ns: 300_000,
        extra_cpu_ns: 300_000,
        run: gnu_kill,
    },
    Spec {
        name: "git",
        extra_ns: 1_300_000,
        extra_cpu_ns: 800_000,
        run: git,
    },
    Spec {
        name: "python3",
        extra_ns: 140_000_000,
        extra_cpu_ns: 94_000_000,
        run: python3,
    },
    Spec {
        name: "ffmpeg",
        extra_ns: 60_000_000,
        extra_cpu_ns: 60_000_000,
        run: ffmpeg,
    },
];

/// dash's builtins that only print or signal (the ones that change the shell are in `exec`).
/// A program's or builtin's body: arguments in, exit status out.
type Main = fn(&mut Io, &[String]) -> i32;

const BUILTINS: &[(&str, Main)] = &[
    ("echo", dash_echo),
    ("printf", dash_printf),
    ("pwd", dash_pwd),
    ("true", |_, _| 0),
    (":", |_, _| 0),
    ("false", |_, _| 1),
    ("kill", dash_kill),
];

/// Git's version as the stand-in reports it.
pub const GIT_VERSION: &str = "2.43.0";
/// Python's version as the stand-in reports it.
pub const PYTHON_VERSION: &str = "3.11.2";
/// CPU time the python3 stand-in spends per line of the script.
pub const PYTHON_LINE_NS: u64 = 1_000_000;
/// Per-byte costs (ns per input byte).
pub const CAT_BYTE_NS: f64 = 0.5;
pub const WC_LINES_BYTE_NS: f64 = 0.6;
pub const WC_WORDS_BYTE_NS: f64 = 12.0;
pub const GREP_FIXED_BYTE_NS: f64 = 0.6;
pub const GREP_REGEX_BYTE_NS: f64 = 5.0;
/// ffmpeg stand-in: seconds of media per input byte and processing speed.
pub const FFMPEG_BYTES_PER_MEDIA_SECOND: usize = 16 * 1024;
pub const FFMPEG_MIN_MEDIA_S: u64 = 8;
pub const FFMPEG_MAX_MEDIA_S: u64 = 600;
pub const FFMPEG_SPEED: u64 = 2;
pub const FFMPEG_PROGRESS_NS: u64 = 500_000_000;
pub const FFMPEG_FPS: u64 = 25;

#[derive(Clone, Copy)]
pub(crate) enum Lookup {
    Builtin(Main),
    Program(&'static Spec),
    Node,
}

/// Finds a program: dash's builtins first when `builtins`, then `/bin`. A name with a slash
/// must be a path into `/bin`, `/usr/bin` or `/usr/local/bin`.
pub(crate) fn lookup(name: &str, builtins: bool) -> Option<Lookup> {
    let base = match name.rfind('/') {
        Some(i) => {
            let dir = &name[..i];
            if !matches!(dir, "/bin" | "/usr/bin" | "/usr/local/bin") {
                return None;
            }
            &name[i + 1..]
        }
        None => {
            if builtins {
                if let Some((_, f)) = BUILTINS.iter().find(|(n, _)| *n == name) {
                    return Some(Lookup::Builtin(*f));
                }
            }
            name
        }
    };
    if base == "node" {
        return Some(Lookup::Node);
    }
    PROGRAMS
        .iter()
        .find(|s| s.name == base)
        .map(Lookup::Program)
}

/// What a running program sees and does.
pub(crate) struct Io<'a> {
    pub host: &'a mut dyn ShellHost,
    pub cwd: &'a str,
    pub env: &'a [(String, String)],
    stdin: &'a str,
    pub stdin_is_file: bool,
    pub read_stdin: bool,
    /// The command's line in the script (dash's messages name it).
    pub line: usize,
    /// The program name as invoked (`argv[0]`).
    pub argv0: String,
    out: Vec<(u64, String)>,
    err: Vec<(u64, String)>,
    pub t: u64,
    pub cpu: u64,
    budget: usize,
    pub produced: usize,
    pub truncated: bool,
}

impl<'a> Io<'a> {
    pub fn new(
        host: &'a mut dyn ShellHost,
        cwd: &'a str,
        env: &'a [(String, String)],
        stdin: &'a str,
        stdin_is_file: bool,
        budget: usize,
    ) -> Self {
        Io {
            host,
            cwd,
            env,
            stdin,
            stdin_is_file,
            read_stdin: false,
            line: 1,
            argv0: String::new(),
            out: Vec::new(),
            err: Vec::new(),
            t: 0,
            cpu: 0,
            budget,
            produced: 0,
            truncated: false,
        }
    }

    pub fn stdin(&mut self) -> &'a str {
        self.read_stdin = true;
        self.stdin
    }

    fn write(&mut self, to_err: bool, s: &str) {
        if s.is_empty() {
            return;
        }
        let room = self.budget.saturating_sub(self.produced);
        let s = if s.len() > room {
            self.truncated = true;
            &s[..floor_boundary(s, room)]
        } else {
            s
        };
        self.produced += s.len();
        let t = self.t;
        let v = if to_err { &mut self.err } else { &mut self.out };
        match v.last_mut() {
            Some((at, c)) if *at == t => c.push_str(s),
            _ if s.is_empty() => {}
            _ => v.push((t, s.to_string())),
        }
    }
    pub fn out(&mut self, s: &str) {
        self.write(false, s);
    }
    pub fn err(&mut self, s: &str) {
        self.write(true, s);
    }
    /// Whether output was already cut at the budget (a program should stop producing).
    pub fn full(&self) -> bool {
        self.truncated
    }
    /// Work that keeps a core busy.
    pub fn work(&mut self, ns: u64) {
        self.t = self.t.saturating_add(ns);
        self.cpu = self.cpu.saturating_add(ns);
    }
    /// Work proportional to `bytes`.
    pub fn work_bytes(&mut self, bytes: usize, ns_per_byte: f64) {
        self.work((bytes as f64 * ns_per_byte) as u64);
    }
    /// Waiting without a core.
    pub fn wait(&mut self, ns: u64) {
        self.t = self.t.saturating_add(ns);
    }
    pub fn path(&self, p: &str) -> String {
        resolve(self.cwd, p)
    }
    /// `/bin/sh: LINE: ` — the prefix of dash's builtin messages.
    fn sh(&self) -> String {
        format!("/bin/sh: {}: ", self.line)
    }
    /// Reads a file operand (`-` is stdin): its text, or GNU's reason it cannot.
    fn file(&mut self, name: &str) -> Result<String, &'static str> {
        if name == "-" {
            return Ok(self.stdin().to_string());
        }
        let p = self.path(name);
        match self.host.read_file(&p) {
            Some(t) => Ok(t),
            None if self.host.list_dir(&p).is_some() => Err("Is a directory"),
            None => Err("No such file or directory"),
        }
    }
}

/// Runs a program found by [`lookup`].
pub(crate) fn run(
    prog: Lookup,
    name: &str,
    args: &[String],
    io: &mut Io,
    in_pipeline: bool,
) -> ProgramRun {
    io.argv0 = name.to_string();
    let status = match prog {
        Lookup::Builtin(f) => {
            let (ns, cpu) = if in_pipeline {
                (super::exec::FORK_NS, super::exec::FORK_CPU_NS)
            } else {
                (super::exec::BUILTIN_NS, super::exec::BUILTIN_NS)
            };
            io.t = ns;
            io.cpu = cpu;
            f(io, args)
        }
        Lookup::Program(spec) => {
            io.t = PROC_START_NS + spec.extra_ns;
            io.cpu = PROC_CPU_NS + spec.extra_cpu_ns;
            let s = (spec.run)(io, args);
            io.t = io.t.saturating_add(PROC_EXIT_NS);
            s
        }
        Lookup::Node => {
            // what the simulated node reads is not known here: it is not waited for
            let stdin = io.stdin;
            let mut run = io.host.run_node(args, stdin, io.env, io.cwd);
            // Keep the host's own figures, but hold its output to the budget.
            for (t, c) in std::mem::take(&mut run.stdout) {
                io.t = t;
                io.out(&c);
            }
            for (t, c) in std::mem::take(&mut run.stderr) {
                io.t = t;
                io.err(&c);
            }
            io.t = run.duration_ns;
            io.cpu = run.cpu_ns;
            run.status
        }
    };
    io.out.sort_by_key(|(t, _)| *t);
    io.err.sort_by_key(|(t, _)| *t);
    ProgramRun {
        stdout: std::mem::take(&mut io.out),
        stderr: std::mem::take(&mut io.err),
        status,
        duration_ns: io.t,
        cpu_ns: io.cpu,
        read_stdin: io.read_stdin,
    }
}

// ---------------------------------------------------------------------------------------------
// echo, printf, pwd, kill

/// `\` escapes of dash's echo and printf's `%b`: returns the text and whether `\c` stopped it.
fn echo_escapes(s: &str, out: &mut String) -> bool {
    let b: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < b.len() {
        if b[i] != '\\' || i + 1 >= b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let c = b[i + 1];
        i += 2;
        match c {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'c' => return true,
            'e' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '0'..='7' => {
                // `\0nnn` or `\nnn`.
                let mut v: u32 = 0;
                let mut n = 0;
                let max = if c == '0' { 3 } else { 2 };
                if c != '0' {
                    v = c as u32 - '0' as u32;
                }
                while n < max && i < b.len() && ('0'..='7').contains(&b[i]) {
                    v = v * 8 + (b[i] as u32 - '0' as u32);
                    i += 1;
                    n += 1;
                }
                out.push(char::from_u32(v & 0xff).unwrap_or('?'));
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    false
}

fn dash_echo(io: &mut Io, args: &[String]) -> i32 {
    let (newline, args) = match args.first() {
        Some(a) if a == "-n" => (false, &args[1..]),
        _ => (true, args),
    };
    let mut s = String::new();
    let mut stopped = false;
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        if echo_escapes(a, &mut s) {
            stopped = true;
            break;
        }
    }
    if newline && !stopped {
        s.push('\n');
    }
    io.out(&s);
    0
}

fn gnu_echo(io: &mut Io, args: &[String]) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut k = 0;
    for a in args {
        let flags = a
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && f.chars().all(|c| matches!(c, 'n' | 'e' | 'E')));
        let Some(flags) = flags else { break };
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        k += 1;
    }
    let mut s = String::new();
    for (i, a) in args[k..].iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        if escapes {
            if echo_escapes(a, &mut s) {
                io.out(&s);
                return 0;
            }
        } else {
            s.push_str(a);
        }
    }
    if newline {
        s.push('\n');
    }
    io.out(&s);
    0
}

/// Parses a printf numeric argument: the value and whether it converted completely.
fn printf_number(a: &str) -> (i64, bool, bool) {
    // (value, complete, any digits)
    let t = a.trim_start();
    if let Some(c) = t.strip_prefix(['\'', '"']) {
        return (c.chars().next().map_or(0, |c| c as i64), true, true);
    }
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) =
        if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, h)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    let n = digits.chars().take_while(|c| c.is_digit(radix)).count();
    let v = i64::from_str_radix(&digits[..n], radix).unwrap_or(if n == 0 { 0 } else { i64::MAX });
    let any = n > 0 || radix == 8;
    (
        if neg { v.wrapping_neg() } else { v },
        any && n == digits.len(),
        any,
    )
}

/// printf's format engine, shared by dash's builtin and GNU's program. `bad` reports a
/// numeric argument that did not convert: (arg, converted at all).
fn printf_format(io: &mut Io, args: &[String], gnu: bool) -> i32 {
    let Some(fmt) = args.first() else {
        if gnu {
            io.err("printf: missing operand\nTry 'printf --help' for more information.\n");
        } else {
            let m = format!("{}printf: usage: printf format [arg ...]\n", io.sh());
            io.err(&m);
        }
        return if gnu { 1 } else { 2 };
    };
    let f: Vec<char> = fmt.chars().collect();
    let mut rest = &args[1..];
    let mut status = 0;
    let mut out = String::new();
    let mut errs = String::new();
    loop {
        let mut consumed = false;
        let mut i = 0;
        while i < f.len() {
            let c = f[i];
            if c == '\\' {
                // Format escapes (as echo's, but `\c` ends everything).
                let mut j = i + 1;
                if j < f.len() && ('0'..='7').contains(&f[j]) {
                    let mut v = 0u32;
                    let mut n = 0;
                    while n < 3 && j < f.len() && ('0'..='7').contains(&f[j]) {
                        v = v * 8 + (f[j] as u32 - '0' as u32);
                        j += 1;
                        n += 1;
                    }
                    out.push(char::from_u32(v & 0xff).unwrap_or('?'));
                    i = j;
                    continue;
                }
                let e: String = f[i..(i + 2).min(f.len())].iter().collect();
                if e == "\\c" {
                    io.out(&out);
                    io.err(&errs);
                    return status;
                }
                if e == "\\\"" {
                    out.push('"');
                } else {
                    echo_escapes(&e, &mut out);
                }
                i += 2;
                continue;
            }
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            // %[flags][width][.precision]conv
            let start = i;
            i += 1;
            if f.get(i) == Some(&'%') {
                out.push('%');
                i += 1;
                continue;
            }
            let mut flags = String::new();
            while i < f.len() && "-+ #0".contains(f[i]) {
                flags.push(f[i]);
                i += 1;
            }
            let mut width: Option<usize> = None;
            let num = |i: &mut usize, rest: &mut &[String]| -> Option<usize> {
                if f.get(*i) == Some(&'*') {
                    *i += 1;
                    let a = rest.first().cloned().unwrap_or_default();
                    if !rest.is_empty() {
                        *rest = &rest[1..];
                    }
                    return Some(printf_number(&a).0.clamp(0, 4096) as usize);
                }
                let s = *i;
                while *i < f.len() && f[*i].is_ascii_digit() {
                    *i += 1;
                }
                (s < *i).then(|| {
                    f[s..*i]
                        .iter()
                        .collect::<String>()
                        .parse::<usize>()
                        .unwrap_or(4096)
                        .min(4096)
                })
            };
            if let Some(w) = num(&mut i, &mut rest) {
                width = Some(w);
            }
            let mut prec: Option<usize> = None;
            if f.get(i) == Some(&'.') {
                i += 1;
                prec = Some(num(&mut i, &mut rest).unwrap_or(0));
            }
            let Some(&conv) = f.get(i) else {
                let spec: String = f[start..].iter().collect();
                let m = if gnu {
                    format!("printf: {spec}: invalid conversion specification\n")
                } else {
                    format!("{}printf: {spec}: invalid directive\n", io.sh())
                };
                io.out(&out);
                io.err(&m);
                return 1;
            };
            i += 1;
            let arg = rest.first().cloned();
            let mut take = || {
                if !rest.is_empty() {
                    rest = &rest[1..];
                }
            };
            let body = match conv {
                's' => {
                    take();
                    let mut s = arg.unwrap_or_default();
                    if let Some(p) = prec {
                        s = s.chars().take(p).collect();
                    }
                    s
                }
                'b' => {
                    take();
                    let mut s = String::new();
                    if echo_escapes(&arg.unwrap_or_default(), &mut s) {
                        out.push_str(&s);
                        io.out(&out);
                        io.err(&errs);
                        return status;
                    }
                    s
                }
                'c' => {
                    take();
                    arg.and_then(|a| a.chars().next())
                        .map(String::from)
                        .unwrap_or_default()
                }
                'd' | 'i' | 'o' | 'u' | 'x' | 'X' | 'f' | 'e' | 'g' | 'E' | 'G' | 'F' => {
                    take();
                    let a = arg.unwrap_or_default();
                    let float = "feEgGF".contains(conv);
                    let (v, fv, ok) = if a.is_empty() {
                        (0, 0.0, true)
                    } else if float {
                        match a.trim().parse::<f64>() {
                            Ok(x) => (x as i64, x, true),
                            Err(_) => {
                                let (v, _, _) = printf_number(&a);
                                (v, v as f64, false)
                            }
                        }
                    } else {
                        let (v, complete, _) = printf_number(&a);
                        (v, v as f64, complete)
                    };
                    if !ok {
                        status = 1;
                        let (_, _, any) = printf_number(&a);
                        let what = if any {
                            "not completely converted"
                        } else {
                            "expected numeric value"
                        };
                        errs.push_str(&if gnu {
                            let gw = if any {
                                "value not completely converted"
                            } else {
                                "expected a numeric value"
                            };
                            format!("printf: \u{2018}{a}\u{2019}: {gw}\n")
                        } else {
                            format!("{}printf: {a}: {what}\n", io.sh())
                        });
                    }
                    let sign_plus = flags.contains('+');
                    let mut s = match conv {
                        'd' | 'i' => {
                            let mut s = v.unsigned_abs().to_string();
                            if let Some(p) = prec {
                                while s.len() < p {
                                    s.insert(0, '0');
                                }
                            }
                            if v < 0 {
                                s.insert(0, '-');
                            } else if sign_plus {
                                s.insert(0, '+');
                            } else if flags.contains(' ') {
                                s.insert(0, ' ');
                            }
                            s
                        }
                        'u' => (v as u64).to_string(),
                        'o' => format!("{:o}", v as u64),
                        'x' => format!("{:x}", v as u64),
                        'X' => format!("{:X}", v as u64),
                        'e' | 'E' => {
                            let s = format!("{:.*e}", prec.unwrap_or(6), fv);
                            // Rust writes `2.5e0`; C writes `2.500000e+00`.
                            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                            let ev: i32 = e.parse().unwrap_or(0);
                            let s =
                                format!("{m}e{}{:02}", if ev < 0 { '-' } else { '+' }, ev.abs());
                            if conv == 'E' {
                                s.to_uppercase()
                            } else {
                                s
                            }
                        }
                        'g' | 'G' => {
                            let s = format!("{fv}");
                            if conv == 'G' {
                                s.to_uppercase()
                            } else {
                                s
                            }
                        }
                        _ => {
                            let s = format!("{:.*}", prec.unwrap_or(6), fv);
                            if sign_plus && fv >= 0.0 {
                                format!("+{s}")
                            } else {
                                s
                            }
                        }
                    };
                    if flags.contains('0') && !flags.contains('-') {
                        if let Some(w) = width {
                            let neg = s.starts_with(['-', '+']);
                            while s.chars().count() < w {
                                s.insert(usize::from(neg), '0');
                            }
                        }
                    }
                    s
                }
                _ => {
                    let spec: String = f[start..i].iter().collect();
                    let m = if gnu {
                        format!("printf: {spec}: invalid conversion specification\n")
                    } else {
                        format!("{}printf: {spec}: invalid directive\n", io.sh())
                    };
                    io.out(&out);
                    io.err(&errs);
                    io.err(&m);
                    return 1;
                }
            };
            consumed = true;
            let w = width.unwrap_or(0);
            let n = body.chars().count();
            if n < w {
                let pad = " ".repeat(w - n);
                if flags.contains('-') {
                    out.push_str(&body);
                    out.push_str(&pad);
                } else {
                    out.push_str(&pad);
                    out.push_str(&body);
                }
            } else {
                out.push_str(&body);
            }
            if out.len() > super::OUTPUT_CAP {
                break;
            }
        }
        if rest.is_empty() || !consumed || out.len() > super::OUTPUT_CAP {
            break;
        }
    }
    io.err(&errs);
    io.out(&out);
    status
}

fn dash_printf(io: &mut Io, args: &[String]) -> i32 {
    printf_format(io, args, false)
}

fn gnu_printf(io: &mut Io, args: &[String]) -> i32 {
    printf_format(io, args, true)
}

fn dash_pwd(io: &mut Io, args: &[String]) -> i32 {
    if let Some(a) = args
        .iter()
        .find(|a| a.starts_with('-') && *a != "-L" && *a != "-P" && *a != "-")
    {
        let m = format!("{}pwd: Illegal option {}\n", io.sh(), &a[..a.len().min(2)]);
        io.err(&m);
        return 2;
    }
    let s = format!("{}\n", io.cwd);
    io.out(&s);
    0
}

fn gnu_pwd(io: &mut Io, args: &[String]) -> i32 {
    if let Some(a) = args
        .iter()
        .find(|a| a.starts_with('-') && *a != "-L" && *a != "-P")
    {
        let c = a.chars().nth(1).unwrap_or('-');
        io.err(&format!(
            "pwd: invalid option -- '{c}'\nTry 'pwd --help' for more information.\n"
        ));
        return 1;
    }
    let s = format!("{}\n", io.cwd);
    io.out(&s);
    0
}

/// Linux signal numbers by name.
pub const SIGNALS: &[(&str, i32)] = &[
    ("HUP", 1),
    ("INT", 2),
    ("QUIT", 3),
    ("ILL", 4),
    ("TRAP", 5),
    ("ABRT", 6),
    ("BUS", 7),
    ("FPE", 8),
    ("KILL", 9),
    ("USR1", 10),
    ("SEGV", 11),
    ("USR2", 12),
    ("PIPE", 13),
    ("ALRM", 14),
    ("TERM", 15),
    ("CHLD", 17),
    ("CONT", 18),
    ("STOP", 19),
    ("TSTP", 20),
    ("TTIN", 21),
    ("TTOU", 22),
    ("WINCH", 28),
];

fn signal_number(s: &str) -> Option<i32> {
    if let Ok(n) = s.parse::<i32>() {
        return (0..=64).contains(&n).then_some(n);
    }
    let up = s.to_ascii_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    SIGNALS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// Parses `kill`'s arguments: the signal and the pids, or a usage problem.
enum KillArgs {
    Run(i32, Vec<String>),
    Usage,
    NoArg,
    BadSignal(String),
}

fn kill_args(args: &[String]) -> KillArgs {
    let mut sig = 15;
    let mut rest = args;
    if let Some(a) = args.first() {
        if a == "-s" || a == "-n" {
            let Some(s) = args.get(1) else {
                return KillArgs::NoArg;
            };
            match signal_number(s) {
                Some(n) => sig = n,
                None => return KillArgs::BadSignal(s.clone()),
            }
            rest = &args[2..];
        } else if let Some(s) = a.strip_prefix('-').filter(|s| !s.is_empty() && *s != "-") {
            match signal_number(s) {
                Some(n) => sig = n,
                None => return KillArgs::BadSignal(s.to_string()),
            }
            rest = &args[1..];
        } else if a == "--" {
            rest = &args[1..];
        }
    }
    if rest.is_empty() {
        return KillArgs::Usage;
    }
    KillArgs::Run(sig, rest.to_vec())
}

fn dash_kill(io: &mut Io, args: &[String]) -> i32 {
    let sh = io.sh();
    match kill_args(args) {
        KillArgs::Usage => {
            io.err(&format!("{sh}kill: Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]\n"));
            2
        }
        KillArgs::NoArg => {
            io.err(&format!("{sh}kill: No arg for -s option\n"));
            2
        }
        KillArgs::BadSignal(s) => {
            io.err(&format!("{sh}kill: invalid signal number or name: {s}\n"));
            2
        }
        KillArgs::Run(sig, pids) => {
            let mut status = 0;
            for p in pids {
                let Ok(pid) = p.parse::<i64>() else {
                    io.err(&format!("{sh}kill: Illegal number: {p}\n"));
                    return 2;
                };
                if !io.host.kill(pid, sig) {
                    // dash prints strerror followed by an empty line.
                    io.err(&format!("{sh}kill: No such process\n\n"));
                    status = 1;
                }
            }
            status
        }
    }
}

fn gnu_kill(io: &mut Io, args: &[String]) -> i32 {
    let me = io.argv0.clone();
    match kill_args(args) {
        KillArgs::Usage | KillArgs::NoArg => {
            io.err(&format!("\nUsage:\n {me} [options] <pid> [...]\n"));
            1
        }
        KillArgs::BadSignal(s) => {
            io.err(&format!("{me}: unknown signal: {s}\n"));
            1
        }
        KillArgs::Run(sig, pids) => {
            let mut status = 0;
            for p in pids {
                match p.parse::<i64>() {
                    Ok(pid) if io.host.kill(pid, sig) => {}
                    Ok(pid) => {
                        io.err(&format!("{me}: ({pid}): No such process\n"));
                        status = 1;
                    }
                    Err(_) => {
                        io.err(&format!("{me}: cannot find process \"{p}\"\n"));
                        status = 1;
                    }
                }
            }
            status
        }
    }
}

// ---------------------------------------------------------------------------------------------
// File programs

/// Splits GNU-style short options (`-lw`, `-n 3`) from operands. `with_value`: options that
/// take a value. Returns options as (char, value) and operands, or the bad option.
/// Options as (letter, value) and operands.
type Parsed = (Vec<(char, String)>, Vec<String>);

fn getopt(args: &[String], known: &str, with_value: &str) -> Result<Parsed, String> {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    let mut only_operands = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if only_operands || a == "-" || !a.starts_with('-') {
            operands.push(a.clone());
            continue;
        }
        if a == "--" {
            only_operands = true;
            continue;
        }
        let chars: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k];
            k += 1;
            if with_value.contains(c) {
                let v: String = chars[k..].iter().collect();
                let v = if v.is_empty() {
                    match args.get(i) {
                        Some(n) => {
                            i += 1;
                            n.clone()
                        }
                        None => return Err(format!("option requires an argument -- '{c}'")),
                    }
                } else {
                    v
                };
                opts.push((c, v));
                break;
            } else if known.contains(c) {
                opts.push((c, String::new()));
            } else {
                return Err(format!("invalid option -- '{c}'"));
            }
        }
    }
    Ok((opts, operands))
}

fn usage_error(io: &mut Io, prog: &str, msg: &str, status: i32) -> i32 {
    io.err(&format!(
        "{prog}: {msg}\nTry '{prog} --help' for more information.\n"
    ));
    status
}

fn cat(io: &mut Io, args: &[String]) -> i32 {
    let (_, mut files) = match getopt(args, "u", "") {
        Ok(x) => x,
        Err(e) => return usage_error(io, "cat", &e, 1),
    };
    if files.is_empty() {
        files.push("-".into());
    }
    let mut status = 0;
    for f in files {
        match io.file(&f) {
            Ok(text) => {
                io.work_bytes(text.len(), CAT_BYTE_NS);
                io.out(&text);
            }
            Err(why) => {
                io.err(&format!("cat: {f}: {why}\n"));
                status = 1;
            }
        }
        if io.full() {
            break;
        }
    }
    status
}

fn count_width(n: u64) -> usize {
    n.to_string().len()
}

fn wc(io: &mut Io, args: &[String]) -> i32 {
    let (opts, mut files) = match getopt(args, "lwcm", "") {
        Ok(x) => x,
        Err(e) => return usage_error(io, "wc", &e, 1),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let (mut l, mut w, mut c, m) = (has('l'), has('w'), has('c'), has('m'));
    if !(l || w || c || m) {
        l = true;
        w = true;
        c = true;
    }
    let ncounts = [l, w, m, c].iter().filter(|x| **x).count();
    if files.is_empty() {
        files.push(String::new());
    }
    // (name, counts) or an error line.
    let mut rows: Vec<Result<(String, [u64; 4]), String>> = Vec::new();
    let mut regular_total: u64 = 0;
    let mut min_width = 1;
    let mut first_failed = false;
    for (k, f) in files.iter().enumerate() {
        let text = if f.is_empty() || f == "-" {
            if !io.stdin_is_file {
                min_width = 7;
            }
            let t = io.stdin();
            if io.stdin_is_file {
                regular_total += t.len() as u64;
            }
            Ok(t.to_string())
        } else {
            io.file(f).inspect(|t| regular_total += t.len() as u64)
        };
        match text {
            Ok(t) => {
                io.work_bytes(
                    t.len(),
                    if w {
                        WC_WORDS_BYTE_NS
                    } else {
                        WC_LINES_BYTE_NS
                    },
                );
                let lines = t.bytes().filter(|b| *b == b'\n').count() as u64;
                let words = t.split_ascii_whitespace().count() as u64;
                let chars = t.chars().count() as u64;
                rows.push(Ok((f.clone(), [lines, words, chars, t.len() as u64])));
            }
            Err(why) => {
                if k == 0 {
                    first_failed = true;
                }
                rows.push(Err(format!("wc: {f}: {why}\n")));
            }
        }
    }
    let width = if ncounts == 1 && files.len() == 1 || first_failed {
        1
    } else {
        count_width(regular_total).max(min_width)
    };
    let fmt = |counts: [u64; 4], name: &str| {
        let mut s = String::new();
        for (on, v) in [
            (l, counts[0]),
            (w, counts[1]),
            (m, counts[2]),
            (c, counts[3]),
        ] {
            if on {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(&format!("{v:>width$}"));
            }
        }
        if !name.is_empty() {
            s.push(' ');
            s.push_str(name);
        }
        s.push('\n');
        s
    };
    let mut total = [0u64; 4];
    let mut status = 0;
    for r in &rows {
        match r {
            Ok((name, counts)) => {
                for i in 0..4 {
                    total[i] += counts[i];
                }
                let line = fmt(*counts, name);
                io.out(&line);
            }
            Err(e) => {
                io.err(e);
                status = 1;
            }
        }
    }
    if files.len() > 1 {
        let line = fmt(total, "total");
        io.out(&line);
    }
    status
}

fn head(io: &mut Io, args: &[String]) -> i32 {
    // `head -5` is `head -n 5`.
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if a.len() > 1 && a.starts_with('-') && a[1..].bytes().all(|b| b.is_ascii_digit()) {
                format!("-n{}", &a[1..])
            } else {
                a.clone()
            }
        })
        .collect();
    let (opts, mut files) = match getopt(&args, "qv", "nc") {
        Ok(x) => x,
        Err(e) => return usage_error(io, "head", &e, 1),
    };
    let mut lines: Option<(bool, usize)> = Some((false, 10));
    let mut bytes: Option<(bool, usize)> = None;
    for (o, v) in &opts {
        let (neg, digits) = match v.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, v.as_str()),
        };
        let Ok(n) = digits.parse::<usize>() else {
            let what = if *o == 'n' {
                "number of lines"
            } else {
                "number of bytes"
            };
            io.err(&format!("head: invalid {what}: \u{2018}{v}\u{2019}\n"));
            return 1;
        };
        if *o == 'n' {
            lines = Some((neg, n));
            bytes = None;
        } else if *o == 'c' {
            bytes = Some((neg, n));
            lines = None;
        }
    }
    if files.is_empty() {
        files.push("-".into());
    }
    let headers = files.len() > 1 && !opts.iter().any(|(o, _)| *o == 'q')
        || opts.iter().any(|(o, _)| *o == 'v');
    let mut status = 0;
    let mut first = true;
    for f in &files {
        let text = match io.file(f) {
            Ok(t) => t,
            Err(why) => {
                io.err(&format!("head: cannot open '{f}' for reading: {why}\n"));
                status = 1;
                continue;
            }
        };
        if headers {
            let name = if f == "-" { "standard input" } else { f };
            let h = format!("{}==> {name} <==\n", if first { "" } else { "\n" });
            io.out(&h);
        }
        first = false;
        let part: &str = if let Some((neg, n)) = bytes {
            let k = if neg {
                text.len().saturating_sub(n)
            } else {
                n.min(text.len())
            };
            &text[..floor_boundary(&text, k)]
        } else if let Some((neg, n)) = lines {
            let ends: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
            let total = ends.len() + usize::from(!text.is_empty() && !text.ends_with('\n'));
            let keep = if neg {
                total.saturating_sub(n)
            } else {
                n.min(total)
            };
            let end = if keep == 0 {
                0
            } else {
                ends.get(keep - 1).copied().unwrap_or(text.len())
            };
            &text[..end]
        } else {
            &text
        };
        io.work_bytes(part.len(), CAT_BYTE_NS);
        io.out(part);
    }
    status
}

fn grep(io: &mut Io, args: &[String]) -> i32 {
    let (opts, mut operands) = match getopt(args, "vcinqFEGHhlsxw", "e") {
        Ok(x) => x,
        Err(e) => {
            io.err(&format!("grep: {e}\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"));
            return 2;
        }
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let mut patterns: Vec<String> = opts
        .iter()
        .filter(|(o, _)| *o == 'e')
        .map(|(_, v)| v.clone())
        .collect();
    if patterns.is_empty() {
        if operands.is_empty() {
            io.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
            return 2;
        }
        patterns = operands.remove(0).split('\n').map(String::from).collect();
    }
    let icase = has('i');
    let fixed = has('F');
    let mut res = Vec::new();
    for p in &patterns {
        match Regex::new(p, fixed, has('E'), icase, has('x'), has('w')) {
            Ok(r) => res.push(r),
            Err(e) => {
                io.err(&format!("grep: {e}\n"));
                return 2;
            }
        }
    }
    let is_fixed = fixed
        || patterns
            .iter()
            .all(|p| !p.contains(['.', '*', '[', '^', '$', '\\', '+', '?', '|', '(']));
    if operands.is_empty() {
        operands.push("-".into());
    }
    let prefix = operands.len() > 1 && !has('h') || has('H');
    let (invert, count, numbers, quiet, list) = (has('v'), has('c'), has('n'), has('q'), has('l'));
    let mut any = false;
    let mut error = false;
    for f in &operands {
        let text = match io.file(f) {
            Ok(t) => t,
            Err(why) => {
                if !has('s') {
                    io.err(&format!("grep: {f}: {why}\n"));
                }
                error = true;
                continue;
            }
        };
        io.work_bytes(
            text.len(),
            if is_fixed {
                GREP_FIXED_BYTE_NS
            } else {
                GREP_REGEX_BYTE_NS
            },
        );
        let name = if f == "-" {
            "(standard input)"
        } else {
            f.as_str()
        };
        let mut n = 0u64;
        let body = text.strip_suffix('\n').unwrap_or(&text);
        if !text.is_empty() {
            for (k, line) in body.split('\n').enumerate() {
                let hit = res.iter().any(|r| r.is_match(line)) != invert;
                if !hit {
                    continue;
                }
                n += 1;
                any = true;
                if quiet {
                    return 0;
                }
                if count || list {
                    continue;
                }
                let mut s = String::new();
                if prefix {
                    s.push_str(name);
                    s.push(':');
                }
                if numbers {
                    s.push_str(&(k + 1).to_string());
                    s.push(':');
                }
                s.push_str(line);
                s.push('\n');
                io.out(&s);
                if io.full() {
                    break;
                }
            }
        }
        if count {
            let s = if prefix {
                format!("{name}:{n}\n")
            } else {
                format!("{n}\n")
            };
            io.out(&s);
        } else if list && n > 0 {
            io.out(&format!("{name}\n"));
        }
    }
    if error && !(quiet && any) {
        2
    } else if any {
        0
    } else {
        1
    }
}

fn human(size: u64) -> String {
    if size < 1024 {
        return size.to_string();
    }
    let mut v = size as f64;
    for unit in ["K", "M", "G", "T"] {
        v /= 1024.0;
        if v < 1024.0 || unit == "T" {
            // ls -h rounds up: one decimal below 10.
            return if v < 10.0 {
                format!("{:.1}{unit}", (v * 10.0).ceil() / 10.0)
            } else {
                format!("{}{unit}", v.ceil() as u64)
            };
        }
    }
    size.to_string()
}

fn ls(io: &mut Io, args: &[String]) -> i32 {
    let (opts, mut operands) = match getopt(args, "aA1lhdFrS", "") {
        Ok(x) => x,
        Err(e) => return usage_error(io, "ls", &e, 2),
    };
    let has = |c: char| opts.iter().any(|(o, _)| *o == c);
    let (all, almost, long, hum, dir_only, rev) =
        (has('a'), has('A'), has('l'), has('h'), has('d'), has('r'));
    if operands.is_empty() {
        operands.push(".".into());
    }
    let mut status = 0;
    let mut files: Vec<String> = Vec::new();
    let mut dirs: Vec<(String, Vec<String>)> = Vec::new();
    operands.sort();
    for op in &operands {
        let p = io.path(op);
        match io.host.list_dir(&p) {
            Some(entries) if !dir_only => dirs.push((op.clone(), entries)),
            Some(_) => files.push(op.clone()),
            None if io.host.read_file(&p).is_some() => files.push(op.clone()),
            None => {
                io.err(&format!(
                    "ls: cannot access '{op}': No such file or directory\n"
                ));
                status = 2;
            }
        }
    }
    // One entry of the long format.
    let entry = |io: &mut Io, base: &str, name: &str| -> (String, u64, u64) {
        let p = io.path(&format!("{base}/{name}"));
        if io.host.list_dir(&p).is_some() {
            ("drwxr-xr-x 2".to_string(), 4096, 4)
        } else {
            let size = io.host.read_file(&p).map_or(0, |t| t.len() as u64);
            ("-rw-r--r-- 1".to_string(), size, size.div_ceil(4096) * 4)
        }
    };
    let render = |io: &mut Io, base: &str, names: &[String], with_total: bool| -> String {
        if !long {
            return names.iter().map(|n| format!("{n}\n")).collect();
        }
        let rows: Vec<(String, u64, u64, &String)> = names
            .iter()
            .map(|n| {
                let (mode, size, blocks) = if n == "." || n == ".." {
                    ("drwxr-xr-x 2".to_string(), 4096, 4)
                } else {
                    entry(io, base, n)
                };
                (mode, size, blocks, n)
            })
            .collect();
        let sizes: Vec<String> = rows
            .iter()
            .map(|r| if hum { human(r.1) } else { r.1.to_string() })
            .collect();
        let w = sizes.iter().map(String::len).max().unwrap_or(1);
        let mut s = String::new();
        if with_total {
            let total: u64 = rows.iter().map(|r| r.2).sum();
            s.push_str(&format!(
                "total {}\n",
                if hum {
                    human(total * 1024)
                } else {
                    total.to_string()
                }
            ));
        }
        for (r, size) in rows.iter().zip(&sizes) {
            s.push_str(&format!(
                "{} node node {size:>w$} Jan  1 00:00 {}\n",
                r.0, r.3
            ));
        }
        s
    };
    let mut text = String::new();
    if !files.is_empty() {
        if rev {
            files.reverse();
        }
        text.push_str(&render(io, ".", &files, false));
    }
    let headers = operands.len() > 1;
    if rev {
        dirs.reverse();
    }
    for (k, (op, entries)) in dirs.iter().enumerate() {
        let mut names: Vec<String> = Vec::new();
        if all {
            names.push(".".into());
            names.push("..".into());
        }
        names.extend(
            entries
                .iter()
                .filter(|e| all || almost || !e.starts_with('.'))
                .cloned(),
        );
        if rev {
            names.reverse();
        }
        if headers {
            if k > 0 || !files.is_empty() {
                text.push('\n');
            }
            text.push_str(&format!("{op}:\n"));
        }
        let base = op.clone();
        text.push_str(&render(io, &base, &names, true));
        io.work(names.len() as u64 * 2_000);
    }
    io.out(&text);
    status
}

/// GNU sleep's interval: a number with an optional `s`, `m`, `h` or `d` suffix.
fn interval(s: &str) -> Option<f64> {
    let (num, mult) = match s.as_bytes().last() {
        Some(b's') => (&s[..s.len() - 1], 1.0),
        Some(b'm') => (&s[..s.len() - 1], 60.0),
        Some(b'h') => (&s[..s.len() - 1], 3600.0),
        Some(b'd') => (&s[..s.len() - 1], 86400.0),
        _ => (s, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    (v.is_finite()
        && v >= 0.0
        && !num.starts_with(['+', '-'])
        && !num.contains(['e', 'E', 'i', 'n', 'N']))
    .then_some(v * mult)
}

fn sleep(io: &mut Io, args: &[String]) -> i32 {
    if args.is_empty() {
        return usage_error(io, "sleep", "missing operand", 1);
    }
    let mut total = 0.0;
    for a in args {
        match interval(a) {
            Some(v) => total += v,
            None => {
                return usage_error(
                    io,
                    "sleep",
                    &format!("invalid time interval \u{2018}{a}\u{2019}"),
                    1,
                )
            }
        }
    }
    // At most ~146 years of virtual time.
    let ns = (total * 1e9).min(4.6e18) as u64;
    io.wait(ns);
    0
}

fn env(io: &mut Io, args: &[String]) -> i32 {
    let mut vars: Vec<(String, String)> = io.env.to_vec();
    let mut i = 0;
    // `env env env ...` is handled in this loop, not by recursion.
    loop {
        while i < args.len() {
            let a = &args[i];
            if a == "-i" || a == "-" || a == "--ignore-environment" {
                vars.clear();
            } else if a == "-u" {
                i += 1;
                let Some(n) = args.get(i) else {
                    return usage_error(io, "env", "option requires an argument -- 'u'", 125);
                };
                vars.retain(|(k, _)| k != n);
            } else if a.starts_with('-') && a.len() > 1 {
                let c = a.chars().nth(1).unwrap_or('-');
                return usage_error(io, "env", &format!("invalid option -- '{c}'"), 125);
            } else if let Some(eq) = a.find('=').filter(|&e| e > 0) {
                let (k, v) = (&a[..eq], &a[eq + 1..]);
                vars.retain(|(n, _)| n != k);
                vars.push((k.to_string(), v.to_string()));
            } else {
                break;
            }
            i += 1;
        }
        if i < args.len()
            && (args[i] == "env" || args[i] == "/usr/bin/env" || args[i] == "/bin/env")
        {
            i += 1;
            io.work(PROC_START_NS);
            continue;
        }
        break;
    }
    if i >= args.len() {
        let mut s = String::new();
        for (k, v) in &vars {
            s.push_str(&format!("{k}={v}\n"));
        }
        io.out(&s);
        return 0;
    }
    let name = &args[i];
    let Some(prog) = lookup(name, false) else {
        io.err(&format!(
            "env: \u{2018}{name}\u{2019}: No such file or directory\n"
        ));
        return 127;
    };
    // exec: the program replaces env, with the same stdin and clock.
    let stdin = io.stdin;
    let cwd = io.cwd;
    let budget = io.budget.saturating_sub(io.produced);
    let t0 = io.t;
    let mut inner = Io::new(&mut *io.host, cwd, &vars, stdin, io.stdin_is_file, budget);
    let run = run(prog, name, &args[i + 1..], &mut inner, false);
    let (read, produced, truncated) = (inner.read_stdin, inner.produced, inner.truncated);
    io.read_stdin |= read;
    io.produced += produced;
    io.truncated |= truncated;
    for (t, c) in run.stdout {
        io.out.push((t0 + t, c));
    }
    for (t, c) in run.stderr {
        io.err.push((t0 + t, c));
    }
    io.t = t0 + run.duration_ns.saturating_sub(PROC_EXIT_NS + PROC_START_NS);
    io.cpu += run.cpu_ns.saturating_sub(PROC_CPU_NS);
    run.status
}

// ---------------------------------------------------------------------------------------------
// Stand-ins for the seeds' programs

fn git(io: &mut Io, args: &[String]) -> i32 {
    const USAGE: &str = "usage: git [-v | --version] [-h | --help] [-C <path>] [-c <name>=<value>]\n           [--exec-path[=<path>]] [--html-path] [--man-path] [--info-path]\n           [-p | --paginate | -P | --no-pager] [--no-replace-objects] [--bare]\n           [--git-dir=<path>] [--work-tree=<path>] [--namespace=<name>]\n           [--config-env=<name>=<envvar>] <command> [<args>]\n";
    match args.first().map(String::as_str) {
        Some("--version" | "-v" | "version") => {
            io.out(&format!("git version {GIT_VERSION}\n"));
            0
        }
        None | Some("--help" | "-h" | "help") => {
            io.out(USAGE);
            1
        }
        Some(o) if o.starts_with('-') => {
            io.err(&format!("unknown option: {o}\n{USAGE}"));
            129
        }
        Some(
            "status" | "log" | "diff" | "add" | "commit" | "branch" | "checkout" | "switch"
            | "push" | "pull" | "fetch" | "merge" | "rebase" | "reset" | "show" | "tag" | "stash"
            | "rev-parse" | "remote" | "restore" | "rm" | "mv",
        ) => {
            io.err("fatal: not a git repository (or any of the parent directories): .git\n");
            128
        }
        Some(c) => {
            io.err(&format!(
                "git: '{c}' is not a git command. See 'git --help'.\n"
            ));
            1
        }
    }
}

/// The string literal of a `print("...")` / `print('...')` line, if the line is just that.
fn print_literal(line: &str) -> Option<String> {
    let inner = line
        .trim()
        .strip_prefix("print(")?
        .strip_suffix(')')?
        .trim();
    let q = inner.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = inner.strip_prefix(q)?.strip_suffix(q)?;
    if body.contains(q) && !body.contains('\\') {
        return None;
    }
    let mut s = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => s.push('\n'),
                Some('t') => s.push('\t'),
                Some(o) => s.push(o),
                None => {}
            }
        } else {
            s.push(c);
        }
    }
    Some(s)
}

fn python_source(io: &mut Io, src: &str) {
    let lines = src.lines().count() as u64;
    let mut out = String::new();
    for line in src.lines() {
        // Only top-level prints: indented code may never run.
        if !line.starts_with([' ', '\t']) {
            if let Some(s) = print_literal(line) {
                out.push_str(&s);
                out.push('\n');
            }
        }
    }
    io.work(lines.saturating_mul(PYTHON_LINE_NS));
    io.out(&out);
}

fn python3(io: &mut Io, args: &[String]) -> i32 {
    let me = io.argv0.clone();
    match args.first().map(String::as_str) {
        Some("--version" | "-V") => {
            io.out(&format!("Python {PYTHON_VERSION}\n"));
            0
        }
        Some("-c") => match args.get(1) {
            Some(code) => {
                python_source(io, &code.replace(';', "\n"));
                0
            }
            None => {
                io.err(&format!("Argument expected for the -c option\nusage: {me} [option] ... [-c cmd | -m mod | file | -] [arg] ...\nTry `python -h' for more information.\n"));
                2
            }
        },
        None | Some("-") => {
            let src = io.stdin().to_string();
            python_source(io, &src);
            0
        }
        Some(o) if o.starts_with('-') => {
            io.err(&format!("Unknown option: {o}\nusage: {me} [option] ... [-c cmd | -m mod | file | -] [arg] ...\nTry `python -h' for more information.\n"));
            2
        }
        Some(file) => {
            let p = io.path(file);
            match io.host.read_file(&p) {
                Some(src) => {
                    python_source(io, &src);
                    0
                }
                None => {
                    let why = if io.host.list_dir(&p).is_some() {
                        "[Errno 21] Is a directory"
                    } else {
                        "[Errno 2] No such file or directory"
                    };
                    io.err(&format!("{me}: can't open file '{p}': {why}\n"));
                    2
                }
            }
        }
    }
}

fn ffmpeg(io: &mut Io, args: &[String]) -> i32 {
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    let (mut yes, mut no, mut banner) = (false, false, true);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        i += 1;
        match a {
            "-i" => {
                if let Some(v) = args.get(i) {
                    inputs.push(v.clone());
                    i += 1;
                } else {
                    io.err(&format!("Missing argument for option '{}'.\n", &a[1..]));
                    return 1;
                }
            }
            "-y" => yes = true,
            "-n" => no = true,
            "-hide_banner" => banner = false,
            "-nostdin" | "-stats" | "-nostats" | "-an" | "-vn" | "-sn" => {}
            o if o.starts_with('-') && o.len() > 1 => i += 1,
            _ => outputs.push(a.to_string()),
        }
    }
    if banner {
        io.err("ffmpeg version 6.1.1 Copyright (c) 2000-2023 the FFmpeg developers\n  built with looplab (a stand-in: no media is decoded)\n");
    }
    if inputs.is_empty() && outputs.is_empty() {
        io.err("Hyper fast Audio and Video encoder\nusage: ffmpeg [options] [[infile options] -i infile]... {[outfile options] outfile}...\n\nUse -h to get full help or, even better, run 'man ffmpeg'\n");
        return 1;
    }
    let mut media_s = 0u64;
    let mut first_input = String::new();
    for (k, f) in inputs.iter().enumerate() {
        let p = io.path(f);
        let Some(data) = io.host.read_file(&p) else {
            io.err(&format!("{f}: No such file or directory\n"));
            return 1;
        };
        if k == 0 {
            first_input = data.clone();
        }
        media_s += ((data.len() / FFMPEG_BYTES_PER_MEDIA_SECOND) as u64)
            .clamp(FFMPEG_MIN_MEDIA_S, FFMPEG_MAX_MEDIA_S);
        io.err(&format!(
            "Input #{k}, mov,mp4,m4a,3gp,3g2,mj2, from '{f}':\n  Duration: {}, start: 0.000000, bitrate: 1000 kb/s\n  Stream #{k}:0: Video: h264, yuv420p, 1280x720, {FFMPEG_FPS} fps\n",
            clock(media_s * 100)
        ));
    }
    let Some(out) = outputs.last().cloned() else {
        io.err("At least one output file must be specified\n");
        return 1;
    };
    let out_path = io.path(&out);
    if io.host.list_dir(super::exec::parent(&out_path)).is_none() {
        io.err(&format!("{out}: No such file or directory\n"));
        return 1;
    }
    if io.host.read_file(&out_path).is_some() && !yes {
        if no {
            io.err(&format!("File '{out}' already exists. Exiting.\n"));
            return 1;
        }
        io.err(&format!("File '{out}' already exists. Overwrite? [y/N] "));
        if !io.stdin().trim_start().starts_with(['y', 'Y']) {
            io.err("Not overwriting - exiting\n");
            return 1;
        }
    }
    io.err(&format!("Output #0, mp4, to '{out}':\n  Stream #0:0: Video: h264 (libx264), yuv420p, 1280x720, {FFMPEG_FPS} fps\nPress [q] to stop, [?] for help\n"));
    // Encoding: a full core, progress every 500 ms.
    let total_ns = media_s.saturating_mul(1_000_000_000) / FFMPEG_SPEED;
    let mut done = 0u64;
    let bytes_per_media_s = 125_000u64;
    while done < total_ns {
        let step = FFMPEG_PROGRESS_NS.min(total_ns - done);
        io.work(step);
        done += step;
        let media_cs = done * FFMPEG_SPEED / 10_000_000;
        let last = done >= total_ns;
        let frame = media_cs * FFMPEG_FPS / 100;
        let size_kb = media_cs * bytes_per_media_s / 100 / 1024;
        io.err(&format!(
            "frame={frame:5} fps={:.0} q={} size={size_kb:8}kB time={} bitrate=1000.0kbits/s speed={FFMPEG_SPEED}.0x{}",
            FFMPEG_FPS * FFMPEG_SPEED,
            if last { "-1.0 L" } else { "28.0" },
            clock(media_cs),
            if last { "\n" } else { "\r" }
        ));
    }
    io.err(&format!(
        "video:{}kB audio:0kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: 0.052%\n",
        media_s * bytes_per_media_s / 1024
    ));
    io.host.write_file(&out_path, first_input);
    0
}

/// `HH:MM:SS.cc` from centiseconds.
fn clock(cs: u64) -> String {
    let s = cs / 100;
    format!(
        "{:02}:{:02}:{:02}.{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        cs % 100
    )
}
