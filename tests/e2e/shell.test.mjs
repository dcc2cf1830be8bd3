// The page's shell (index.html, style/shell.css, src/ui/shell.rs): with the wasm held
// back, the page already shows the header, what sagabank is and the welcome block, its
// buttons disabled; once the wasm is let through, the app replaces the shell in place,
// without shifting the layout. Screenshots: target/screenshots/shell-<viewport>.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`the shell shows before the wasm runs, then the app replaces it (${name})`, async (t) => {
    await withApp(
      t,
      async (app) => {
        // Hold every wasm request (Trunk's preload and the glue's fetch) until told.
        let release;
        const released = new Promise((resolve) => (release = resolve));
        let requested;
        const wasmRequested = new Promise((resolve) => (requested = resolve));
        await app.context.route(/\.wasm$/, async (route) => {
          requested();
          await released;
          await route.continue();
        });
        const page = app.watch(await app.context.newPage());
        // Every layout shift from the first paint on, summed as CLS counts it.
        await page.addInitScript(() => {
          window.__shifts = 0;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value;
          }).observe({ type: 'layout-shift', buffered: true });
        });
        await page.goto(app.url);
        await wasmRequested;

        const shell = page.getByTestId('shell');
        await shell.waitFor({ state: 'visible' });
        await page.getByRole('heading', { level: 1, name: 'sagabank' }).waitFor();
        const welcome = page.getByRole('region', { name: /Learn event sourcing with a bank/ });
        await welcome.waitFor();
        assert.match(await welcome.locator('p').innerText(), /keeps every change as an event/);
        const buttons = welcome.getByRole('button');
        assert.deepEqual(await buttons.allInnerTexts(), ['Start the course', 'Watch a compensation']);
        for (const button of await buttons.all()) {
          assert.equal(await button.isDisabled(), true, `${await button.innerText()} is disabled`);
        }
        assert.equal(await page.getByRole('status').innerText(), 'Loading the bank…');
        // Nothing of the app yet: the wasm has not run.
        assert.equal(await page.locator('[data-testid="preview"], main.layout').count(), 0);
        // The shell fits the viewport's width (no sideways scroll on a phone).
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the shell is ${overflow}px wider than the viewport`);
        await app.screenshot(page, `shell-${name}`);

        release();
        await shell.waitFor({ state: 'detached' });
        await app.ready(page, 'main.layout');
        assert.equal(await page.locator('#shell').count(), 0);
        assert.equal(await page.locator('main').count(), 1, 'one main landmark once the app runs');
        await page.getByRole('heading', { level: 1, name: 'sagabank' }).waitFor();
        const shifts = await page.evaluate(() => window.__shifts);
        assert.ok(shifts <= 0.02, `layout shift ${shifts} (CLS must stay at or under 0.02)`);
      },
      { viewport },
    );
  });
}

test('the shell is gone in every mode: the app, a shared link, an error page, an embed', async (t) => {
  const { READY, openAccount, waitBalance, generateLog } = await import('./bank.mjs');
  const { packLog } = await import('./share.mjs');
  await withApp(
    t,
    async (app) => {
      /** Opens `subPath`, waits for `selector`, and checks that the shell is gone. */
      const mode = async (name, subPath, selector, page) => {
        page ??= app.watch(await app.context.newPage());
        if (subPath !== undefined) await page.goto(new URL(subPath, app.url).href);
        await page.locator(selector).first().waitFor();
        await page.locator('#shell').waitFor({ state: 'detached' });
        // The app's own welcome may show (a first visit); the shell's, its buttons disabled, not.
        const disabled = page.locator('button:disabled', { hasText: 'Start the course' });
        assert.equal(await disabled.count(), 0, `${name}: the shell's disabled welcome is gone`);
        assert.equal(await page.getByText('Loading the bank…').count(), 0, `${name}: no "Loading the bank…"`);
        return page;
      };
      const page = await mode('the app', '?store=local', READY);
      await openAccount(page, 'alice', 'Alice', '5.00');
      await waitBalance(page, 'alice', '5.00');
      await mode('a shared link', `#log=${packLog(generateLog(60).text)}`, '[data-testid="shared-confirm"]');
      await mode('an embed', '?embed=saga&scenario=compensation', '[data-testid="saga-timeline"]');
      await mode('an embed that cannot show its saga', '?embed=saga&scenario=nope', '[data-testid="embed-error"]');
      // Damaged stored data: the data error page.
      const keys = await page.evaluate(() => Object.keys(localStorage));
      const prefix = keys.find((k) => k.endsWith('/head')).replace(/head$/, '');
      await page.evaluate((key) => localStorage.setItem(key, 'surprise'), `${prefix}mystery`);
      await page.reload();
      await mode('the data error page', undefined, '[data-testid="data-error"]', page);
    },
    { allowErrors: [/mystery|stored data is damaged/] },
  );
});
