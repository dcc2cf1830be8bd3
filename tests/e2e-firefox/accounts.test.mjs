// Firefox: accounts opened and funded, a refused overdraft shows the domain's message,
// the bank is still there after a reload (IndexedDB), and ?store=local keeps it in
// localStorage across a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './harness.mjs';
import { BANK, openAccount, waitBalance, selectAccount, move, errorText, text, waitAuditCount } from './bank.mjs';

test('Firefox: open accounts, deposit, a refused overdraft is explained, and a reload keeps the bank', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await page.waitForFunction(() => document.body.textContent.includes('No accounts yet'));

    await openAccount(page, 'alice-123', 'Alice <b>Bold</b>', '100.00');
    await waitBalance(page, 'alice-123', '100.00');
    const row = await text(page, 'account-row-alice-123');
    assert.match(row, /Alice <b>Bold<\/b>/, 'markup in a name is shown as text');
    await openAccount(page, 'bob-456', 'Bob', '0');
    await waitBalance(page, 'bob-456', '0.00');

    await selectAccount(page, 'alice-123');
    await move(page, 'deposit', '50', 'salary');
    await waitBalance(page, 'alice-123', '150.00');
    await move(page, 'withdraw', '200');
    assert.match(await errorText(page, 'account-error', /insufficient balance/), /insufficient balance: 150\.00 < 200\.00/);
    await waitBalance(page, 'alice-123', '150.00');
    await app.screenshot(page, 'accounts-desktop');

    await app.reload(page);
    await waitBalance(page, 'alice-123', '150.00');
    await waitBalance(page, 'bob-456', '0.00');
    assert.match(await text(page, 'store-badge'), /IndexedDB/);
    // Two openings and a deposit: the refused withdrawal wrote nothing.
    await waitAuditCount(page, '3 events');
  }, BANK);
});

test('Firefox: ?store=local keeps the bank in localStorage across a reload', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('?store=local');
    assert.match(await text(page, 'store-badge'), /localStorage/);
    await openAccount(page, 'alice', 'Alice', '5.00');
    await waitBalance(page, 'alice', '5.00');
    const keys = await page.evaluate(() => Object.keys(localStorage));
    assert.ok(keys.some((k) => k.endsWith('/head')), `the log is in localStorage: ${keys}`);

    await app.reload(page);
    assert.match(await text(page, 'store-badge'), /localStorage/);
    await waitBalance(page, 'alice', '5.00');
  }, BANK);
});
