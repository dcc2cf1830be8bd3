// The read models' delivery control, outside the course: pause delivery, deposit,
// see the stale balance and "log at #N, statement at #M", read your own write by
// waiting for its position, and deliver each event twice (the naive projection
// double-counts, the read models do not). Screenshots at 1280/375, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import { BANK, openAccount, waitBalance, selectAccount, move, balance, elementScreenshot } from './bank.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

const LONG = 'a'.repeat(60) + '-123';

test('delivery paused: a stale read, then a read that waits for my write', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, LONG, 'Ann', '100.00');
    await waitBalance(page, LONG, '100.00');
    await selectAccount(page, LONG);
    const control = page.getByRole('group', { name: /Read models/ });
    const positions = control.getByRole('status').first();
    assert.match(await positions.textContent(), /Log at #1, statement at #1: up to date/);

    await control.getByRole('button', { name: 'Pause delivery' }).click();
    await control.getByText('paused', { exact: true }).waitFor();
    await move(page, 'deposit', '5');
    await positions.filter({ hasText: 'Log at #2, statement at #1: 1 event not delivered yet.' }).waitFor();
    assert.equal(await balance(page, LONG), '100.00', 'the statement still shows the old balance');
    assert.equal((await page.getByTestId('detail-balance').textContent()).trim(), '100.00');

    await control.getByRole('button', { name: 'Read my last write (wait for it)' }).click();
    await control.getByText('Waiting for your write at #2').waitFor();
    for (const [viewport, scheme] of [['desktop', 'light'], ['desktop', 'dark'], ['mobile', 'light'], ['mobile', 'dark']]) {
      await page.setViewportSize(VIEWPORTS[viewport]);
      await page.emulateMedia({ colorScheme: scheme });
      const box = await control.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= VIEWPORTS[viewport].width + 0.5, `the control fits ${viewport}`);
      await elementScreenshot(t, control, `delivery-paused-${viewport}-${scheme}`);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.emulateMedia({ colorScheme: 'light' });
    await assertNoSeriousViolations(page, 'delivery paused');

    await control.getByRole('button', { name: 'Deliver next event' }).click();
    await control.getByText('Waited for your write at #2: the statement was at #1, and was read once it reached #2.').waitFor();
    await waitBalance(page, LONG, '105.00');
    await positions.filter({ hasText: 'Log at #2, statement at #2: up to date.' }).waitFor();

    // Resume: later writes are delivered as they are made.
    await control.getByRole('button', { name: 'Resume delivery' }).click();
    await control.getByText('live', { exact: true }).waitFor();
    await move(page, 'deposit', '1');
    await waitBalance(page, LONG, '106.00');
  }, BANK);
});

test('deliver twice: the naive projection double-counts, the read models ignore the repeat', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, LONG, 'Ann', '100.00');
    await waitBalance(page, LONG, '100.00');
    await selectAccount(page, LONG);
    const control = page.getByRole('group', { name: /Read models/ });
    await control.getByRole('checkbox', { name: 'Deliver each event twice' }).check();
    await move(page, 'deposit', '5');
    await waitBalance(page, LONG, '105.00');
    const table = control.getByRole('table', { name: /Each event delivered twice/ });
    const row = table.getByRole('row', { name: new RegExp(LONG) });
    await row.filter({ hasText: '110.00' }).waitFor();
    assert.match(await row.textContent(), /110\.00\s*105\.00/);
    await control.getByText('The read models ignored the second delivery of #2').waitFor();
    await elementScreenshot(t, control, 'delivery-twice-desktop-light');
    await assertNoSeriousViolations(page, 'deliver twice');
    await control.getByRole('checkbox', { name: 'Deliver each event twice' }).uncheck();
    await table.waitFor({ state: 'detached' });
    assert.equal(await balance(page, LONG), '105.00');
  }, BANK);
});
