//! Shared support of the workspace's tests (a dev-dependency of `looplab-core` and
//! `looplab-cli`, never published).
//!
//! - **Oracles that cannot skip.** Tests that compare with real `node` or read the shared
//!   conformance corpus ask here first ([`node`], [`conformance_dir`]). When the oracle is
//!   missing they skip with a note on stderr, unless skipping is forbidden: with `CI` set (CI
//!   sets `CI=true`) or `LOOPLAB_REQUIRE_NODE=1` (what `scripts/test` exports) the test fails
//!   and says what is missing and how to fix it. A check that silently passes on a machine
//!   without its oracle would look like a check that passed.
//! - **The big-stack runner.** [`on_big_stack`] runs the simulator on a thread with a 256 MiB
//!   stack, as the `looplab` binary does (deeply nested programs recurse in the compiler).

use std::path::{Path, PathBuf};
use std::process::Command;

/// True when a missing oracle must fail the test instead of skipping it: `CI` is set to
/// anything but `false`/`0`/empty, or `LOOPLAB_REQUIRE_NODE` is `1`/`true`.
pub fn oracles_required() -> bool {
    required_by(
        std::env::var("CI").ok().as_deref(),
        std::env::var("LOOPLAB_REQUIRE_NODE").ok().as_deref(),
    )
}

/// [`oracles_required`] for given values of `CI` and `LOOPLAB_REQUIRE_NODE`.
fn required_by(ci: Option<&str>, require_node: Option<&str>) -> bool {
    let ci = ci
        .map(str::trim)
        .is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
    let require_node = require_node
        .map(str::trim)
        .is_some_and(|v| v == "1" || v == "true");
    ci || require_node
}

/// The oracle `what` is missing (`why` says why, `fix` how to get it). Under CI (see
/// [`oracles_required`]) this panics with that text; otherwise it writes a `SKIPPED` note
/// to stderr and the caller returns.
pub fn oracle_missing(test: &str, what: &str, why: &str, fix: &str) {
    let text = format!("{test} needs {what}, but {why}. Fix: {fix}.");
    if oracles_required() {
        panic!(
            "{text}\n(This test may not skip: CI or LOOPLAB_REQUIRE_NODE=1 is set. Unset both to \
             skip it on a machine without the oracle.)"
        );
    }
    eprintln!("SKIPPED: {text}");
}

/// `node --version` when `node` runs, or why it does not.
fn node_version() -> Result<String, String> {
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => Ok(String::from_utf8_lossy(&o.stdout).trim().to_string()),
        Ok(o) => Err(format!(
            "`node --version` failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Err(format!(
            "`node` could not be started ({e}); it is not on PATH"
        )),
    }
}

/// Is `node` (the oracle: Node.js 20) available to `test`? When it is not, skips with a note
/// or, under CI, fails (see [`oracle_missing`]). Use as `if !testkit::node("name") { return; }`.
pub fn node(test: &str) -> bool {
    match node_version() {
        Ok(_) => true,
        Err(why) => {
            oracle_missing(
                test,
                "Node.js 20 (`node`) as its oracle",
                &why,
                "install Node.js 20 (e.g. `apt-get install nodejs`) and put `node` on PATH",
            );
            false
        }
    }
}

/// The shared conformance corpus: `LOOPLAB_CONFORMANCE_DIR`, else `shared/conformance/cases`
/// next to the workspace (`../shared` of the checkout). `None` (after skipping or, under CI,
/// failing with the reason) when the directory does not exist.
pub fn conformance_dir(test: &str) -> Option<PathBuf> {
    let (dir, source) = match std::env::var("LOOPLAB_CONFORMANCE_DIR") {
        Ok(d) => (PathBuf::from(d), "LOOPLAB_CONFORMANCE_DIR"),
        Err(_) => (
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/cases"),
            "the default place next to the checkout",
        ),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    oracle_missing(
        test,
        "the shared conformance corpus",
        &format!("no directory {} ({source})", dir.display()),
        "put the corpus at ../shared/conformance/cases next to the checkout, or set \
         LOOPLAB_CONFORMANCE_DIR to its `cases` directory",
    );
    None
}

/// Stack size of [`on_big_stack`]'s thread: 256 MiB (the `looplab` binary uses 1 GiB).
pub const BIG_STACK: usize = 1 << 28;

/// Runs `f` on a fresh thread with a [`BIG_STACK`] stack and returns its result; a panic in
/// `f` is re-raised here.
pub fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let handle = std::thread::Builder::new()
        .name("big-stack".into())
        .stack_size(BIG_STACK)
        .spawn(f)
        .expect("spawn the big-stack thread");
    match handle.join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_or_require_node_forbids_skipping() {
        assert!(!required_by(None, None));
        assert!(required_by(Some("true"), None));
        assert!(required_by(Some("1"), None));
        assert!(!required_by(Some("false"), None));
        assert!(!required_by(Some(""), Some("0")));
        assert!(required_by(None, Some("1")));
        assert!(required_by(Some("false"), Some("true")));
    }

    #[test]
    fn big_stack_returns_the_result_and_reraises_panics() {
        assert_eq!(on_big_stack(|| 6 * 7), 42);
        let caught = std::panic::catch_unwind(|| on_big_stack(|| panic!("inner")));
        assert!(caught.is_err());
    }
}
