//! `host::zlib::deflate` against real Node: the compressed bytes of `zlib.deflateSync`,
//! `gzipSync` and `deflateRawSync` must be identical for generated inputs (random, text-like,
//! low-entropy, periodic, long runs; sizes around the window, block and chunk boundaries) at
//! every level. Skipped with a message when `node` is not installed.

use looplab_core::host::zlib::deflate::{compress, Wrapper};
use std::io::Write;
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

#[test]
fn matches_node_at_every_level() {
    if Command::new("node").arg("--version").output().is_err() {
        println!("SKIPPED: `node` is not installed; it is the oracle for zlib's bytes");
        return;
    }
    let mut rng = Rng(42);
    let sizes = [
        0, 1, 2, 3, 4, 5, 7, 10, 31, 50, 100, 257, 258, 259, 300, 1000, 4096, 5000, 16_377, 16_378,
        16_384, 20_000, 32_506, 32_768, 40_000, 65_535, 65_536, 70_000, 100_000, 140_000,
    ];
    let mut cases: Vec<(Wrapper, u32, Vec<u8>)> = Vec::new();
    for (i, &len) in sizes.iter().enumerate() {
        for kind in 0..6 {
            let data = input(&mut rng, kind, len);
            for level in 0..=9u32 {
                let wrapper =
                    [Wrapper::Zlib, Wrapper::Gzip, Wrapper::Raw][(i + kind + level as usize) % 3];
                cases.push((wrapper, level, data.clone()));
            }
        }
    }
    let mut stdin = String::new();
    for (w, level, data) in &cases {
        let fmt = match w {
            Wrapper::Zlib => "zlib",
            Wrapper::Gzip => "gzip",
            Wrapper::Raw => "raw",
        };
        stdin.push_str(&format!("{fmt} {level} {}\n", hex(data)));
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
    let mut failures = Vec::new();
    for ((w, level, data), want) in cases.iter().zip(expected) {
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
