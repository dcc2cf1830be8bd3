// When compensation fails: the lesson, acting only on what the page shows (it is found
// by its title in the course overview, never by its number), and the operator's fix
// outside the course with the longest ids, at 1280 and 375 px, light and dark.
//
// The lesson: the learner predicts what Play writes when the refund is refused, sees
// t1 need attention, retries the refund into alice-savings with a reason, steps it,
// and looks back in time travel at a moment the money was out (the total short).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { withApp, VIEWPORTS, SCREENSHOTS } from './harness.mjs';
import { BANK, openAccount, waitBalance, selectAccount, fillTransfer, nextStep, sidewaysOverflow, personClick } from './bank.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

const TITLE = 'When compensation fails';
const panel = (page) => page.getByRole('complementary').filter({ hasText: 'Predict, then act' });

/** Opens the course, then this lesson from the overview's list, by its title. */
async function openLesson(app) {
  const page = await app.open('#lesson=1');
  await panel(page).getByRole('button', { name: 'All lessons' }).click();
  await panel(page).getByRole('button', { name: new RegExp(`^\\d+\\. ${TITLE}$`) }).click();
  await panel(page).getByRole('heading', { level: 2, name: TITLE }).waitFor();
  await panel(page).getByRole('button', { name: 'Lock my prediction' }).waitFor();
  return page;
}

async function tasksDone(page, k, of) {
  await panel(page).getByText(`${k} of ${of} ${of === 1 ? 'task' : 'tasks'} done`).waitFor();
}

/** Saves what the screen shows now (not the whole page) with `locator` scrolled into
 * view, to target/screenshots/<name>.png. */
async function screenshot(page, name, locator) {
  await mkdir(SCREENSHOTS, { recursive: true });
  if (locator) await locator.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** The operator's fix, as the saga view shows it. */
const fix = (page) => page.getByRole('region', { name: "Operator's fix" });

test('lesson "When compensation fails": predict the refused refund, fix it as an operator, look back at the money gone', async (t) => {
  await withApp(t, async (app) => {
    const page = await openLesson(app);
    // The text says what a saga gives up, and the countermeasure this bank lacks.
    await panel(page).getByText(/A saga gives up isolation \(glossary\): each step commits on its own/).waitFor();
    await panel(page).getByText(/this bank has no semantic lock/).waitFor();
    const p = panel(page);
    for (const [i, [type, stream]] of [['TransferCreditRejected', 'transfer-t1'], ['TransferCompensationFailed', 'transfer-t1']].entries()) {
      await p.getByLabel(`Event ${i + 1}`, { exact: true }).selectOption(type);
      await p.getByLabel(`Stream ${i + 1}`, { exact: true }).selectOption({ label: stream });
    }
    await p.getByRole('button', { name: 'Lock my prediction' }).click();
    await p.getByText('Your prediction, locked:').waitFor();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await tasksDone(page, 1, 3);
    await p.getByText('Your prediction matches the log.').waitFor();
    // The transfer needs attention, and says where the money is.
    const saga = page.getByRole('article', { name: /Saga of t1/ });
    await saga.getByText('needs attention').first().waitFor();
    await fix(page).getByText('40.00 left alice and is in no account now: the refund was refused (alice is closed).').waitFor();
    await screenshot(page, 'compfail-needs-attention-1280', fix(page));
    // The operator's fix: alice-savings, with a reason, then the refund step.
    await fix(page).getByLabel('Refund into').selectOption('alice-savings');
    await fix(page).getByLabel(/Reason/).fill('alice was closed; refund to her savings');
    await fix(page).getByRole('button', { name: 'Retry the refund' }).click();
    await fix(page).waitFor({ state: 'detached' });
    await saga.getByText(/an operator retried the refund into alice-savings: alice was closed; refund to her savings/).waitFor();
    await page.getByRole('button', { name: 'Next step', exact: true, disabled: false }).click();
    await tasksDone(page, 2, 3);
    await page.getByRole('table', { name: 'Accounts and their balances' })
      .getByRole('row').filter({ has: page.getByRole('link', { name: 'alice-savings', exact: true }) })
      .getByText('40.00', { exact: true }).waitFor();
    // Time travel, back one event at a time to when t1 needed attention.
    const slider = page.getByRole('slider', { name: 'Show the bank as of event' });
    const where = page.getByRole('status').filter({ hasText: /^Event \d+ of \d+$/ });
    for (let i = 0; i < 10 && !/TransferCompensationFailed/.test(await slider.getAttribute('aria-valuetext')); i += 1) {
      const before = (await where.textContent()).trim();
      await page.getByRole('button', { name: 'Previous event' }).click();
      await where.filter({ hasNotText: new RegExp(`^${before}$`) }).waitFor();
    }
    assert.match(await slider.getAttribute('aria-valuetext'), /TransferCompensationFailed in transfer-t1/);
    await page.getByText(/^Accounts as of event \d+: total 0\.00,/).waitFor();
    await tasksDone(page, 3, 3);
    const tasks = p.getByRole('list', { name: 'Your tasks' }).getByRole('listitem');
    for (const text of await tasks.allTextContents()) assert.match(text, /\(done\)/, text);
    await assertNoSeriousViolations(page, `lesson "${TITLE}" finished`);
  }, BANK);
});

/** Opens account `id` by its link and closes it, saying yes to its question: each
 * pressed once, as a person presses. (The first press of Close account was once lost
 * at 1280 px: the list's id, shown whole while its link held the focus, shrank back
 * as the press moved the focus, and the button jumped away under the pointer.) */
async function closeAccount(page, id) {
  await selectAccount(page, id);
  await personClick(page, page.getByRole('button', { name: 'Close account' }));
  const sure = page.getByRole('button', { name: 'Close for good' });
  await sure.waitFor();
  await personClick(page, sure);
  await sure.waitFor({ state: 'hidden' });
}

/** Presses Next step and waits until the box of what it wrote names `written`. */
async function press(page, written) {
  await page.getByRole('button', { name: 'Next step', exact: true, disabled: false }).click();
  await page.getByTestId('step-wrote').getByText(written).waitFor();
}

/** A bank where transfer `t` (64-character ids) needs attention: its source was
 * emptied by it and closed while the money was out, the destination was closed. */
async function needingAttention(page, ids) {
  const { src, savings, dest, t } = ids;
  await openAccount(page, src, 'Ann', '12.00');
  await waitBalance(page, src, '12.00');
  await openAccount(page, savings, 'Ann', '0.00');
  await waitBalance(page, savings, '0.00');
  await openAccount(page, dest, 'Cy', '0.00');
  await waitBalance(page, dest, '0.00');
  await closeAccount(page, dest);
  const form = await fillTransfer(page, { id: t, from: src, to: dest, amount: '12.00', mode: 'step' });
  await form.getByRole('button', { name: 'Start transfer' }).click();
  await page.getByTestId('saga-timeline').waitFor();
  await nextStep(page);
  await waitBalance(page, src, '0.00');
  // While the money is out, the source reads 0.00: closing it is allowed.
  await closeAccount(page, src);
  await press(page, /TransferCreditRejected #\d+ in transfer-/);
  await press(page, /TransferCompensationFailed #\d+ in transfer-/);
  await fix(page).waitFor();
}

// 1280 px in a tall window: the accounts list and the card's buttons are on screen at
// once, as at a desk (where a press on Close account was lost, see closeAccount).
for (const [name, viewport, scheme] of [['1280', { width: 1280, height: 1400 }, 'light'], ['375-dark', VIEWPORTS.mobile, 'dark']]) {
  test(`the operator's fix outside the course with 64-character ids, ${name}`, async (t) => {
    await withApp(t, async (app) => {
      const page = await app.open();
      await page.emulateMedia({ colorScheme: scheme });
      const long = (c) => c.repeat(64);
      const ids = { src: long('s'), savings: long('v'), dest: long('d'), t: long('t') };
      await needingAttention(page, ids);
      const choice = fix(page).getByLabel('Refund into');
      assert.deepEqual(await choice.locator('option').allTextContents(), [ids.savings]);
      await fix(page).scrollIntoViewIfNeeded();
      const box = await fix(page).boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= viewport.width + 1, `the fix inside the screen: ${JSON.stringify(box)}`);
      for (const control of [choice, fix(page).getByRole('button', { name: 'Retry the refund' })]) {
        const c = await control.boundingBox();
        assert.ok(c.x >= 0 && c.x + c.width <= viewport.width + 1, `a control inside: ${JSON.stringify(c)}`);
      }
      assert.ok(await sidewaysOverflow(page) <= 0, 'the page does not scroll sideways');
      await screenshot(page, `compfail-fix-${name}`, fix(page));
      // A fix without a reason is refused where it was made, and nothing is written.
      await fix(page).getByRole('button', { name: 'Retry the refund' }).click();
      const refused = fix(page).getByRole('alert').getByText(/Give a reason: the log keeps it with the fix/);
      await refused.waitFor();
      // Beside the fields, inside the fix and the screen; the choice is kept.
      const said = await refused.boundingBox();
      assert.ok(said.x >= 0 && said.x + said.width <= viewport.width + 1, `the message inside: ${JSON.stringify(said)}`);
      assert.equal(await choice.inputValue(), ids.savings);
      await screenshot(page, `compfail-fix-refused-${name}`, fix(page));
      await fix(page).getByLabel(/Reason/).fill('source closed mid-transfer');
      await fix(page).getByRole('button', { name: 'Retry the refund' }).click();
      await fix(page).waitFor({ state: 'detached' });
      await nextStep(page);
      await waitBalance(page, ids.savings, '12.00');
      const diagram = page.getByRole('figure', { name: /State diagram/ });
      await screenshot(page, `compfail-fixed-diagram-${name}`, diagram);
      await assertNoSeriousViolations(page, `the operator's fix done, ${name}`);
    }, { ...BANK, viewport });
  });
}
