// How steps cause each other: a transfer's causation chain, under its saga timeline.
// The lesson, taken from the course overview by its title, acting only on what the page
// shows: the links predicted and locked, Play, then the chain followed back from
// TransferCompleted by each link's "caused by #N", until it names the command; the
// comparison and axe at the end. Outside the course: a transfer between two accounts
// with 64-character ids, reached from its audit row, its chain followed by keyboard,
// fitting at 375 px and 1280 px in light and dark (screenshots causation-*.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import {
  BANK, openAccount, waitBalance, fillTransfer, waitTransferStatus, waitDetails, sidewaysOverflow,
  elementScreenshot, loadScenario,
} from './bank.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

const TITLE = 'How steps cause each other';
const FROM = `alice${'W'.repeat(59)}`;
const TO = `bob${'M'.repeat(61)}`;
const TRANSFER = `t${'W'.repeat(63)}`;

/** The lesson panel. */
const panel = (page) => page.getByRole('complementary').filter({ hasText: 'Predict, then act' });
/** The causation chain of the transfer shown. */
const chain = (page) => page.getByRole('region', { name: 'How its steps caused each other' });

/** Follows the chain back from TransferCompleted by what each event says caused it,
 * clicking (or with `keys`, focusing and pressing Enter on) each; returns the
 * positions selected. */
async function followBack(page, keys = false) {
  const selected = [];
  let link = chain(page).getByRole('link', { name: /TransferCompleted/ });
  for (;;) {
    const text = (await link.textContent()).trim();
    const position = Number(/^#(\d+)/.exec(text)[1]);
    if (keys) {
      await link.focus();
      // Focus not obscured: nothing pinned (the saga's balances) covers the focused
      // link, whose middle is what the page shows at that point.
      const covered = await link.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.x + r.width / 2, r.y + Math.min(r.height / 2, 8));
        return top && !el.contains(top) ? top.closest('[data-testid]')?.dataset.testid ?? top.tagName : null;
      });
      assert.equal(covered, null, `${text} is not covered when focused`);
      await page.keyboard.press('Enter');
    } else {
      await link.click();
    }
    await waitDetails(page, position);
    assert.equal(await link.getAttribute('aria-current'), 'true', `${text} is marked selected`);
    selected.push(position);
    const cause = /caused by (#\d+|the command)$/.exec(text)?.[1];
    assert.ok(cause, `each event says what caused it: ${text}`);
    if (cause === 'the command') return selected;
    link = chain(page).getByRole('link', { name: new RegExp(`^${cause} `) });
  }
}

test('the lesson: five links predicted, Play, the chain followed back to the command; axe at the end', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await page.getByRole('region', { name: /Learn event sourcing/ }).getByRole('button', { name: 'Start the course' }).click();
    await panel(page).getByRole('button', { name: 'All lessons' }).click();
    await page.getByRole('button', { name: new RegExp(`^\\d+\\. ${TITLE}$`) }).click();
    await panel(page).getByRole('heading', { level: 2, name: TITLE }).waitFor();
    await panel(page).getByLabel("Links from t1's TransferCompleted back to its command").fill('5');
    await panel(page).getByRole('button', { name: 'Lock my prediction' }).click();
    await panel(page).getByText('Your prediction, locked:').waitFor();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await panel(page).getByText('1 of 2 tasks done').waitFor();
    await panel(page).getByText('Your prediction matches the log.').waitFor();
    const back = await followBack(page);
    assert.equal(back.length, 5, 'five events back to the command');
    await panel(page).getByText('2 of 2 tasks done').waitFor();
    // The first link is the command itself, not stored.
    assert.match(await chain(page).getByRole('listitem').first().textContent(), /TransferMoney command .* not stored/);
    await chain(page).scrollIntoViewIfNeeded();
    await app.screenshot(page, 'causation-lesson-1280');
    await assertNoSeriousViolations(page, 'causation lesson finished');
  }, BANK);
});

for (const [width, viewport] of [[375, VIEWPORTS.mobile], [1280, VIEWPORTS.desktop]]) {
  test(`outside the course at ${width} px: from the audit row to the chain, followed by keyboard, fitting in light and dark`, async (t) => {
    await withApp(t, async (app) => {
      const page = await app.open();
      await openAccount(page, FROM, 'Alice', '100.00');
      await waitBalance(page, FROM, '100.00');
      await openAccount(page, TO, 'Bob', '0.00');
      await waitBalance(page, TO, '0.00');
      await fillTransfer(page, { id: TRANSFER, from: FROM, to: TO, amount: '30.00' });
      await page.getByTestId('transfer-form').getByRole('button', { name: 'Start transfer' }).click();
      await waitTransferStatus(page, TRANSFER, 'completed');
      // From the audit row of one of its events to its saga, where the chain is.
      const row = page.getByTestId('audit-list').locator('[data-testid^="audit-row-"]', { hasText: 'TransferDebited' }).first();
      await row.click();
      await page.getByTestId('audit-correlation-link').click();
      await chain(page).waitFor();
      const back = await followBack(page, true);
      assert.equal(back.length, 5);
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        const region = chain(page);
        await region.scrollIntoViewIfNeeded();
        assert.ok(await sidewaysOverflow(page) <= 0, 'the page does not scroll sideways');
        const box = await region.boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= width, `the chain fits: ${JSON.stringify(box)}`);
        for (const link of await region.getByRole('link').all()) {
          const b = await link.boundingBox();
          assert.ok(b.x >= 0 && b.x + b.width <= width, `a node fits: ${JSON.stringify(b)}`);
          assert.ok(await link.evaluate((el) => el.scrollWidth <= el.clientWidth), 'no node is cut');
        }
        await elementScreenshot(t, region, `causation-${width}-${scheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
    }, { ...BANK, viewport });
  });
}

test('a compensated transfer has the longer chain: the refused credit, the refund, and TransferFailed by the same command', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'compensation');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await chain(page).getByRole('link', { name: /TransferFailed/ }).waitFor();
    const items = (await chain(page).getByRole('listitem').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
    assert.equal(items.length, 8, 'the command and seven events');
    const order = items.slice(1).map((s) => /#\d+ (\w+)/.exec(s)[1]);
    assert.deepEqual(order, [
      'TransferInitiated', 'MoneyWithdrawn', 'TransferDebited', 'TransferCreditRejected', 'MoneyDeposited',
      'TransferReversed', 'TransferFailed',
    ]);
    assert.match(items[4], /RecordCreditRejected: a command the saga issued/);
    assert.match(items[7], /written by the same command, just after/);
    await elementScreenshot(t, chain(page), 'causation-compensated-1280');
  }, BANK);
});
