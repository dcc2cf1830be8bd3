// Tables keep words, numbers and ids readable (issue 25, item 8), checked by geometry, not
// by the DOM: on the seed demo and with 64-character ids, at 375, 1280 and 1440 px, in
// light and dark, no word is broken inside (a statement's "#" or "MoneyDeposited", a
// status badge) in any table (accounts, statement, transfers, time travel) or the audit
// list, and ids cut for room stay apart (the visible text of two rows differs).
// Screenshots go to target/screenshots/tables-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import {
  BANK, openAccount, waitBalance, selectAccount, loadScenario, fillTransfer, waitTransferStatus, move,
  elementScreenshot,
} from './bank.mjs';

const WIDTHS = { phone: VIEWPORTS.mobile, desktop: VIEWPORTS.desktop, wide: { width: 1440, height: 900 } };
const TABLES = ['account-list', 'statement', 'transfer-list', 'timetravel-accounts', 'audit-list'];

/**
 * Every word broken over two lines inside the tables named by test id: a word is a run
 * of characters between spaces and hyphens (a break after a hyphen is a fair one), and
 * broken when its characters lie on two lines. Words of 40 characters or more are
 * over-long ids, which may wrap where nothing else fits.
 */
async function brokenWords(page) {
  return page.evaluate((tables) => {
    // Whether a rect of `node`'s text lies inside every box that clips it (a head cut to
    // one line hides its other lines).
    const seen = (node, r) => {
      for (let e = node.parentElement; e && e !== document.body; e = e.parentElement) {
        if (getComputedStyle(e).overflowX === 'visible') continue;
        const box = e.getBoundingClientRect();
        if (r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5 || r.left >= box.right) return false;
      }
      return true;
    };
    const found = [];
    for (const testId of tables) {
      const table = document.querySelector(`[data-testid="${testId}"]`);
      if (!table) continue;
      const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/[^\s\-]+/g)) {
          if (match[0].length >= 40) continue;
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0 && seen(node, r));
          const lines = new Set(rects.map((r) => Math.round(r.bottom / 4)));
          if (lines.size > 1) found.push(`${testId}: "${match[0]}" is on ${lines.size} lines`);
        }
      }
    }
    return found;
  }, TABLES);
}

/** Every table cell whose content spills out of its box (over its neighbour). */
async function spilledCells(page) {
  return page.evaluate((tables) => {
    const found = [];
    for (const testId of tables) {
      for (const cell of document.querySelectorAll(`[data-testid="${testId}"] :is(td, th)`)) {
        if (cell.getClientRects().length === 0) continue;
        if (cell.scrollWidth > cell.clientWidth + 1) {
          found.push(`${testId}: "${cell.textContent.trim().slice(0, 30)}" needs ${cell.scrollWidth}px of ${cell.clientWidth}px`);
        }
      }
    }
    // Nor is a table wider than its room (it would scroll sideways).
    for (const wrap of document.querySelectorAll('.table-wrap')) {
      if (wrap.getClientRects().length > 0 && wrap.scrollWidth > wrap.clientWidth) {
        const name = wrap.querySelector('[data-testid]')?.dataset.testid;
        found.push(`${name}: ${wrap.scrollWidth}px wide in ${wrap.clientWidth}px`);
      }
    }
    return found;
  }, TABLES);
}

/** How many lines the text of `el` takes (0 when it is not shown). */
async function lines(locator) {
  return locator.evaluate((el) => {
    const bottoms = new Set();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) bottoms.add(Math.round(r.bottom / 4));
    }
    return bottoms.size;
  });
}

/**
 * The text of `el` as a person sees it: the characters inside the box that clips them
 * (an element with hidden overflow), with "…" where the browser cut some off.
 */
async function visibleText(locator) {
  return locator.evaluate((el) => {
    const clipOf = (node) => {
      for (let e = node.parentElement; e && e !== el.parentElement; e = e.parentElement) {
        if (getComputedStyle(e).overflowX !== 'visible') return e;
      }
      return null;
    };
    let out = '';
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const clip = clipOf(node);
      const box = clip?.getBoundingClientRect();
      // A visually hidden copy (for screen readers) is not seen.
      if (box && box.width <= 1) continue;
      const cut = clip && (clip.scrollWidth > clip.clientWidth || clip.scrollHeight > clip.clientHeight);
      // The ellipsis takes about one character's room at the cut.
      const room = box ? box.right - (cut ? parseFloat(getComputedStyle(clip).fontSize) : 0) : Infinity;
      let skipped = false;
      for (let i = 0; i < node.length; i += 1) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const r = range.getBoundingClientRect();
        if (r.width === 0) continue;
        const inside = !box || (r.left >= box.left - 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5);
        if (r.right <= room + 0.5 && inside) out += node.data[i];
        else if (!skipped) {
          out += '…';
          skipped = true;
        }
      }
    }
    return out.replace(/\s+/g, ' ').trim();
  });
}

async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** At each width and colour scheme: `check(width)` failures, and a screenshot. */
async function atEveryWidth(t, app, page, name, check) {
  const failures = [];
  // At rest: a focused row shows its ids whole, wrapped (checked on its own below).
  await page.evaluate(() => document.activeElement?.blur());
  for (const [width, viewport] of Object.entries(WIDTHS)) {
    await page.setViewportSize(viewport);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await settle(page);
      for (const f of await brokenWords(page)) failures.push(`${width} ${scheme}: ${f}`);
      for (const f of await spilledCells(page)) failures.push(`${width} ${scheme}: ${f}`);
      for (const f of await check(width)) failures.push(`${width} ${scheme}: ${f}`);
      await app.screenshot(page, `tables-${name}-${width}-${scheme}`);
      // Each table on its own, to look at.
      for (const testId of ['statement', 'transfer-list']) {
        await elementScreenshot(t, page.getByTestId(testId), `tables-${name}-${testId}-${width}-${scheme}`);
      }
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return failures;
}

/** The rows' cells of a table at column `n` (1-based), shown ones only. */
function column(page, testId, n) {
  return page.getByTestId(testId).locator(`tbody tr > :nth-child(${n})`);
}

/** Failures of the statement: every "#" and event type on one line. */
async function statementFailures(page) {
  const failures = [];
  for (const n of [1, 2]) {
    for (const cell of await column(page, 'statement', n).all()) {
      const count = await lines(cell);
      if (count > 1) failures.push(`statement column ${n}: "${await cell.textContent()}" takes ${count} lines`);
    }
  }
  return failures;
}

/**
 * Failures of the transfers list: in each of `columns` (1: the transfer, 2: from → to),
 * the `rows` read differently; each status badge on one line.
 */
async function transferFailures(page, rows, columns) {
  const failures = [];
  for (const n of columns) {
    const seen = new Map();
    for (const id of rows) {
      const text = await visibleText(page.getByTestId(`transfer-row-${id}`).locator(`> :nth-child(${n})`));
      if (seen.has(text)) failures.push(`transfers column ${n}: ${seen.get(text)} and ${id} both read "${text}"`);
      seen.set(text, id);
    }
  }
  for (const badge of await page.getByTestId('transfer-list').getByTestId('transfer-status').all()) {
    const count = await lines(badge);
    if (count > 1) failures.push(`transfer status "${await badge.textContent()}" takes ${count} lines`);
  }
  return failures;
}

test('on the seed demo, tables break no word or number and keep the transfers apart at 375, 1280 and 1440 px', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'seed-demo');
    await waitBalance(page, 'alice-123', '750.00');
    await selectAccount(page, 'alice-123');
    // Event 11: a two-digit "#" in the statement.
    await move(page, 'deposit', '100.00');
    await waitBalance(page, 'alice-123', '850.00');
    const failures = await atEveryWidth(t, app, page, 'seed', async () => [
      ...(await statementFailures(page)),
      ...(await transferFailures(page, ['transfer-789', 'transfer-999'], [1, 2])),
    ]);
    assert.deepEqual(failures, [], `tables on the seed demo:\n${failures.join('\n')}`);
    // The whole id stays the link's accessible name and its title.
    const link = page.getByTestId('transfer-row-transfer-789').getByRole('link', { name: 'transfer-789', exact: true });
    assert.equal(await link.getAttribute('title'), 'transfer-789');
  }, BANK);
});

const FROM = `alice${'W'.repeat(59)}`;
const TO = `bob${'M'.repeat(61)}`;
const FIRST = `t${'W'.repeat(62)}1`;
const SECOND = `t${'W'.repeat(62)}2`;

test('64-character ids that differ only at their end stay apart, and tables break no word, at 375, 1280 and 1440 px', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, FROM, 'Alice', '100.00');
    await waitBalance(page, FROM, '100.00');
    await openAccount(page, TO, 'Bob', '0.00');
    await waitBalance(page, TO, '0.00');
    for (const id of [FIRST, SECOND]) {
      await fillTransfer(page, { id, from: FROM, to: TO, amount: '10.00' });
      await page.getByTestId('transfer-form').getByRole('button', { name: 'Start transfer' }).click();
      await waitTransferStatus(page, id, 'completed');
    }
    await selectAccount(page, FROM);
    const failures = await atEveryWidth(t, app, page, 'longids', async () => [
      ...(await statementFailures(page)),
      // Both go from FROM to TO: only their ids differ.
      ...(await transferFailures(page, [FIRST, SECOND], [1])),
    ]);
    assert.deepEqual(failures, [], `tables with 64-character ids:\n${failures.join('\n')}`);
    // Keyboard users see the whole id while its row has the focus.
    await page.setViewportSize(VIEWPORTS.mobile);
    const link = page.getByTestId(`transfer-row-${FIRST}`).getByRole('link', { name: FIRST, exact: true });
    // Reached by the keyboard (a mouse's press shows it cut: it must not grow under
    // the pointer), from the element before it.
    await link.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    assert.ok(await link.evaluate((a) => a === document.activeElement), 'the link has the focus');
    assert.equal(await visibleText(link), FIRST, 'a focused row shows its id whole');
    await app.screenshot(page, 'tables-longids-focused');
  }, BANK);
});
