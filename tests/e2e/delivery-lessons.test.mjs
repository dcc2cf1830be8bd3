// The two lessons on read-model delivery, each taken as a newcomer would, acting only
// by what the page shows (roles, accessible names, visible text), each reached by its
// title in the course overview: "Stale reads" (pause delivery, deposit, the statement
// shows the old balance as predicted, then a read that waits for the write) and
// "At least once" (a crash after the debit, a reload, the repeat absorbed; deliver
// twice). axe checks each finished lesson.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './harness.mjs';
import { BANK, elementScreenshot } from './bank.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

const panel = (page) => page.getByRole('complementary').filter({ hasText: 'Predict, then act' });

/** Opens the lesson titled `title` from the course overview, as a learner would. */
async function openByTitle(app, title) {
  const page = await app.open('#lesson=1');
  await panel(page).getByRole('button', { name: 'Lock my prediction' }).waitFor();
  await panel(page).getByRole('button', { name: 'All lessons' }).click();
  await panel(page).getByRole('button', { name: new RegExp(`^\\d+\\. ${title}`) }).click();
  await panel(page).getByRole('heading', { level: 2, name: title }).waitFor();
  await panel(page).getByRole('button', { name: 'Lock my prediction' }).waitFor();
  return page;
}

async function tasksDone(page, k, of) {
  await panel(page).getByText(`${k} of ${of} ${of === 1 ? 'task' : 'tasks'} done`).waitFor();
}

async function selectAccount(page, id) {
  await page.getByRole('table', { name: 'Accounts and their balances' }).getByRole('link', { name: id, exact: true }).click();
  await page.getByRole('heading', { level: 3, name: new RegExp(id) }).first().waitFor();
}

async function move(page, kind, amount, description = 'learn') {
  const form = page.getByRole('form', { name: 'Move money' });
  await form.getByLabel('Amount').fill(amount);
  await form.getByLabel('Description').fill(description);
  await form.getByRole('button', { name: kind, exact: true }).click();
}

async function balanceIs(page, id, value) {
  await page.getByRole('table', { name: 'Accounts and their balances' })
    .getByRole('row').filter({ has: page.getByRole('link', { name: id, exact: true }) })
    .getByText(value, { exact: true }).waitFor();
}

test('Stale reads: paused delivery shows the old balance, as predicted; a read that waits shows the deposit', async (t) => {
  await withApp(t, async (app) => {
    const page = await openByTitle(app, 'Stale reads');
    await balanceIs(page, 'alice-123', '750.00');
    // The prediction: the statement will still show the old balance.
    await panel(page).getByLabel('Balance the statement of alice-123 shows').fill('750.00');
    await panel(page).getByRole('button', { name: 'Lock my prediction' }).click();
    await panel(page).getByText('Your prediction, locked:').waitFor();

    const control = page.getByRole('group', { name: /Read models/ });
    await control.getByRole('button', { name: 'Pause delivery' }).click();
    await selectAccount(page, 'alice-123');
    await move(page, 'Deposit', '10.00');
    await control.getByText(/Log at #\d+, statement at #\d+: 1 event not delivered yet\./).waitFor();
    await tasksDone(page, 1, 2);
    await balanceIs(page, 'alice-123', '750.00');
    const table = panel(page).getByRole('table', { name: 'Your prediction beside the log' });
    await panel(page).getByText('Your prediction matches the log.').waitFor();
    assert.match(await table.textContent(), /750\.00 \(statement at #\d+, log at #\d+\)/);

    await control.getByRole('button', { name: 'Read my last write (wait for it)' }).click();
    await control.getByText(/Waiting for your write at #\d+/).waitFor();
    await control.getByRole('button', { name: 'Deliver next event' }).click();
    await control.getByText(/Waited for your write at #\d+: the statement was at #\d+/).waitFor();
    await balanceIs(page, 'alice-123', '760.00');
    await tasksDone(page, 2, 2);
    await elementScreenshot(t, control, 'lesson-stale-control');
    await assertNoSeriousViolations(page, 'lesson "Stale reads" finished');
  }, BANK);
});

async function send(page, { id, from, to, amount, crash }) {
  const form = page.getByRole('form', { name: 'Send money' });
  await form.getByLabel('Transfer id').fill(id);
  await form.getByLabel('From account').fill(from);
  await form.getByLabel('To account').fill(to);
  await form.getByLabel('Amount').fill(amount);
  await form.getByLabel('All at once').check();
  await form.getByText('Inject a fault').click();
  await form.getByLabel('Crash').selectOption({ label: crash });
  await form.getByRole('button', { name: 'Start transfer' }).click();
}

test('At least once: the debit run again after a crash is absorbed, as predicted; a deposit delivered twice counts once', async (t) => {
  await withApp(t, async (app) => {
    const page = await openByTitle(app, 'At least once');
    await balanceIs(page, 'alice-123', '750.00');
    // Once: 750.00 less 50.00.
    await panel(page).getByLabel('Balance of alice-123').fill('700.00');
    await panel(page).getByRole('button', { name: 'Lock my prediction' }).click();
    await panel(page).getByText('Your prediction, locked:').waitFor();
    const reloaded = page.waitForEvent('load');
    await send(page, { id: 't-crash', from: 'alice-123', to: 'bob-456', amount: '50.00', crash: 'after the debit, before it is recorded' });
    await reloaded;
    await app.ready(page);
    await tasksDone(page, 2, 3);
    await panel(page).getByText('Your prediction matches the log.').waitFor();
    await balanceIs(page, 'alice-123', '700.00');
    await page.getByRole('table', { name: 'Transfers and their status' }).getByRole('link', { name: 't-crash', exact: true }).click();
    await page.getByText(/debit already applied at #\d+ \(the leg ran again and wrote nothing\), not applied twice/).first().waitFor();

    const control = page.getByRole('group', { name: /Read models/ });
    await control.getByRole('checkbox', { name: 'Deliver each event twice' }).check();
    await selectAccount(page, 'alice-123');
    await move(page, 'Deposit', '10.00');
    await balanceIs(page, 'alice-123', '710.00');
    const row = control.getByRole('table', { name: /Each event delivered twice/ }).getByRole('row', { name: /alice-123/ });
    await row.filter({ hasText: '720.00' }).waitFor();
    assert.match(await row.textContent(), /720\.00\s*710\.00/);
    await tasksDone(page, 3, 3);
    await assertNoSeriousViolations(page, 'lesson "At least once" finished');
  }, BANK);
});
