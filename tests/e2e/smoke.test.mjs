// The release build loads under a sub-path as a static host would serve it, mounts, and
// answers a click; desktop and phone screenshots for a person to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import { BANK, openAccount, waitBalance } from './bank.mjs';

test('the app loads under a sub-path, every asset from under it, and answers a click', async (t) => {
  await withApp(t, async (app) => {
    assert.match(app.url, /\/sagabank\/$/);
    const page = await app.open();

    await page.getByRole('heading', { level: 1, name: 'sagabank' }).waitFor();
    assert.match(await page.getByTestId('store-badge').textContent(), /Events stored in/);

    await openAccount(page, 'smoke-1', 'Smoke Test', '12.34');
    await waitBalance(page, 'smoke-1', '12.34');
    await app.screenshot(page, 'smoke-desktop');

    // Relative asset URLs: everything came from under the sub-path, the wasm among them.
    const outside = app.server.requests.filter((p) => !p.startsWith(app.basePath));
    assert.deepEqual(outside, [], 'requests outside the sub-path');
    assert.ok(app.server.requests.some((p) => p.endsWith('.wasm')), 'the wasm was fetched');
  }, BANK);
});

test('the sub-path without its trailing slash redirects, and the app loads', async (t) => {
  await withApp(t, async (app) => {
    const page = app.watch(await app.context.newPage());
    await page.goto(app.url.slice(0, -1));
    await app.ready(page);
    assert.equal(page.url(), app.url);
    await page.getByRole('heading', { level: 1, name: 'sagabank' }).waitFor();
  }, BANK);
});

test('the app fits a 375px-wide phone screen', async (t) => {
  await withApp(
    t,
    async (app) => {
      const page = await app.open();
      await page.getByRole('heading', { level: 1, name: 'sagabank' }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      await app.screenshot(page, 'smoke-mobile');
    },
    { ...BANK, viewport: VIEWPORTS.mobile },
  );
});

test('the page marks when the bank is first shown, and prints how long it took', async (t) => {
  await withApp(
    t,
    async (app) => {
      const times = [];
      for (let i = 0; i < 5; i++) {
        const page = await app.open();
        await page.getByTestId('store-badge').waitFor();
        const ready = await page.evaluate(() => performance.getEntriesByName('sagabank-ready')[0]?.startTime);
        assert.equal(typeof ready, 'number', 'the sagabank-ready mark is set when the bank is shown');
        times.push(ready);
        await page.close();
      }
      times.sort((a, b) => a - b);
      // A figure for the README, not a timed assertion.
      t.diagnostic(`first render, empty IndexedDB store: median ${times[2].toFixed(0)} ms (${times.map((x) => x.toFixed(0)).join(', ')})`);
    },
    BANK,
  );
});
