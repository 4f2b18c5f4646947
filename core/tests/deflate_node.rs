//! `host::zlib::deflate` against real Node: the compressed bytes of `zlib.deflateSync`,
//! `gzipSync` and `deflateRawSync` must be identical for generated inputs (random, text-like,
//! low-entropy, periodic, long runs; sizes around the window, block and chunk boundaries) at
//! every level.
//!
//! Two tests share the inputs:
//! - `matches_golden_digests` needs no `node`: the SHA-256 of Node's compressed bytes for each
//!   input and level were recorded once from Node 20 and committed in `deflate_golden.txt`
//!   (one line per case: wrapper, level, input kind, input length, digest).
//! - `matches_node_at_every_level` compares with a live `node` (and checks that the golden file
//!   still agrees with it; when it does not, it writes node's digests to a file and names it,
//!   which is also how the golden file is recorded). Without `node` it skips with a note, or
//!   fails under CI (`CI` or `LOOPLAB_REQUIRE_NODE=1` set; see `looplab_testkit`).

use looplab_core::host::zlib::deflate::{compress, Wrapper};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// splitmix64, enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Input `k` of kind `k % 6` with `len` bytes.
fn input(rng: &mut Rng, kind: usize, len: usize) -> Vec<u8> {
    const WORDS: [&str; 12] = [
        "the ",
        "quick ",
        "brown ",
        "fox ",
        "jumps ",
        "over ",
        "lazy ",
        "dog ",
        "\n",
        "{\"a\":1}",
        "0123456789",
        "setImmediate ",
    ];
    let mut v = Vec::with_capacity(len + 16);
    while v.len() < len {
        match kind {
            0 => v.push(rng.next() as u8),
            1 => v.extend_from_slice(WORDS[rng.below(WORDS.len())].as_bytes()),
            2 => v.push(b"ab"[rng.below(2)]),
            3 => v.extend_from_slice(b"abcabcabd"),
            4 => {
                // long runs with rare changes
                let b = rng.next() as u8;
                let n = 1 + rng.below(400);
                v.extend(std::iter::repeat_n(b, n));
            }
            _ => {
                // text with random bytes sprinkled in (mixes short and long matches)
                if rng.below(10) == 0 {
                    v.push(rng.next() as u8);
                } else {
                    v.extend_from_slice(WORDS[rng.below(4)].as_bytes());
                }
            }
        }
    }
    v.truncate(len);
    v
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex from node"))
        .collect()
}

const NODE_SCRIPT: &str = r#"
const zlib = require("zlib");
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
const out = [];
for (const line of lines) {
  const [fmt, level, data] = line.split(" ");
  const buf = Buffer.from(data || "", "hex");
  const f = { zlib: zlib.deflateSync, gzip: zlib.gzipSync, raw: zlib.deflateRawSync }[fmt];
  out.push(f(buf, { level: Number(level) }).toString("hex"));
}
process.stdout.write(out.join("\n") + "\n");
"#;

/// One input compressed at one level with one wrapper.
struct Case {
    wrapper: Wrapper,
    level: u32,
    kind: usize,
    data: Vec<u8>,
}

impl Case {
    fn format(&self) -> &'static str {
        match self.wrapper {
            Wrapper::Zlib => "zlib",
            Wrapper::Gzip => "gzip",
            Wrapper::Raw => "raw",
        }
    }
    /// The golden file's line for this case, given the digest of its compressed bytes.
    fn golden_line(&self, digest: &str) -> String {
        format!(
            "{} {} {} {} {digest}",
            self.format(),
            self.level,
            self.kind,
            self.data.len()
        )
    }
}

/// Every case: 30 sizes x 6 input kinds x 10 levels, the wrapper taking turns.
fn cases() -> Vec<Case> {
    let mut rng = Rng(42);
    let sizes = [
        0, 1, 2, 3, 4, 5, 7, 10, 31, 50, 100, 257, 258, 259, 300, 1000, 4096, 5000, 16_377, 16_378,
        16_384, 20_000, 32_506, 32_768, 40_000, 65_535, 65_536, 70_000, 100_000, 140_000,
    ];
    let mut cases = Vec::new();
    for (i, &len) in sizes.iter().enumerate() {
        for kind in 0..6 {
            let data = input(&mut rng, kind, len);
            for level in 0..=9u32 {
                let wrapper =
                    [Wrapper::Zlib, Wrapper::Gzip, Wrapper::Raw][(i + kind + level as usize) % 3];
                cases.push(Case {
                    wrapper,
                    level,
                    kind,
                    data: data.clone(),
                });
            }
        }
    }
    cases
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn golden_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/deflate_golden.txt")
}

fn golden_lines() -> Vec<String> {
    let path = golden_path();
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn matches_golden_digests() {
    let cases = cases();
    let golden = golden_lines();
    assert_eq!(
        golden.len(),
        cases.len(),
        "{} has {} lines for {} cases",
        golden_path().display(),
        golden.len(),
        cases.len()
    );
    let failures: Vec<String> = cases
        .iter()
        .zip(&golden)
        .filter_map(|(c, want)| {
            let got = c.golden_line(&sha256_hex(&compress(&c.data, c.level, c.wrapper)));
            (&got != want).then(|| format!("ours:   {got}\nnode's: {want}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} compressed outputs differ from Node's recorded digests:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn matches_node_at_every_level() {
    if !looplab_testkit::node("matches_node_at_every_level") {
        return;
    }
    let cases = cases();
    let mut stdin = String::new();
    for c in &cases {
        stdin.push_str(&format!("{} {} {}\n", c.format(), c.level, hex(&c.data)));
    }
    let mut child = Command::new("node")
        .arg("-e")
        .arg(NODE_SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start node");
    let mut pipe = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || pipe.write_all(stdin.as_bytes()));
    let out = child.wait_with_output().expect("node output");
    writer.join().expect("writer").expect("write to node");
    assert!(out.status.success(), "node failed");
    let expected: Vec<&str> = std::str::from_utf8(&out.stdout)
        .expect("utf8")
        .lines()
        .collect();
    assert_eq!(expected.len(), cases.len());
    let node_golden: Vec<String> = cases
        .iter()
        .zip(&expected)
        .map(|(c, want)| c.golden_line(&sha256_hex(&decode_hex(want))))
        .collect();
    if node_golden != golden_lines() {
        let fresh = std::env::temp_dir().join("looplab-deflate_golden.txt");
        std::fs::write(&fresh, node_golden.join("\n") + "\n").expect("write fresh digests");
        panic!(
            "{} does not hold node's digests for these inputs; node's are in {} (copy it over \
             the golden file if the inputs changed on purpose)",
            golden_path().display(),
            fresh.display()
        );
    }
    let mut failures = Vec::new();
    for (c, want) in cases.iter().zip(expected) {
        let (w, level, data) = (&c.wrapper, &c.level, &c.data);
        let got = hex(&compress(data, *level, *w));
        if got != want {
            failures.push(format!(
                "{w:?} level {level}, {} input bytes: ours {} bytes, node {} bytes, first difference at byte {}",
                data.len(),
                got.len() / 2,
                want.len() / 2,
                got.bytes().zip(want.bytes()).position(|(a, b)| a != b).unwrap_or(got.len().min(want.len())) / 2
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ from node:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
