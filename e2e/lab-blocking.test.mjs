// Part 3: the same kernel on the main thread freezes the page's frames; in workers it does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist({ isolated: true }); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

async function runMode(page, mode) {
  await page.getByTestId(`lab-block-${mode}`).click();
  const row = page.locator(`[data-testid="lab-block-result"][data-mode="${mode}"]`);
  await row.waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid="lab-block-main"]').disabled);
  return {
    gap: Number(await row.getAttribute('data-gap')),
    dropped: Number(await row.getAttribute('data-dropped')),
    longTasks: Number(await row.getAttribute('data-long-tasks')),
  };
}

test('main thread: a long frame gap; one worker and a pool: none', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  // The page's default size: long enough that the main-thread run visibly freezes frames even
  // on a fast, idle machine (the short size finished in ~100 ms there).
  const worker = await runMode(page, 'worker');
  const pool = await runMode(page, 'pool');
  const main = await runMode(page, 'main');
  console.log(`frame gaps: main ${main.gap} ms (${main.dropped} dropped, ${main.longTasks} long tasks), worker ${worker.gap} ms, pool ${pool.gap} ms`);
  await screenshot(page, 'lab-blocking');
  assert.ok(main.gap > 100, `main-thread run should freeze frames (gap ${main.gap} ms)`);
  assert.ok(main.dropped >= 5, `main-thread run drops frames (${main.dropped})`);
  assert.ok(main.longTasks >= 1, `the browser reports the main-thread run as a long task (${main.longTasks})`);
  for (const [name, r] of [['worker', worker], ['pool', pool]]) {
    assert.ok(r.gap < main.gap / 2, `${name} gap ${r.gap} ms should be far below main ${main.gap} ms`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
