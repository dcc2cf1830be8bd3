// The moments the course teaches, on screen (issue 21, items 3 and 7): a refusal says
// "0 events written" and where the log still stands, under the form and in "What just
// happened"; a transfer sent again shows the existing transfer it was answered with,
// and one with other details names the detail that differed; each Next step shows
// what it wrote (effect, record, two appends) and marks the steps it wrote to, and
// says when the press also ended the saga; a finished lesson and course say so; on a
// phone the drawer keeps to half the screen, folds for "Show me", shows progress
// folded, and the page's bottom can be reached. Acts by what the page shows.

import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import {
  BANK, selectAccount, move, nextStep, fillTransfer, auditCount, loadScenario, waitTransferStatus,
} from './bank.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

/** Waits until lesson `n` is shown in the panel. */
async function waitLesson(page, n) {
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="learn-kicker"]')?.textContent.startsWith(`Lesson ${n} of`),
    n,
  );
}

/** Whether `locator`'s box is inside the window (vertically). */
async function inWindow(page, locator) {
  const box = await locator.boundingBox();
  const height = page.viewportSize().height;
  return box !== null && box.y >= 0 && box.y + box.height <= height;
}

/** The log's length, from the audit trail's count line ("9 events"). */
async function logLength(page) {
  await page.waitForFunction(() => /^\d+ events?$/.test(document.querySelector('[data-testid="audit-count"]')?.textContent.trim()));
  return Number.parseInt(await auditCount(page), 10);
}

test('a refusal: the rule, then "0 events written; the log is still at #N", in the form and in What just happened', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=3');
    await waitLesson(page, 3);
    // Each lesson says where it runs.
    assert.match(await page.getByTestId('learn-practice').textContent(), /bank of its own.*Your own bank is untouched/);
    const n = await logLength(page);
    await selectAccount(page, 'bob-456');
    await move(page, 'withdraw', '99999.00', 'too much');
    const error = page.getByTestId('account-error');
    await error.getByText(`0 events written; the log is still at #${n}.`).waitFor();
    assert.match(await error.textContent(), /^insufficient balance: 750\.00 < 99999\.00\n0 events written/);
    assert.equal(await logLength(page), n, 'nothing was written');
    const happened = page.getByTestId('learn-happened');
    const said = happened.getByText(`Refused: 0 events written; the log is still at #${n}.`);
    await said.waitFor();
    assert.ok(await said.evaluate((el) => el.checkVisibility()), 'the refusal is on screen, not only for screen readers');
    assert.match(await said.textContent(), /The rule's words: insufficient balance/);
    await app.screenshot(page, 'moments-refusal');

    // "All lessons" brings the list into view; reopening the lesson leaves nothing stale.
    await page.getByRole('button', { name: 'All lessons' }).click();
    const list = page.getByRole('heading', { name: 'All lessons' });
    await page.waitForFunction(() => {
      const r = document.querySelector('#learn-overview-title')?.getBoundingClientRect();
      return r && r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.ok(await inWindow(page, list));
    await page.getByRole('button', { name: '3. Rules refuse, and nothing is written' }).click();
    await waitLesson(page, 3);
    await happened.getByText("Your next action's events will be explained here.").waitFor();
    assert.equal(await happened.getByText('Refused').count(), 0, 'no refusal of the earlier attempt is left');
  }, BANK);
});

test('a transfer sent again shows the existing one; other details name what differed; no filled-looking placeholders', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=8');
    await waitLesson(page, 8);
    // Examples sit beside the labels, never inside a field where they look typed.
    const form = page.getByTestId('transfer-form');
    for (const scope of [form, page.getByTestId('open-account-form')]) {
      assert.equal(await scope.locator('input[placeholder]').count(), 0, 'no field shows a placeholder');
    }
    await form.getByText('e.g. alice-123').waitFor();
    const n = await logLength(page);
    await fillTransfer(page, {
      id: 'transfer-789', from: 'alice-123', to: 'bob-456', amount: '250.00', description: 'Payment for services',
    });
    await form.getByRole('button', { name: 'Start transfer' }).click();
    const answer = page.getByTestId('transfer-answered');
    await answer.waitFor();
    assert.ok(await answer.evaluate((el) => el.checkVisibility()), 'the answer is on screen');
    const link = answer.getByRole('link', { name: 'transfer-789' });
    assert.match(await link.getAttribute('href'), /#transfer=transfer-789$/);
    assert.match(await answer.textContent(), /0 events written/);
    await page.getByTestId('learn-happened')
      .getByText(`Answered with the existing transfer transfer-789: 0 events written; the log is still at #${n}.`).waitFor();
    await app.screenshot(page, 'moments-answered');

    await fillTransfer(page, {
      id: 'transfer-789', from: 'alice-123', to: 'bob-456', amount: '1.00', description: 'Payment for services',
    });
    await form.getByRole('button', { name: 'Start transfer' }).click();
    const error = page.getByTestId('transfer-error');
    await error.getByText(/the amount differs: it is 250\.00, not 1\.00/).waitFor();
    assert.match(await error.textContent(), new RegExp(`0 events written; the log is still at #${n}\\.`));
    assert.equal(await answer.count(), 0, 'the earlier answer is gone');
    assert.equal(await logLength(page), n);
  }, BANK);
});

test('each Next step shows what it wrote (effect, record, two appends), marks its steps, and says when it ended the saga', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=6');
    await waitLesson(page, 6);
    const wrote = page.getByTestId('step-wrote');
    const pressed = async () => page.locator('[data-testid^="span-"]:has([data-testid="span-pressed"])')
      .evaluateAll((spans) => spans.map((s) => s.dataset.testid));

    await nextStep(page);
    await wrote.waitFor();
    let text = await wrote.textContent();
    assert.match(text, /This press wrote 2 events in 2 appends: the step's effect in account-alice and its record in transfer-t1/);
    assert.match(text, /MoneyWithdrawn #\d+ in account-alice v\d+: the step's effect on the account/);
    assert.match(text, /TransferDebited #\d+ in transfer-t1 v\d+: the step's record/);
    assert.deepEqual(await pressed(), ['span-debit']);
    assert.equal(await page.getByTestId('step-ended').count(), 0);

    await nextStep(page);
    assert.match(await wrote.textContent(), /1 event in 1 append.*TransferCreditRejected.*no effect was written/);
    assert.deepEqual(await pressed(), ['span-credit-rejected']);

    await nextStep(page);
    text = await wrote.textContent();
    assert.match(text, /3 events in 2 appends/);
    assert.match(text, /MoneyDeposited #\d+ in account-alice.*TransferReversed #\d+ in transfer-t1.*TransferFailed #\d+ in transfer-t1/);
    const ended = page.getByTestId('step-ended');
    assert.match(await ended.textContent(), /^TransferFailed after TransferReversed: this press also ended the saga/);
    assert.ok(await ended.evaluate((el) => el.checkVisibility()));
    assert.deepEqual((await pressed()).sort(), ['span-failed', 'span-refund', 'span-reversed']);
    await app.screenshot(page, 'moments-step-ended');
    await assertNoSeriousViolations(page, 'a step written, 1280 px');

    // The lesson ends visibly, with what it showed.
    await page.getByTestId('audit-list').locator('[data-testid^="audit-row-"]', { hasText: 'TransferReversed' }).first().click();
    // Its last task: a debit refused ends the saga at once, with no effect written.
    await loadScenario(page, 'insufficient-funds');
    let last = '';
    while ((await page.locator('[data-testid="next-step"]:not([disabled])').count()) > 0) {
      await nextStep(page);
      last = await wrote.textContent();
    }
    assert.match(last, /TransferFailed #\d+ in transfer-t1 v\d+: the step's record/);
    assert.match(await page.getByTestId('step-ended').textContent(), /^TransferFailed: this press also ended the saga/);
    const complete = page.getByTestId('learn-complete');
    await complete.getByText(/^Lesson complete\. You saw that /).waitFor();
    assert.match(await complete.textContent(), /The practice bank is made fresh each time the lesson opens/);

    // Reopened, the lesson starts over: nothing of the earlier attempt is said to have just happened.
    await page.getByRole('button', { name: 'All lessons' }).click();
    await page.getByRole('button', { name: '6. Compensation' }).click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="step-wrote"]'));
    await page.getByTestId('learn-happened').getByText("Your next action's events will be explained here.").waitFor();
    assert.equal(await page.getByTestId('span-refund').getAttribute('data-status'), 'to come');
    // Finished before: it says what the ticks and the fresh practice bank mean.
    assert.match(await complete.textContent(), /Your ticks stay\./);
  }, BANK);
});

test('the course complete message, once every lesson is done', async (t) => {
  await withApp(t, async (app) => {
    // Every lesson's key, counted from the course's source.
    const source = readFileSync(new URL('../../src/app/learn/lessons.rs', import.meta.url), 'utf8');
    const keys = [...source.matchAll(/^ {8}key: "([^"]+)",$/gm)].map((m) => m[1]);
    const all = Object.fromEntries(keys.map((k) => [k, [0, 1, 2]]));
    await app.context.addInitScript((done) => {
      if (!localStorage.getItem('sagabank/learn/progress')) {
        localStorage.setItem('sagabank/learn/progress', JSON.stringify({ done }));
      }
    }, all);
    const page = await app.open('#lesson=2');
    await waitLesson(page, 2);
    const course = page.getByTestId('learn-course-complete');
    await course.getByText(/^Course complete: all \d+ lessons done\./).waitFor();
    assert.ok(await course.evaluate((el) => el.checkVisibility()));
  }, BANK);
});

test('a phone: the drawer covers at most half, shows progress folded, folds for Show me, and the page bottom is reachable', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=3');
    await waitLesson(page, 3);
    const drawer = page.getByTestId('learn-panel');
    const toggle = page.getByTestId('learn-toggle');
    const height = page.viewportSize().height;
    const box = await drawer.boundingBox();
    assert.ok(box.height <= height / 2 + 1, `the open drawer is ${box.height}px of ${height}px`);
    assert.match(await toggle.textContent(), /\(0 of 3 done\)/);
    const arrow = () => toggle.evaluate((el) => getComputedStyle(el, '::after').content);
    assert.equal(await arrow(), '" ▾"', 'open, the arrow points down (to fold)');
    await app.screenshot(page, 'moments-phone-drawer');

    // The page's bottom scrolls above the open drawer.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const last = page.locator('section.panel:visible').last();
    const lastBox = await last.boundingBox();
    const drawerTop = (await drawer.boundingBox()).y;
    assert.ok(lastBox.y + lastBox.height <= drawerTop + 1, `the last panel ends at ${lastBox.y + lastBox.height}, the drawer starts at ${drawerTop}`);

    // Show me folds the drawer and brings the accounts into view.
    await page.getByRole('button', { name: /^Show me where: Withdraw more/ }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="learn-toggle"]').getAttribute('aria-expanded') === 'false');
    assert.equal(await arrow(), '" ▴"', 'folded, the arrow points up (to open)');
    await page.waitForFunction(() => {
      const r = document.querySelector('section.panel--accounts').getBoundingClientRect();
      return r.top >= -1 && r.top < window.innerHeight / 2;
    });
    await app.screenshot(page, 'moments-phone-show-me');
    await assertNoSeriousViolations(page, 'the folded drawer, 375 px');
  }, { ...BANK, viewport: VIEWPORTS.mobile });
});

test('at 1280 px beside the lesson, with 64-character ids: no table scrolls sideways, no event name breaks, no badge or header is cut', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=8');
    await waitLesson(page, 8);
    const long = `alice${'W'.repeat(59)}`;
    const form = page.getByTestId('open-account-form');
    await form.getByLabel('Account id').fill(long);
    await form.getByLabel('Owner name').fill('Alice Long');
    await form.getByLabel('Initial balance').fill('100.00');
    // Enter sends the form, and the keyboard stays in it.
    await form.getByLabel('Initial balance').press('Enter');
    await page.getByTestId(`account-row-${long}`).waitFor();
    assert.ok(await form.evaluate((f) => f.contains(document.activeElement)), 'focus stays at the form');
    const transfer = `t${'W'.repeat(63)}`;
    await fillTransfer(page, { id: transfer, from: 'alice-123', to: long, amount: '10.00', description: 'a long one' });
    await page.getByTestId('transfer-form').getByRole('button', { name: 'Start transfer' }).click();
    await waitTransferStatus(page, transfer, 'completed');
    // alice-123's statement holds the long transfer's line.
    await selectAccount(page, 'alice-123');
    const faults = await page.evaluate(() => {
      const out = [];
      for (const w of document.querySelectorAll('.table-wrap')) {
        if (w.scrollWidth > w.clientWidth + 1) out.push(`${w.querySelector('table')?.dataset.testid} scrolls sideways (${w.scrollWidth} > ${w.clientWidth})`);
      }
      for (const el of document.querySelectorAll('.badge, th')) {
        if (el.scrollWidth > el.clientWidth + 1) out.push(`cut: ${el.textContent.trim()}`);
      }
      // An event name (one CamelCase word) laid out on more than one line.
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const word = n.textContent.trim();
        if (!/^(Account|Money|Transfer)[A-Z][A-Za-z]+$/.test(word) || !n.parentElement.checkVisibility()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) out.push(`broken: ${word}`);
      }
      return out;
    });
    assert.deepEqual(faults, []);
    await app.screenshot(page, 'moments-1280-long-ids');
  }, BANK);
});

test('the prediction\'s choices sit next to their labels at 375 and 1280 px', async (t) => {
  for (const viewport of [VIEWPORTS.mobile, VIEWPORTS.desktop]) {
    await withApp(t, async (app) => {
      const page = await app.open('#lesson=3');
      await waitLesson(page, 3);
      const radios = page.getByRole('radio');
      await radios.first().scrollIntoViewIfNeeded();
      assert.ok((await radios.count()) > 1);
      const apart = await radios.evaluateAll((inputs) => inputs.flatMap((input) => {
        const label = input.closest('label');
        const words = [...label.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        const range = document.createRange();
        range.selectNodeContents(words);
        const first = range.getClientRects()[0];
        const box = input.getBoundingClientRect();
        const middle = box.top + box.height / 2;
        // On the same line as the first line of its words, and to their left.
        return middle >= first.top && middle <= first.bottom && box.right <= first.left + 1 ? [] : [label.textContent.trim()];
      }));
      assert.deepEqual(apart, [], `at ${viewport.width} px`);
    }, { ...BANK, viewport });
  }
});
