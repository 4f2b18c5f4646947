// Costs of child processes on real Node (issue 13): spawning, forking, exec, IPC messages,
// and a child's exit. Parameters: process_start_ns, fork_start_ns, exec_ns,
// ipc_message_base_ns, ipc_byte_ns, process_exit_ns. A child's times are taken on the
// monotonic clock, which all processes of the machine share, so the parent can subtract
// them from its own. Run alone: node bench/node-costs/processes.js [--quick]
'use strict';
const path = require('node:path');
const { spawn, fork, exec } = require('node:child_process');
const {
  nowNs,
  summarize,
  fitPerByte,
  record,
  pointRecords,
  formatBytes,
  collect,
  runAsMain,
} = require('./common');

const KB = 1024;
const MB = 1024 * 1024;
const CHILD = path.join(__dirname, 'ipc-child.js');

// spawn(node, ['-e', '0']): times to its `spawn` event and to its `exit` event.
function spawnOnce() {
  return new Promise((resolve, reject) => {
    let spawnedNs = NaN;
    const startNs = nowNs();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.once('spawn', () => {
      spawnedNs = nowNs();
    });
    child.once('error', reject);
    child.once('exit', () => resolve({ spawned: spawnedNs - startNs, exited: nowNs() - startNs }));
  });
}

// Forks ipc-child.js and resolves when its first message arrives, with the time it took and
// the child (still running).
function forkChild() {
  return new Promise((resolve, reject) => {
    const startNs = nowNs();
    const child = fork(CHILD, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('message', () => resolve({ elapsedNs: nowNs() - startNs, child }));
  });
}

// Asks a forked child to exit; resolves to the time from its process.exit() call (the stamp
// it writes to stdout) to the parent's `exit` event.
function exitChild(child) {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    let exitedNs = NaN;
    child.once('exit', () => {
      exitedNs = nowNs();
    });
    // `close` comes after both the exit and the end of stdout
    child.once('close', () => {
      const stampNs = Number(output.trim());
      if (!Number.isFinite(stampNs)) reject(new Error(`no exit stamp from child: ${output}`));
      else resolve(exitedNs - stampNs);
    });
    child.send({ kind: 'exit' });
  });
}

// exec('echo hi') until its callback.
function execOnce() {
  return new Promise((resolve, reject) => {
    const startNs = nowNs();
    exec('echo hi', (error) => (error ? reject(error) : resolve(nowNs() - startNs)));
  });
}

// Sends `message` to a forked child and resolves to its answer.
function request(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

// An array of small objects with string fields whose JSON is about `bytes` bytes long.
function jsonPayload(bytes) {
  const build = (count) =>
    Array.from({ length: count }, (_, i) => ({
      name: `customer-${String(i).padStart(6, '0')}`,
      city: i % 2 ? 'Springfield' : 'Shelbyville',
      status: i % 3 ? 'active' : 'paused',
    }));
  const perRecord = JSON.stringify(build(1000)).length / 1000;
  return build(Math.max(1, Math.round(bytes / perRecord)));
}

async function measure({ quick }) {
  const records = [];
  const quickCount = quick ? 5 : 25;
  const quickWarmup = quick ? 1 : 3;

  const spawns = await collect(quickCount, quickWarmup, spawnOnce);
  records.push(
    record(
      'process_start_ns',
      'ns',
      summarize(spawns.map((s) => s.spawned)),
      "spawn(process.execPath, ['-e', '0']) until its spawn event",
      { parameter: true },
    ),
    record(
      'process_start_to_exit_ns',
      'ns',
      summarize(spawns.map((s) => s.exited)),
      "spawn(process.execPath, ['-e', '0']) until its exit event (a whole empty node run)",
    ),
  );

  const forkTimes = [];
  const exitTimes = [];
  for (let i = 0; i < quickWarmup + quickCount; i++) {
    const { elapsedNs, child } = await forkChild();
    const exitNs = await exitChild(child);
    if (i < quickWarmup) continue;
    forkTimes.push(elapsedNs);
    exitTimes.push(exitNs);
  }
  records.push(
    record(
      'fork_start_ns',
      'ns',
      summarize(forkTimes),
      'fork(child.js) until the IPC message the child sends at the top of its script',
      { parameter: true },
    ),
    record(
      'process_exit_ns',
      'ns',
      summarize(exitTimes),
      "forked child's process.exit() until the parent's exit event",
      { parameter: true },
    ),
  );

  records.push(
    record(
      'exec_ns',
      'ns',
      summarize(await collect(quickCount, quickWarmup, execOnce)),
      "exec('echo hi') until its callback",
      { parameter: true },
    ),
  );

  const { child } = await forkChild();
  const roundTrips = await collect(quick ? 100 : 2000, quick ? 20 : 200, async (i) => {
    const sentNs = nowNs();
    await request(child, { kind: 'ping', i });
    return nowNs() - sentNs;
  });
  records.push(
    record(
      'ipc_message_base_ns',
      'ns',
      summarize(roundTrips.map((ns) => ns / 2)),
      'IPC ping-pong of a tiny JSON object with a forked child: round trip / 2',
      { parameter: true },
    ),
  );

  const sizes = quick
    ? [1 * KB, 64 * KB, 256 * KB]
    : [1 * KB, 16 * KB, 64 * KB, 256 * KB, 1 * MB, 4 * MB];
  const points = [];
  for (const size of sizes) {
    const data = jsonPayload(size);
    const message = { kind: 'payload', data };
    const bytes = JSON.stringify(message).length;
    const big = size >= 1 * MB;
    const samples = await collect(quick ? 5 : big ? 10 : 25, quick || big ? 1 : 3, async () => {
      const sentNs = nowNs();
      const arrivedNs = await request(child, message);
      return arrivedNs - sentNs;
    });
    points.push({ bytes, samples });
  }
  const fitted = fitPerByte(points);
  records.push(
    ...pointRecords(
      'ipc_json',
      points,
      fitted.summaries,
      'one-way IPC send of an array of string-field objects, size = JSON length',
    ),
    record(
      'ipc_byte_ns',
      'ns/byte',
      fitted.slopeStats,
      `least squares slope of one-way IPC time vs JSON size, ${points.length} sizes ${formatBytes(sizes[0])}..${formatBytes(sizes[sizes.length - 1])}`,
      {
        parameter: true,
        note: `base ${Math.round(fitted.fit.intercept)} ns, r2 ${fitted.fit.r2.toFixed(4)}`,
      },
    ),
  );
  await exitChild(child);
  return records;
}

module.exports = { measure };
runAsMain(module, measure);
