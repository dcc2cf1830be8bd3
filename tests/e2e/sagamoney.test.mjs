// The saga's words and figures as a reader sees them (issue 25): the balances pinned
// beside a saga are those of the saga's steps, with the account today set apart and
// labelled, in the app, beside time travel, and at 64-character ids; a refused debit
// says what was refused and why, in the app and in the embed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import {
  BANK, loadScenario, selectAccount, move, waitBalance, openAccount, fillTransfer,
  nextStep, spanStatus, waitTimeTravelPosition, timeTravelBalances, elementScreenshot,
} from './bank.mjs';
import { openEmbed } from './share.mjs';

/** The visible text of an element, spaces collapsed. */
async function seen(locator) {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** Seed demo, 100.00 deposited into alice-123 (event 10), transfer-789 opened. */
async function seedThenDeposit(page) {
  await loadScenario(page, 'seed-demo');
  await waitBalance(page, 'alice-123', '750.00');
  await selectAccount(page, 'alice-123');
  await move(page, 'deposit', '100');
  await waitBalance(page, 'alice-123', '850.00');
  await page.getByTestId('transfer-row-transfer-789').getByRole('link').first().click();
  await page.getByTestId('saga-timeline').locator('h3').filter({ hasText: 'transfer-789' }).waitFor();
}

test('an account moved on since its saga: the strip shows the saga\'s balance, and today\'s apart as "now"', async (t) => {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    await withApp(t, async (app) => {
      const page = await app.open();
      await seedThenDeposit(page);
      const from = page.getByTestId('saga-money-from');
      const to = page.getByTestId('saga-money-to');
      assert.equal(await seen(page.getByTestId('saga-money-from-balance')), '750.00');
      assert.equal(await seen(page.getByTestId('saga-money-from-change')), 'after the debit, #4: 1000.00 → 750.00');
      assert.equal(await seen(page.getByTestId('saga-money-from-now')), 'now, after #10: 850.00');
      assert.match(await seen(from), /^from alice-123 Alice 750\.00 active after the debit, #4: 1000\.00 → 750\.00 now, after #10: 850\.00$/i);
      // bob-456 has not moved since the credit: no "now" line.
      assert.match(await seen(to), /^to bob-456 Bob 750\.00 active after the credit, #6: 500\.00 → 750\.00$/i);
      assert.equal(await page.getByTestId('saga-money-to-now').count(), 0);
      await page.getByTestId('saga-money').scrollIntoViewIfNeeded();
      await elementScreenshot(t, page.getByTestId('saga-money'), `saga-money-moved-on-${name}`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await elementScreenshot(t, page.getByTestId('saga-money'), `saga-money-moved-on-${name}-dark`);
      await page.emulateMedia({ colorScheme: 'light' });

      // Time travel at the debit, #4, shows the same 750.00 the strip names; the strip
      // does not follow time travel (it is the saga's), and still says so.
      await page.getByTestId('timetravel-slider').fill('4');
      await waitTimeTravelPosition(page, 'Event 4 of 10');
      await page.waitForFunction(() => document.querySelector('[data-testid="timetravel-accounts"] caption')?.textContent.startsWith('Accounts as of event 4:'));
      assert.equal((await timeTravelBalances(page))['alice-123'], '750.00');
      assert.equal(await seen(page.getByTestId('saga-money-from-change')), 'after the debit, #4: 1000.00 → 750.00');
      assert.equal(await seen(page.getByTestId('saga-money-from-now')), 'now, after #10: 850.00');
    }, { ...BANK, viewport });
  }
});

test('at 375px, 64-character ids and a "now" line: the strip stays inside the page', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    const [a, b, id] = ['a'.repeat(63) + '1', 'b'.repeat(63) + '2', 't'.repeat(64)];
    await openAccount(page, a, 'Alice', '100');
    await waitBalance(page, a, '100.00');
    await openAccount(page, b, 'Bob', '0');
    await waitBalance(page, b, '0.00');
    const form = await fillTransfer(page, { id, from: a, to: b, amount: '30', mode: 'step' });
    await form.getByRole('button', { name: 'Start transfer' }).click();
    await page.getByTestId('saga-money').waitFor();
    await nextStep(page); // the debit
    await selectAccount(page, a);
    await move(page, 'deposit', '5');
    await page.getByTestId('saga-money-from-now').filter({ hasText: '75.00' }).waitFor();
    const strip = page.getByTestId('saga-money');
    await strip.scrollIntoViewIfNeeded();
    const width = page.viewportSize().width;
    for (const part of ['saga-money', 'saga-money-from', 'saga-money-to', 'saga-money-from-now', 'saga-money-from-change']) {
      const box = await page.getByTestId(part).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= width, `${part} fits in ${width}px: ${JSON.stringify(box)}`);
      const spill = await page.getByTestId(part).evaluate((e) => e.scrollWidth - e.clientWidth);
      assert.ok(spill <= 0, `${part} overflows by ${spill}px`);
    }
    assert.equal(await seen(page.getByTestId('saga-money-from-change')), 'after the debit, #4: 100.00 → 70.00');
    await elementScreenshot(t, strip, 'saga-money-longids-mobile');
    await page.emulateMedia({ colorScheme: 'dark' });
    await elementScreenshot(t, strip, 'saga-money-longids-mobile-dark');
  }, { ...BANK, viewport: VIEWPORTS.mobile });
});

const REFUSED_DEBIT = 'WithdrawMoney on the source was refused (insufficient balance: 100.00 < 100.01), so nothing was taken; TransferFailed records why.';

/** Steps the insufficient-funds transfer once and reads its debit. */
async function refusedDebit(page) {
  await nextStep(page);
  assert.equal(await spanStatus(page, 'debit'), 'rejected');
  const debit = page.getByTestId('span-debit');
  const said = await seen(debit.locator('.saga-timeline__explain'));
  assert.equal(said, REFUSED_DEBIT);
  assert.doesNotMatch(await seen(debit), /records TransferDebited/);
  // Nothing moved, and the strip says so.
  assert.equal(await seen(page.getByTestId('saga-money-from-balance')), '100.00');
  assert.equal(await seen(page.getByTestId('saga-money-from-change')), 'at the transfer\'s start, #3: not moved by this transfer');
}

test('a refused debit says what was refused and why, in the app', async (t) => {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    await withApp(t, async (app) => {
      const page = await app.open();
      await loadScenario(page, 'insufficient-funds');
      await refusedDebit(page);
      await page.getByTestId('span-debit').scrollIntoViewIfNeeded();
      await elementScreenshot(t, page.getByTestId('saga-timeline'), `saga-refused-debit-${name}`);
      await page.emulateMedia({ colorScheme: 'dark' });
      await elementScreenshot(t, page.getByTestId('saga-timeline'), `saga-refused-debit-${name}-dark`);
    }, { ...BANK, viewport });
  }
});

test('a refused debit says what was refused and why, in the embed', async (t) => {
  await withApp(t, async (app) => {
    const page = await openEmbed(app, '?embed=saga&scenario=insufficient-funds');
    await page.getByTestId('saga-timeline').waitFor();
    await refusedDebit(page);
    await elementScreenshot(t, page.getByTestId('saga-timeline'), 'saga-refused-debit-embed');
  }, BANK);
});
