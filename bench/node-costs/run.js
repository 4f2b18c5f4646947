// Measures the cost-model defaults of the simulated machine (issues 12 and 13) on real Node
// and prints them as a table and as one JSON object of parameters (medians, in ns, ns/byte
// or bytes) to paste into the CostModel. docs/costs.md says what each parameter means.
//
//   node bench/node-costs/run.js            all families, about a minute and a half
//   node bench/node-costs/run.js --quick    a smoke run in seconds (few samples)
//   node bench/node-costs/run.js --only=workers,memory
//
// Each family (workers, scheduling, memory, processes) runs in a fresh Node process, so one
// family's heap, threads and JIT state do not colour the next. The machine's load is taken
// before and after each family: a load above the core count means the numbers are inflated.
// NODE_EXTRA_CA_CERTS is removed from the families' environment (and so from every process
// they start): reading a CA bundle adds tens of milliseconds to each Node start-up and is no
// part of the costs measured here.
'use strict';
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const FAMILIES = ['workers', 'scheduling', 'memory', 'processes'];

function commandOutput(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return `(${command} unavailable)`;
  }
}

// The machine and its load, for the header.
function machineDescription() {
  return {
    node: process.version,
    nproc: commandOutput('nproc', []),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    kernel: `${os.type()} ${os.release()}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  };
}

function familyEnvironment() {
  const environment = { ...process.env };
  delete environment.NODE_EXTRA_CA_CERTS;
  return environment;
}

function runFamily(name, quick) {
  const script = path.join(__dirname, `${name}.js`);
  const output = execFileSync(process.execPath, [script, ...(quick ? ['--quick'] : [])], {
    encoding: 'utf8',
    env: familyEnvironment(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output);
}

// A value with a readable unit: 38.4 ms, 14.7 us, 41.0 MB, 0.95 ns/B.
function human(value, unit) {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  if (unit === 'ns') {
    const magnitude = Math.abs(value);
    if (magnitude >= 1e9) return `${(value / 1e9).toFixed(2)} s`;
    if (magnitude >= 1e6) return `${(value / 1e6).toFixed(2)} ms`;
    if (magnitude >= 1e3) return `${(value / 1e3).toFixed(2)} us`;
    return `${value.toFixed(0)} ns`;
  }
  if (unit === 'bytes') {
    if (Math.abs(value) >= 2 ** 20) return `${(value / 2 ** 20).toFixed(2)} MiB`;
    if (Math.abs(value) >= 2 ** 10) return `${(value / 2 ** 10).toFixed(1)} KiB`;
    return `${value.toFixed(0)} B`;
  }
  if (unit === 'ns/byte') return `${value.toFixed(3)} ns/B`;
  return `${value} ${unit}`;
}

function printTable(records) {
  const rows = records.map((r) => [
    `${r.parameter ? '*' : ' '} ${r.name}`,
    human(r.median, r.unit),
    human(r.p10, r.unit),
    human(r.p90, r.unit),
    String(r.n),
    r.method + (r.note ? ` [${r.note}]` : ''),
  ]);
  const header = ['  name', 'median', 'p10', 'p90', 'n', 'how'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells) =>
    cells
      .map((cell, column) =>
        column === 0 || column === cells.length - 1
          ? cell.padEnd(widths[column])
          : cell.padStart(widths[column]),
      )
      .join('  ')
      .trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

// The parameters as one JSON object: integers for ns and bytes, three decimals for ns/byte.
function parameterObject(records) {
  const parameters = {};
  for (const r of records.filter((r) => r.parameter)) {
    parameters[r.name] =
      r.unit === 'ns/byte' ? Math.round(r.median * 1000) / 1000 : Math.round(r.median);
  }
  return parameters;
}

function main() {
  const quick = process.argv.includes('--quick');
  const onlyArgument = process.argv.find((arg) => arg.startsWith('--only='));
  const families = onlyArgument ? onlyArgument.slice('--only='.length).split(',') : FAMILIES;
  for (const family of families) {
    if (!FAMILIES.includes(family)) {
      console.error(`unknown family ${family}; the families are ${FAMILIES.join(', ')}`);
      process.exit(2);
    }
  }

  const machine = machineDescription();
  const startedAt = new Date().toISOString();
  const uptimeBefore = commandOutput('uptime', []);
  console.log(`# node-costs ${quick ? '(quick: few samples, a smoke test only)' : ''}`);
  console.log(`date:    ${startedAt}`);
  console.log(`node:    ${machine.node}`);
  console.log(`nproc:   ${machine.nproc} (${machine.cpu}, ${machine.memory}, ${machine.kernel})`);
  console.log(`uptime:  ${uptimeBefore}`);
  if (process.env.NODE_EXTRA_CA_CERTS) console.log('env:     NODE_EXTRA_CA_CERTS removed');
  if (process.env.NODE_OPTIONS) console.log(`env:     NODE_OPTIONS=${process.env.NODE_OPTIONS}`);

  const records = [];
  const loads = [];
  for (const family of families) {
    const loadBefore = os.loadavg()[0];
    const startNs = process.hrtime.bigint();
    const familyRecords = runFamily(family, quick);
    const seconds = Number(process.hrtime.bigint() - startNs) / 1e9;
    const loadAfter = os.loadavg()[0];
    loads.push(`${family} ${loadBefore.toFixed(2)}->${loadAfter.toFixed(2)}`);
    console.error(`${family}: ${familyRecords.length} results in ${seconds.toFixed(1)} s`);
    records.push(...familyRecords);
  }

  console.log(`uptime after: ${commandOutput('uptime', [])}`);
  console.log(`1-min load before->after each family: ${loads.join(', ')}`);
  console.log('');
  console.log('(* = cost-model parameter; the others are cross-checks and the points of a fit)');
  printTable(records);
  console.log('');
  console.log('parameters (medians):');
  console.log(JSON.stringify(parameterObject(records), null, 2));
}

main();
