// A double click or a second Enter never sends a command twice: every kind of button
// that sends one shows itself busy (aria-disabled) while it runs, and ignores a second
// press meanwhile. Each press below comes twice in the same instant, faster than any
// hand, and the audit trail must grow by what one press writes, with no error shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './harness.mjs';
import { BANK, waitBalance, selectAccount, fillTransfer, waitTransferStatus } from './bank.mjs';

/** The number of events in the audit trail. */
async function events(page) {
  const text = await page.getByTestId('audit-count').textContent();
  return Number(text.trim().match(/(\d+) events?$/)?.[1] ?? 0);
}

/** Presses `target` twice at once: two clicks on a button, or two submits of a form
 * (two Enters), and watches its button for a busy state. */
async function twice(target, how = 'click') {
  await target.evaluate((el, how) => {
    const button = how === 'submit' ? el.querySelector('button[type=submit]') : el;
    window.__button = button;
    window.__sawBusy = false;
    new MutationObserver(() => {
      if (button.disabled || button.getAttribute('aria-disabled') === 'true') window.__sawBusy = true;
    }).observe(button, { attributes: true });
    if (how === 'submit') {
      el.requestSubmit();
      el.requestSubmit();
    } else {
      el.click();
      el.click();
    }
  }, how);
}

/** After `twice`: waits until the audit trail shows `expected` events and the button
 * is free again, then checks that it was busy meanwhile and nothing more was written. */
async function settled(page, expected, what) {
  await page.waitForFunction(
    (expected) => {
      const m = document.querySelector('[data-testid="audit-count"]')?.textContent.trim().match(/(\d+) events?$/);
      return Number(m?.[1] ?? 0) >= expected;
    },
    expected,
  );
  await page.waitForFunction(() => {
    const b = window.__button;
    return !b.isConnected || (!b.disabled && b.getAttribute('aria-disabled') !== 'true') || b.hidden;
  });
  assert.equal(await page.evaluate(() => window.__sawBusy), true, `${what}: the button shows it is busy while the command runs`);
  assert.equal(await events(page), expected, `${what}: one press's events, not two`);
}

async function noError(page, testId, what) {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  assert.equal(text.trim(), '', `${what}: no error from a second press`);
}

test('a double click or a double Enter sends each command once', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await page.getByText('No accounts yet').waitFor();

    const open = page.getByTestId('open-account-form');
    for (const [id, owner] of [['alice-1', 'Alice'], ['bob-2', 'Bob']]) {
      const before = await events(page);
      await open.getByLabel('Account id').fill(id);
      await open.getByLabel('Owner name').fill(owner);
      await open.getByLabel('Initial balance').fill('0');
      await twice(open, 'submit');
      await settled(page, before + 1, `Open account ${id}`);
      await waitBalance(page, id, '0.00');
      await noError(page, 'open-account-error', 'Open account');
    }

    await selectAccount(page, 'alice-1');
    const money = page.getByTestId('money-form');
    await money.getByLabel('Amount').fill('10');
    await twice(money, 'submit');
    await settled(page, 3, 'Deposit');
    await waitBalance(page, 'alice-1', '10.00');
    await money.getByLabel('Amount').fill('4');
    await twice(money.getByRole('button', { name: 'Withdraw' }));
    await settled(page, 4, 'Withdraw');
    await waitBalance(page, 'alice-1', '6.00');
    await noError(page, 'account-error', 'Deposit and withdraw');

    const detail = page.getByTestId('account-detail');
    await detail.getByLabel('Reason to suspend').fill('card lost');
    await twice(detail.getByRole('button', { name: 'Suspend' }));
    await settled(page, 5, 'Suspend');
    await page.getByTestId('account-row-alice-1').getByText('suspended').waitFor();
    await noError(page, 'account-error', 'Suspend');
    await twice(detail.getByRole('button', { name: 'Reactivate' }));
    await settled(page, 6, 'Reactivate');
    await page.getByTestId('account-row-alice-1').getByText('active').waitFor();
    await noError(page, 'account-error', 'Reactivate');

    // A transfer all at once, then one step by step and its Next step.
    let before = await events(page);
    const form = await fillTransfer(page, { id: 't-all', from: 'alice-1', to: 'bob-2', amount: '1', mode: 'all' });
    await twice(form, 'submit');
    await waitTransferStatus(page, 't-all', 'completed');
    const oneTransfer = (await events(page)) - before;
    await settled(page, before + oneTransfer, 'Start transfer (all at once)');
    await noError(page, 'transfer-error', 'Start transfer');
    assert.equal(await page.getByTestId('transfer-row-t-all').count(), 1);

    before = await events(page);
    await fillTransfer(page, { id: 't-step', from: 'alice-1', to: 'bob-2', amount: '1', mode: 'step' });
    await twice(form, 'submit');
    await settled(page, before + 1, 'Start transfer (step by step)');
    await page.getByTestId('transfer-row-t-step').waitFor();
    before = await events(page);
    await twice(page.getByTestId('next-step'));
    // The first step debits the source: the saga's step event and the account's.
    await settled(page, before + 2, 'Next step');

    // Withdraw what is left, then close once.
    await selectAccount(page, 'bob-2');
    await money.getByLabel('Amount').fill('1');
    before = await events(page);
    await twice(money.getByRole('button', { name: 'Withdraw' }));
    await settled(page, before + 1, 'Withdraw');
    await detail.getByRole('button', { name: 'Close account' }).click();
    before = await events(page);
    await twice(detail.getByRole('button', { name: 'Close for good' }));
    await settled(page, before + 1, 'Close for good');
    await page.getByTestId('account-row-bob-2').getByText('closed').waitFor();
    await noError(page, 'account-error', 'Close for good');
  }, BANK);
});
