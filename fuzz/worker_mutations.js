// Mutation fuzzing of worker_threads programs: no panic, no hang.
//
// Takes the programs of a directory (e.g. the workers family written by
// `cargo run -p looplab-cli --release --example progen-dump -- DIR --family workers`), mutates
// them line by line (drop, duplicate, swap two lines, cut a line in half, replace a number,
// insert a worker-related statement), and runs every mutant with `looplab run` under small
// budgets. A run must end by itself (the simulator stops hangs and budgets with its own
// messages) and never report an internal error (exit code 70).
//
// Usage: node fuzz/worker_mutations.js DIR [--runs N] [--seed S] [--bin target/release/looplab]
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const { spawnSync } = require('child_process');

const args = process.argv.slice(2);
const dir = args[0];
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('--runs', '2000'));
let seed = Number(opt('--seed', '1')) >>> 0 || 1;
const bin = opt('--bin', 'target/release/looplab');
const random = () => {
  // xorshift32: the same seed gives the same mutants
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
};
const pick = (xs) => xs[Math.floor(random() * xs.length)];

const files = [];
for (const d of fs.readdirSync(dir)) {
  const p = path.join(dir, d);
  if (fs.statSync(p).isDirectory()) {
    for (const f of fs.readdirSync(p)) if (f.endsWith('.js')) files.push(path.join(p, f));
  } else if (d.endsWith('.js')) files.push(p);
}
if (files.length === 0) throw new Error('no .js programs in ' + dir);

const inserts = [
  "new (require('worker_threads').Worker)(__filename);",
  "new (require('worker_threads').Worker)('while (true) {}', { eval: true });",
  "require('worker_threads').parentPort && require('worker_threads').parentPort.postMessage(() => 1);",
  "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);",
  "process.exit(3);",
  "throw new Error('boom');",
  "setTimeout(() => {}, 1e9);",
  "new (require('worker_threads').MessageChannel)().port1.postMessage(new ArrayBuffer(8), []);",
  "for (let i = 0; i < 100; i++) new (require('worker_threads').Worker)('1', { eval: true });",
];
function mutate(src) {
  const lines = src.split('\n');
  const n = 1 + Math.floor(random() * 3);
  for (let k = 0; k < n && lines.length > 1; k++) {
    const i = Math.floor(random() * lines.length);
    const j = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 6)) {
      case 0: lines.splice(i, 1); break;
      case 1: lines.splice(i, 0, lines[j]); break;
      case 2: [lines[i], lines[j]] = [lines[j], lines[i]]; break;
      case 3: lines[i] = lines[i].slice(0, Math.floor(lines[i].length / 2)); break;
      case 4: lines[i] = lines[i].replace(/\d+/, String(pick([0, -1, 1e9, 65, 3.5]))); break;
      default: lines.splice(i, 0, pick(inserts));
    }
  }
  return lines.join('\n');
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'looplab-fuzz-workers-'));
const counts = { runs: 0, exit: {}, internal: 0, hang: 0 };
const started = Date.now();
for (let r = 0; r < runs; r++) {
  const src = mutate(fs.readFileSync(pick(files), 'utf8'));
  const file = path.join(work, 'mutant.js');
  fs.writeFileSync(file, src);
  const res = spawnSync(bin, ['run', '--budget', '20000000', '--heap-budget', '2000000', file], {
    timeout: 20000,
    encoding: 'utf8',
  });
  counts.runs++;
  if (res.error || res.status === null) {
    counts.hang++;
    fs.writeFileSync(path.join(work, `hang_${r}.js`), src);
    continue;
  }
  counts.exit[res.status] = (counts.exit[res.status] || 0) + 1;
  if (res.status === 70) {
    counts.internal++;
    fs.writeFileSync(path.join(work, `internal_${r}.js`), src);
  }
}
const secs = (Date.now() - started) / 1000;
console.log(JSON.stringify({ ...counts, seconds: secs, per_second: +(counts.runs / secs).toFixed(1), kept: work }));
process.exit(counts.internal || counts.hang ? 1 : 0);
