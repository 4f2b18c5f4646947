//! Writes programs of the differential test's generator (`cli/tests/progen/`) to a directory,
//! for reading, minimising or running by hand:
//!
//! ```text
//! cargo run -p looplab-cli --example progen-dump -- DIR [--family F] [--count N] [--seed S]
//! ```
//!
//! Program `i` (0-based) has seed `S + i` (default `S` = 1, `N` = 200) and, without
//! `--family`, the families take turns as in `cli/tests/differential.rs`, so the files are
//! named like the programs a failing differential run prints (`macro_000123.js`).

#[allow(dead_code)] // the generator's test-only helpers (line bounds) are not needed here
#[path = "../tests/progen/mod.rs"]
mod progen;

use progen::{generate, Family};
use std::path::PathBuf;
use std::process::ExitCode;

/// The order `cli/tests/differential.rs` takes turns in.
const FAMILIES: [Family; 5] = [
    Family::Micro,
    Family::Macro,
    Family::Io,
    Family::Typed,
    Family::Errors,
];

/// Families outside the rotation, written only when asked for with `--family`.
const OTHER_FAMILIES: [Family; 2] = [Family::Workers, Family::Processes];

const USAGE: &str =
    "usage: progen-dump DIR [--family micro|macro|io|typed|errors|workers|processes] [--count N] [--seed S]\n\
     (LOOPLAB_PROCGEN_OFF=a,b turns parts of the processes family off, as in the tests)";

struct Args {
    dir: PathBuf,
    family: Option<Family>,
    count: u64,
    seed: u64,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut dir = None;
    let mut family = None;
    let mut count = 200;
    let mut seed = 1;
    while let Some(a) = args.next() {
        let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value"));
        match a.as_str() {
            "--family" => {
                let name = value("--family")?;
                family = Some(
                    FAMILIES
                        .into_iter()
                        .chain(OTHER_FAMILIES)
                        .find(|f| f.name() == name)
                        .ok_or(format!("unknown family {name:?}"))?,
                );
            }
            "--count" => {
                count = value("--count")?
                    .parse()
                    .map_err(|e| format!("--count: {e}"))?
            }
            "--seed" => {
                seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "-h" | "--help" => return Err(String::new()),
            _ if a.starts_with("--") => return Err(format!("unknown option {a}")),
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    Ok(Args {
        dir: dir.ok_or("missing DIR")?,
        family,
        count,
        seed,
    })
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(why) => {
            if !why.is_empty() {
                eprintln!("progen-dump: {why}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&args.dir) {
        eprintln!("progen-dump: cannot create {}: {e}", args.dir.display());
        return ExitCode::FAILURE;
    }
    for i in 0..args.count {
        let family = args
            .family
            .unwrap_or(FAMILIES[(i % FAMILIES.len() as u64) as usize]);
        let p = generate(family, args.seed + i);
        let path = args.dir.join(p.file_name());
        if let Err(e) = std::fs::write(&path, &p.source) {
            eprintln!("progen-dump: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    eprintln!("wrote {} programs to {}", args.count, args.dir.display());
    ExitCode::SUCCESS
}
