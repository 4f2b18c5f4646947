#!/usr/bin/env bash
# Interpreter speed/memory comparison: looplab vs `node --jitless` (V8's bytecode interpreter
# with the JIT compilers off, i.e. the fair baseline for an interpreter).
#
# Targets (per program):
#   speed  = node --jitless ms / looplab ms   >= 0.25x required, 0.5x is the goal
#   memory = looplab peak RSS / node --jitless peak RSS   <= 2x
#
# Usage: bench/compare.sh [PROGRAM.js ...]        (default: every bench/*.js)
#   LOOPLAB=path/to/looplab   binary to measure (default: target/release/looplab)
#   RUNS=N                    runs per program and engine; the fastest time is reported and
#                             the largest peak RSS (default 3)
#   TIMEOUT=S                 seconds before a run is killed and reported as a timeout (default 60)
#
# Each run's stdout must equal node's (the programs print checksums); a mismatch or a failed
# run is reported in the table and makes the script exit 1. Times are wall-clock ms of the whole
# process (start-up included) measured with date +%s%N; peak RSS comes from /usr/bin/time -f %M.
# NODE_EXTRA_CA_CERTS is unset for node: loading a CA bundle is no part of running a program.
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOOPLAB="${LOOPLAB:-target/release/looplab}"
RUNS="${RUNS:-3}"
TIMEOUT="${TIMEOUT:-60}"
TIME=/usr/bin/time

if [ ! -x "$TIME" ]; then
  echo "compare.sh: $TIME is missing (apt-get install time)" >&2
  exit 2
fi
if ! command -v node >/dev/null; then
  echo "compare.sh: node is not on PATH" >&2
  exit 2
fi

if [ "$#" -gt 0 ]; then
  programs=("$@")
else
  programs=("$here"/*.js)
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# measure NAME CMD... : runs CMD RUNS times; sets best_ms, peak_kb, status ("ok" or a reason);
# the stdout of the first run is left in $tmp/NAME.out.
measure() {
  local name="$1"
  shift
  best_ms=""
  peak_kb=0
  status="ok"
  local i
  for ((i = 0; i < RUNS; i++)); do
    local t0 t1 ms kb rc
    t0=$(date +%s%N)
    "$TIME" -f "%M" -o "$tmp/$name.time" timeout -k 5 "$TIMEOUT" "$@" >"$tmp/$name.run" 2>"$tmp/$name.err"
    rc=$?
    t1=$(date +%s%N)
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
      status="timeout after ${TIMEOUT}s"
      return
    elif [ "$rc" -ne 0 ]; then
      status="exit $rc"
      return
    fi
    ms=$(((t1 - t0) / 1000000))
    kb=$(tail -n 1 "$tmp/$name.time")
    if [ -z "$best_ms" ] || [ "$ms" -lt "$best_ms" ]; then best_ms=$ms; fi
    if [ "$kb" -gt "$peak_kb" ]; then peak_kb=$kb; fi
    if [ "$i" -eq 0 ]; then
      cp "$tmp/$name.run" "$tmp/$name.out"
    elif ! cmp -s "$tmp/$name.run" "$tmp/$name.out"; then
      status="unstable output"
      return
    fi
  done
}

ratio() { # ratio A B -> A/B with 2 decimals
  awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.2f", a / b }'
}

echo "looplab: $LOOPLAB   runs per program: $RUNS   (speed = node/looplab time, target >= 0.25x, goal 0.5x; memory = looplab/node peak RSS, target <= 2x)"
printf "%-14s %12s %12s %8s %12s %12s %8s  %s\n" \
  "program" "node-jitless" "looplab" "speed" "node RSS" "looplab RSS" "memory" "verdict"
printf "%-14s %12s %12s %8s %12s %12s %8s  %s\n" \
  "" "ms" "ms" "x" "MB" "MB" "x" ""

failed=0
for prog in "${programs[@]}"; do
  name="$(basename "$prog" .js)"
  measure node env -u NODE_EXTRA_CA_CERTS node --jitless "$prog"
  node_status=$status node_ms=$best_ms node_kb=$peak_kb
  if [ "$node_status" != "ok" ]; then
    printf "%-14s %12s\n" "$name" "node: $node_status"
    failed=1
    continue
  fi
  if [ ! -x "$LOOPLAB" ]; then
    printf "%-14s %12s %12s %8s %12.1f %12s %8s  %s\n" "$name" "$node_ms" "-" "-" \
      "$(ratio "$node_kb" 1024)" "-" "-" "no looplab binary at $LOOPLAB"
    failed=1
    continue
  fi
  measure looplab "$LOOPLAB" run "$prog"
  ll_status=$status ll_ms=$best_ms ll_kb=$peak_kb
  verdict=""
  if [ "$ll_status" != "ok" ]; then
    verdict="FAIL looplab: $ll_status: $(head -c 120 "$tmp/looplab.err" | tr '\n' ' ')"
    failed=1
    printf "%-14s %12s %12s %8s %12.1f %12s %8s  %s\n" "$name" "$node_ms" "-" "-" \
      "$(ratio "$node_kb" 1024)" "-" "-" "$verdict"
    continue
  fi
  if ! cmp -s "$tmp/node.out" "$tmp/looplab.out"; then
    verdict="OUTPUT DIFFERS: node '$(head -c 80 "$tmp/node.out" | tr '\n' ' ')' looplab '$(head -c 80 "$tmp/looplab.out" | tr '\n' ' ')'"
    failed=1
  fi
  speed=$(ratio "$node_ms" "$ll_ms")
  mem=$(ratio "$ll_kb" "$node_kb")
  if [ -z "$verdict" ]; then
    verdict=$(awk -v s="$speed" -v m="$mem" 'BEGIN {
      v = (s >= 0.5) ? "speed goal met" : (s >= 0.25) ? "speed target met" : "SLOWER than 0.25x target";
      v = v ", " ((m <= 2) ? "memory ok" : "MEMORY over 2x");
      print v }')
  fi
  printf "%-14s %12s %12s %8s %12.1f %12.1f %8s  %s\n" "$name" "$node_ms" "$ll_ms" "$speed" \
    "$(ratio "$node_kb" 1024)" "$(ratio "$ll_kb" 1024)" "$mem" "$verdict"
done
exit $failed
