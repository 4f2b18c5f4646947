// Shared helpers for the node-costs measuring scripts: clocks, order statistics, a
// least-squares line fit, and the result records every family script returns.
//
// A family script (workers.js, scheduling.js, memory.js, processes.js) exports
// `measure({ quick })`, which resolves to a list of result records, and calls `runAsMain`
// so that it can also be run alone: `node bench/node-costs/workers.js [--quick]` prints its
// records as JSON. `run.js` starts each family in a fresh process and formats the records.
'use strict';

// Nanoseconds on the monotonic clock (CLOCK_MONOTONIC through libuv). The clock is the same
// for every thread and every process of the machine, so a time taken in a worker or in a
// child process can be subtracted from one taken in the parent.
function nowNs() {
  return Number(process.hrtime.bigint());
}

// The q-quantile (0..1) of a list of numbers, linear between the two nearest ranks.
function quantile(sortedValues, q) {
  if (sortedValues.length === 0) return NaN;
  const position = (sortedValues.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const weight = position - below;
  return sortedValues[below] * (1 - weight) + sortedValues[above] * weight;
}

// Median, 10th and 90th percentile and the count of a list of samples.
function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
    n: sorted.length,
  };
}

// Ordinary least squares for y = intercept + slope * x. Also returns r2, the share of the
// variance of y the line explains (1 is a perfect line).
function fitLine(xs, ys) {
  const n = xs.length;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < n; i++) {
    covariance += (xs[i] - meanX) * (ys[i] - meanY);
    varianceX += (xs[i] - meanX) ** 2;
    varianceY += (ys[i] - meanY) ** 2;
  }
  const slope = covariance / varianceX;
  const intercept = meanY - slope * meanX;
  const r2 = varianceY === 0 ? 1 : (covariance * covariance) / (varianceX * varianceY);
  return { slope, intercept, r2 };
}

// A result record. `parameter: true` marks a cost-model default (its median goes into the
// JSON object run.js prints); the others are cross-checks and the points behind a fit.
// `stats` is the output of summarize(), or for a fitted value { median, p10, p90, n } where
// p10/p90 are the slopes fitted through the per-size p10 and p90 times (see fitRecord).
function record(name, unit, stats, method, { parameter = false, note = '' } = {}) {
  return { name, unit, parameter, method, note, ...stats };
}

// Fits base + perByte * size through per-size samples. `points` is a list of
// { bytes, samples } (samples in ns). Returns the fit of the medians and a record-ready
// stats object whose p10/p90 are the slopes through the per-size p10s and p90s.
function fitPerByte(points) {
  const sizes = points.map((point) => point.bytes);
  const summaries = points.map((point) => summarize(point.samples));
  const medianFit = fitLine(sizes, summaries.map((s) => s.median));
  const p10Fit = fitLine(sizes, summaries.map((s) => s.p10));
  const p90Fit = fitLine(sizes, summaries.map((s) => s.p90));
  return {
    fit: medianFit,
    summaries,
    slopeStats: {
      median: medianFit.slope,
      p10: p10Fit.slope,
      p90: p90Fit.slope,
      n: summaries.reduce((sum, s) => sum + s.n, 0),
    },
  };
}

// Records for each size of a per-byte fit (the points the line went through).
function pointRecords(prefix, points, summaries, method) {
  return points.map((point, i) =>
    record(`${prefix}@${formatBytes(point.bytes)}`, 'ns', summaries[i], method),
  );
}

function formatBytes(bytes) {
  if (bytes >= 1 << 20) return `${+(bytes / (1 << 20)).toFixed(1)}MB`;
  if (bytes >= 1 << 10) return `${+(bytes / (1 << 10)).toFixed(1)}KB`;
  return `${bytes}B`;
}

// Resolves after `ms` milliseconds.
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Runs `count` samples of an async measurement one after the other, after `warmup` runs
// whose results are thrown away. `measureOnce` resolves to one number (or an object, kept
// as is).
async function collect(count, warmup, measureOnce) {
  for (let i = 0; i < warmup; i++) await measureOnce(i);
  const samples = [];
  for (let i = 0; i < count; i++) samples.push(await measureOnce(i));
  return samples;
}

// When a family script is run directly, measure and print its records as JSON.
function runAsMain(module, measure) {
  if (require.main !== module) return;
  const quick = process.argv.includes('--quick');
  measure({ quick }).then(
    (records) => {
      process.stdout.write(JSON.stringify(records) + '\n');
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

module.exports = {
  nowNs,
  quantile,
  summarize,
  fitLine,
  fitPerByte,
  record,
  pointRecords,
  formatBytes,
  sleep,
  collect,
  runAsMain,
};
