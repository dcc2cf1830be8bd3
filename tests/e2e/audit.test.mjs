// Journeys through the audit trail: every event once and in order, filters and search,
// selecting an event (mouse and keyboard) and following its causation, the #event=N
// deep link after a reload, export and import (a round trip, tampered files refused),
// a 100,000-event log rendered a window at a time, and screenshots at desktop and
// phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import {
  BANK, loadScenario, nextStep, waitTransferStatus, waitBalance, errorText,
  auditCount, waitAuditCount, auditPositions, detailsTitle, waitDetails, balances,
  exportLog, chooseImport, waitTimeTravelPosition, timeTravelPosition, sidewaysOverflow,
  elementScreenshot, generateLog, openAccount, selectAccount, move,
} from './bank.mjs';

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The compensation scenario stepped to its end: 10 events, t1 compensated. */
async function compensated(page) {
  await loadScenario(page, 'compensation');
  for (let i = 0; i < 3; i++) await nextStep(page);
  await waitTransferStatus(page, 't1', 'compensated');
  await waitAuditCount(page, '10 events');
}

const COMPENSATION_TYPES = [
  'AccountOpened', 'AccountOpened', 'AccountClosed', 'TransferInitiated', 'MoneyWithdrawn',
  'TransferDebited', 'TransferCreditRejected', 'MoneyDeposited', 'TransferReversed', 'TransferFailed',
];

/** The selected row(s) of the audit list, by position. */
async function selectedRows(page) {
  return page
    .getByTestId('audit-list')
    .locator('[data-testid^="audit-row-"][aria-current="true"]')
    .evaluateAll((rows) => rows.map((r) => Number(r.dataset.testid.slice('audit-row-'.length))));
}

async function focusedTestId(page) {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
}

/** Waits until the URL's hash is `hash` (pushState and replaceState fire no event). */
async function waitHash(page, hash) {
  await page.waitForFunction((hash) => location.hash === hash, hash);
}

test('after a compensation the audit trail lists every event once, in order, and its filters and search narrow it', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await compensated(page);

    // Every event once, positions 1..10 without a gap, in the order they were stored.
    assert.equal(await auditCount(page), '10 events');
    assert.deepEqual(await auditPositions(page), range(1, 10));
    const types = await page.getByTestId('audit-list').locator('.audit-row__type').allTextContents();
    assert.deepEqual(types, COMPENSATION_TYPES);
    const streams = await page.getByTestId('audit-list').locator('.audit-row__stream').allTextContents();
    assert.deepEqual(streams.slice(0, 4), ['account-alice', 'account-carol', 'account-carol', 'transfer-t1']);
    assert.ok(await page.getByTestId('audit-clear-filters').isDisabled(), 'nothing to clear yet');

    // By event type.
    await page.getByTestId('audit-filter-type').selectOption('TransferCreditRejected');
    await waitAuditCount(page, '1 of 10 events match');
    assert.deepEqual(await auditPositions(page), [7]);
    await page.getByTestId('audit-clear-filters').click();
    await waitAuditCount(page, '10 events');
    assert.equal(await page.getByTestId('audit-filter-type').inputValue(), '');
    assert.deepEqual(await auditPositions(page), range(1, 10));

    // By transfer: t1's correlated events only.
    await page.getByTestId('audit-filter-transfer').fill('t1');
    await waitAuditCount(page, '7 of 10 events match');
    assert.deepEqual(await auditPositions(page), range(4, 10));
    const correlations = await page.getByTestId('audit-list').locator('.audit-row__correlation').allTextContents();
    assert.deepEqual([...new Set(correlations)], ['t1']);
    // Filters combine: t1's deposits are its refund alone.
    await page.getByTestId('audit-filter-type').selectOption('MoneyDeposited');
    await waitAuditCount(page, '1 of 10 events match');
    assert.deepEqual(await auditPositions(page), [8]);
    await page.getByTestId('audit-clear-filters').click();
    await waitAuditCount(page, '10 events');
    assert.equal(await page.getByTestId('audit-filter-transfer').inputValue(), '');

    // A transfer nobody made matches nothing, and the list says so.
    await page.getByTestId('audit-filter-transfer').fill('t2');
    await waitAuditCount(page, '0 of 10 events match');
    await page.getByText('No event matches these filters.').waitFor();
    await page.getByTestId('audit-clear-filters').click();

    // By account: carol's own stream, and (by default) the transfers that touched her.
    await page.getByTestId('audit-filter-account').selectOption('carol');
    await waitAuditCount(page, '9 of 10 events match');
    assert.deepEqual(await auditPositions(page), range(2, 10));
    await page.getByTestId('audit-filter-account-transfers').uncheck();
    await waitAuditCount(page, '2 of 10 events match');
    assert.deepEqual(await auditPositions(page), [2, 3]);
    await page.getByTestId('audit-filter-account-transfers').check();
    await page.getByTestId('audit-filter-account').selectOption('alice');
    await waitAuditCount(page, '8 of 10 events match');
    assert.deepEqual(await auditPositions(page), [1, ...range(4, 10)]);
    await page.getByTestId('audit-clear-filters').click();
    await waitAuditCount(page, '10 events');
    assert.equal(await page.getByTestId('audit-filter-account').inputValue(), '');

    // Free text, over the whole JSON line, whatever the case.
    await page.getByTestId('audit-search').fill('ACCOUNT IS CLOSED');
    await waitAuditCount(page, '2 of 10 events match');
    assert.deepEqual(await auditPositions(page), [7, 10]);
    await page.getByTestId('audit-search').fill('refund of transfer');
    await waitAuditCount(page, '1 of 10 events match');
    assert.deepEqual(await auditPositions(page), [8]);
    await page.getByTestId('audit-search').fill('no such text anywhere');
    await waitAuditCount(page, '0 of 10 events match');
    await page.getByTestId('audit-clear-filters').click();
    await waitAuditCount(page, '10 events');
    assert.equal(await page.getByTestId('audit-search').inputValue(), '');
    assert.ok(await page.getByTestId('audit-clear-filters').isDisabled(), 'nothing left to clear');
  }, BANK);
});

test('selecting an event shows its envelope, its causation link leads to the cause, arrow keys move, and #event=N survives a reload', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await compensated(page);
    assert.equal(await detailsTitle(page), 'Event details');

    // A click selects the refund: its envelope, as stored.
    await page.getByTestId('audit-row-8').click();
    assert.equal(await waitDetails(page, 8), 'Event #8: MoneyDeposited');
    await waitHash(page, '#event=8');
    assert.deepEqual(await selectedRows(page), [8]);
    const envelope = JSON.parse(await page.getByTestId('audit-json').textContent());
    assert.equal(envelope.position, 8);
    assert.equal(envelope.stream, 'account-alice');
    assert.equal(envelope.version, 3);
    assert.equal(envelope.type, 'MoneyDeposited');
    assert.equal(envelope.correlation_id, 't1');
    assert.equal(envelope.data.amount, '10.00');
    assert.equal(envelope.data.transfer_id, 't1');
    const details = page.getByTestId('audit-details');
    assert.match(await details.textContent(), /account-alice · version 3/);
    // Time travel follows the selection.
    await waitTimeTravelPosition(page, 'Event 8 of 10');

    // Its causation: the credit's rejection. Following the link selects that event.
    const cause = page.getByTestId('audit-causation-link');
    assert.equal((await cause.textContent()).trim(), 'event #7 (TransferCreditRejected)');
    assert.equal(await cause.getAttribute('href'), '#event=7');
    await cause.click();
    assert.equal(await waitDetails(page, 7), 'Event #7: TransferCreditRejected');
    await waitHash(page, '#event=7');
    assert.deepEqual(await selectedRows(page), [7]);
    assert.equal(JSON.parse(await page.getByTestId('audit-json').textContent()).data.reason, 'account is closed, not active');
    // ...and event 7 lists what it caused: the refund.
    await details.getByRole('link', { name: 'event #8 (MoneyDeposited)' }).waitFor();
    // The browser's back button returns to the event the link was followed from.
    await page.goBack();
    await waitDetails(page, 8);
    await page.goForward();
    await waitDetails(page, 7);

    // The keyboard: arrows move the selection (and the focus) one row at a time.
    await page.getByTestId('audit-row-7').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await waitDetails(page, 8), 'Event #8: MoneyDeposited');
    await waitHash(page, '#event=8');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'audit-row-8');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await waitDetails(page, 6), 'Event #6: TransferDebited');
    await page.keyboard.press('Home');
    assert.equal(await waitDetails(page, 1), 'Event #1: AccountOpened');
    await page.keyboard.press('End');
    assert.equal(await waitDetails(page, 10), 'Event #10: TransferFailed');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'audit-row-10');
    await page.keyboard.press('ArrowDown'); // already the last: stays
    await page.waitForTimeout(100); // a negative check: nothing to wait for
    assert.equal(await detailsTitle(page), 'Event #10: TransferFailed');
    // Arrow keys move within the filtered list.
    await page.getByTestId('audit-filter-type').selectOption('AccountOpened');
    await waitAuditCount(page, '2 of 10 events match');
    // The selected event is hidden by the filter, and the details box says so.
    await details.getByText('The filters hide this event in the list.').waitFor();
    await page.getByTestId('audit-list').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await waitDetails(page, 1), 'Event #1: AccountOpened');
    await page.keyboard.press('ArrowDown');
    assert.equal(await waitDetails(page, 2), 'Event #2: AccountOpened');
    await page.getByTestId('audit-clear-filters').click();
    await waitAuditCount(page, '10 events');

    // Select event 6 by keyboard, reload: the deep link keeps it selected.
    await page.getByTestId('audit-row-5').click();
    await waitDetails(page, 5);
    await page.keyboard.press('ArrowDown');
    await waitDetails(page, 6);
    await waitHash(page, '#event=6');
    await app.reload(page);
    await page.getByTestId('audit-row-6').waitFor();
    assert.equal(await waitDetails(page, 6), 'Event #6: TransferDebited');
    assert.deepEqual(await selectedRows(page), [6]);
    assert.equal(await auditCount(page), '10 events');
    assert.equal(JSON.parse(await page.getByTestId('audit-json').textContent()).stream, 'transfer-t1');
    await waitTimeTravelPosition(page, 'Event 6 of 10');

    // A link opened fresh (a new tab on the same store) selects the event it names.
    const other = await app.open('#event=3');
    assert.equal(await waitDetails(other, 3), 'Event #3: AccountClosed');
    await waitTimeTravelPosition(other, 'Event 3 of 10');
    // ...and shows it: the page scrolled down to the event's details.
    await other.waitForFunction(() => {
      const box = document.querySelector('[data-testid="audit-details"]').getBoundingClientRect();
      return window.scrollY > 0 && box.top < window.innerHeight && box.bottom > 0;
    });
  }, BANK);
});

test('an exported log imported into a fresh bank gives the same accounts, balances and events', async (t) => {
  let exported;
  let before;
  await withApp(t, async (app) => {
    const page = await app.open();
    await compensated(page);
    await waitBalance(page, 'alice', '100.00');
    before = { balances: await balances(page), count: await auditCount(page) };
    assert.deepEqual(before.balances, { alice: '100.00', carol: '0.00' });

    exported = await exportLog(page);
    assert.match(exported.name, /\.jsonl$/);
    const lines = exported.text.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines.length, 10);
    const events = lines.map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => e.position), range(1, 10));
    assert.deepEqual(events.map((e) => e.type), COMPENSATION_TYPES);
    for (const e of events) {
      for (const key of ['stream', 'version', 'event_id', 'recorded_at', 'correlation_id', 'causation_id', 'data']) {
        assert.ok(key in e, `line ${e.position} has ${key}`);
      }
    }
    await page.getByTestId('announcer').getByText(/Exported 10 events/).waitFor();
  }, BANK);

  // A fresh browser profile: an empty bank.
  await withApp(t, async (app) => {
    const page = await app.open();
    await waitAuditCount(page, '0 events');
    await chooseImport(page, exported.text, exported.name);
    const dialog = page.getByTestId('import-confirm');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /Replace the current log \(0 events\) with the imported one \(10 events\)\?/);
    // The dialog takes the focus, on its confirming button.
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'import-replace');
    await page.getByTestId('import-replace').click();
    assert.match(await page.getByTestId('import-done').textContent(), /Imported 10 events/);
    await dialog.waitFor({ state: 'detached' });

    await waitAuditCount(page, before.count);
    await waitBalance(page, 'alice', '100.00');
    assert.deepEqual(await balances(page), before.balances);
    await waitTransferStatus(page, 't1', 'compensated');
    assert.deepEqual(await auditPositions(page), range(1, 10));
    // The log is the same, byte for byte: ids, times and links kept.
    assert.equal((await exportLog(page)).text, exported.text);
    // And it is stored: a reload reads it back.
    await app.reload(page);
    await waitAuditCount(page, before.count);
    assert.deepEqual(await balances(page), before.balances);
  }, BANK);
});

test('a tampered log is refused with its line and reason, and the bank is left as it was', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await compensated(page);
    const { text } = await exportLog(page);
    const lines = text.trimEnd().split('\n');
    const before = await balances(page);

    const refused = async (tampered, expected) => {
      await chooseImport(page, tampered);
      const message = await errorText(page, 'import-error', expected);
      assert.match(message, expected);
      assert.equal(await page.getByTestId('import-confirm').count(), 0, 'no offer to replace');
      assert.equal(await auditCount(page), '10 events');
      assert.deepEqual(await balances(page), before);
      return message;
    };

    // An overdraft: alice withdraws more than she has.
    const overdraft = lines.map((l, i) => (i === 4 ? l.replace('"amount":"10.00"', '"amount":"1000.00"') : l));
    assert.notEqual(overdraft[4], lines[4], 'the withdrawal was changed');
    const overdraftMessage = await refused(overdraft.join('\n'), /line 5: .*MoneyWithdrawn.*insufficient balance/);
    t.diagnostic(`overdraft: ${overdraftMessage}`);

    // A gap in positions: line 6 removed.
    const gap = lines.filter((_, i) => i !== 5);
    const gapMessage = await refused(gap.join('\n'), /line 6: position 7 follows 5/);
    t.diagnostic(`gap: ${gapMessage}`);

    // A line that is not JSON at all.
    const garbled = [...lines.slice(0, 2), '{"position": 3, "stream":', ...lines.slice(3)];
    t.diagnostic(`garbled: ${await refused(garbled.join('\n'), /line 3: /)}`);

    // Money paid into a closed account.
    const deposit = {
      position: 4, stream: 'account-carol', version: 3, type: 'MoneyDeposited', schema_version: 2,
      event_id: 'x-1', recorded_at: JSON.parse(lines[2]).recorded_at, correlation_id: 'x-0', causation_id: 'x-0',
      data: { account_id: 'carol', amount: '5.00', transaction_id: 'x-tx', description: 'into a closed account' },
    };
    const closedMessage = await refused([...lines.slice(0, 3), JSON.stringify(deposit)].join('\n'), /line 4: .*MoneyDeposited.*closed/);
    t.diagnostic(`closed: ${closedMessage}`);

    // An empty file.
    await refused('\n\n', /no events/);

    // A valid file, but the user cancels: nothing changes either.
    await chooseImport(page, lines.slice(0, 4).join('\n'));
    const dialog = page.getByTestId('import-confirm');
    await dialog.waitFor();
    assert.equal(await page.getByTestId('import-error').isVisible(), false, 'the previous error is gone');
    assert.match(await dialog.textContent(), /\(10 events\) with the imported one \(4 events\)/);
    await page.getByTestId('import-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    // Escape cancels too.
    await chooseImport(page, lines.slice(0, 4).join('\n'));
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('announcer').getByText('Import cancelled: the log is unchanged').waitFor();
    assert.equal(await auditCount(page), '10 events');
    assert.deepEqual(await balances(page), before);
    await waitTransferStatus(page, 't1', 'compensated');
  }, BANK);
});

test('a log of 100,000 events imports, renders only the rows in view, scrolls to its end and filters', async (t) => {
  const log = generateLog(100_000);
  const grouped = log.count.toLocaleString('en-US');
  await withApp(t, async (app) => {
    const page = await app.open();
    assert.match(await page.getByTestId('store-badge').textContent(), /IndexedDB/);

    const started = Date.now();
    await chooseImport(page, log.text, 'big.jsonl');
    await page.getByTestId('import-confirm').waitFor({ timeout: 120_000 });
    const checked = Date.now();
    await page.getByTestId('import-replace').click();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
    await waitAuditCount(page, `${grouped} events`, { timeout: 60_000 });
    const imported = Date.now();
    t.diagnostic(`100k import: checked in ${checked - started} ms, written and shown in ${imported - checked} ms, total ${imported - started} ms`);
    // (The message prints the count without digit grouping, unlike the dialog and the list.)
    assert.match(await page.getByTestId('import-done').textContent(), new RegExp(`Imported (${grouped}|${log.count}) events`));

    // The accounts are the generator's.
    await waitBalance(page, 'acc-7', log.balances['acc-7']);
    const shown = await balances(page);
    assert.deepEqual(shown, log.balances);
    // Markup in an owner name is text, not HTML.
    assert.equal(await page.locator('img[src="x"]').count(), 0);

    // Only a window of rows is in the DOM, and the page as a whole stays light.
    const nodes = await page.evaluate(() => document.querySelectorAll('*').length);
    t.diagnostic(`DOM elements on the whole page: ${nodes}`);
    assert.ok(nodes < 5_000, `the page holds ${nodes} elements for ${log.count} events`);
    const list = page.getByTestId('audit-list');
    const rendered = await auditPositions(page);
    t.diagnostic(`rows in the DOM at the top: ${rendered.length} (of ${log.count})`);
    assert.ok(rendered.length > 5 && rendered.length < 100, `${rendered.length} rows rendered`);
    assert.equal(rendered[0], 1);

    // Scrolling to the end shows the last event.
    let mark = Date.now();
    await list.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.getByTestId(`audit-row-${log.count}`).waitFor();
    t.diagnostic(`scroll to the end: ${Date.now() - mark} ms`);
    await page.getByTestId(`audit-row-${log.count}`).scrollIntoViewIfNeeded();
    assert.ok(await page.getByTestId(`audit-row-${log.count}`).isVisible());
    const atEnd = await auditPositions(page);
    assert.ok(atEnd.length < 100, `${atEnd.length} rows rendered at the end`);
    assert.equal(atEnd.at(-1), log.count);
    // The middle, too.
    await list.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid^="audit-row-"]')];
      return rows.some((r) => r.dataset.testid === 'audit-row-50000');
    });

    // The last event selected from the keyboard, and shown in the details.
    await list.focus();
    await page.keyboard.press('End');
    assert.match(await waitDetails(page, log.count), new RegExp(`^Event #${log.count}: `));

    // A type filter over the whole log.
    mark = Date.now();
    await page.getByTestId('audit-filter-type').selectOption('AccountOpened');
    await waitAuditCount(page, `50 of ${grouped} events match`);
    t.diagnostic(`type filter: ${Date.now() - mark} ms`);
    // The filtered list starts from its top (its first opening is event 1).
    await page.getByTestId('audit-row-1').waitFor();
    const opened = await auditPositions(page);
    assert.deepEqual(opened, range(opened[0], opened.at(-1)), 'a window of consecutive accounts');
    assert.ok(opened[0] >= 1 && opened.at(-1) <= 50, `the 50 openings: ${opened}`);
    await list.evaluate((el) => { el.scrollTop = 0; });
    await page.getByTestId('audit-row-1').waitFor();
    const completed = log.text.split('\n').filter((l) => l.includes('"type":"TransferCompleted"')).length;
    mark = Date.now();
    await page.getByTestId('audit-filter-type').selectOption('TransferCompleted');
    await waitAuditCount(page, `${completed.toLocaleString('en-US')} of ${grouped} events match`);
    t.diagnostic(`second type filter: ${Date.now() - mark} ms`);
    assert.ok((await auditPositions(page)).length < 100);
    await page.getByTestId('audit-clear-filters').click();

    // Free-text search over the whole log.
    const needle = 't-1000"';
    const hits = log.text.split('\n').filter((l) => l.includes(needle)).length;
    mark = Date.now();
    await page.getByTestId('audit-search').fill(needle);
    await waitAuditCount(page, `${hits} of ${grouped} events match`, { timeout: 30_000 });
    t.diagnostic(`first search (builds the index): ${Date.now() - mark} ms`);
    assert.equal(hits, 5);
    // Another needle with another count, so the wait sees this search applied.
    const other = '"acc-7"';
    const otherHits = log.text.split('\n').filter((l) => l.includes(other)).length;
    assert.notEqual(otherHits, hits);
    mark = Date.now();
    await page.getByTestId('audit-search').fill(other);
    await waitAuditCount(page, `${otherHits.toLocaleString('en-US')} of ${grouped} events match`);
    t.diagnostic(`second search: ${Date.now() - mark} ms (includes the 200 ms debounce)`);
    // Cleared while a search still waits for typing to pause: it must not come back.
    await page.getByTestId('audit-search').fill('t-3000"');
    await page.getByTestId('audit-clear-filters').click();
    await waitAuditCount(page, `${grouped} events`);
    await page.waitForTimeout(500); // a negative check: the debounce (200 ms) has passed
    assert.equal(await auditCount(page), `${grouped} events`);
  }, BANK);
});

test('screenshots: the audit trail with an event open, at desktop and at 375px, without sideways scrolling', async (t) => {
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    await withApp(t, async (app) => {
      const page = await app.open();
      await compensated(page);
      await page.getByTestId('audit-row-7').click();
      await waitDetails(page, 7);
      const panel = page.locator('.panel--audit');
      await panel.scrollIntoViewIfNeeded();
      assert.ok((await sidewaysOverflow(page)) <= 0, `${name}: the page scrolls sideways by ${await sidewaysOverflow(page)}px`);
      // Nothing in the panel is wider than the page.
      const wide = await panel.evaluate((root) => {
        const limit = document.documentElement.clientWidth;
        return [...root.querySelectorAll('*')]
          .filter((el) => el.getBoundingClientRect().right > limit + 1 && el.closest('.audit__viewport, .audit__json, .table-wrap') === null)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
          .slice(0, 5);
      });
      assert.deepEqual(wide, [], `${name}: elements past the right edge`);
      await elementScreenshot(t, panel, `audit-details-${name}`);
      await app.screenshot(page, `audit-page-${name}`);
      // The import confirmation, too.
      await chooseImport(page, (await exportLog(page)).text);
      await page.getByTestId('import-confirm').waitFor();
      assert.ok((await sidewaysOverflow(page)) <= 0, `${name}: sideways scroll with the dialog`);
      await elementScreenshot(t, page.locator('.audit__io'), `audit-import-confirm-${name}`);
      await page.getByTestId('import-cancel').click();
    }, { ...BANK, viewport });
  }
});

test('the list follows new events while it shows its last row, and stays put while reading older ones', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'alice', 'Alice', '0');
    await selectAccount(page, 'alice');
    const rowInView = (position) =>
      page.evaluate((position) => {
        const row = document.querySelector(`[data-testid="audit-row-${position}"]`);
        const box = document.querySelector('.audit__viewport').getBoundingClientRect();
        if (!row) return false;
        const r = row.getBoundingClientRect();
        return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      }, position);
    for (let i = 1; i <= 15; i++) {
      await move(page, 'deposit', '1');
      await waitAuditCount(page, `${i + 1} events`);
    }
    // 16 rows do not fit the box: the newest is in view all the same.
    await page.waitForFunction(() => document.querySelector('.audit__viewport').scrollTop > 0);
    assert.ok(await rowInView(16), 'the newest event is in view');

    // Scrolled back to the start, a new event does not pull the list away.
    const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.evaluate(() => { document.querySelector('.audit__viewport').scrollTop = 0; });
    await frames();
    await move(page, 'deposit', '1');
    await waitAuditCount(page, '17 events');
    // The list follows within one frame of the new row, when it follows at all.
    await frames();
    assert.equal(await page.evaluate(() => document.querySelector('.audit__viewport').scrollTop), 0);
    assert.ok(await rowInView(1), 'the first event is still in view');
  }, BANK);
});
