// The longest ids fit on a phone: two accounts and a transfer with 64-character ids
// (the most src/domain/ids.rs allows) and no hyphen to break at, at 375 px. At every
// step (the form's hints and errors, the transfer stepped through its saga, the account
// selected, events selected in the audit trail, time travel moved), in light and dark,
// the page does not scroll sideways and no panel, table or box is wider than its room.
// Screenshots of each step go to target/screenshots/longids-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import {
  BANK, openAccount, waitBalance, selectAccount, fillTransfer, nextStep, waitTransferStatus,
  errorText, waitDetails, waitTimeTravelPosition,
} from './bank.mjs';

const FROM = `alice${'W'.repeat(59)}`;
const TO = `bob${'M'.repeat(61)}`;
const TRANSFER = `t${'W'.repeat(63)}`;
const NOBODY = `nobody${'W'.repeat(58)}`;

/** The boxes that must not be wider than their room (each panel and what it holds). */
const BOXES = [
  '.masthead', '.scenarios', '.banner', '.panel', '.table-wrap', '.card', '.form', '.saga-timeline',
  '.saga-money', '.saga-timeline__step', '.audit__viewport', '.audit__details', '.audit__io',
  '.timetravel__diff', '.dialog', '.form-error', '.hint',
];

/** Every overflow on the page: the page itself and each box of BOXES, as text. */
async function overflows(page) {
  return page.evaluate((boxes) => {
    const found = [];
    const root = document.scrollingElement;
    if (root.scrollWidth > window.innerWidth) {
      found.push(`the page scrolls sideways: scrollWidth ${root.scrollWidth} > ${window.innerWidth}`);
    }
    for (const selector of boxes) {
      for (const el of document.querySelectorAll(selector)) {
        if (el.closest('[hidden]') || el.getClientRects().length === 0) continue;
        if (el.scrollWidth > el.clientWidth) {
          const name = el.getAttribute('data-testid') ?? el.id ?? '';
          found.push(`${selector}${name ? ` (${name})` : ''}: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
        }
      }
    }
    return found;
  }, BOXES);
}

async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

test('64-character ids fit at 375 px on every panel, in light and dark, at every step of a transfer', async (t) => {
  const failures = [];
  let checks = 0;
  await withApp(t, async (app) => {
    const page = await app.open();
    const check = async (step) => {
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        await settle(page);
        checks += 1;
        for (const o of await overflows(page)) failures.push(`${step} (${scheme}): ${o}`);
        await app.screenshot(page, `longids-${step}-${scheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
    };

    // A refused id is quoted in the error: 64 characters with one bad one.
    await openAccount(page, `${'W'.repeat(63)}!`, 'Mallory');
    await errorText(page, 'open-account-error', /may only use/);
    await check('1-open-refused');

    await openAccount(page, FROM, 'Alice', '100.00');
    await waitBalance(page, FROM, '100.00');
    await openAccount(page, TO, 'Bob', '0.00');
    await waitBalance(page, TO, '0.00');

    // The transfer form's hint names an account that does not exist.
    await fillTransfer(page, { id: TRANSFER, from: FROM, to: NOBODY, amount: '10.00', mode: 'step' });
    await page.getByTestId('transfer-unknown-account').waitFor();
    await check('2-form-hint');

    await page.getByTestId('transfer-form').getByLabel('To account').fill(TO);
    await page.getByTestId('transfer-unknown-account').waitFor({ state: 'hidden' });
    await page.getByTestId('transfer-form').getByRole('button', { name: 'Start transfer' }).click();
    await page.getByTestId('saga-timeline').getByRole('heading').filter({ hasText: TRANSFER }).waitFor();
    await check('3-initiated');
    await nextStep(page);
    await check('4-debited');
    await nextStep(page);
    await waitTransferStatus(page, TRANSFER, 'completed');
    await check('5-completed');

    await selectAccount(page, FROM);
    await check('6-account-selected');

    // Events of the transfer's stream and of an account's, in the audit trail.
    for (const position of [3, 4]) {
      await page.getByTestId(`audit-row-${position}`).click();
      await waitDetails(page, position);
    }
    await check('7-audit-selected');

    await page.getByTestId('timetravel-prev').click();
    await waitTimeTravelPosition(page, 'Event 3 of 7');
    await check('8-time-travel');
  }, { ...BANK, viewport: VIEWPORTS.mobile });
  t.diagnostic(`${checks} checks of ${BOXES.length} kinds of box`);
  assert.deepEqual(failures, [], `overflow at 375 px:\n${failures.join('\n')}`);
});
