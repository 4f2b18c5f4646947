// Costs of waking a thread and of sharing a core, on real Node:
// - atomics_wake_ns: Atomics.notify on one thread until Atomics.wait returns on another,
//   from a ping-pong through a SharedArrayBuffer, the two threads pinned to different cores;
// - time_slice_ns: two CPU-bound workers pinned to one core; each notes the gaps in its own
//   loop (more than 0.5 ms between two iterations), when the other thread had the core. The
//   typical run between two gaps is the quantum the OS scheduler hands out (the typical gap
//   is the other's quantum plus two hand-overs, and on a busy machine other processes' turns
//   too, so it is reported as a cross-check);
// - context_switch_ns: in the same run, the core time lost at each hand-over from one
//   spinner to the other: (a gap of one spinner - the run of the other inside it) / 2.
// A cross-check of the switch cost: the wake ping-pong with both threads pinned to one core
// (every wake then switches the core to the other thread) against the threads on different
// cores. Each thread pins itself with `taskset -p` on its own thread id, and the placements
// alternate in rounds. On this kind of virtual machine the difference comes out negative
// (waking an idle core through the hypervisor costs more than switching a busy one), so it
// cannot give the switch cost; it is reported, not used.
// The time-slice part runs in a child process started with `taskset -c 0`. Run alone:
// node bench/node-costs/scheduling.js [--quick]
'use strict';
const { execFileSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
const { nowNs, summarize, record, runAsMain } = require('./common');

// The cores this process may use, read before any thread pins itself (after pinning, the
// count would be 1): the main thread goes back to these after each ping-pong.
const CORE_COUNT = require('node:os').availableParallelism();
const ALL_CORES = `0-${CORE_COUNT - 1}`;

// Pins the calling thread (main or worker) to the given cores, e.g. '0' or '0,1'. Linux
// names each thread by its own id in /proc/thread-self, and taskset -p takes that id.
function pinThisThread(cores) {
  const { execFileSync } = require('node:child_process');
  const threadId = require('node:fs').readlinkSync('/proc/thread-self').split('/').pop();
  execFileSync('taskset', ['-p', '-c', cores, threadId], { stdio: 'ignore' });
}

// The worker side of the ping-pong. It runs in its own thread from this function's source,
// with pinThisThread's source before it.
// Cell 0 of `cells` counts turns: the main thread writes odd values, this worker even ones,
// and each side sleeps in Atomics.wait while the count is still its own last one. Cell 1
// says the worker has pinned itself and is ready.
function pingPongWorker() {
  const { workerData } = require('node:worker_threads');
  const cells = new Int32Array(workerData.shared);
  pinThisThread(workerData.core);
  Atomics.store(cells, 1, 1);
  Atomics.notify(cells, 1);
  for (let turn = 1; turn <= 2 * workerData.roundTrips; turn += 2) {
    while (Atomics.load(cells, 0) !== turn) Atomics.wait(cells, 0, turn - 1);
    Atomics.store(cells, 0, turn + 1);
    Atomics.notify(cells, 0);
  }
}

// Round-trip times (ns) of `roundTrips` ping-pongs between the main thread, pinned to core
// 0, and a worker pinned to `workerCore` ('0': the same core, '1': the other one).
function pingPongRoundTrips(roundTrips, workerCore) {
  const shared = new SharedArrayBuffer(8);
  const cells = new Int32Array(shared);
  const worker = new Worker(`${pinThisThread}\n(${pingPongWorker})()`, {
    eval: true,
    workerData: { shared, roundTrips, core: workerCore },
  });
  pinThisThread('0');
  while (Atomics.load(cells, 1) === 0) Atomics.wait(cells, 1, 0);
  const times = new Array(roundTrips);
  for (let i = 0; i < roundTrips; i++) {
    const turn = 2 * i + 1;
    const startNs = nowNs();
    Atomics.store(cells, 0, turn);
    Atomics.notify(cells, 0);
    while (Atomics.load(cells, 0) === turn) Atomics.wait(cells, 0, turn);
    times[i] = nowNs() - startNs;
  }
  pinThisThread(ALL_CORES);
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', () => resolve(times));
  });
}

// One-way wake times (round trip / 2) of the ping-pong, in rounds that alternate between
// the two threads on one core and on two cores, so that a change in the machine's load
// during the measurement hits both alike. Returns the pooled times of each placement and the
// per-round difference of medians (one core minus two cores).
async function measureWakes(quick) {
  if (CORE_COUNT < 2) throw new Error('scheduling.js: the wake measurements need two cores');
  const rounds = quick ? 2 : 8;
  const warmup = quick ? 200 : 500;
  const counted = quick ? 500 : 3000;
  const oneCore = [];
  const twoCores = [];
  const differences = [];
  for (let round = 0; round < rounds; round++) {
    const medians = {};
    for (const [core, pooled] of [
      ['0', oneCore],
      ['1', twoCores],
    ]) {
      const times = await pingPongRoundTrips(warmup + counted, core);
      const wakes = times.slice(warmup).map((ns) => ns / 2);
      pooled.push(...wakes);
      medians[core] = summarize(wakes).median;
    }
    differences.push(medians['0'] - medians['1']);
  }
  return { oneCore, twoCores, differences };
}

// The spinning worker of the time-slice part: it busy-loops for `durationNs` from an
// agreed start time and records, as [start, end] on the shared monotonic clock, every gap
// longer than `gapNs` between two iterations and each uninterrupted run before a gap.
function spinWorker() {
  const { workerData, parentPort } = require('node:worker_threads');
  const now = () => Number(process.hrtime.bigint());
  while (now() < workerData.startNs) {
    // wait for the other spinner, so that both compete for the core from the same moment
  }
  const endNs = workerData.startNs + workerData.durationNs;
  const gaps = [];
  const runs = [];
  let runStartNs = now();
  let previousNs = runStartNs;
  for (;;) {
    const currentNs = now();
    if (currentNs - previousNs > workerData.gapNs) {
      gaps.push([previousNs, currentNs]);
      runs.push([runStartNs, previousNs]);
      runStartNs = currentNs;
    }
    previousNs = currentNs;
    if (currentNs >= endNs) break;
  }
  parentPort.postMessage({ gaps, runs });
}

// The core time lost at each hand-over between the two spinners. While spinner A waits
// through one gap, the core switches to B, B runs, and the core switches back: when exactly
// one whole run of B lies inside A's gap, (gap - run) / 2 is the time of one hand-over
// (the switch, and the kernel's tick work at that moment). On a busy machine a third
// process can take a turn inside the gap too; such a turn is a whole slice (milliseconds),
// so gaps with more than `MAX_HAND_OVER_NS` per hand-over are left out rather than counted.
const MAX_HAND_OVER_NS = 0.25e6;

function handOverTimes(spinners) {
  const times = [];
  for (const [index, waiting] of spinners.entries()) {
    const other = spinners[1 - index];
    for (const [gapStart, gapEnd] of waiting.gaps) {
      const inside = other.runs.filter(([start, end]) => start >= gapStart && end <= gapEnd);
      if (inside.length !== 1) continue;
      const [runStart, runEnd] = inside[0];
      const handOver = (gapEnd - gapStart - (runEnd - runStart)) / 2;
      if (handOver <= MAX_HAND_OVER_NS) times.push(handOver);
    }
  }
  return times;
}

// Child part: gaps, runs and hand-overs of two spinners sharing the process's core.
async function slicePart(quick) {
  const durationNs = (quick ? 0.3 : 2) * 1e9;
  const startNs = nowNs() + 100e6;
  const spinners = await Promise.all(
    [0, 1].map(
      () =>
        new Promise((resolve, reject) => {
          const worker = new Worker(`(${spinWorker})()`, {
            eval: true,
            workerData: { startNs, durationNs, gapNs: 0.5e6 },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const length = ([start, end]) => end - start;
  return {
    gaps: spinners.flatMap((spinner) => spinner.gaps.map(length)),
    // the first run starts whenever the thread got going, so it is no whole slice
    runs: spinners.flatMap((spinner) => spinner.runs.slice(1).map(length)),
    handOvers: handOverTimes(spinners),
  };
}

// Runs this file's slice part in a child process pinned to core 0 and parses its JSON.
function runPinnedSlicePart(quick) {
  const args = [__filename, '--part=slice', ...(quick ? ['--quick'] : [])];
  const output = execFileSync('taskset', ['-c', '0', process.execPath, ...args], {
    encoding: 'utf8',
  });
  return JSON.parse(output);
}

async function measure({ quick }) {
  const wakes = await measureWakes(quick);
  const wakeTwoCores = summarize(wakes.twoCores);
  const wakeOneCore = summarize(wakes.oneCore);
  const switchStats = summarize(wakes.differences);
  const slices = runPinnedSlicePart(quick);
  const gaps = summarize(slices.gaps);
  return [
    record(
      'atomics_wake_ns',
      'ns',
      wakeTwoCores,
      'Atomics.notify until Atomics.wait returns on the other thread: SAB ping-pong main<->worker on two cores, round trip / 2',
      { parameter: true },
    ),
    record(
      'atomics_wake_one_core_ns',
      'ns',
      wakeOneCore,
      'the same ping-pong with both threads pinned to core 0',
    ),
    record(
      'context_switch_ns',
      'ns',
      summarize(slices.handOvers),
      'two CPU-bound workers under taskset -c 0: (gap of one - the one run of the other inside it) / 2',
      {
        parameter: true,
        note: `${slices.handOvers.length} of ${gaps.n} gaps had one run of the other spinner and no third party inside`,
      },
    ),
    record(
      'context_switch_wake_difference_ns',
      'ns',
      switchStats,
      'per round: median one-core wake minus median two-core wake; n = rounds',
      {
        note:
          switchStats.median < 0
            ? 'negative: waking a thread on the other core costs more than switching this one'
            : '',
      },
    ),
    record(
      'time_slice_ns',
      'ns',
      summarize(slices.runs),
      'two CPU-bound workers under taskset -c 0: length of each uninterrupted run between two gaps (> 0.5 ms) in its loop',
      { parameter: true },
    ),
    record(
      'time_slice_gap_ns',
      'ns',
      gaps,
      'the same spinners: length of the gaps (the other spinner\'s turn, plus any other process\'s)',
      { note: `gaps per second per thread ${(gaps.n / 2 / (quick ? 0.3 : 2)).toFixed(1)}` },
    ),
  ];
}

module.exports = { measure };

const partArgument = process.argv.find((arg) => arg.startsWith('--part='));
if (require.main === module && partArgument) {
  const quick = process.argv.includes('--quick');
  const part = partArgument.slice('--part='.length);
  const parts = { slice: slicePart };
  parts[part](quick).then((result) => process.stdout.write(JSON.stringify(result) + '\n'));
} else {
  runAsMain(module, measure);
}
