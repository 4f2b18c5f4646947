// End-to-end tests of a playground project of several files (web/src/playground/project.rs,
// components/files.rs) and of the run settings (cores and the cost model): a project made in the
// editor with file tabs prints what `node main.js` prints for the same files; it survives a
// reload (from localStorage and from the URL) and a copied link opened in a fresh browser
// context; bad project links say why and lose nothing; a CPU-bound two-worker program's virtual
// time drops from 1 core to 4; absurd settings are clamped with a message. No main-thread long
// task (> 50 ms). Screenshots of the project in light and dark, desktop and phone go to
// artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  serveDist, launchBrowser, openPage, screenshot, assertNoLongTasks,
  settledConsole, consoleLines, typeCode, openLink, codeShown,
} from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await serveDist({ isolated: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// The project: main.js reads a data file, starts a worker thread and then forks a child process.
const PROJECT = {
  'main.js': `const { Worker } = require('worker_threads');
const { fork } = require('child_process');
const fs = require('fs');

console.log('data:', fs.readFileSync('./data.txt', 'utf8').trim());
const worker = new Worker('./worker.js', { workerData: 100 });
worker.on('message', (sum) => {
  console.log('the worker summed', sum);
  const child = fork('./child.js');
  child.on('message', (m) => console.log('the child says', m));
  child.on('exit', (code) => console.log('the child exited with', code));
});
console.log('main: waiting');
`,
  'worker.js': `const { parentPort, workerData } = require('worker_threads');
let sum = 0;
for (let i = 1; i <= workerData; i++) sum += i;
parentPort.postMessage(sum);
`,
  'child.js': `process.send({ hello: 'from the child', argv: process.argv.length });
process.disconnect();
`,
  'data.txt': 'forty-two\n',
};

/** What `node main.js` prints for `files`, run in a folder of its own, line by line per stream. */
function nodeLines(files) {
  const dir = mkdtempSync(join(tmpdir(), 'looplab-project-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const { stdout, stderr, status } = spawnSync('node', ['main.js'], { cwd: dir, encoding: 'utf8', env });
  assert.equal(status, 0, stderr);
  const split = (text) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
  return { stdout: split(stdout), stderr: split(stderr) };
}

/** Waits until the page's finished run printed `expected` (a run of older code may finish first). */
async function consoleBecomes(page, expected, label) {
  const deadline = Date.now() + 60_000;
  let shown;
  while (Date.now() < deadline) {
    shown = await settledConsole(page);
    if (JSON.stringify(shown) === JSON.stringify(expected)) return;
    await page.waitForTimeout(250);
  }
  assert.deepEqual(shown, expected, label);
}

const tabNames = (page) => page.$$eval('[data-testid="file-tab"]', (tabs) => tabs.map((t) => t.dataset.file));

/** Adds a file with the "+ File" button, names it, and types its text. */
async function addFile(page, name, text) {
  await page.click('[data-testid="add-file"]');
  await page.waitForSelector('[data-testid="file-name"]:focus');
  // The proposed name is selected: typing replaces it.
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-testid="file-tab"][data-file="${name}"] [aria-current="true"]`);
  await typeCode(page, text);
}

/** The long tasks collected on this page so far (a navigation starts a new list). */
const longTasksSoFar = (page) => page.evaluate(() => window.__longTasks ?? []);

/** Starts collecting main-thread long tasks (> 50 ms); the page's first load is not counted. */
async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: false });
  });
}

test('a project made with file tabs runs like node, survives a reload and a copied link', async (t) => {
  const expected = nodeLines(PROJECT);
  assert.deepEqual(expected.stdout[0], 'data: forty-two');
  const { context, page, problems } = await openPage(browser, `${server.url}#ex=sync-async`);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  await settledConsole(page);
  await codeShown(page);
  await page.waitForTimeout(1000);
  await watchLongTasks(page);
  assert.deepEqual(await tabNames(page), ['main.js'], 'one file to start with');
  // main.js runs (marked), cannot be deleted; new files are named and typed into.
  assert.equal(await page.getAttribute('[data-testid="file-tab"][data-file="main.js"]', 'data-main'), 'true');
  assert.equal(await page.$('[data-testid="file-delete"]'), null);
  await typeCode(page, PROJECT['main.js']);
  for (const name of ['worker.js', 'child.js', 'data.txt']) await addFile(page, name, PROJECT[name]);
  assert.deepEqual(await tabNames(page), ['main.js', 'child.js', 'data.txt', 'worker.js']);
  await consoleBecomes(page, expected, 'the project as node runs it');
  // Every tab shows its own text.
  const editorText = () => page.$$eval('.cm-line', (l) => l.map((x) => x.textContent).join('\n'));
  const showsText = (want) => page.waitForFunction((want) => [...document.querySelectorAll('.cm-line')]
    .map((l) => l.textContent).join('\n') === want, want, { timeout: 10_000 });
  for (const name of ['worker.js', 'data.txt', 'main.js']) {
    await page.click(`[data-testid="file-tab"][data-file="${name}"] .pg-file-name`);
    await showsText(PROJECT[name]);
  }
  // Undo is per file: an edit to worker.js survives a visit to main.js, and Ctrl+Z back on
  // worker.js takes it out again (main.js stays as it was).
  await page.click('[data-testid="file-tab"][data-file="worker.js"] .pg-file-name');
  await page.click('.cm-content');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('// edited');
  await showsText(PROJECT['worker.js'] + '// edited');
  await page.click('[data-testid="file-tab"][data-file="main.js"] .pg-file-name');
  await showsText(PROJECT['main.js']);
  await page.click('[data-testid="file-tab"][data-file="worker.js"] .pg-file-name');
  await showsText(PROJECT['worker.js'] + '// edited');
  await page.click('.cm-content');
  await page.keyboard.press('Control+z');
  await showsText(PROJECT['worker.js']);
  await page.click('[data-testid="file-tab"][data-file="main.js"] .pg-file-name');
  assert.equal(await editorText(), PROJECT['main.js']);
  await consoleBecomes(page, expected, 'after undoing the edit');
  // The link carries the whole project.
  await page.waitForFunction(() => location.hash.startsWith('#project='));
  await screenshot(page, 'playground-project-desktop');

  // Reload from storage (no fragment), then from the URL.
  const longTasks = await longTasksSoFar(page);
  await page.waitForFunction(() => localStorage.getItem('looplab.playground.project')?.includes('child.js'));
  await openLink(page, server.url);
  await consoleBecomes(page, expected, 'after a reload from localStorage');
  assert.deepEqual(await tabNames(page), ['main.js', 'child.js', 'data.txt', 'worker.js']);
  await page.reload();
  await consoleBecomes(page, expected, 'after a reload of the link');
  await page.waitForTimeout(1000);
  await watchLongTasks(page);

  // Copy the link; open it in a fresh context (no storage).
  await page.click('[data-testid="copy-link"]');
  await page.waitForSelector('[data-testid="notice"]');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#project=/);
  // A new browser context: nothing stored, the link alone.
  const fresh = await openPage(browser, link);
  await consoleBecomes(fresh.page, expected, 'the copied link in a fresh context');
  assert.deepEqual(await tabNames(fresh.page), ['main.js', 'child.js', 'data.txt', 'worker.js']);
  assert.deepEqual(fresh.problems, []);
  await fresh.context.close();

  // Rename and delete: the program follows (a missing data.txt is node's ENOENT, reported).
  await page.click('[data-testid="file-tab"][data-file="data.txt"] .pg-file-name');
  await page.click('[data-testid="file-rename"]');
  await page.keyboard.type('renamed.txt');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="file-tab"][data-file="renamed.txt"]');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="console-line"]')]
    .some((l) => l.textContent.includes('ENOENT')), null, { timeout: 30_000 });
  await page.click('[data-testid="file-delete"]');
  await page.click('[data-testid="file-delete-confirm"]');
  await page.waitForFunction(() => !document.querySelector('[data-file="renamed.txt"]'));
  assert.deepEqual(await tabNames(page), ['main.js', 'child.js', 'worker.js']);
  // A bad name is refused with a message; the file keeps its name.
  await page.click('[data-testid="file-tab"][data-file="child.js"] .pg-file-name');
  await page.click('[data-testid="file-rename"]');
  await page.keyboard.type('../up.js');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="notice"]');
  assert.match(await page.textContent('[data-testid="notice"]'), /not a path inside the project/);
  assert.deepEqual(await tabNames(page), ['main.js', 'child.js', 'worker.js']);

  longTasks.push(...(await longTasksSoFar(page)));
  await assertNoLongTasks(t, longTasks, assert);
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad project links say why and keep the project stored here', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  // Something to keep.
  await typeCode(page, "console.log('kept');\n");
  await consoleBecomes(page, { stdout: ['kept'], stderr: [] });
  await page.waitForFunction(() => localStorage.getItem('looplab.playground.code')?.includes('kept'));
  const b64 = (text) => Buffer.from(text).toString('base64url');
  const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`f${i}.js`, '']));
  for (const [value, why] of [
    ['not*base64', /'\*' at position 4/],
    [b64('{"files": '), /not valid JSON/],
    [b64('{"files": {"worker.js": ""}}'), /no "main"/],
    [b64('{"files": {"a.js": ""}, "main": "b.js"}'), /"b\.js" is not one of/],
    [b64(JSON.stringify({ files: many, main: 'f0.js' })), /1000 files/],
  ]) {
    await openLink(page, `${server.url}#project=${value}&cores=2`);
    await page.waitForSelector('[data-testid="notice"]');
    const notice = await page.textContent('[data-testid="notice"]');
    assert.match(notice, why);
    assert.match(notice, /Showing your last code instead/);
    assert.deepEqual(await tabNames(page), ['main.js']);
    await consoleBecomes(page, { stdout: ['kept'], stderr: [] }, value.slice(0, 20));
  }
  // The issue's own form, written by hand with btoa (standard alphabet, padded), works.
  const json = JSON.stringify({ files: { 'main.js': "console.log(require('fs').readFileSync('./a.txt', 'utf8'))", 'a.txt': 'from a.txt' }, main: 'main.js' });
  await openLink(page, `${server.url}#project=${Buffer.from(json).toString('base64')}`);
  await consoleBecomes(page, { stdout: ['from a.txt'], stderr: [] });
  assert.deepEqual(await tabNames(page), ['main.js', 'a.txt']);
  // Older one-file links still open.
  await openLink(page, `${server.url}#code=${b64("console.log('one file')")}`);
  await consoleBecomes(page, { stdout: ['one file'], stderr: [] });
  assert.deepEqual(await tabNames(page), ['main.js']);
  assert.deepEqual(problems, []);
  await context.close();
});

// Two workers, each a CPU-bound loop of about the same length.
const TWO_WORKERS = {
  'main.js': `const { Worker } = require('worker_threads');
const started = Date.now();
let done = 0;
for (const name of ['a', 'b']) {
  new Worker('./spin.js', { workerData: name }).on('message', (m) => {
    console.log(m);
    if (++done === 2) console.log('both done');
  });
}
`,
  'spin.js': `const { parentPort, workerData } = require('worker_threads');
let x = 0;
for (let i = 0; i < 300000; i++) x = (x + i * 7) % 1000003;
parentPort.postMessage(workerData + ' finished');
`,
};

test('cores 1 -> 4: a CPU-bound two-worker program takes less virtual time; absurd settings are clamped', async (t) => {
  const project = { files: TWO_WORKERS, main: 'main.js' };
  const link = `${server.url}#project=${Buffer.from(JSON.stringify(project)).toString('base64url')}&cores=1`;
  const { context, page, problems } = await openPage(browser, link);
  const virtualNs = async () => Number(await page.getAttribute('[data-testid="run-status"]', 'data-virtual-ns'));
  await settledConsole(page);
  await page.waitForTimeout(1000);
  await watchLongTasks(page);
  await page.click('.pg-settings summary');
  assert.equal(await page.inputValue('[data-testid="setting-cores"]'), '1');
  const lines = (await consoleLines(page)).stdout;
  assert.deepEqual([...lines].sort(), ['a finished', 'b finished', 'both done'].sort());
  const oneCore = await virtualNs();
  assert.match(await page.textContent('[data-testid="virtual-time"]'), /of virtual time/);
  await page.fill('[data-testid="setting-cores"]', '4');
  await page.press('[data-testid="setting-cores"]', 'Enter');
  // 4 is the default: the key leaves the link.
  await page.waitForFunction(() => !/[#&]cores=/.test(location.hash));
  await page.waitForFunction((before) => Number(document.querySelector('[data-testid="run-status"]')?.dataset.virtualNs) !== before,
    oneCore, { timeout: 60_000 });
  await settledConsole(page);
  const fourCores = await virtualNs();
  t.diagnostic(`virtual time: 1 core ${oneCore / 1e6} ms, 4 cores ${fourCores / 1e6} ms`);
  // The two loops ran side by side instead of taking turns on one core.
  assert.ok(fourCores < 0.8 * oneCore, `1 core ${oneCore} ns, 4 cores ${fourCores} ns`);
  // Out of range: clamped, said, and the field shows what is used.
  await page.fill('[data-testid="setting-cores"]', '1000');
  await page.press('[data-testid="setting-cores"]', 'Enter');
  await page.waitForSelector('[data-testid="notice"]');
  assert.match(await page.textContent('[data-testid="notice"]'), /Cores \(cores=1000\) is out of range \(1–64\): using 64/);
  assert.equal(await page.inputValue('[data-testid="setting-cores"]'), '64');
  await page.waitForFunction(() => /[#&]cores=64(&|$)/.test(location.hash));
  // The cost model's knobs reach the run: a slower worker start shows in the virtual time.
  await settledConsole(page);
  const before = await virtualNs();
  await page.fill('[data-testid="setting-wstart"]', '500000');
  await page.press('[data-testid="setting-wstart"]', 'Enter');
  await page.waitForFunction(() => /[#&]wstart=500000(&|$)/.test(location.hash));
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid="run-status"]')?.dataset.virtualNs) > b + 400e6,
    before, { timeout: 60_000 });
  const longTasks = await longTasksSoFar(page);
  // A link with absurd settings opens clamped, with a message.
  await openLink(page, `${server.url}#code=${Buffer.from('console.log(1)').toString('base64url')}&cores=0&pool=9999&ipc=abc`);
  await page.waitForSelector('[data-testid="notice"]');
  const notice = await page.textContent('[data-testid="notice"]');
  assert.match(notice, /cores=0\) is out of range \(1–64\): using 1/);
  assert.match(notice, /pool=9999\) is out of range \(1–128\): using 128/);
  assert.match(notice, /ipc=abc\) is not a whole number: ignored/);
  await page.click('.pg-settings summary');
  assert.equal(await page.inputValue('[data-testid="setting-cores"]'), '1');
  await assertNoLongTasks(t, longTasks, assert);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the project in light and dark, desktop and phone (screenshots), no sideways scrolling', async () => {
  const project = { files: { ...PROJECT }, main: 'main.js' };
  const link = `${server.url}#project=${Buffer.from(JSON.stringify(project)).toString('base64url')}`;
  const expected = nodeLines(PROJECT);
  for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    for (const scheme of ['light', 'dark']) {
      const { context, page, problems } = await openPage(browser, link, { viewport, colorScheme: scheme });
      await consoleBecomes(page, expected, `${label} ${scheme}`);
      await page.click('[data-testid="file-tab"][data-file="worker.js"] .pg-file-name');
      await page.click('.pg-settings summary');
      await page.waitForTimeout(200);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${label} ${scheme}: the page scrolls sideways by ${overflow}px`);
      await screenshot(page, `playground-project-${label}-${scheme}`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});
