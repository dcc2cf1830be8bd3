// Firefox at phone width (375px): the page never scrolls sideways, and the transfers
// table fits its box with the status badge whole, both with ordinary ids and with the
// longest ids the bank accepts (64 characters without a hyphen to break at), which also
// wrap in the saga timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import { BANK, loadScenario, nextStep, waitTransferStatus, openAccount, waitBalance, transfer, fit } from './bank.mjs';

/** Fails unless the page and the transfers table fit the screen. */
async function assertFits(page, what) {
  const f = await fit(page, 'transfer-list');
  assert.ok(f.page <= 0, `${what}: the page scrolls sideways by ${f.page}px`);
  assert.ok(f.table <= 0, `${what}: the transfers table is ${f.table}px wider than its box`);
  assert.deepEqual(f.cut, [], `${what}: cells cut off at the box's right edge`);
}

test('Firefox at 375px: the compensated scenario fits, the transfers table and its status badge too', async (t) => {
  await withApp(
    t,
    async (app) => {
      const page = await app.open();
      await loadScenario(page, 'compensation');
      for (let i = 0; i < 3; i++) await nextStep(page);
      await waitTransferStatus(page, 't1', 'compensated');
      await assertFits(page, 'compensated');
      await app.screenshot(page, 'compensated-mobile');
    },
    { ...BANK, viewport: VIEWPORTS.mobile },
  );
});

test('Firefox at 375px: 64-character account and transfer ids wrap, in the transfers table and the saga timeline, and the page still fits', async (t) => {
  await withApp(
    t,
    async (app) => {
      const page = await app.open();
      const a = 'a'.repeat(63) + '1';
      const b = 'b'.repeat(63) + '2';
      const id = 't'.repeat(64);
      await openAccount(page, a, 'Alice', '10');
      await waitBalance(page, a, '10.00');
      await openAccount(page, b, 'Bob', '0');
      await waitBalance(page, b, '0.00');
      await transfer(page, { id, from: a, to: b, amount: '1.00' });
      await waitTransferStatus(page, id, 'completed');
      await assertFits(page, 'long ids');
      // The ids are wrapped, not cut: every character is still there to read.
      const row = await page.$eval(`[data-testid="transfer-row-${id}"]`, (r) => r.textContent.replace(/\s+/g, ''));
      for (const s of [id, a, b]) assert.ok(row.includes(s), `${s} is shown whole`);
      await app.screenshot(page, 'long-ids-mobile');
    },
    { ...BANK, viewport: VIEWPORTS.mobile },
  );
});
