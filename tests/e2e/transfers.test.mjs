// Journeys with transfers: one that completes, a compensation stepped through one step
// at a time, a transient failure with retries, a crash and its resume, keyboard-only
// use of the form, and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS, SCREENSHOTS } from './harness.mjs';
import {
  BANK, openAccount, waitBalance, loadScenario, spanStatus, nextStep, waitTransferStatus,
  fillTransfer, errorText,
} from './bank.mjs';

test('a transfer run all at once completes and moves the money', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'alice', 'Alice', '100.00');
    await openAccount(page, 'bob', 'Bob', '100.00');
    await waitBalance(page, 'bob', '100.00');
    const form = await fillTransfer(page, { id: 'rent-1', from: 'alice', to: 'bob', amount: '30', description: 'rent' });
    await form.getByRole('button', { name: 'Start transfer' }).click();
    await waitTransferStatus(page, 'rent-1', 'completed');
    await waitBalance(page, 'alice', '70.00');
    await waitBalance(page, 'bob', '130.00');
    for (const key of ['initiated', 'debit', 'credit', 'completed']) {
      assert.equal(await spanStatus(page, key), 'done', key);
    }
    for (const key of ['credit-rejected', 'refund', 'reversed', 'failed']) {
      assert.equal(await spanStatus(page, key), 'not taken', key);
    }
    // The statement links the movement to its transfer.
    await page.getByTestId('account-list').getByRole('link', { name: 'alice', exact: true }).click();
    await page.getByTestId('statement').getByRole('link', { name: 'transfer rent-1' }).click();
    assert.match(page.url(), /#transfer=rent-1$/);
    // Sending the same transfer again answers with the first one and moves nothing.
    await fillTransfer(page, { id: 'rent-1', from: 'alice', to: 'bob', amount: '30', description: 'rent' });
    await form.getByRole('button', { name: 'Start transfer' }).click();
    await page.getByTestId('announcer').getByText('Transfer rent-1 already exists with these details: nothing new was written').waitFor();
    await waitBalance(page, 'alice', '70.00');
    // ...and with other details it is refused.
    await fillTransfer(page, { id: 'rent-1', from: 'alice', to: 'bob', amount: '31' });
    await form.getByRole('button', { name: 'Start transfer' }).click();
    assert.match(await errorText(page, 'transfer-error', /already exists with different details/), /already exists with different details/);
  }, BANK);
});

test('a transfer to a closed account is compensated, one step at a time', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'compensation');
    await waitBalance(page, 'alice', '100.00');
    assert.equal(await spanStatus(page, 'initiated'), 'done');
    assert.equal(await spanStatus(page, 'debit'), 'next');
    assert.equal(await spanStatus(page, 'refund'), 'to come');

    await nextStep(page); // debit
    assert.equal(await spanStatus(page, 'debit'), 'done');
    await waitBalance(page, 'alice', '90.00');
    assert.equal(await spanStatus(page, 'credit'), 'next');

    await nextStep(page); // credit, rejected by the closed account
    assert.equal(await spanStatus(page, 'credit'), 'rejected');
    assert.equal(await spanStatus(page, 'credit-rejected'), 'done');
    assert.equal(await spanStatus(page, 'completed'), 'not taken');
    assert.equal(await spanStatus(page, 'refund'), 'next');
    assert.match(await page.getByTestId('span-credit-rejected').textContent(), /account is closed, not active/);
    await app.screenshot(page, 'transfer-compensating');

    await nextStep(page); // refund
    for (const key of ['refund', 'reversed', 'failed']) {
      assert.equal(await spanStatus(page, key), 'done', key);
    }
    await waitTransferStatus(page, 't1', 'compensated');
    await waitBalance(page, 'alice', '100.00');
    await waitBalance(page, 'carol', '0.00');
    assert.match(await page.getByTestId('timeline-reason').textContent(), /credit of carol rejected: account is closed, not active; the debit was refunded/);
    assert.ok(await page.getByTestId('next-step').isDisabled(), 'nothing is left to step');
    // Causation links: the refund was caused by the rejection's event.
    assert.match(await page.getByTestId('span-refund').textContent(), /caused by #\d+/);
    // Progress was announced for screen readers.
    assert.match(await page.getByTestId('announcer').textContent(), /compensated/);
    await app.screenshot(page, 'transfer-compensated');
  }, BANK);
});

test('a transient failure is retried, each attempt recorded, then the transfer completes', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'transient-failure');
    await nextStep(page); // debit
    await nextStep(page); // credit attempt 1 fails
    await nextStep(page); // credit attempt 2 fails
    const credit = await page.getByTestId('span-credit').textContent();
    assert.match(credit, /credit attempt 1 failed: credit temporarily unavailable/);
    assert.match(credit, /credit attempt 2 failed/);
    assert.equal(await spanStatus(page, 'credit'), 'next');
    await nextStep(page); // credit succeeds
    await waitTransferStatus(page, 't1', 'completed');
    await waitBalance(page, 'bob', '130.00');
  }, BANK);
});

test('play runs the saga on its own and pause stops it', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'happy-transfer');
    await page.getByLabel('Delay between steps').fill('100');
    await page.getByTestId('play').click();
    await waitTransferStatus(page, 't1', 'completed');
    assert.equal(await page.getByTestId('play').textContent(), 'Play');
    await waitBalance(page, 'alice', '70.00');
  }, BANK);
});

test('a crash after the debit reloads the page and the saga resumes from the log', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'alice', 'Alice', '100.00');
    await openAccount(page, 'bob', 'Bob', '100.00');
    await waitBalance(page, 'bob', '100.00');
    const form = await fillTransfer(page, { id: 'crashy', from: 'alice', to: 'bob', amount: '25', mode: 'all' });
    await form.locator('summary').click();
    await form.getByLabel('Crash').selectOption({ label: 'after the debit, before it is recorded' });
    const reloaded = page.waitForEvent('load');
    await form.getByRole('button', { name: 'Start transfer' }).click();
    await page.getByTestId('crash-notice').waitFor();
    await reloaded;
    await app.ready(page);
    await page.getByTestId('resumed-banner').waitFor();
    assert.match(await page.getByTestId('resumed-banner').textContent(), /crashy/);
    // The reloaded page says why it reloaded, once.
    assert.match(
      await page.getByTestId('crash-banner').textContent(),
      /Simulated crash in transfer crashy, after the debit.*: the page was reloaded/,
    );
    await waitTransferStatus(page, 'crashy', 'completed');
    await waitBalance(page, 'alice', '75.00');
    await waitBalance(page, 'bob', '125.00');
    assert.match(await page.getByTestId('transfer-row-crashy').textContent(), /resumed after reload/);
    await app.screenshot(page, 'transfer-resumed');
    await app.reload(page);
    assert.equal(await page.getByTestId('crash-banner').count(), 0, 'the note is shown once');
  }, BANK);
});

test('the crash banner belongs to the bank the crash happened in', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'ann', 'Ann', '10.00');
    await openAccount(page, 'ben', 'Ben', '0.00');
    await waitBalance(page, 'ben', '0.00');
    const form = await fillTransfer(page, { id: 'boom', from: 'ann', to: 'ben', amount: '1', mode: 'all' });
    await form.locator('summary').click();
    await form.getByLabel('Crash').selectOption({ label: 'after the credit step' });
    const reloaded = page.waitForEvent('load');
    await form.getByRole('button', { name: 'Start transfer' }).click();
    await reloaded;
    await app.ready(page);
    assert.match(
      await page.getByTestId('crash-banner').textContent(),
      /Simulated crash in transfer boom, after the credit step: the page was reloaded/,
    );
    // Another bank: the banner does not follow.
    await loadScenario(page, 'happy-transfer');
    await page.getByTestId('crash-banner').waitFor({ state: 'detached' });
  }, BANK);
});

test('the transfer form works from the keyboard alone, and refuses bad input', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'alice', 'Alice', '50.00');
    await openAccount(page, 'bob', 'Bob', '0');
    await waitBalance(page, 'bob', '0.00');
    const form = page.getByTestId('transfer-form');
    await form.getByLabel('Transfer id').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('kb-1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('alice');
    await page.keyboard.press('Tab');
    await page.keyboard.type('bob');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12.50');
    await page.keyboard.press('Tab');
    await page.keyboard.type('by keyboard');
    await page.keyboard.press('Tab'); // the first mode radio
    await page.keyboard.press('ArrowDown'); // "All at once"
    await page.keyboard.press('Enter'); // submits the form
    await waitTransferStatus(page, 'kb-1', 'completed');
    await waitBalance(page, 'bob', '12.50');

    const bad = [
      [{ from: 'alice', to: 'alice', amount: '1' }, /cannot transfer from account alice to itself/],
      [{ from: 'alice', to: 'bob', amount: '0' }, /transfer amount must be positive/],
      [{ from: 'alice', to: 'bob', amount: '1.234' }, /more than 2 decimal places/],
      [{ from: 'alice', to: '', amount: '1' }, /To account: account id is empty/],
      [{ from: 'alice', to: 'bob', amount: 'Infinity' }, /is not an amount/],
    ];
    const before = await page.getByTestId('transfer-list').locator('tbody tr').count();
    for (const [fields, message] of bad) {
      await fillTransfer(page, { id: 'bad-1', ...fields });
      await form.getByRole('button', { name: 'Start transfer' }).click();
      assert.match(await errorText(page, 'transfer-error', message), message);
    }
    assert.equal(await page.getByTestId('transfer-list').locator('tbody tr').count(), before, 'nothing was written');
  }, BANK);
});

test('the saga timeline is usable at 375px wide', async (t) => {
  await withApp(
    t,
    async (app) => {
      const page = await app.open();
      await loadScenario(page, 'compensation');
      await nextStep(page);
      await nextStep(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      await assertTransfersFit(page, 'compensating');
      await page.getByTestId('saga-timeline').scrollIntoViewIfNeeded();
      await app.screenshot(page, 'timeline-mobile');
      await nextStep(page);
      await waitTransferStatus(page, 't1', 'compensated');
      await assertTransfersFit(page, 'compensated');
    },
    { ...BANK, viewport: VIEWPORTS.mobile },
  );
});

test('pausing and playing again runs the saga once, and the id suggestion moves on', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'transient-failure');
    // The scenario created t1: the form suggests an id that is free.
    const suggested = await page.getByTestId('transfer-form').getByLabel('Transfer id').inputValue();
    assert.notEqual(suggested, 't1');
    await page.getByLabel('Delay between steps').fill('300');
    const play = page.getByTestId('play');
    await play.click(); // play
    await play.click(); // pause
    await play.click(); // play again
    await waitTransferStatus(page, 't1', 'completed');
    const credit = await page.getByTestId('span-credit').textContent();
    assert.equal(credit.match(/TransferStepRetried/g)?.length, 2, credit);
    assert.match(credit, /attempt 1 failed/);
    assert.match(credit, /attempt 2 failed/);
    await waitBalance(page, 'bob', '130.00');
    await waitBalance(page, 'alice', '70.00');
  }, BANK);
});

test('a fault applies to one transfer only and is named while folded away; a bad failure count is explained even when folded', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'alice', 'Alice', '100.00');
    await openAccount(page, 'bob', 'Bob', '0');
    await waitBalance(page, 'bob', '0.00');
    const form = page.getByTestId('transfer-form');
    const faults = form.locator('details.faults');
    const summary = faults.locator('summary');
    await summary.click();
    await form.getByLabel(/destination rejects the credit/).check();
    await summary.click(); // folded again
    assert.equal(await faults.evaluate((d) => d.open), false);
    assert.match(await page.getByTestId('faults-active').textContent(), /credit rejected/);

    await fillTransfer(page, { id: 'rj', from: 'alice', to: 'bob', amount: '10' });
    await form.getByRole('button', { name: 'Start transfer' }).click();
    await waitTransferStatus(page, 'rj', 'compensated');
    // The form lets go of the fault once the command has answered, a moment after the
    // last event is shown: wait for it.
    await page.waitForFunction(() => document.querySelector('[data-testid="faults-active"]')?.textContent.trim() === '');
    assert.equal((await page.getByTestId('faults-active').textContent()).trim(), '', 'the fault is off after its transfer');

    await fillTransfer(page, { id: 'ok', from: 'alice', to: 'bob', amount: '10' });
    await form.getByRole('button', { name: 'Start transfer' }).click();
    await waitTransferStatus(page, 'ok', 'completed');
    await waitBalance(page, 'bob', '10.00');

    // A count the field's limits refuse, with the fault options folded away.
    await summary.click();
    await form.getByLabel('Failures before success').fill('9');
    await summary.click();
    await fillTransfer(page, { id: 'nine', from: 'alice', to: 'bob', amount: '1' });
    await form.getByRole('button', { name: 'Start transfer' }).click();
    assert.match(await errorText(page, 'transfer-error', /at most 8/), /Failures before success: at most 8/);
    assert.equal(await page.getByTestId('transfer-row-nine').count(), 0, 'nothing was started');
    // Typing again clears the message.
    await form.getByLabel('Amount').fill('2');
    await page.getByTestId('transfer-error').waitFor({ state: 'hidden' });

    // An account that does not exist is allowed, and what will happen is said first.
    await form.getByLabel('To account').fill('nobody');
    assert.match(await page.getByTestId('transfer-unknown-account').textContent(), /no account nobody: the credit would be refused/);
    await form.getByLabel('To account').fill('bob');
    await page.getByTestId('transfer-unknown-account').waitFor({ state: 'hidden' });
  }, BANK);
});

test('a scenario on a bank with events asks first; Cancel keeps the bank; Load starts clean with the keyboard on Next step, which hands focus to the saga at the end', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'mine', 'Me', '500.00');
    const form = page.getByTestId('transfer-form');
    await form.getByLabel('From account').fill('mine');

    await page.getByTestId('scenario-compensation').click();
    const dialog = page.getByTestId('scenario-dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /Load “Compensation \(closed destination\)”\?.*\(1 event\)/s);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await waitBalance(page, 'mine', '500.00');
    // The keyboard is back on the button that asked; Escape cancels too.
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'scenario-compensation');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'scenario-confirm');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await waitBalance(page, 'mine', '500.00');

    await page.getByTestId('scenario-compensation').click();
    await page.getByTestId('scenario-confirm').click();
    await page.getByTestId('saga-timeline').waitFor();
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'next-step');
    assert.equal(await page.getByTestId('account-row-mine').count(), 0);
    assert.equal(await form.getByLabel('From account').inputValue(), '', 'the form starts clean for the new bank');

    // Enter on the focused Next step, to the end: the keyboard stays on the saga.
    while (await page.getByTestId('next-step').isEnabled()) {
      const before = await page.getByTestId('saga-timeline').textContent();
      await page.keyboard.press('Enter');
      await page.waitForFunction((before) => {
        const timeline = document.querySelector('[data-testid="saga-timeline"]');
        return timeline && timeline.getAttribute('aria-busy') !== 'true' && timeline.textContent !== before;
      }, before);
    }
    await page.waitForFunction(() => document.activeElement?.id === 'timeline-title');
    assert.match(await page.getByTestId('saga-timeline').textContent(), /compensated/);
  }, BANK);
});

test('stepping a compensation shows the money move beside the saga, without scrolling away', async (t) => {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    await withApp(t, async (app) => {
      const page = await app.open();
      await loadScenario(page, 'compensation');
      const money = page.getByTestId('saga-money');
      const text = async (id) => (await page.getByTestId(id).textContent()).trim();
      assert.equal(await text('saga-money-from-balance'), '100.00');
      assert.equal(await text('saga-money-to-balance'), '0.00');
      assert.equal(await text('saga-money-from-change'), "at the transfer's start, #4: not moved yet");
      await nextStep(page); // the debit
      assert.equal(await text('saga-money-from-balance'), '90.00');
      assert.equal(await text('saga-money-from-change'), 'after the debit, #5: 100.00 → 90.00');
      assert.match(await page.getByTestId('span-debit').getByTestId('leg-money').textContent(), /alice: 100\.00 → 90\.00/);
      await nextStep(page); // the credit, refused by the closed account
      assert.equal(await text('saga-money-to-balance'), '0.00');
      assert.equal(await text('saga-money-to-change'), "at the transfer's start, #4: not moved yet");
      await nextStep(page); // the refund
      assert.equal(await text('saga-money-from-balance'), '100.00');
      assert.equal(await text('saga-money-from-change'), 'after the refund, #8: 90.00 → 100.00');
      assert.equal(await text('saga-money-to-change'), "at the transfer's start, #4: not moved by this transfer");
      assert.equal(await page.getByTestId('saga-money-from-now').count(), 0, 'nothing moved alice since the refund');
      // The balances stay in view while the steps are read: scroll to the last step.
      await page.getByTestId('span-failed').scrollIntoViewIfNeeded();
      const box = await money.boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= viewport.height, `the balances are in view at ${name}: ${JSON.stringify(box)}`);
      // What the learner sees (the viewport, not the whole page).
      await page.screenshot({ path: `${SCREENSHOTS}/saga-money-${name}.png` });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: `${SCREENSHOTS}/saga-money-${name}-dark.png` });
    }, { ...BANK, viewport });
  }
});

test('at 375px, 64-character ids wrap: the transfers table and the page still fit', async (t) => {
  await withApp(
    t,
    async (app) => {
      const page = await app.open();
      const [a, b, id] = ['a'.repeat(63) + '1', 'b'.repeat(63) + '2', 't'.repeat(64)];
      await openAccount(page, a, 'Alice', '10');
      await waitBalance(page, a, '10.00');
      await openAccount(page, b, 'Bob', '0');
      await waitBalance(page, b, '0.00');
      const form = await fillTransfer(page, { id, from: a, to: b, amount: '1.00' });
      await form.getByRole('button', { name: 'Start transfer' }).click();
      await waitTransferStatus(page, id, 'completed');
      await assertTransfersFit(page, 'long ids');
      const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      await app.screenshot(page, 'transfers-long-ids-mobile');
    },
    { ...BANK, viewport: VIEWPORTS.mobile },
  );
});
/** Fails unless the transfers table fits its box: no hidden sideways scroll inside it, and
 * no cell (the status badge last) past its right edge. */
async function assertTransfersFit(page, what) {
  const fit = await page.getByTestId('transfer-list').evaluate((table) => {
    const wrap = table.parentElement;
    const right = wrap.getBoundingClientRect().right;
    return {
      over: table.scrollWidth - wrap.clientWidth,
      cut: [...table.querySelectorAll('th, td, .badge')]
        .filter((c) => c.getBoundingClientRect().right > right + 0.5)
        .map((c) => c.textContent.trim()),
    };
  });
  assert.ok(fit.over <= 0, `${what}: the transfers table is ${fit.over}px wider than its box`);
  assert.deepEqual(fit.cut, [], `${what}: cut off at the box's right edge`);
}
