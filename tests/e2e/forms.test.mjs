// Every form behaves alike (src/ui/widgets.rs, clear_error_on_input): a refusal is shown
// under the form and the refused value stays in its field to be corrected; the error
// goes as soon as a field of that form changes, so an old refusal is never read as the
// answer to what is typed now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './harness.mjs';
import { BANK, openAccount, waitBalance, selectAccount, move, errorText, fillTransfer, chooseImport } from './bank.mjs';

/** Waits until the error under a form (by its test id) is hidden. */
async function errorGone(page, testId) {
  await page.getByTestId(testId).waitFor({ state: 'hidden' });
}

test('the deposit/withdraw form keeps a refused amount and drops its error once a new amount is typed', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'alice', 'Alice', '10.00');
    await waitBalance(page, 'alice', '10.00');
    await selectAccount(page, 'alice');
    const form = page.getByTestId('money-form');

    for (const attempt of ['50.00', '20.00', '11.00']) {
      await move(page, 'withdraw', attempt, 'rent');
      assert.match(await errorText(page, 'account-error', new RegExp(`< ${attempt.replace('.', '\\.')}`)), /insufficient balance/);
      assert.equal(await form.getByLabel('Amount').inputValue(), attempt, 'the refused amount stays to be fixed');
      assert.equal(await form.getByLabel('Description').inputValue(), 'rent');
      // Typing a new amount: the old refusal goes at the first keystroke.
      await form.getByLabel('Amount').press('End');
      await form.getByLabel('Amount').press('Backspace');
      await errorGone(page, 'account-error');
    }
    // A malformed amount is refused by the form itself, and goes the same way.
    await move(page, 'deposit', '1.234');
    await errorText(page, 'account-error', /Amount/);
    assert.equal(await form.getByLabel('Amount').inputValue(), '1.234');
    await form.getByLabel('Description').fill('bonus');
    await errorGone(page, 'account-error');
    await form.getByLabel('Amount').fill('5.00');
    await form.getByRole('button', { name: 'Deposit' }).click();
    await waitBalance(page, 'alice', '15.00');
    assert.equal(await form.getByLabel('Amount').inputValue(), '', 'a stored amount is cleared');
  }, BANK);
});

test('the open-account, suspend and transfer forms and the import clear their error on input the same way', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();

    // Open an account: a refused id stays, the error goes when it is edited.
    await openAccount(page, 'bad id', 'Alice', '1.00');
    await errorText(page, 'open-account-error', /may only use/);
    const open = page.getByTestId('open-account-form');
    assert.equal(await open.getByLabel('Account id').inputValue(), 'bad id');
    await open.getByLabel('Account id').fill('alice');
    await errorGone(page, 'open-account-error');
    await open.getByRole('button', { name: 'Open account' }).click();
    await waitBalance(page, 'alice', '1.00');

    // Suspend: reactivating an active account is refused; typing a reason clears it.
    await selectAccount(page, 'alice');
    await page.getByRole('button', { name: 'Reactivate' }).click();
    await errorText(page, 'account-error', /suspended/);
    await page.getByLabel('Reason to suspend').fill('fraud check');
    await errorGone(page, 'account-error');

    // Transfer: a refused amount stays; choosing another run mode clears the error too.
    await fillTransfer(page, { from: 'alice', to: 'alice', amount: '1.00' });
    const form = page.getByTestId('transfer-form');
    await form.getByRole('button', { name: 'Start transfer' }).click();
    await errorText(page, 'transfer-error', /.+/);
    assert.equal(await form.getByLabel('Amount').inputValue(), '1.00');
    await form.getByLabel(/Step by step/).check();
    await errorGone(page, 'transfer-error');

    // Import: the error names the refused file, and goes when another file is chosen.
    await chooseImport(page, 'not a log\n', 'broken.jsonl');
    assert.match(await errorText(page, 'import-error', /broken/), /^broken\.jsonl: line 1/);
    await chooseImport(page, '\n', 'empty.jsonl');
    assert.match(await errorText(page, 'import-error', /empty/), /^empty\.jsonl: the file holds no events/);
  }, BANK);
});
