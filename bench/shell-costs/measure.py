#!/usr/bin/env python3
"""Measures what the shell's programs cost on this machine (docs/shell.md cites the output).

For each command line: N runs through posix_spawn (what libuv does for child_process),
the mean wall time from spawn to reaped exit, and the mean CPU time (user + system) the
child used, from getrusage(RUSAGE_CHILDREN) before and after. Run from a directory with a
small `f.txt` (the script makes one in a temp dir).
"""
import os, resource, subprocess, sys, tempfile, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
CMDS = [
    ["/bin/true"],
    ["/bin/echo", "hello"],
    ["/bin/sh", "-c", "true"],
    ["/bin/sh", "-c", "echo hello"],
    ["/bin/sh", "-c", "echo a | cat"],
    ["/bin/sh", "-c", "true && true && true"],
    ["ls"],
    ["cat", "f.txt"],
    ["wc", "-l", "f.txt"],
    ["grep", "hello", "f.txt"],
    ["head", "-n", "1", "f.txt"],
    ["printf", "%s\\n", "x"],
    ["env"],
    ["pwd"],
    ["git", "--version"],
    ["python3", "-c", "pass"],
    ["node", "-e", "0"],
]

def main():
    d = tempfile.mkdtemp()
    os.chdir(d)
    with open("f.txt", "w") as f:
        f.write("hello\nworld\n" * 50)
    print(f"{'command':40} {'wall µs':>10} {'cpu µs':>10}   (mean of {N})")
    for cmd in CMDS:
        n = N if cmd[0] != "node" else max(10, N // 10)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter_ns()
        for _ in range(n):
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = (time.perf_counter_ns() - t0) / n / 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) / n * 1e6
        print(f"{' '.join(cmd):40} {wall:10.0f} {cpu:10.0f}")

main()
