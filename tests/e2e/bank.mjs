// Page helpers for the bank's journeys: they act as a user would (labels, roles,
// data-testid), never by layout.
import assert from 'node:assert/strict';

/** What app.open()/app.ready() wait for: the bank is shown, or its data error screen. */
export const READY = '[data-testid="store-badge"], [data-testid="data-error"]';

/** Options for withApp that wait for the bank itself. */
export const BANK = { readySelector: READY };

export async function openAccount(page, id, owner, initial = '0.00') {
  const form = page.getByTestId('open-account-form');
  await form.getByLabel('Account id').fill(id);
  await form.getByLabel('Owner name').fill(owner);
  await form.getByLabel('Initial balance').fill(initial);
  await form.getByRole('button', { name: 'Open account' }).click();
}

/** Waits until the account list shows `value` as `id`'s balance. */
export async function waitBalance(page, id, value) {
  await page.waitForFunction(
    ([id, value]) =>
      document.querySelector(`[data-testid="account-row-${id}"] [data-testid="balance"]`)?.textContent.trim() === value,
    [id, value],
  );
}

export async function balance(page, id) {
  return (await page.getByTestId(`account-row-${id}`).getByTestId('balance').textContent()).trim();
}

/** Opens an account's detail card through its link. */
export async function selectAccount(page, id) {
  await page.getByTestId('account-list').getByRole('link', { name: id, exact: true }).click();
  await page.getByTestId('account-detail').getByRole('heading').filter({ hasText: id }).waitFor();
}

/** Deposits or withdraws on the selected account. */
export async function move(page, kind, amount, description = '') {
  const form = page.getByTestId('money-form');
  await form.getByLabel('Amount').fill(amount);
  await form.getByLabel('Description').fill(description);
  await form.getByRole('button', { name: kind === 'deposit' ? 'Deposit' : 'Withdraw' }).click();
}

/**
 * Waits until the error under a form (by its test id) says `expected` (a regex), and
 * returns its text. Errors stay on screen between attempts, so waiting for the element
 * alone could read the previous message.
 */
export async function errorText(page, testId, expected) {
  const error = page.getByTestId(testId);
  await error.waitFor({ state: 'visible' });
  if (expected) {
    try {
      await page.waitForFunction(
        ([id, source, flags]) =>
          new RegExp(source, flags).test(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''),
        [testId, expected.source, expected.flags],
        { timeout: 5000 },
      );
    } catch {
      // Fall through: the caller's assertion shows what the error said instead.
    }
  }
  return (await error.textContent()).trim();
}

export async function loadScenario(page, key) {
  await page.getByTestId(`scenario-${key}`).click();
  await page.getByTestId('saga-timeline').or(page.getByTestId('account-list').locator('tbody tr').first()).first().waitFor();
}

/** The status word of a saga timeline span (done, next, rejected, to come, not taken). */
export async function spanStatus(page, key) {
  return page.getByTestId(`span-${key}`).getAttribute('data-status');
}

export async function nextStep(page) {
  const before = await page.getByTestId('saga-timeline').textContent();
  await page.getByTestId('next-step').click();
  await page.waitForFunction(
    (before) => document.querySelector('[data-testid="saga-timeline"]')?.textContent !== before,
    before,
  );
}

export async function transferStatus(page, id) {
  return (await page.getByTestId(`transfer-row-${id}`).getByTestId('transfer-status').textContent()).trim();
}

export async function waitTransferStatus(page, id, status) {
  await page.waitForFunction(
    ([id, status]) =>
      document.querySelector(`[data-testid="transfer-row-${id}"] [data-testid="transfer-status"]`)?.textContent.trim().endsWith(status),
    [id, status],
  );
  assert.ok((await transferStatus(page, id)).endsWith(status));
}

/** Fills the transfer form; `mode` is 'step' or 'all'. */
export async function fillTransfer(page, { id, from, to, amount, description = '', mode = 'all' }) {
  const form = page.getByTestId('transfer-form');
  if (id !== undefined) await form.getByLabel('Transfer id').fill(id);
  await form.getByLabel('From account').fill(from);
  await form.getByLabel('To account').fill(to);
  await form.getByLabel('Amount').fill(amount);
  await form.getByLabel('Description').fill(description);
  await form.getByLabel(mode === 'step' ? /Step by step/ : 'All at once').check();
  return form;
}
