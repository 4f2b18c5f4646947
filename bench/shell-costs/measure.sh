#!/bin/bash
# Second measurement for docs/shell.md: 200 runs of each command from a bash loop (fork + exec
# + wait, no Python in between), wall time per run from `date +%s%N` around the loop, and the
# per-byte cost of cat / wc / grep / head over a 64 MiB file (CPU from /usr/bin/time).
set -e
d=$(mktemp -d); cd "$d"
printf 'hello\nworld\n%.0s' $(seq 50) > f.txt
N=200
per_run() { local t0 t1; t0=$(date +%s%N); for ((i = 0; i < N; i++)); do "$@" >/dev/null 2>&1; done; t1=$(date +%s%N); echo "$(( (t1 - t0) / N / 1000 )) µs  $*"; }
per_run /bin/true
per_run /bin/echo hello
per_run /bin/sh -c true
per_run /bin/sh -c 'echo hello'
per_run /bin/sh -c 'echo a | cat'
per_run /bin/sh -c 'echo a; echo b; echo c; echo d; echo e; echo f; echo g; echo h; echo i; echo j'
per_run ls
per_run cat f.txt
per_run wc -l f.txt
per_run grep hello f.txt
per_run git --version
head -c 67108864 /dev/zero | tr '\0' 'a' | fold -w 63 > big.txt
for c in "cat big.txt" "wc big.txt" "wc -l big.txt" "grep -c zzz big.txt" "grep -c a.a big.txt" "head -n 100000 big.txt"; do
  /usr/bin/time -f "%e s wall %U s user %S s sys  $c (64 MiB)" $c > /dev/null
done
rm -rf "$d"
