// Memory of a Node process and of its threads, on real Node:
// - process_rss_bytes and main_heap_bytes: process.memoryUsage().rss and .heapUsed read at the
//   top of a fresh `node -e` process (nothing else loaded);
// - thread_rss_bytes: how much the process's RSS grows per idle worker, starting 1, 2, 4
//   and 8 workers in a fresh process and fitting a line through growth vs count;
// - worker_heap_bytes: process.memoryUsage().heapUsed read at the top of a fresh worker (in a
//   worker it reports that worker's own V8 heap).
// Every sample comes from a new child process, so earlier samples leave nothing behind.
// Run alone: node bench/node-costs/memory.js [--quick]
'use strict';
const { execFileSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
const { summarize, fitLine, record, sleep, runAsMain } = require('./common');

// How long the process sits idle before RSS is read, so that start-up work settles.
const SETTLE_MS = 100;

// Child part: RSS before and after starting `count` idle workers, and each worker's heap.
async function threadsPart(count) {
  await sleep(SETTLE_MS);
  const rssBefore = process.memoryUsage.rss();
  const code = [
    "const { parentPort } = require('node:worker_threads');",
    'parentPort.postMessage(process.memoryUsage().heapUsed);',
    // stay alive and idle until the main thread closes the port
    "parentPort.on('message', () => {});",
  ].join('\n');
  const workers = [];
  const heaps = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const worker = new Worker(code, { eval: true });
          workers.push(worker);
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  await sleep(SETTLE_MS);
  const rssAfter = process.memoryUsage.rss();
  await Promise.all(workers.map((worker) => worker.terminate()));
  return { growth: rssAfter - rssBefore, heaps };
}

// Runs this file's threads part in a new process and parses its JSON.
function runThreadsPart(count) {
  const output = execFileSync(process.execPath, [__filename, `--threads=${count}`], {
    encoding: 'utf8',
  });
  return JSON.parse(output);
}

// Memory usage at the top of a new `node -e` process.
function freshProcessUsage() {
  const script = 'process.stdout.write(JSON.stringify(process.memoryUsage()))';
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

async function measure({ quick }) {
  const processSamples = Array.from({ length: quick ? 3 : 15 }, freshProcessUsage);

  const counts = quick ? [1, 2] : [1, 2, 4, 8];
  const repeats = quick ? 1 : 5;
  const growthPoints = [];
  const workerHeaps = [];
  const perWorkerByCount = {};
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const count of counts) {
      const { growth, heaps } = runThreadsPart(count);
      growthPoints.push({ count, growth });
      workerHeaps.push(...heaps);
      (perWorkerByCount[count] ??= []).push(growth / count);
    }
  }
  const fit = fitLine(
    growthPoints.map((point) => point.count),
    growthPoints.map((point) => point.growth),
  );

  return [
    record(
      'process_rss_bytes',
      'bytes',
      summarize(processSamples.map((usage) => usage.rss)),
      'process.memoryUsage().rss at the top of a fresh node -e process',
      { parameter: true },
    ),
    record(
      'main_heap_bytes',
      'bytes',
      summarize(processSamples.map((usage) => usage.heapUsed)),
      'process.memoryUsage().heapUsed at the top of a fresh node -e process',
      { parameter: true },
    ),
    record(
      'thread_rss_bytes',
      'bytes',
      { median: fit.slope, p10: NaN, p90: NaN, n: growthPoints.length },
      `least squares slope of RSS growth vs idle workers started (${counts.join(', ')}), one fresh process per point`,
      {
        parameter: true,
        note: `intercept ${Math.round(fit.intercept)} bytes, r2 ${fit.r2.toFixed(3)}`,
      },
    ),
    ...counts.map((count) =>
      record(
        `thread_rss_per_worker@${count}`,
        'bytes',
        summarize(perWorkerByCount[count]),
        `RSS growth / ${count} after starting ${count} idle workers`,
      ),
    ),
    record(
      'worker_heap_bytes',
      'bytes',
      summarize(workerHeaps),
      'process.memoryUsage().heapUsed at the top of a fresh worker',
      { parameter: true },
    ),
  ];
}

module.exports = { measure };

const threadsArgument = process.argv.find((arg) => arg.startsWith('--threads='));
if (require.main === module && threadsArgument) {
  threadsPart(Number(threadsArgument.slice('--threads='.length))).then((result) =>
    process.stdout.write(JSON.stringify(result) + '\n'),
  );
} else {
  runAsMain(module, measure);
}
