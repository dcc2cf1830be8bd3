// Firefox: two lessons end to end, acting only by what the page shows (accessible
// names, label texts, button names, visible text): in lesson 3 the learner predicts the
// overdraft is accepted, sees the missed refusal marked beside the log, then suspends
// bob-456 and has a deposit refused; in lesson 5 the debit step's two events are
// predicted right and t1 is stepped to its end. Each ends with the panel saying all its
// tasks are done and the comparison still shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './harness.mjs';
import { BANK, find, fill } from './bank.mjs';

/** In the page: the element whose accessible name (aria-label, or the text of what
 * aria-labelledby names) is `name`. */
const NAMED = `(name) => [...document.querySelectorAll('[aria-label], [aria-labelledby]')].find((e) =>
  e.getAttribute('aria-label') === name ||
  document.getElementById(e.getAttribute('aria-labelledby') ?? '')?.textContent.trim() === name) ?? null`;

/** The control labelled `label` (a <label>'s own text, or its `for`) inside the element named `scope`. */
const control = (page, scope, label) => find(page, (named, scope, label) => {
  const root = scope ? eval(named)(scope) : document;
  for (const l of root?.querySelectorAll('label') ?? []) {
    const own = [...l.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
    if ((own === label || l.textContent.trim() === label) && l.control) return l.control;
  }
  return null;
}, NAMED, scope, label);

/** The visible button named `name` inside the element named `scope` (or anywhere). */
const button = (page, scope, name) => find(page, (named, scope, name) => {
  const root = scope ? eval(named)(scope) : document;
  return [...(root?.querySelectorAll('button') ?? [])].find(
    (b) => (b.textContent.trim() === name || b.getAttribute('aria-label') === name) && b.checkVisibility(),
  ) ?? null;
}, NAMED, scope, name);

/** Waits until the page shows a table captioned `caption` whose text matches `re`; returns its text. */
async function tableText(page, caption, re) {
  const table = await find(page, (caption, source) => {
    const t = [...document.querySelectorAll('table')].find((t) => t.caption?.textContent.trim() === caption);
    return t && new RegExp(source).test(t.textContent) ? t : null;
  }, caption, re.source);
  return table.evaluate((t) => t.textContent);
}

async function lessonAt(app, n) {
  const page = await app.open(`#lesson=${n}`);
  await button(page, null, 'Lock my prediction');
  return page;
}

/** Waits until the lesson panel says all `of` tasks are done, each task's words say
 * "(done)", and the comparison is still shown; returns the comparison's text. */
async function finished(page, of) {
  await find(page, (of) => [...document.querySelectorAll('aside p')].find((p) => p.textContent.includes(`${of} of ${of} ${of === 1 ? 'task' : 'tasks'} done`)) ?? null, of);
  const tasks = await page.evaluate(() => {
    const title = [...document.querySelectorAll('aside h3')].find((h) => h.textContent.trim() === 'Your tasks');
    return [...(document.querySelector(`ol[aria-labelledby="${title?.id}"]`)?.children ?? [])].map((li) => li.textContent);
  });
  assert.equal(tasks.length, of);
  for (const task of tasks) assert.match(task, /\(done\)/, task);
  return tableText(page, 'Your prediction beside the log', /Event|Outcome/);
}

async function selectAccount(page, id) {
  await (await find(page, (id) => [...document.querySelectorAll('table a')].find((a) => (a.title || a.textContent.trim()) === id) ?? null, id)).click();
}

test('Firefox: lessons 3 and 5 end to end: a prediction locked before the action and compared with the log, wrong then right, every task done', async (t) => {
  await withApp(t, async (app) => {
    let page = await lessonAt(app, 3);
    await (await control(page, null, 'Accepted: it writes events')).click();
    await (await button(page, null, 'Lock my prediction')).click();
    await find(page, () => [...document.querySelectorAll('p')].find((p) => p.textContent.startsWith('Your prediction, locked:')) ?? null);
    await selectAccount(page, 'bob-456');
    await fill(await control(page, 'Move money', 'Amount'), '100000.00');
    await (await button(page, 'Move money', 'Withdraw')).click();
    const refused = await tableText(page, 'Your prediction beside the log', /Missed refusal/);
    assert.match(refused, /0 events written; the log is still at #\d+\./);
    assert.match(refused, /✗ Missed refusal: the rule said no \(Refused: not enough money in the account\), so nothing was written\./);
    await app.screenshot(page, 'firefox-course-missed-refusal');
    // Tasks 2 and 3: bob-456 suspended (with a reason), then a deposit refused.
    await fill(await control(page, 'Account status', 'Reason to suspend'), 'lost card');
    await (await button(page, 'Account status', 'Suspend')).click();
    await find(page, () => [...document.querySelectorAll('aside p')].find((p) => p.textContent.includes('2 of 3 tasks done')) ?? null);
    await fill(await control(page, 'Move money', 'Amount'), '1.00');
    await (await button(page, 'Move money', 'Deposit')).click();
    assert.match(await finished(page, 3), /Missed refusal/);

    await page.close();
    page = await lessonAt(app, 5);
    await (await control(page, null, 'Event 1')).select('MoneyWithdrawn');
    await (await control(page, null, 'Stream 1')).select('account-alice');
    await (await control(page, null, 'Event 2')).select('TransferDebited');
    await (await control(page, null, 'Stream 2')).select('transfer-t1');
    await (await button(page, null, 'Lock my prediction')).click();
    await (await button(page, 'Step controls', 'Next step')).click();
    const debit = await tableText(page, 'Your prediction beside the log', /TransferDebited in transfer-t1 v2/);
    assert.match(debit, /MoneyWithdrawn in account-alice v2/);
    assert.doesNotMatch(debit, /✗/);
    await find(page, () => [...document.querySelectorAll('strong')].find((s) => s.textContent === 'Your prediction matches the log.') ?? null);
    // The credit step ends t1 (Next step, once the debit has run): the one task is
    // done, the debit's comparison stays.
    await find(page, () => [...document.querySelectorAll('button')].find((b) =>
      b.textContent.trim() === 'Next step' && !b.disabled && b.getAttribute('aria-disabled') !== 'true') ?? null);
    await (await button(page, 'Step controls', 'Next step')).click();
    const end = await finished(page, 1);
    assert.match(end, /TransferDebited in transfer-t1 v2/);
    assert.doesNotMatch(end, /✗/);
  }, BANK);
});
