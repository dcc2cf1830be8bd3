// Retries and timeouts: the lesson taken by what the page shows only (reached by its
// title in the course overview): a prediction that the transfer completes, locked,
// then a credit failing four times runs past the deadline (the difference is marked),
// then one failing twice completes; the time axis beside the saga draws each attempt,
// its wait and the deadline, in words too. Outside the course, at 375 px, the axis
// fits the screen. axe at the end; screenshots at 1280 and 375, light and dark.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import { BANK, elementScreenshot, loadScenario } from './bank.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

const TITLE = 'Retries and timeouts';
const LONG = 't'.repeat(64);

const panel = (page) => page.getByRole('complementary').filter({ hasText: 'Predict, then act' });
const axis = (page) => page.getByRole('figure', { name: /attempts on the saga's virtual clock/ });

/** Sends `amount` from alice-123 to bob-456 all at once, the credit failing `failures`
 * times, with the transfer form's own labels. */
async function send(page, id, failures) {
  const form = page.getByRole('form', { name: 'Send money' });
  await form.getByLabel('Transfer id').fill(id);
  await form.getByLabel('From account').fill('alice-123');
  await form.getByLabel('To account').fill('bob-456');
  await form.getByLabel('Amount').fill('20.00');
  await form.getByLabel('All at once').check();
  const failuresField = form.getByLabel('Failures before success');
  if (!(await failuresField.isVisible())) await form.getByText('Inject a fault').click();
  await failuresField.fill(String(failures));
  await form.getByLabel('…of the step').selectOption({ label: 'credit' });
  await form.getByRole('button', { name: 'Start transfer' }).click();
}

/** The axis's words, one per line. */
async function axisLines(page) {
  return (await axis(page).getByRole('listitem').allTextContents()).map((l) => l.trim());
}

test('the retries lesson: a credit past its deadline times out, one within it completes', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=1');
    await panel(page).getByRole('button', { name: 'All lessons' }).click();
    await panel(page).getByRole('button', { name: new RegExp(`^\\d+\\. ${TITLE}$`) }).click();
    await panel(page).getByRole('heading', { level: 2, name: TITLE }).waitFor();
    await page.getByRole('table', { name: 'Accounts and their balances' }).getByRole('link', { name: 'alice-123', exact: true }).waitFor();

    // Predicted to complete; four failures run past the 1000 ms deadline.
    await panel(page).getByLabel(/^It completes/).check();
    await panel(page).getByRole('button', { name: 'Lock my prediction' }).click();
    await panel(page).getByText('Your prediction, locked:').waitFor();
    await send(page, 'r-late', 4);
    const table = panel(page).getByRole('table', { name: 'Your prediction beside the log' });
    // The saga runs on after the first events show: wait for its end in the table.
    await table.getByText('Timed out after 3 retries, then refunded').waitFor();
    assert.match(await table.textContent(), /It timed out: the next retry would have started after the 1000 ms deadline/);
    await panel(page).getByText('1 of 2 tasks done').waitFor();

    await axis(page).waitFor();
    const late = await axisLines(page);
    assert.equal(late.length, 6, late.join('\n'));
    assert.match(late[0], /^Attempt 1 at 0 ms: failed; waited 1\d\d ms\.$/);
    assert.match(late[3], /^Attempt 4 at \d+ ms: failed\.$/);
    assert.equal(late[4], 'Deadline: 1000 ms after the first attempt.');
    assert.match(late[5], /^Gave up: the next retry would have started at \d+ ms, after the deadline, so the saga compensates\.$/);
    const box = await axis(page).boundingBox();
    assert.ok(box.width > 200 && box.x >= 0, 'the axis is drawn, on screen');
    const diagram = page.getByRole('figure', { name: /State diagram/ });
    await diagram.getByText('Now: failed, refunded.').waitFor();
    assert.match(await diagram.textContent(), /credit timed out \(#\d+\) → failed, refunded/);
    await elementScreenshot(t, diagram, 'retries-diagram-1280-light');

    // Two attempts fail, the third goes through, well before the deadline.
    await send(page, 'r-soon', 2);
    await panel(page).getByText('2 of 2 tasks done').waitFor();
    await axis(page).getByText('Attempt 3 at').waitFor();
    const soon = await axisLines(page);
    assert.equal(soon.length, 3, soon.join('\n'));
    assert.match(soon[2], /^Attempt 3 at \d+ ms: went through\.$/);
    await app.screenshot(page, 'retries-lesson-1280-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await elementScreenshot(t, page.getByTestId('saga-timeline'), 'retries-timeline-1280-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await assertNoSeriousViolations(page, 'retries lesson finished');
  }, BANK);
});

test('outside the course, at 375 px, the time axis of a timed-out transfer fits the screen', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'seed-demo');
    await page.getByRole('table', { name: 'Accounts and their balances' }).getByRole('link', { name: 'alice-123', exact: true }).waitFor();
    await send(page, LONG, 7);
    await axis(page).getByText('Gave up:').waitFor();
    await axis(page).scrollIntoViewIfNeeded();
    const box = await axis(page).boundingBox();
    const width = page.viewportSize().width;
    assert.ok(box.x >= 0 && box.x + box.width <= width, `the axis fits: ${box.x}..${box.x + box.width} of ${width}`);
    const svg = await axis(page).locator('svg').boundingBox();
    assert.ok(svg.width > 250, `the drawing uses the width: ${svg.width}`);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await elementScreenshot(t, axis(page), `retries-axis-375-${scheme}`);
      await elementScreenshot(t, page.getByRole('figure', { name: /State diagram/ }), `retries-diagram-375-${scheme}`);
      await assertNoSeriousViolations(page, `time axis at 375 px, ${scheme}`);
    }
  }, { ...BANK, viewport: VIEWPORTS.mobile });
});
