// The release build loads under a sub-path, mounts, and answers a click.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';

test('the app loads under a sub-path and the button greets', async (t) => {
  await withApp(t, async (app) => {
    assert.match(app.url, /\/sagabank\/$/);
    const page = await app.open();

    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'sagabank' }).waitFor());
    const greeting = page.getByTestId('greeting');
    assert.equal(await greeting.textContent(), 'Not greeted yet.');

    await page.getByRole('button', { name: 'Say hello' }).click();
    await page.getByText('Hello from Rust and WebAssembly!').waitFor();
    assert.equal(await greeting.textContent(), 'Hello from Rust and WebAssembly!');
    await app.screenshot(page, 'smoke-desktop');

    // Every asset came from under the sub-path (relative URLs), the wasm among them.
    const outside = app.server.requests.filter((p) => !p.startsWith(app.basePath));
    assert.deepEqual(outside, [], 'requests outside the sub-path');
    assert.ok(app.server.requests.some((p) => p.endsWith('.wasm')), 'the wasm was fetched');
  });
});

test('the app fits a 375px-wide phone screen', async (t) => {
  await withApp(
    t,
    async (app) => {
      const page = await app.open();
      await page.getByTestId('greet').click();
      await page.getByText('Hello from Rust and WebAssembly!').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      await app.screenshot(page, 'smoke-mobile');
    },
    { viewport: VIEWPORTS.mobile },
  );
});

test('a reload and a second tab mount the app again', async (t) => {
  await withApp(t, async (app) => {
    const first = await app.open();
    await app.reload(first);
    const second = await app.open();
    assert.equal(await second.locator('h1').textContent(), 'sagabank');
    assert.equal(second.url(), app.url);
  });
});
