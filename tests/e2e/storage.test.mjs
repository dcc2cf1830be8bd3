// Persistent storage (src/ui/storage.rs): the page asks the browser to keep its data on
// the first write, once per page load, never before; the header says what was granted
// and how much of the quota is used; without a storage manager nothing breaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withApp, VIEWPORTS, SCREENSHOTS } from './harness.mjs';
import { BANK, openAccount, waitBalance, selectAccount, move } from './bank.mjs';

/**
 * Wraps navigator.storage.persist and .estimate in every page of the context before its
 * scripts run: window.__storage counts the calls and keeps persist()'s answers.
 */
async function recordStorageCalls(context) {
  await context.addInitScript(() => {
    const record = { persist: 0, answers: [], estimate: 0 };
    window.__storage = record;
    const storage = navigator.storage;
    if (!storage || typeof storage.persist !== 'function') return;
    const persist = storage.persist.bind(storage);
    const estimate = storage.estimate.bind(storage);
    storage.persist = async () => {
      record.persist += 1;
      const granted = await persist();
      record.answers.push(granted);
      return granted;
    };
    storage.estimate = async () => {
      record.estimate += 1;
      return estimate();
    };
  });
}

const calls = (page) => page.evaluate(() => ({ ...window.__storage }));

/** Waits until the status has the browser's answer (it starts as "checking…"). */
async function waitStatusKnown(page) {
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-testid="storage-status"]');
    return status && status.dataset.durability !== 'checking';
  });
}

/** Waits until the usage figure is shown (the span is empty until the browser answers). */
async function waitUsage(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="storage-usage"]')?.textContent !== '');
}

const USAGE = /^\d+(\.\d)? (bytes?|KB|MB|GB) of \d+(\.\d)? (KB|MB|GB|TB|PB) used$/;

test('persistence is asked on the first write, once; the header says what was granted and how much is used', async (t) => {
  await withApp(t, async (app) => {
    await recordStorageCalls(app.context);
    const page = await app.open();
    await waitStatusKnown(page);
    const status = page.getByTestId('storage-status');
    assert.equal((await calls(page)).persist, 0, 'nothing is asked on first paint');
    assert.match(
      await status.getByTestId('storage-durability').textContent(),
      /^(best-effort|kept until you clear it)$/,
    );
    await waitUsage(page);

    await openAccount(page, 'alice', 'Alice', '10.00');
    await waitBalance(page, 'alice', '10.00');
    await page.waitForFunction(() => window.__storage.answers.length === 1);
    const { answers } = await calls(page);
    const granted = answers[0];
    const expected = granted ? ['persisted', 'kept until you clear it'] : ['best-effort', 'best-effort'];
    await page.waitForFunction(
      (key) => document.querySelector('[data-testid="storage-status"]')?.dataset.durability === key,
      expected[0],
    );
    assert.equal(await status.getByTestId('storage-durability').textContent(), expected[1]);
    t.diagnostic(`headless Chromium answered persist() with ${granted}`);

    await selectAccount(page, 'alice');
    const before = (await calls(page)).estimate;
    await move(page, 'deposit', '5.00');
    await waitBalance(page, 'alice', '15.00');
    // The usage figure is read again after the deposit (throttled, so once for a burst).
    await page.waitForFunction((before) => window.__storage.estimate > before, before);
    assert.match(await status.getByTestId('storage-usage').textContent(), USAGE);
    assert.equal((await calls(page)).persist, 1, 'later writes do not ask again');

    // The explanation is a click away, and says what to do about it.
    await status.locator('summary').click();
    assert.match(await status.textContent(), /export the log to keep a copy/i);
  }, BANK);
});

test('the storage status fits the header at 1280 and 375 px, in light and dark', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'alice', 'Alice', '10.00');
    await waitBalance(page, 'alice', '10.00');
    await waitStatusKnown(page);
    await waitUsage(page);
    const header = page.locator('header.masthead');
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      for (const colorScheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} ${colorScheme}: the page scrolls sideways by ${overflow}px`);
        // Closed, then open: the header alone, for a person to look at.
        for (const open of [false, true]) {
          await page.getByTestId('storage-status').evaluate((el, open) => (el.open = open), open);
          const bounds = await header.boundingBox();
          const box = await page.getByTestId('storage-status').boundingBox();
          assert.ok(
            box.x >= bounds.x && box.x + box.width <= bounds.x + bounds.width + 1,
            `${name} ${colorScheme}: the status stays inside the header`,
          );
          const file = path.join(SCREENSHOTS, `storage-header-${name}-${colorScheme}${open ? '-open' : ''}.png`);
          await header.screenshot({ path: file });
          t.diagnostic(`screenshot: ${path.relative(process.cwd(), file)}`);
        }
        await app.screenshot(page, `storage-${name}-${colorScheme}`);
      }
    }
  }, BANK);
});

test('a granted request reads "kept until you clear it"', async (t) => {
  await withApp(t, async (app) => {
    // The browser says no to persisted() and yes to persist(): the page asks and is granted.
    await app.context.addInitScript(() => {
      window.__granted = 0;
      navigator.storage.persisted = async () => false;
      navigator.storage.persist = async () => {
        window.__granted += 1;
        return true;
      };
    });
    const page = await app.open();
    await waitStatusKnown(page);
    assert.equal(await page.getByTestId('storage-durability').textContent(), 'best-effort');
    await openAccount(page, 'alice', 'Alice', '10.00');
    await waitBalance(page, 'alice', '10.00');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="storage-status"]')?.dataset.durability === 'persisted',
    );
    assert.equal(await page.getByTestId('storage-durability').textContent(), 'kept until you clear it');
    assert.equal(await page.evaluate(() => window.__granted), 1);
    await waitUsage(page);
    await page.emulateMedia({ colorScheme: 'dark' });
    const file = path.join(SCREENSHOTS, 'storage-header-desktop-dark-granted.png');
    await page.locator('header.masthead').screenshot({ path: file });
    t.diagnostic(`screenshot: ${path.relative(process.cwd(), file)}`);
  }, BANK);
});

test('without a storage manager the header says "persistence unknown" and the bank still works', async (t) => {
  await withApp(t, async (app) => {
    await app.context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'storage', { get: () => undefined, configurable: true });
    });
    const page = await app.open();
    await openAccount(page, 'alice', 'Alice', '10.00');
    await waitBalance(page, 'alice', '10.00');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="storage-status"]')?.dataset.durability === 'unknown',
    );
    assert.equal(await page.getByTestId('storage-durability').textContent(), 'persistence unknown');
    assert.equal(await page.getByTestId('storage-usage').textContent(), '', 'no figure is made up');
    const file = path.join(SCREENSHOTS, 'storage-header-mobile-light-unknown.png');
    await page.setViewportSize(VIEWPORTS.mobile);
    await page.locator('header.masthead').screenshot({ path: file });
    t.diagnostic(`screenshot: ${path.relative(process.cwd(), file)}`);
  }, BANK);
});

test('the memory store asks nothing and shows no storage status', async (t) => {
  await withApp(t, async (app) => {
    await recordStorageCalls(app.context);
    const page = await app.open('?store=memory');
    await openAccount(page, 'alice', 'Alice', '10.00');
    await waitBalance(page, 'alice', '10.00');
    assert.match(await page.getByTestId('store-badge').textContent(), /memory/);
    assert.equal(await page.getByTestId('storage-status').count(), 0);
    assert.equal((await calls(page)).persist, 0);
  }, BANK);
});
