// Journeys through time travel: the seed demo as of any event, what each event changed,
// one step back and forth, two-way sync with the audit trail's selection, following the
// newest event, a long log, and screenshots at desktop and phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import {
  BANK, loadScenario, openAccount, waitBalance, waitAuditCount, waitDetails, detailsTitle,
  timeTravelPosition, waitTimeTravelPosition, timeTravelBalances, sidewaysOverflow,
  elementScreenshot, chooseImport, generateLog,
} from './bank.mjs';

/** What the time-travel diff lists as changed: [{ what, before, after }]. */
async function diffChanges(page) {
  return page
    .getByTestId('timetravel-diff')
    .locator('.timetravel__changes li')
    .evaluateAll((items) =>
      items.map((li) => ({
        what: li.querySelector('.timetravel__what').textContent.trim(),
        before: li.querySelector('.timetravel__before').textContent.trim(),
        after: li.querySelector('.timetravel__after').textContent.trim(),
      })),
    );
}

async function diffTitle(page) {
  return (await page.getByTestId('timetravel-diff').locator('h3').textContent()).trim();
}

/** Waits until the time-travel table's caption is about event `n`. */
async function waitAsOf(page, n) {
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="timetravel-accounts"] caption')?.textContent.startsWith(`Accounts as of event ${n}:`),
    n,
  );
}

async function moveSlider(page, n) {
  await page.getByTestId('timetravel-slider').fill(String(n));
  await waitTimeTravelPosition(page, `Event ${n} of ${await lastPosition(page)}`);
  await waitAsOf(page, n);
}

async function lastPosition(page) {
  return Number((await timeTravelPosition(page)).split(' of ')[1]);
}

async function selectedRows(page) {
  return page
    .getByTestId('audit-list')
    .locator('[data-testid^="audit-row-"][aria-current="true"]')
    .evaluateAll((rows) => rows.map((r) => Number(r.dataset.testid.slice('audit-row-'.length))));
}

async function waitHash(page, hash) {
  await page.waitForFunction((hash) => location.hash === hash, hash);
}

const SEED_LATEST = { 'alice-123': '750.00', 'bob-456': '750.00' };
const BEFORE_789 = { 'alice-123': '1000.00', 'bob-456': '500.00' };

test('time travel shows the seed demo as of any event and what that event changed, one step at a time', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'seed-demo');
    await waitAuditCount(page, '9 events');
    await waitTimeTravelPosition(page, 'Event 9 of 9');
    await page.getByTestId('timetravel-diff').getByText('Event #9: TransferFailed').waitFor();
    assert.deepEqual(await timeTravelBalances(page), SEED_LATEST);
    assert.match(await page.getByTestId('timetravel-accounts').locator('caption').textContent(), /as of event 9: total 1500\.00, 2 transfers/);
    await page.getByText('following the newest event').waitFor();
    assert.ok(await page.getByTestId('timetravel-next').isDisabled(), 'nothing after the newest event');

    // Back to transfer-789's start: its money has not moved yet.
    await moveSlider(page, 3);
    assert.deepEqual(await timeTravelBalances(page), BEFORE_789);
    assert.equal(await diffTitle(page), 'Event #3: TransferInitiated');
    assert.deepEqual(await diffChanges(page), [{ what: 'Transfer', before: 'not started', after: 'initiated' }]);
    assert.match(await page.getByTestId('timetravel-accounts').locator('caption').textContent(), /as of event 3: total 1500\.00, 1 transfer$/);
    await page.getByTestId('timetravel-latest').waitFor();

    // One step on: the debit.
    await page.getByTestId('timetravel-next').click();
    await waitAsOf(page, 4);
    assert.equal(await timeTravelPosition(page), 'Event 4 of 9');
    assert.equal(await diffTitle(page), 'Event #4: MoneyWithdrawn');
    assert.deepEqual(await diffChanges(page), [{ what: 'Balance', before: '1000.00', after: '750.00' }]);
    assert.deepEqual(await timeTravelBalances(page), { 'alice-123': '750.00', 'bob-456': '500.00' });
    assert.match(await page.getByTestId('timetravel-account-alice-123').textContent(), /\(changed\)/);
    assert.doesNotMatch(await page.getByTestId('timetravel-account-bob-456').textContent(), /\(changed\)/);
    const diff = await page.getByTestId('timetravel-diff').textContent();
    assert.match(diff, /Account alice-123 \(Alice\)/);
    assert.match(diff, /A step of transfer transfer-789/);
    // Between the debit and the credit, 250.00 is in flight: the total says so.
    assert.match(await page.getByTestId('timetravel-accounts').locator('caption').textContent(), /total 1250\.00/);

    // Back two: Bob's account opening.
    await page.getByTestId('timetravel-prev').click();
    await waitAsOf(page, 3);
    await page.getByTestId('timetravel-prev').click();
    await waitAsOf(page, 2);
    assert.equal(await diffTitle(page), 'Event #2: AccountOpened');
    assert.deepEqual(await diffChanges(page), [
      { what: 'Status', before: 'not opened', after: 'active' },
      { what: 'Balance', before: 'none', after: '500.00' },
    ]);
    assert.deepEqual(await timeTravelBalances(page), BEFORE_789);
    await page.getByTestId('timetravel-prev').click();
    await waitAsOf(page, 1);
    assert.deepEqual(await timeTravelBalances(page), { 'alice-123': '1000.00' });

    // Before the first event: nothing.
    await page.getByTestId('timetravel-prev').click();
    await waitAsOf(page, 0);
    assert.equal(await timeTravelPosition(page), 'Event 0 of 9');
    assert.equal(await diffTitle(page), 'Before the first event');
    await page.getByTestId('timetravel-accounts').getByText('No accounts at this point.').waitFor();
    assert.ok(await page.getByTestId('timetravel-prev').isDisabled());
    assert.equal(await detailsTitle(page), 'Event details', 'no event is selected at the start');

    // The keyboard moves the slider too.
    await page.getByTestId('timetravel-slider').focus();
    await page.keyboard.press('ArrowRight');
    await waitAsOf(page, 1);
    await page.keyboard.press('End');
    await waitAsOf(page, 9);
    assert.ok(await page.getByTestId('timetravel-next').isDisabled());
    await page.keyboard.press('Home');
    await waitAsOf(page, 0);
    assert.match(await page.getByTestId('timetravel-slider').getAttribute('aria-valuetext'), /the start, before event 1 of 9/);
    await page.keyboard.press('ArrowRight');
    await waitAsOf(page, 1);
    assert.equal(await page.getByTestId('timetravel-slider').getAttribute('aria-valuetext'), 'event 1 of 9: AccountOpened in account-alice-123');
  }, BANK);
});

test('time travel and the audit trail follow each other, and "follow the newest event" lets go', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'seed-demo');
    await waitAuditCount(page, '9 events');

    // Audit trail → time travel.
    await page.getByTestId('audit-row-6').click();
    await waitDetails(page, 6);
    await waitTimeTravelPosition(page, 'Event 6 of 9');
    await waitAsOf(page, 6);
    assert.deepEqual(await timeTravelBalances(page), SEED_LATEST);
    assert.equal(await diffTitle(page), 'Event #6: MoneyDeposited');
    assert.deepEqual(await diffChanges(page), [{ what: 'Balance', before: '500.00', after: '750.00' }]);
    assert.equal(await page.getByTestId('timetravel-slider').inputValue(), '6');
    // Arrow keys in the audit list move time travel as well.
    await page.keyboard.press('ArrowUp');
    await waitDetails(page, 5);
    await waitAsOf(page, 5);

    // Time travel → audit trail: the slider, and the step buttons.
    await moveSlider(page, 2);
    assert.equal(await waitDetails(page, 2), 'Event #2: AccountOpened');
    assert.deepEqual(await selectedRows(page), [2]);
    await waitHash(page, '#event=2');
    await page.getByTestId('timetravel-next').click();
    assert.equal(await waitDetails(page, 3), 'Event #3: TransferInitiated');
    assert.deepEqual(await selectedRows(page), [3]);
    await waitHash(page, '#event=3');

    // The deep link, after a reload: both panels on event 3.
    await app.reload(page);
    await waitDetails(page, 3);
    await waitTimeTravelPosition(page, 'Event 3 of 9');
    await waitAsOf(page, 3);
    assert.deepEqual(await timeTravelBalances(page), BEFORE_789);

    // Pinned to event 3, new events do not move the view…
    await openAccount(page, 'carol-1', 'Carol', '5.00');
    await waitBalance(page, 'carol-1', '5.00');
    await waitTimeTravelPosition(page, 'Event 3 of 10');
    assert.deepEqual(await timeTravelBalances(page), BEFORE_789);

    // …until "follow the newest event": the latest state, no selection, no hash.
    await page.getByTestId('timetravel-latest').click();
    await waitTimeTravelPosition(page, 'Event 10 of 10');
    await waitAsOf(page, 10);
    assert.deepEqual(await timeTravelBalances(page), { ...SEED_LATEST, 'carol-1': '5.00' });
    await page.getByText('following the newest event').waitFor();
    assert.equal(await page.getByTestId('timetravel-latest').count(), 0);
    assert.equal(await detailsTitle(page), 'Event details');
    assert.deepEqual(await selectedRows(page), []);
    await waitHash(page, '');

    // Following: a new event shows at once.
    await openAccount(page, 'dave-1', 'Dave', '7.00');
    await waitTimeTravelPosition(page, 'Event 11 of 11');
    await waitAsOf(page, 11);
    assert.equal(await diffTitle(page), 'Event #11: AccountOpened');
    assert.equal((await timeTravelBalances(page))['dave-1'], '7.00');

    // A new scenario starts over, following its newest event.
    await page.getByTestId('audit-row-4').click();
    await waitTimeTravelPosition(page, 'Event 4 of 11');
    await loadScenario(page, 'compensation');
    await waitAuditCount(page, '4 events');
    await waitTimeTravelPosition(page, 'Event 4 of 4');
    await page.getByText('following the newest event').waitFor();
  }, BANK);
});

test('time travel over a 100,000-event log: jumps, steps and the audit selection stay quick', async (t) => {
  const log = generateLog(100_000);
  await withApp(t, async (app) => {
    const page = await app.open('?store=memory');
    await chooseImport(page, log.text, 'big.jsonl');
    await page.getByTestId('import-confirm').waitFor({ timeout: 120_000 });
    await page.getByTestId('import-replace').click();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
    await waitTimeTravelPosition(page, `Event ${log.count} of ${log.count}`, { timeout: 60_000 });
    await waitAsOf(page, log.count);
    assert.deepEqual(await timeTravelBalances(page), log.balances);

    const timed = async (what, action, n) => {
      const started = Date.now();
      await action();
      await waitAsOf(page, n);
      const ms = Date.now() - started;
      t.diagnostic(`${what}: ${ms} ms`);
      return ms;
    };
    await timed('slider to 50,000', () => page.getByTestId('timetravel-slider').fill('50000'), 50_000);
    await timed('next (folds one event on)', () => page.getByTestId('timetravel-next').click(), 50_001);
    await timed('previous (refolds from the start)', () => page.getByTestId('timetravel-prev').click(), 50_000);
    await waitDetails(page, 50_000);
    await timed('audit trail: End selects the newest', async () => {
      await page.getByTestId('audit-list').focus();
      await page.keyboard.press('End');
    }, log.count);
    assert.deepEqual(await timeTravelBalances(page), log.balances);
    // Markup in an owner name shows as text.
    assert.equal(await page.getByTestId('timetravel-account-acc-0').locator('td').first().textContent(), '<b>Mallory</b><img src=x onerror=alert(1)>');
  }, BANK);
});

test('screenshots: time travel at desktop and at 375px, without sideways scrolling', async (t) => {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    await withApp(t, async (app) => {
      const page = await app.open();
      await loadScenario(page, 'seed-demo');
      await waitAuditCount(page, '9 events');
      await moveSlider(page, 4);
      const panel = page.locator('.panel--timetravel');
      await panel.scrollIntoViewIfNeeded();
      const overflow = await sidewaysOverflow(page);
      assert.ok(overflow <= 0, `${name}: the page scrolls sideways by ${overflow}px`);
      const wide = await panel.evaluate((root) => {
        const limit = document.documentElement.clientWidth;
        return [...root.querySelectorAll('*')]
          .filter((el) => el.getBoundingClientRect().right > limit + 1 && el.closest('.table-wrap') === null)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
          .slice(0, 5);
      });
      assert.deepEqual(wide, [], `${name}: elements past the right edge`);
      // The table fits its wrapper (no hidden sideways scroll inside it).
      const table = await page.getByTestId('timetravel-accounts').evaluate((el) => ({ table: el.scrollWidth, wrap: el.parentElement.clientWidth }));
      assert.ok(table.table <= table.wrap, `${name}: the accounts table is ${table.table}px in a ${table.wrap}px wrapper`);
      await elementScreenshot(t, panel, `timetravel-${name}`);
    }, { ...BANK, viewport });
  }
});
