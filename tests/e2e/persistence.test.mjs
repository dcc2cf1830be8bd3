// Journeys of the browser as an event store: tabs in step, a race for the same money,
// a saga interrupted by a reload, damaged data, and storage that cannot be used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { withApp } from './harness.mjs';
import {
  BANK, openAccount, waitBalance, selectAccount, loadScenario, nextStep, waitTransferStatus,
  spanStatus, errorText,
} from './bank.mjs';

test('a second tab sees what the first one does, without a reload', async (t) => {
  await withApp(t, async (app) => {
    const first = await app.open();
    const second = await app.open();
    await openAccount(first, 'alice', 'Alice', '40.00');
    await waitBalance(second, 'alice', '40.00');
    await selectAccount(second, 'alice');
    const form = second.getByTestId('money-form');
    await form.getByLabel('Amount').fill('2.50');
    await form.getByRole('button', { name: 'Deposit' }).click();
    await waitBalance(first, 'alice', '42.50');
  }, BANK);
});

test('two tabs withdrawing the whole balance at once: one wins, the other is refused, never an overdraft', async (t) => {
  await withApp(t, async (app) => {
    const a = await app.open();
    await openAccount(a, 'alice', 'Alice', '100.00');
    const b = await app.open();
    await waitBalance(b, 'alice', '100.00');
    for (const page of [a, b]) {
      await selectAccount(page, 'alice');
      await page.getByTestId('money-form').getByLabel('Amount').fill('100');
    }
    await Promise.all([a, b].map((p) => p.getByTestId('money-form').getByRole('button', { name: 'Withdraw' }).click()));
    for (const page of [a, b]) await waitBalance(page, 'alice', '0.00');
    // The loser is told once its retry on fresh state is refused: wait for that.
    await Promise.any([a, b].map((p) => p.getByTestId('account-error').waitFor({ state: 'visible' })));
    const errors = await Promise.all(
      [a, b].map(async (p) => ((await p.getByTestId('account-error').isVisible()) ? p.getByTestId('account-error').textContent() : null)),
    );
    const refused = errors.filter((e) => e !== null);
    assert.equal(refused.length, 1, `exactly one tab is refused: ${JSON.stringify(errors)}`);
    assert.match(refused[0], /insufficient balance: 0\.00 < 100\.00/);
    const withdrawals = await a.getByTestId('statement').getByText('MoneyWithdrawn').count();
    assert.equal(withdrawals, 1, 'one withdrawal is stored');
  }, BANK);
});

test('a transfer stepped by hand and left after its debit is there, paused, when the page comes back, and finishes on Next step', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'happy-transfer');
    await nextStep(page); // debit only
    assert.equal(await spanStatus(page, 'credit'), 'next');
    await waitBalance(page, 'alice', '70.00');
    await waitBalance(page, 'bob', '100.00');
    await app.reload(page);
    await page.getByTestId('timeline-paused').waitFor();
    assert.equal(await spanStatus(page, 'credit'), 'next', 'the credit waits for the learner');
    await waitBalance(page, 'alice', '70.00');
    await waitBalance(page, 'bob', '100.00');
    await nextStep(page);
    await waitTransferStatus(page, 't1', 'completed');
    await waitBalance(page, 'alice', '70.00');
    await waitBalance(page, 'bob', '130.00');
  }, BANK);
});

test('a damaged record stops the app with a clear error, the raw data can be saved, and a fresh start keeps a backup', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'alice', 'Alice', '10.00');
    await waitBalance(page, 'alice', '10.00');
    const db = (await page.getByTestId('store-badge').textContent()).split('·').pop().trim();
    await page.evaluate(
      (db) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open(db);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('events', 'readwrite');
            tx.objectStore('events').put({ position: 2, stream: 'account-alice', version: 2, line: '{"not an event' });
            tx.oncomplete = () => { open.result.close(); resolve(); };
            tx.onerror = () => reject(tx.error);
          };
        }),
      db,
    );
    await app.reload(page);
    await page.getByTestId('data-error').waitFor();
    assert.match(await page.getByTestId('data-error-reason').textContent(), /position 2/);
    await app.screenshot(page, 'data-error');

    const download = page.waitForEvent('download');
    await page.getByTestId('download-raw').click();
    const raw = await readFile(await (await download).path(), 'utf8');
    assert.match(raw, /AccountOpened/, 'the good record is in the raw data');
    assert.match(raw, /not an event/, 'so is the damaged one');

    await page.getByTestId('start-fresh').click();
    await page.waitForLoadState('load');
    await app.ready(page);
    await page.getByText('No accounts yet').waitFor();
    const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    assert.ok(names.includes(db), `the old database ${db} is kept: ${names}`);
  }, { ...BANK, allowErrors: [/position 2|stored data is damaged/] });
});

test('a foreign key in localStorage is named, and nothing is deleted', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('?store=local');
    assert.match(await page.getByTestId('store-badge').textContent(), /localStorage/);
    await openAccount(page, 'alice', 'Alice', '5.00');
    await waitBalance(page, 'alice', '5.00');
    await app.reload(page);
    await waitBalance(page, 'alice', '5.00');
    const keys = await page.evaluate(() => Object.keys(localStorage));
    const prefix = keys.find((k) => k.endsWith('/head')).replace(/head$/, '');
    await page.evaluate((key) => localStorage.setItem(key, 'surprise'), `${prefix}mystery`);
    await app.reload(page);
    await page.getByTestId('data-error').waitFor();
    assert.match(await page.getByTestId('data-error-reason').textContent(), /mystery/);
    const after = await page.evaluate(() => Object.keys(localStorage));
    for (const key of keys) assert.ok(after.includes(key), `${key} is kept`);
  }, { ...BANK, allowErrors: [/mystery|stored data is damaged/] });
});

test('when storage is blocked the bank runs in memory and says nothing will persist', async (t) => {
  await withApp(t, async (app) => {
    await app.context.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', {
        get() {
          throw new DOMException('blocked by the test', 'SecurityError');
        },
      });
    });
    const page = await app.open();
    await page.getByTestId('storage-warning').waitFor();
    assert.match(await page.getByTestId('storage-warning').textContent(), /nothing will be kept/);
    assert.match(await page.getByTestId('store-badge').textContent(), /memory/);
    await openAccount(page, 'alice', 'Alice', '1.00');
    await waitBalance(page, 'alice', '1.00');
  }, BANK);
});

test('when storage is full a command is refused with a clear message and nothing is written', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('?store=local');
    await openAccount(page, 'alice', 'Alice', '5.00');
    await waitBalance(page, 'alice', '5.00');
    // Another app on the same origin fills what is left of the quota.
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
    await openAccount(page, 'bob', 'Bob', '1.00');
    assert.match(await errorText(page, 'open-account-error', /storage is full/), /storage is full: nothing was written/);
    assert.equal(await page.getByTestId('account-list').locator('tbody tr').count(), 1, 'bob was not added');
    // Once there is room again, the same command goes through.
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage)) if (key.startsWith('other-app/')) localStorage.removeItem(key);
    });
    await page.getByTestId('open-account-form').getByRole('button', { name: 'Open account' }).click();
    await waitBalance(page, 'bob', '1.00');
    await app.reload(page);
    await waitBalance(page, 'alice', '5.00');
    await waitBalance(page, 'bob', '1.00');
  }, BANK);
});

test('on a ?db= link, a scenario rewrites the link to its new database, so a reload shows the same bank and the old one is kept', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('?db=classroom');
    await openAccount(page, 'zed', 'Zed', '5.00');
    await loadScenario(page, 'seed-demo');
    await waitBalance(page, 'alice-123', '750.00');
    const db = new URL(page.url()).searchParams.get('db');
    assert.notEqual(db, 'classroom', 'the link still names the old database');
    assert.match(db, /^sagabank-\d+$/);

    await page.reload();
    await app.ready(page);
    await waitBalance(page, 'alice-123', '750.00');
    await waitBalance(page, 'bob-456', '750.00');
    assert.equal(await page.getByTestId('account-row-zed').count(), 0, 'the reload went back to the old database');

    const old = await app.open('?db=classroom');
    await waitBalance(old, 'zed', '5.00');
  }, BANK);
});

test('Reset asks first, offers the events as a file, and then empties the bank for good', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'seed-demo');
    await waitBalance(page, 'alice-123', '750.00');
    const oldDb = (await page.getByTestId('store-badge').textContent()).split('·').pop().trim();
    const dialog = page.getByTestId('reset-dialog');

    // Escape (or Cancel) leaves everything as it was, with the keyboard back on Reset.
    await page.getByTestId('reset').click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'reset');
    await waitBalance(page, 'alice-123', '750.00');

    // The export offered first is the whole log.
    await page.getByTestId('reset').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reset-export').click()]);
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, Number((await page.getByTestId('audit-count').textContent()).match(/\d+/)[0]));
    assert.equal(JSON.parse(lines[0]).type, 'AccountOpened');

    await page.getByTestId('reset-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('audit-count').getByText('0 events').waitFor();
    assert.equal(await page.getByTestId('account-row-alice-123').count(), 0);
    await app.reload(page);
    await page.getByTestId('audit-count').getByText('0 events').waitFor();
    // The old database is gone, not just hidden.
    const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    assert.ok(!names.includes(oldDb), `${oldDb} is still there: ${names.join(', ')}`);
  }, BANK);
});
