// End-to-end tests of the playground on a phone (390×844): the step's panes become tabs (the
// WAI-ARIA tabs pattern). The tablist shows, one panel at a time; clicks and the arrow keys,
// Home and End switch tabs (without stepping the trace) and Tab moves on into the panel; each
// tab's badge counts what its pane lists, on known steps, and tabs whose pane changed since the
// step shown before are marked; narration, stepping controls and the
// console stay in view; nothing scrolls sideways. Screenshots in light and dark go to
// artifacts/. At 1280 px there is no tablist, and resizing the window switches between the two.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  serveDist, launchBrowser, openPage, screenshot, EXAMPLES_DIR, ensureLooplab, looplabTrace, settledConsole,
  consoleLines,
} from './harness.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const TABS = ['loop', 'stack', 'nexttick', 'microtasks', 'immediates', 'timers', 'io', 'promises'];

let server;
let browser;

before(async () => {
  ensureLooplab();
  server = await serveDist({ isolated: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function atStep(page, step) {
  await page.waitForSelector(`[data-testid="panes"][data-step="${step}"]`, { timeout: 20_000 });
}

/** Each tab's badge (0 when it has none), by tab. */
function badges(page) {
  return page.$$eval('[role="tab"]', (tabs) => Object.fromEntries(tabs.map((t) =>
    [t.dataset.tab, Number(t.querySelector('[data-testid="tab-count"]')?.textContent ?? 0)])));
}

/** What each pane lists (read from the panes themselves, shown or hidden), by tab. */
function paneCounts(page) {
  return page.evaluate(() => {
    const n = (selector) => document.querySelectorAll(selector).length;
    return {
      loop: 0,
      stack: n('[data-testid="call-stack"] > li'),
      nexttick: n('[data-testid="nexttick-queue"] > .pg-job'),
      microtasks: n('[data-testid="microtask-queue"] > .pg-job'),
      immediates: n('[data-testid="immediate-queue"] > .pg-job'),
      timers: n('[data-testid="timers"] > .pg-job'),
      io: n('[data-testid="pending-io"] > .pg-job'),
      promises: Number(document.querySelector('[data-testid="promises"]').dataset.count),
    };
  });
}

/** The selected tab: [its data-tab, the id of the panel it controls]. */
function selected(page) {
  return page.$eval('[role="tab"][aria-selected="true"]', (t) => [t.dataset.tab, t.getAttribute('aria-controls')]);
}

/** Which panels are shown. */
function shownPanels(page) {
  return page.$$eval('[role="tabpanel"]', (panels) => panels.filter((p) => p.checkVisibility()).map((p) => p.id));
}

const noSidewaysScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth);

test('on a phone the panes are tabs: click, arrow keys, Home/End, badges, no sideways scrolling', async () => {
  for (const scheme of ['light', 'dark']) {
    const { context, page, problems } = await openPage(browser, `${server.url}#ex=queues&step=24`, { viewport: PHONE, colorScheme: scheme });
    await settledConsole(page);
    await atStep(page, 24);
    assert.ok(await page.isVisible('[role="tablist"]'));
    assert.deepEqual(await page.$$eval('[role="tab"]', (t) => t.map((x) => x.dataset.tab)), TABS);
    // Every tab controls a panel and each panel is labelled by its tab.
    for (const tab of TABS) {
      const controls = await page.getAttribute(`[role="tab"][data-tab="${tab}"]`, 'aria-controls');
      assert.equal(await page.getAttribute(`#${controls}`, 'role'), 'tabpanel');
      assert.equal(await page.getAttribute(`#${controls}`, 'aria-labelledby'), `pg-tab-${tab}`);
    }
    // The call stack is shown first, alone; narration, stepping and console stay in view.
    assert.deepEqual(await selected(page), ['stack', 'pg-panel-stack']);
    assert.deepEqual(await shownPanels(page), ['pg-panel-stack']);
    assert.ok(await page.isVisible('[data-testid="call-stack"]'));
    assert.ok(!(await page.isVisible('[data-testid="microtask-queue"]')));
    for (const id of ['narration', 'step-forward', 'scrubber', 'console']) {
      assert.ok(await page.isVisible(`[data-testid="${id}"]`), `${id} visible`);
    }
    // The badges on step 24 (inside the timer callback): one frame, one job on each queue, one
    // timer, no I/O, two promises; they match what the (hidden) panes list.
    const counts = await paneCounts(page);
    assert.deepEqual(await badges(page), counts);
    assert.deepEqual(counts, { loop: 0, stack: 1, nexttick: 1, microtasks: 1, immediates: 1, timers: 1, io: 0, promises: 2 });
    assert.equal(await page.textContent('[role="tab"][data-tab="microtasks"]'), 'Microtasks 1');
    // A click shows the microtask queue instead.
    await page.click('[role="tab"][data-tab="microtasks"]');
    assert.deepEqual(await selected(page), ['microtasks', 'pg-panel-microtasks']);
    assert.deepEqual(await shownPanels(page), ['pg-panel-microtasks']);
    assert.match(await page.textContent('[data-testid="microtask-queue"]'), /reaction\s*\(anonymous\) · promise #1/);
    assert.ok(!(await page.isVisible('[data-testid="call-stack"]')));
    assert.ok((await noSidewaysScroll(page)) <= 400);
    await screenshot(page, `playground-tabs-phone-${scheme}`);
    // Arrow keys move between tabs (focus follows, the trace does not step); they wrap round.
    const focused = () => page.evaluate(() => document.activeElement?.dataset.tab);
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await selected(page), ['immediates', 'pg-panel-immediates']);
    assert.equal(await focused(), 'immediates');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    assert.deepEqual(await selected(page), ['nexttick', 'pg-panel-nexttick']);
    assert.deepEqual(await shownPanels(page), ['pg-panel-nexttick']);
    await page.keyboard.press('End');
    assert.deepEqual(await selected(page), ['promises', 'pg-panel-promises']);
    assert.equal(await focused(), 'promises');
    await page.keyboard.press('Home');
    assert.deepEqual(await selected(page), ['loop', 'pg-panel-loop']);
    await page.keyboard.press('ArrowLeft');
    assert.deepEqual(await selected(page), ['promises', 'pg-panel-promises']);
    assert.equal(await page.getAttribute('[data-testid="step-counter"]', 'data-step'), '24');
    // Only the selected tab is in the Tab order: Tab goes on into its panel.
    assert.deepEqual(await page.$$eval('[role="tab"]', (t) => t.map((x) => x.tabIndex)), TABS.map((t) => (t === 'promises' ? 0 : -1)));
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'pg-panel-promises');
    // Every panel fits the width.
    for (const tab of TABS) {
      await page.click(`[role="tab"][data-tab="${tab}"]`);
      assert.deepEqual(await shownPanels(page), [`pg-panel-${tab}`]);
      const width = await noSidewaysScroll(page);
      assert.ok(width <= 400, `${tab}: scrollWidth ${width}`);
    }
    // Stepping keeps the chosen tab, the badges follow the step, and the tabs whose pane
    // changed since the step shown before are marked.
    await page.click('[role="tab"][data-tab="microtasks"]');
    let previous = await paneCounts(page);
    for (const [button, step] of [['step-forward', 25], ['next-callback', null], ['reset', 0]]) {
      await page.click(`[data-testid="${button}"]`);
      if (step === null) {
        await page.waitForFunction(() => Number(document.querySelector('[data-testid="panes"]')?.dataset.step) > 25);
      } else {
        await atStep(page, step);
      }
      assert.deepEqual(await selected(page), ['microtasks', 'pg-panel-microtasks']);
      const now = await paneCounts(page);
      assert.deepEqual(await badges(page), now);
      const changed = TABS.filter((t) => now[t] !== previous[t]);
      if (button === 'reset') assert.ok(changed.includes('promises'), 'back at the start: no promises yet');
      assert.deepEqual(await page.$$eval('[role="tab"][data-changed="true"]', (t) => t.map((x) => x.dataset.tab)), changed, button);
      previous = now;
    }
    assert.deepEqual(await consoleLines(page), { stdout: [], stderr: [] });
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('on a phone the I/O tab counts requests in flight (Promise.all of three fetches)', async () => {
  const net = looplabTrace(readFileSync(join(EXAMPLES_DIR, 'promise-all.js'), 'utf8'));
  const inFlight = net.steps.filter((s) => s.rule === 'io.network.start')[5].step;
  const { context, page, problems } = await openPage(browser, `${server.url}#ex=promise-all&step=${inFlight}`, { viewport: PHONE });
  await settledConsole(page);
  await atStep(page, inFlight);
  const counts = await paneCounts(page);
  assert.equal(counts.io, 3);
  assert.deepEqual(await badges(page), counts);
  await page.click('[role="tab"][data-tab="io"]');
  assert.ok(await page.isVisible('[data-testid="pending-io"]'));
  assert.ok(await page.isVisible('[data-testid="thread-pool"]'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('at 1280 px there is no tablist; narrowing the window turns the panes into tabs and back', async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}#ex=queues&step=24`, { viewport: DESKTOP });
  await settledConsole(page);
  await atStep(page, 24);
  assert.equal(await page.$('[role="tablist"]'), null);
  assert.equal(await page.$('[role="tabpanel"]'), null);
  assert.equal(await page.$('.pg-step-panes [hidden]'), null);
  for (const id of ['phase', 'call-stack', 'nexttick-queue', 'microtask-queue', 'immediate-queue', 'timers', 'pending-io', 'thread-pool', 'promises']) {
    assert.ok(await page.isVisible(`[data-testid="${id}"]`), `${id} visible`);
  }
  await page.setViewportSize(PHONE);
  await page.waitForSelector('[role="tablist"]');
  assert.deepEqual(await shownPanels(page), ['pg-panel-stack']);
  await page.setViewportSize(DESKTOP);
  await page.waitForSelector('[role="tablist"]', { state: 'detached' });
  assert.ok(await page.isVisible('[data-testid="microtask-queue"]'));
  assert.deepEqual(problems, []);
  await context.close();
});
