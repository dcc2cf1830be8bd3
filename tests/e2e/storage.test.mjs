// Persistent storage (src/ui/storage.rs): the page asks the browser to keep its data on
// the first write, once per page load, never before; the header says what was granted
// and how much of the quota is used; without a storage manager nothing breaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withApp, VIEWPORTS, SCREENSHOTS } from './harness.mjs';
import {
  BANK, openAccount, waitBalance, selectAccount, move, chooseImport, errorText, generateLog,
} from './bank.mjs';

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

// localStorage has a limit of its own, which the quota estimate does not count: browsers
// count the characters of every key and value of the site. src/app/views/local_use.rs.
const LOCAL_LIMIT = 5 * 1024 * 1024;

/** What localStorage holds (in the page), in characters, and the header's summary of it. */
function localUseIn(limit) {
  let chars = 0;
  for (let i = 0; i < localStorage.length; i += 1) {
    const key = localStorage.key(i);
    chars += key.length + localStorage.getItem(key).length;
  }
  const percent = Math.floor((chars * 100) / limit);
  const summary = chars === 0 ? 'localStorage empty'
    : percent === 0 ? 'localStorage under 1% full'
      : percent >= 100 ? 'localStorage full' : `localStorage about ${percent}% full`;
  return { chars, summary, shown: document.querySelector('[data-testid="storage-usage"]')?.textContent };
}

/** Waits until the header's usage figure is what localStorage holds now; returns it. */
async function waitLocalUsage(page) {
  await page
    .waitForFunction(([use, limit]) => {
      const { summary, shown } = new Function(`return (${use})`)()(limit);
      return summary === shown;
    }, [localUseIn.toString(), LOCAL_LIMIT], { timeout: 10_000 })
    .catch(() => {});
  const use = await page.evaluate(localUseIn, LOCAL_LIMIT);
  assert.equal(use.shown, use.summary, 'the header counts what localStorage holds');
  return use;
}

/** Fills what is left of localStorage with another app's keys, as the persistence test does. */
async function fillLocalStorage(page) {
  await page.evaluate(() => {
    let chunk = 'x'.repeat(1 << 20);
    let i = 0;
    while (chunk.length > 16) {
      try {
        localStorage.setItem(`other-app/${i++}`, chunk);
      } catch {
        chunk = chunk.slice(0, chunk.length / 2);
      }
    }
  });
}

test('on ?store=local the header counts what localStorage holds, against about its limit', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('?store=local');
    await openAccount(page, 'alice', 'Alice', '10.00');
    await waitBalance(page, 'alice', '10.00');
    await waitStatusKnown(page);
    await waitUsage(page);
    await waitLocalUsage(page);
    // Another app of the site takes a fifth of it; the next write counts it.
    await page.evaluate(() => localStorage.setItem('other-app/filler', 'x'.repeat(1 << 20)));
    await selectAccount(page, 'alice');
    await move(page, 'deposit', '5.00');
    await waitBalance(page, 'alice', '15.00');
    const { chars, summary } = await waitLocalUsage(page);
    assert.equal(summary, 'localStorage about 20% full');
    assert.doesNotMatch(await page.getByTestId('storage-status').textContent(), /GB|of \d/);
    // The explanation gives the exact count and says the limit is approximate.
    await page.getByTestId('storage-status').locator('summary').click();
    const details = await page.getByTestId('storage-status').locator('.storage-status__more').textContent();
    assert.match(details, new RegExp(`holds ${chars.toLocaleString('en-US')} characters`));
    assert.match(details, /about 5\.2 million/);
    await page.setViewportSize(VIEWPORTS.mobile);
    const file = path.join(SCREENSHOTS, 'storage-header-mobile-light-local-open.png');
    await page.locator('header.masthead').screenshot({ path: file });
    t.diagnostic(`screenshot: ${path.relative(process.cwd(), file)}`);
  }, BANK);
});

test('an import that does not fit in localStorage names the first event not stored and keeps nothing of it', async (t) => {
  await withApp(t, async (app) => {
    // Records the last head each database committed (the adapter writes the head last).
    await app.context.addInitScript(() => {
      window.__heads = {};
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key, value) {
        setItem.call(this, key, value);
        const head = /^sagabank\/([^/]+)\/head$/.exec(key);
        if (head) window.__heads[head[1]] = Number(value);
      };
    });
    const page = await app.open('?store=local');
    await openAccount(page, 'alice', 'Alice', '10.00');
    await waitBalance(page, 'alice', '10.00');
    const keys = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sagabank/')).sort());
    const before = await keys();
    // Another app fills the rest, then frees a quarter of a million characters: room for
    // some of the imported events, not all.
    await fillLocalStorage(page);
    const freed = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('other-app/') && localStorage.getItem(k).length === 1 << 18);
      localStorage.removeItem(key);
      return key;
    });
    assert.ok(freed, 'a quarter-million-character key was there to free');
    const log = generateLog(3000);
    await chooseImport(page, log.text, 'big.jsonl');
    await page.getByTestId('import-confirm').waitFor({ timeout: 60_000 });
    await page.getByTestId('import-replace').click();
    const message = await errorText(page, 'import-error', /did not fit|could not be stored/);
    t.diagnostic(`refused: ${message}`);
    const named = [...message.matchAll(/\d[\d,]*/g)].map((m) => m[0]);
    const total = log.count.toLocaleString('en-US');
    const match = new RegExp(`^event ([\\d,]+) of ${total} did not fit: localStorage is full\\. Nothing of the import was kept \\(the events written before it were removed again\\), and the log shown is unchanged\\.$`).exec(message);
    assert.ok(match, `one position, and what was kept: ${message}`);
    assert.deepEqual(named, [match[1], total], 'no other position is named');
    // It is true: the new database had committed the events before it, and is gone.
    const first = Number(match[1].replace(/,/g, ''));
    const heads = await page.evaluate(() => window.__heads);
    const db = (await page.getByTestId('store-badge').textContent()).split(' · ')[1];
    const imported = Object.entries(heads).filter(([name]) => name !== db);
    assert.equal(imported.length, 1, `one database was written: ${JSON.stringify(heads)}`);
    assert.ok(first > 1, 'some events had landed');
    assert.equal(imported[0][1], first - 1, 'the events before it had been committed');
    assert.deepEqual(await keys(), before, 'nothing of the import is left in localStorage');
    await waitBalance(page, 'alice', '10.00');
    // The header says localStorage is (nearly) full, not "0 bytes of 10 GB".
    const { summary } = await waitLocalUsage(page);
    assert.match(summary, /^localStorage (about 9\d% )?full$/);
  }, BANK);
});
