// Firefox: the compensation scenario loaded from the scenario bar and stepped to
// "compensated", then time travel (the slider, by pointer value and by keyboard) shows an
// older balance, and the audit trail shows a selected event's envelope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './harness.mjs';
import {
  BANK, loadScenario, nextStep, spanStatus, waitTransferStatus, waitBalance, waitAuditCount,
  waitDetails, waitTimeTravelPosition, timeTravelBalances, byTestId, fill, text,
} from './bank.mjs';

test('Firefox: a transfer to a closed account is compensated step by step; time travel and the audit trail show its history', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'compensation');
    await waitBalance(page, 'alice', '100.00');
    assert.equal(await spanStatus(page, 'initiated'), 'done');
    assert.equal(await spanStatus(page, 'debit'), 'next');

    await nextStep(page); // debit
    await waitBalance(page, 'alice', '90.00');
    assert.equal(await spanStatus(page, 'credit'), 'next');
    await nextStep(page); // credit, rejected by the closed account
    assert.equal(await spanStatus(page, 'credit'), 'rejected');
    assert.match(await text(page, 'span-credit-rejected'), /account is closed, not active/);
    await nextStep(page); // refund
    await waitTransferStatus(page, 't1', 'compensated');
    await waitBalance(page, 'alice', '100.00');
    assert.match(await text(page, 'timeline-reason'), /credit of carol rejected: account is closed, not active; the debit was refunded/);
    assert.ok(await page.$eval('[data-testid="next-step"]', (b) => b.disabled), 'nothing is left to step');
    await waitAuditCount(page, '10 events');
    await app.screenshot(page, 'compensated-desktop');

    // Time travel: back to event 5 (the debit), where alice had 90.00, then one more step
    // back with the keyboard, before the debit.
    await waitTimeTravelPosition(page, 'Event 10 of 10');
    assert.equal((await timeTravelBalances(page)).alice, '100.00');
    const slider = await byTestId(page, 'timetravel-slider');
    await fill(slider, '5');
    await waitTimeTravelPosition(page, 'Event 5 of 10');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="timetravel-accounts"] caption')?.textContent.startsWith('Accounts as of event 5:'),
    );
    assert.deepEqual(await timeTravelBalances(page), { alice: '90.00', carol: '0.00' });
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await waitTimeTravelPosition(page, 'Event 4 of 10');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="timetravel-account-alice"] [data-testid="timetravel-balance"]')?.textContent.trim() === '100.00',
    );
    // The live bank is unchanged by looking back.
    await waitBalance(page, 'alice', '100.00');

    // The audit trail: a click selects the refund and shows its envelope as stored.
    await (await byTestId(page, 'audit-row-8')).click();
    assert.equal(await waitDetails(page, 8), 'Event #8: MoneyDeposited');
    await page.waitForFunction(() => location.hash === '#event=8');
    const envelope = JSON.parse(await text(page, 'audit-json'));
    assert.equal(envelope.position, 8);
    assert.equal(envelope.stream, 'account-alice');
    assert.equal(envelope.type, 'MoneyDeposited');
    assert.equal(envelope.correlation_id, 't1');
    assert.equal(envelope.data.amount, '10.00');
    // Time travel follows the selection.
    await waitTimeTravelPosition(page, 'Event 8 of 10');
    // The causation link leads to the rejection.
    await (await byTestId(page, 'audit-causation-link')).click();
    assert.equal(await waitDetails(page, 7), 'Event #7: TransferCreditRejected');
    assert.equal(JSON.parse(await text(page, 'audit-json')).data.reason, 'account is closed, not active');
    await app.screenshot(page, 'audit-desktop');
  }, BANK);
});
