//! Tests of the shell: a table of command lines whose exact stdout, stderr and status match
//! what real `/bin/sh -c` (dash) prints on Debian (and, when `/bin/sh` exists, a test that
//! runs each line for real in a temp dir and compares), the stand-in programs, timing, limits,
//! and fuzzing with random bytes and token soups (nothing may panic).

use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// An in-memory machine: files and directories by absolute path.
#[derive(Default, Clone)]
pub struct MemHost {
    pub files: BTreeMap<String, String>,
    pub dirs: BTreeSet<String>,
    pub pids: BTreeSet<i64>,
    pub signals: Vec<(i64, i32)>,
}

impl MemHost {
    /// A machine with `root` holding `f.txt`, `data.txt` and `sub/a.txt`.
    pub fn with_files(root: &str) -> Self {
        let mut h = MemHost::default();
        let mut d = String::new();
        h.dirs.insert("/".into());
        for seg in root.split('/').filter(|s| !s.is_empty()) {
            d.push('/');
            d.push_str(seg);
            h.dirs.insert(d.clone());
        }
        for (name, text) in FILES {
            let p = format!("{root}/{name}");
            h.write_file(&p, text.to_string());
        }
        h.dirs.insert(format!("{root}/sub"));
        h.write_file(&format!("{root}/sub/a.txt"), "in sub\n".into());
        h
    }
}

const FILES: &[(&str, &str)] = &[
    ("f.txt", "hello\n"),
    ("data.txt", "one\ntwo\nthree\nfour\nworld\n"),
    ("script.py", "import sys\nprint(\"Processing data...\")\nfor i in range(3):\n    print(i)\nprint('done')\n"),
    ("video.mp4", "not really a video\n"),
];

impl ShellHost for MemHost {
    fn read_file(&self, path: &str) -> Option<String> {
        self.files.get(path).cloned()
    }
    fn write_file(&mut self, path: &str, contents: String) {
        self.files.insert(path.to_string(), contents);
    }
    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        if !self.dirs.contains(path) {
            return None;
        }
        let prefix = if path == "/" {
            "/".to_string()
        } else {
            format!("{path}/")
        };
        let mut v: Vec<String> = self
            .files
            .keys()
            .chain(self.dirs.iter())
            .filter_map(|k| k.strip_prefix(&prefix))
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            .map(String::from)
            .collect();
        v.sort();
        v.dedup();
        Some(v)
    }
    fn run_node(
        &mut self,
        args: &[String],
        stdin: &str,
        _env: &[(String, String)],
        _cwd: &str,
    ) -> ProgramRun {
        ProgramRun {
            stdout: vec![(
                40_000_000,
                format!("node {} stdin={}\n", args.join(" "), stdin.len()),
            )],
            stderr: Vec::new(),
            status: 0,
            duration_ns: 50_000_000,
            cpu_ns: 45_000_000,
            read_stdin: true,
        }
    }
    fn kill(&mut self, pid: i64, signal: i32) -> bool {
        self.signals.push((pid, signal));
        self.pids.contains(&pid)
    }
}

const ROOT: &str = "/home/node/app";

fn ctx(cwd: &str) -> ShellContext {
    ShellContext {
        cwd: cwd.into(),
        env: vec![
            ("HOME".into(), cwd.into()),
            ("PATH".into(), "/usr/bin:/bin".into()),
            ("LC_ALL".into(), "C.UTF-8".into()),
        ],
        stdin: String::new(),
    }
}

fn sh(line: &str) -> (String, String, i32) {
    let mut h = MemHost::with_files(ROOT);
    let r = run_line(line, &ctx(ROOT), &mut h);
    (r.stdout_text(), r.stderr_text(), r.status)
}

/// Command lines with dash's exact output here (checked against real `/bin/sh -c` on Debian
/// 12 with GNU coreutils 9.1 and grep 3.8; `real_sh_agrees` re-checks them when it can).
/// Each: line, stdout, stderr, status.
const TABLE: &[(&str, &str, &str, i32)] = &[
    ("echo hello world", "hello world\n", "", 0),
    ("echo -n a; echo b", "ab\n", "", 0),
    ("echo 'single $HOME' \"double $NOPE\" x\\ y", "single $HOME double  x y\n", "", 0),
    ("nosuchprog", "", "/bin/sh: 1: nosuchprog: not found\n", 127),
    ("nosuchprog arg; echo $?", "127\n", "/bin/sh: 1: nosuchprog: not found\n", 0),
    ("false || echo yes && echo then", "yes\nthen\n", "", 0),
    ("true && false || echo z", "z\n", "", 0),
    ("echo a | cat", "a\n", "", 0),
    ("printf 'a\\nb\\nc\\n' | wc -l", "3\n", "", 0),
    ("cat f.txt f.txt | wc", "      2       2      12\n", "", 0),
    ("wc f.txt data.txt", " 1  1  6 f.txt\n 5  5 25 data.txt\n 6  6 31 total\n", "", 0),
    ("wc -l < data.txt", "5\n", "", 0),
    ("wc -lw f.txt", "1 1 f.txt\n", "", 0),
    ("grep -n o data.txt", "1:one\n2:two\n4:four\n5:world\n", "", 0),
    ("grep -c zzz f.txt; echo $?", "0\n1\n", "", 0),
    ("grep -i HELLO f.txt nosuch; echo $?", "f.txt:hello\n2\n", "grep: nosuch: No such file or directory\n", 0),
    ("grep -v '^[tw]' data.txt", "one\nfour\n", "", 0),
    ("grep 'o.$' data.txt", "", "", 1),
    ("grep 'r*ld$' data.txt", "world\n", "", 0),
    ("head -n 2 data.txt", "one\ntwo\n", "", 0),
    ("head -1 f.txt data.txt", "==> f.txt <==\nhello\n\n==> data.txt <==\none\n", "", 0),
    ("ls", "data.txt\nf.txt\nscript.py\nsub\nvideo.mp4\n", "", 0),
    ("ls sub nosuch", "sub:\na.txt\n", "ls: cannot access 'nosuch': No such file or directory\n", 2),
    ("ls -a sub", ".\n..\na.txt\n", "", 0),
    ("cat nosuch 2>&1 | wc -l", "1\n", "", 0),
    ("echo x > out.txt; echo y >> out.txt; cat out.txt", "x\ny\n", "", 0),
    ("echo x 2>&1 >/dev/null", "", "", 0),
    ("cat nosuch 2>/dev/null; echo $?", "1\n", "", 0),
    ("cat < nosuch; echo after $?", "after 2\n", "/bin/sh: 1: cannot open nosuch: No such file\n", 0),
    ("echo a > nodir/x", "", "/bin/sh: 1: cannot create nodir/x: Directory nonexistent\n", 2),
    ("cd sub && pwd && ls", "/home/node/app/sub\na.txt\n", "", 0),
    ("cd nosuchdir; echo $?", "2\n", "/bin/sh: 1: cd: can't cd to nosuchdir\n", 0),
    ("A=1; B=2 env | grep '^[AB]='", "B=2\n", "", 0),
    ("export A=1; env | grep '^A='", "A=1\n", "", 0),
    ("exit 3; echo no", "", "", 3),
    ("exit 300", "", "", 44),
    ("exit abc; echo no", "", "/bin/sh: 1: exit: Illegal number: abc\n", 2),
    ("printf '%s-%d|%%\\n' ab 42 cd", "ab-42|%\ncd-0|%\n", "", 0),
    ("printf '%5s|%-3d|%x|%05d\\n' a 7 255 42", "    a|7  |ff|00042\n", "", 0),
    ("printf '%d\\n' abc; echo $?", "0\n1\n", "/bin/sh: 1: printf: abc: expected numeric value\n", 0),
    ("printf", "", "/bin/sh: 1: printf: usage: printf format [arg ...]\n", 2),
    ("echo $?; false; echo $?", "0\n1\n", "", 0),
    ("echo \"a  b\"   c", "a  b c\n", "", 0),
    ("X='a  b'; echo $X \"$X\"", "a b a  b\n", "", 0),
    ("echo *.txt; echo s*/*; echo nomatch*", "data.txt f.txt\nsub/a.txt\nnomatch*\n", "", 0),
    ("echo a &&", "", "/bin/sh: 1: Syntax error: end of file unexpected\n", 2),
    ("&& echo", "", "/bin/sh: 1: Syntax error: \"&&\" unexpected\n", 2),
    ("echo a ||| b", "", "/bin/sh: 1: Syntax error: \"|\" unexpected\n", 2),
    ("echo \"abc", "", "/bin/sh: 1: Syntax error: Unterminated quoted string\n", 2),
    ("echo a;;", "", "/bin/sh: 1: Syntax error: \";;\" unexpected\n", 2),
    ("echo )", "", "/bin/sh: 1: Syntax error: \")\" unexpected\n", 2),
    ("echo ${A", "", "/bin/sh: 1: Syntax error: Missing '}'\n", 2),
    ("echo a 2>&x", "", "/bin/sh: 1: Syntax error: Bad fd number\n", 2),
    ("echo a >", "", "/bin/sh: 1: Syntax error: end of file unexpected\n", 2),
    ("echo a\nnosuch\necho b", "a\nb\n", "/bin/sh: 2: nosuch: not found\n", 0),
    ("sleep 0.01 && echo slept", "slept\n", "", 0),
    ("sleep abc", "", "sleep: invalid time interval ‘abc’\nTry 'sleep --help' for more information.\n", 1),
    ("! true; echo $?", "1\n", "", 0),
    ("echo a | exit 3; echo $?", "3\n", "", 0),
    ("cat data.txt | grep o | head -n 1", "one\n", "", 0),
    ("head -n x f.txt", "", "head: invalid number of lines: ‘x’\n", 1),
    ("wc -x", "", "wc: invalid option -- 'x'\nTry 'wc --help' for more information.\n", 1),
    ("grep", "", "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", 2),
    ("kill", "", "/bin/sh: 1: kill: Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]\n", 2),
    ("kill -9 abc", "", "/bin/sh: 1: kill: Illegal number: abc\n", 2),
    ("echo $0 $#", "/bin/sh 0\n", "", 0),
    ("pwd -x", "", "/bin/sh: 1: pwd: Illegal option -x\n", 2),
    ("cd sub; cat ../f.txt", "hello\n", "", 0),
    ("echo \"\\x41 \\101 \\c done\"", "\\x41 A ", "", 0),
    ("printf 'a\\tb\\\\c\\n'", "a\tb\\c\n", "", 0),
    ("echo ~ ~/x", "/home/node/app /home/node/app/x\n", "", 0),
    ("echo a#b #c", "a#b\n", "", 0),
    ("cat - < f.txt", "hello\n", "", 0),
    ("env nosuchprog", "", "env: ‘nosuchprog’: No such file or directory\n", 127),
    ("/bin/echo -e 'a\\tb' -n", "a\tb -n\n", "", 0),
    ("ls | wc -l", "5\n", "", 0),
    ("cat sub", "", "cat: sub: Is a directory\n", 1),
    ("head -c 3 f.txt; echo", "hel\n", "", 0),
    ("echo a 2>/dev/null >&2", "", "", 0),
    ("nosuch 2>/dev/null || echo failed $?", "failed 127\n", "", 0),
    ("echo a\\\nb", "ab\n", "", 0),
    ("X=5 Y=$X; echo $Y", "5\n", "", 0),
    ("", "", "", 0),
];

#[test]
fn table_matches_dash() {
    let mut bad = Vec::new();
    for (line, out, err, status) in TABLE {
        let got = sh(line);
        if got != (out.to_string(), err.to_string(), *status) {
            bad.push(format!(
                "{line:?}\n  want {:?}\n  got  {got:?}",
                (out, err, status)
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} lines differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Runs every line of the table through real `/bin/sh -c` in a temp dir holding the same
/// files, and compares (the table itself is the reference when there is no `/bin/sh`).
#[test]
fn real_sh_agrees() {
    use std::process::Command as Proc;
    if !std::path::Path::new("/bin/sh").exists()
        || Proc::new("/bin/sh").arg("-c").arg("true").status().is_err()
    {
        return;
    }
    let base = std::env::temp_dir().join(format!("looplab-shell-{}", std::process::id()));
    let mut bad = Vec::new();
    for (k, (line, _, _, _)) in TABLE.iter().enumerate() {
        if line.contains("sleep 0") {
            continue;
        }
        let dir = base.join(k.to_string());
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let root = dir.to_str().unwrap().to_string();
        for (name, text) in FILES {
            std::fs::write(dir.join(name), text).unwrap();
        }
        std::fs::write(dir.join("sub/a.txt"), "in sub\n").unwrap();
        let c = ctx(&root);
        let out = Proc::new("/bin/sh")
            .arg("-c")
            .arg(line)
            .current_dir(&dir)
            .env_clear()
            .envs(c.env.iter().map(|(a, b)| (a.as_str(), b.as_str())))
            .output()
            .unwrap();
        let real = (
            String::from_utf8_lossy(&out.stdout).replace(&root, ROOT),
            String::from_utf8_lossy(&out.stderr).replace(&root, ROOT),
            out.status.code().unwrap_or(-1),
        );
        let mine = sh(line);
        if real != mine {
            bad.push(format!("{line:?}\n  real {real:?}\n  ours {mine:?}"));
        }
    }
    let _ = std::fs::remove_dir_all(&base);
    assert!(
        bad.is_empty(),
        "{} lines differ from real sh:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn unsupported_constructs_say_so() {
    for line in [
        "while true; do echo; done",
        "for i in 1 2; do echo $i; done",
        "if true; then echo; fi",
        "f() { echo; }",
        "echo $(ls)",
        "echo `ls`",
        "echo $((1+2))",
        "echo a &",
        "(echo a)",
        "cat <<EOF",
        "echo ${A:-x}",
        "eval echo",
    ] {
        let (out, err, status) = sh(line);
        assert_eq!(out, "", "{line}");
        assert!(err.contains("unsupported:"), "{line}: {err}");
        assert_eq!(status, 2, "{line}");
    }
}

#[test]
fn parse_builds_the_ast() {
    let s = parse("A=1 echo \"x $B\" > out 2>&1 | wc -l && ! false; exit 3").unwrap();
    assert_eq!(s.lists.len(), 2);
    let p = &s.lists[0].first;
    assert_eq!(p.commands.len(), 2);
    assert_eq!(p.commands[0].assigns[0].0, "A");
    assert_eq!(p.commands[0].redirs.len(), 2);
    assert_eq!(s.lists[0].rest[0].0, parse::Connector::And);
    assert!(s.lists[0].rest[0].1.negated);
    assert!(parse(&"x".repeat(parse::MAX_SCRIPT_BYTES + 1))
        .unwrap_err()
        .message
        .contains("unsupported"));
}

#[test]
fn stand_ins() {
    assert_eq!(
        sh("git --version"),
        ("git version 2.43.0\n".into(), String::new(), 0)
    );
    assert_eq!(sh("git status").2, 128);
    assert_eq!(
        sh("python3 script.py"),
        ("Processing data...\ndone\n".into(), String::new(), 0)
    );
    assert_eq!(
        sh("python3 nosuch.py"),
        (String::new(), "python3: can't open file '/home/node/app/nosuch.py': [Errno 2] No such file or directory\n".into(), 2)
    );
    let (_, err, st) = sh("ffmpeg -i nosuch.mp4 out.mp4");
    assert!(
        err.ends_with("nosuch.mp4: No such file or directory\n"),
        "{err}"
    );
    assert_eq!(st, 1);
    assert_eq!(sh("node -e 1 | cat").0, "node -e 1 stdin=0\n");
    assert_eq!(sh("echo abc | node x.js").0, "node x.js stdin=4\n");
}

#[test]
fn ffmpeg_streams_progress_and_writes_its_output() {
    let mut h = MemHost::with_files(ROOT);
    let r = run_program(
        "ffmpeg",
        &["-i".into(), "video.mp4".into(), "small.mp4".into()],
        &ctx(ROOT),
        &mut h,
    )
    .unwrap();
    assert_eq!(r.status, 0);
    let progress: Vec<u64> = r
        .stderr
        .iter()
        .filter(|(_, c)| c.starts_with("frame="))
        .map(|(t, _)| *t)
        .collect();
    // 8 s of media at 2x: 4 s, a line every 500 ms.
    assert_eq!(progress.len(), 8);
    for w in progress.windows(2) {
        assert_eq!(w[1] - w[0], 500_000_000);
    }
    assert!(r.duration_ns >= 4_000_000_000);
    assert!(r.cpu_ns >= 4_000_000_000, "a full core");
    assert_eq!(
        h.files.get("/home/node/app/small.mp4").map(String::as_str),
        Some("not really a video\n")
    );
    // Again without -y: ffmpeg asks, stdin is empty, so it does not overwrite.
    let r = run_program(
        "ffmpeg",
        &["-i".into(), "video.mp4".into(), "small.mp4".into()],
        &ctx(ROOT),
        &mut h,
    )
    .unwrap();
    assert_eq!(r.status, 1);
    assert!(r
        .stderr_text()
        .ends_with("Overwrite? [y/N] Not overwriting - exiting\n"));
}

#[test]
fn kill_asks_the_host() {
    let mut h = MemHost::with_files(ROOT);
    h.pids.insert(42);
    let r = run_line(
        "kill 42 && kill -9 42 && kill -s INT 42; kill 7",
        &ctx(ROOT),
        &mut h,
    );
    assert_eq!(h.signals, vec![(42, 15), (42, 9), (42, 2), (7, 15)]);
    assert_eq!(r.stderr_text(), "/bin/sh: 1: kill: No such process\n\n");
    assert_eq!(r.status, 1);
    let r = run_program("kill", &["7".into()], &ctx(ROOT), &mut h).unwrap();
    assert_eq!(
        (r.stderr_text().as_str(), r.status),
        ("kill: (7): No such process\n", 1)
    );
}

#[test]
fn run_program_has_no_shell() {
    let mut h = MemHost::with_files(ROOT);
    assert!(run_program("nosuch", &[], &ctx(ROOT), &mut h).is_none());
    assert!(run_program("cd", &[], &ctx(ROOT), &mut h).is_none());
    assert!(run_program("./x", &[], &ctx(ROOT), &mut h).is_none());
    let r = run_program("ls", &["-l".into(), "sub".into()], &ctx(ROOT), &mut h).unwrap();
    assert_eq!(
        r.stdout_text(),
        "total 4\n-rw-r--r-- 1 node node 7 Jan  1 00:00 a.txt\n"
    );
    let r = run_program("/bin/echo", &["$HOME".into()], &ctx(ROOT), &mut h).unwrap();
    assert_eq!(r.stdout_text(), "$HOME\n");
    let mut c = ctx(ROOT);
    c.stdin = "a b\nc\n".into();
    let r = run_program("wc", &[], &c, &mut h).unwrap();
    assert_eq!(r.stdout_text(), "      2       3       6\n");
}

#[test]
fn timing() {
    let mut h = MemHost::with_files(ROOT);
    let r = run_line("sleep 2", &ctx(ROOT), &mut h);
    assert!(r.duration_ns >= 2_000_000_000 && r.duration_ns < 2_100_000_000);
    assert!(r.cpu_ns < 10_000_000, "sleep uses no CPU");
    // echo is a builtin: only the shell's own cost.
    let e = run_line("echo hi", &ctx(ROOT), &mut h);
    assert!(e.duration_ns < 5_000_000, "{}", e.duration_ns);
    // A pipeline's stages overlap: `sleep 1 | sleep 1` takes about one second.
    let p = run_line("sleep 1 | sleep 1", &ctx(ROOT), &mut h);
    assert!(p.duration_ns < 1_100_000_000, "{}", p.duration_ns);
    // A sequence adds up, and output chunks are placed in time.
    let s = run_line("echo a; sleep 1; echo b", &ctx(ROOT), &mut h);
    assert_eq!(s.stdout.len(), 2);
    assert!(s.stdout[1].0 - s.stdout[0].0 >= 1_000_000_000);
    // A reader after a slow writer waits for it.
    let w = run_line("python3 script.py | cat", &ctx(ROOT), &mut h);
    assert!(w.stdout[0].0 > 140_000_000);
}

#[test]
fn limits_hold() {
    let mut h = MemHost::with_files(ROOT);
    h.write_file("/home/node/app/big", "x".repeat(4 << 20));
    // Doubling a file on each command: caps stop it.
    let line = "cat big big big big > a; cat a a a a a > big; ".repeat(20);
    let r = run_line(&line, &ctx(ROOT), &mut h);
    assert!(h.files.values().all(|f| f.len() <= OUTPUT_CAP));
    assert!(r.stderr_text().contains("looplab"), "{}", r.stderr_text());
    let r = run_line("cat big big big big big", &ctx(ROOT), &mut h);
    assert!(r.stdout_text().len() <= OUTPUT_CAP);
    assert!(r.stderr_text().contains("dropped"));
    let r = run_line("sleep 99999999999999999999", &ctx(ROOT), &mut h);
    assert_eq!(r.status, 0);
    let r = run_line(&"echo a | ".repeat(300), &ctx(ROOT), &mut h);
    assert_eq!(r.status, 2);
}

/// A tiny deterministic generator (xorshift) for the fuzz tests.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn fuzz_random_bytes_and_token_soups() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    const TOKENS: &[&str] = &[
        "echo",
        "cat",
        "ls",
        "wc",
        "-l",
        "grep",
        "-v",
        "-c",
        "head",
        "-n",
        "2",
        "printf",
        "%s",
        "%d",
        "%5.2f",
        "\\n",
        "sleep",
        "0.1",
        "kill",
        "-9",
        "1",
        "env",
        "-i",
        "pwd",
        "cd",
        "sub",
        "..",
        "/",
        "exit",
        "export",
        "A=1",
        "$A",
        "${A}",
        "$?",
        "$",
        "${",
        "}",
        "'",
        "\"",
        "\\",
        "`",
        "$(",
        ")",
        "(",
        "|",
        "||",
        "&&",
        "&",
        ";",
        ";;",
        "\n",
        ">",
        ">>",
        "<",
        "2>&1",
        ">&2",
        "2>/dev/null",
        "<&0",
        "f.txt",
        "nosuch",
        "*",
        "?",
        "[",
        "]",
        "[a-",
        "!",
        "#",
        "~",
        "node",
        "git",
        "--version",
        "python3",
        "script.py",
        "ffmpeg",
        "-i",
        "video.mp4",
        "o.mp4",
        "-y",
        "true",
        "false",
        "x=",
        "=",
        "é",
        "\t",
        " ",
        "9>",
        "3>&1",
        "<<",
        "if",
        "while",
        "'a b'",
        "\"$A b\"",
        "-e",
        "[[:digit:]]",
        "^o",
        "o$",
        ".*",
        "a**",
    ];
    for round in 0..3000 {
        let line = if round % 3 == 0 {
            let n = rng.below(40);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            let n = rng.below(14);
            (0..n)
                .map(|_| TOKENS[rng.below(TOKENS.len())])
                .collect::<Vec<_>>()
                .join(if round % 2 == 0 { " " } else { "" })
        };
        let mut h = MemHost::with_files(ROOT);
        let r = run_line(&line, &ctx(ROOT), &mut h);
        assert!(
            r.duration_ns >= r.stdout.last().map_or(0, |c| c.0) || r.duration_ns > 0,
            "{line:?}"
        );
        assert!((0..=255).contains(&r.status), "{line:?}: {}", r.status);
    }
}
