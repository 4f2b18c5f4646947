# shellcheck shell=bash
# Shared set-up for scripts/serve, scripts/test and scripts/build. Sourcing it installs whatever
# is missing (idempotent, fast when done) and puts the pinned tools first on PATH.
#
# Everything comes from the package registries this project may use: rustup's own channel for
# the toolchain, crates.io for trunk and wasm-bindgen-cli (built from source), Debian for
# Chromium, npm for binaryen's wasm-opt and playwright-core. Nothing downloads a prebuilt binary
# from anywhere else: Trunk runs with `offline = true` and finds every tool on PATH.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TOOLCHAIN="$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)"
TRUNK_VERSION="0.22.1"
WASM_BINDGEN_VERSION="0.2.129"   # must equal the wasm-bindgen crate pin in Cargo.toml
# Cargo profiles of the browser build and of its browser tests (see Cargo.toml): size-optimised,
# except the simulator's engine. Native builds and benchmarks keep `release`.
WASM_PROFILE="wasm-release"
WASM_TEST_PROFILE="wasm-test"
export RUSTUP_TOOLCHAIN="$TOOLCHAIN"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m[looplab]\033[0m %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

need_root_for() {
  if [ "$(id -u)" != 0 ]; then
    die "$1 is missing and installing it needs root. Install it yourself: $2"
  fi
}

ensure_rust() {
  command -v rustup >/dev/null || die "rustup is missing: install it from your distribution or rustup.rs, then re-run"
  if ! rustup toolchain list | grep -q "^$TOOLCHAIN"; then
    say "installing Rust $TOOLCHAIN (rust-src, rustfmt, clippy, wasm32 target)…"
    rustup toolchain install "$TOOLCHAIN" --profile minimal \
      -c rust-src,rustfmt,clippy -t wasm32-unknown-unknown >&2
  fi
  local missing=()
  rustup component list --toolchain "$TOOLCHAIN" --installed 2>/dev/null | grep -q '^rust-src' || missing+=(rust-src)
  rustup component list --toolchain "$TOOLCHAIN" --installed 2>/dev/null | grep -q '^clippy' || missing+=(clippy)
  rustup component list --toolchain "$TOOLCHAIN" --installed 2>/dev/null | grep -q '^rustfmt' || missing+=(rustfmt)
  if [ ${#missing[@]} -gt 0 ]; then
    rustup component add --toolchain "$TOOLCHAIN" "${missing[@]}" >&2
  fi
  rustup target list --toolchain "$TOOLCHAIN" --installed | grep -q wasm32-unknown-unknown ||
    rustup target add --toolchain "$TOOLCHAIN" wasm32-unknown-unknown >&2
}

# ensure_cargo_tool CRATE VERSION BINARY: `cargo install --locked CRATE@VERSION` unless BINARY
# already reports VERSION.
ensure_cargo_tool() {
  local crate="$1" version="$2" bin="$3"
  if "$bin" --version 2>/dev/null | grep -q "$version"; then return; fi
  say "building $crate $version from crates.io (once per machine; trunk takes ~9 minutes)…"
  cargo install --locked "$crate@$version" >&2
}

ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  command -v apt-get >/dev/null || die "not a Debian machine: install ${missing[*]} with your package manager"
  need_root_for "${missing[*]}" "sudo apt-get install ${missing[*]}"
  say "installing Debian packages: ${missing[*]}…"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

ensure_npm_packages() {
  command -v npm >/dev/null || die "npm (with Node.js) is missing: install nodejs and npm"
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages from package-lock.json…"
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
}

# What every command needs to build the page.
setup_build() {
  ensure_rust
  ensure_npm_packages
  ensure_cargo_tool wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen
  ensure_cargo_tool trunk "$TRUNK_VERSION" trunk
}

# Bundles the playground's code editor (CodeMirror 6, editor/editor.js) into
# static/editor/editor.js plus the chunks it imports (its dynamic import of the JavaScript
# language is split off), which Trunk copies to dist/editor/ and the page imports lazily.
# Idempotent: skipped when the bundle is newer than its source and the npm lock.
build_editor() {
  local out=static/editor/editor.js
  if [ -f "$out" ] && [ "$out" -nt editor/editor.js ] && [ "$out" -nt package-lock.json ]; then return; fi
  say "bundling the code editor (esbuild)…"
  rm -rf static/editor
  mkdir -p static/editor
  esbuild editor/editor.js --bundle --splitting --minify --format=esm --target=es2020 \
    --chunk-names='chunk-[hash]' --log-level=warning --outdir=static/editor >&2
}

# Runs trunk with the threaded-wasm settings (std rebuilt with atomics for wasm32 only) and the
# browser build's cargo profile. Usage: trunk_run build|serve [trunk options...]
trunk_run() {
  local command="$1"
  shift
  build_editor
  CARGO_UNSTABLE_BUILD_STD=panic_abort,std trunk "$command" --release --cargo-profile "$WASM_PROFILE" "$@"
}

# Builds the release site into dist/.
trunk_build() {
  trunk_run build "$@"
}
