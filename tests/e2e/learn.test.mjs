// The course "Learn": a learner with a bank of their own takes five lessons (events are
// facts, compensation, crash and resume, optimistic concurrency, idempotency) doing only
// what the lesson texts say, sees each task ticked, reloads and finds the progress kept,
// goes back to their own bank and finds it unchanged. A `#lesson=6` link opens lesson 6
// in its own database. axe checks the lesson panel at 1280 px and at 375 px (a drawer).
// The schema-evolution lesson imports its own file, and the lesson follows its bank there.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { withApp, VIEWPORTS, SCREENSHOTS } from './harness.mjs';
import {
  BANK, openAccount, waitBalance, selectAccount, move, nextStep, fillTransfer, loadScenario, errorText,
  elementScreenshot,
} from './bank.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

/** The database the page uses now (what a reload opens). */
/** What the window shows now (the lesson panel is fixed, so not the full page), saved as
 * target/screenshots/<name>.png (docs/screenshots/learn-lesson.png is one of these). */
async function viewportShot(t, page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file });
  t.diagnostic(`screenshot: ${file}`);
}

const activeDb = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('sagabank/active-db') ?? '"sagabank"'));

/** Waits until task `i` of the lesson shown is ticked. */
async function waitTick(page, i) {
  await page.locator(`[data-testid="learn-task-${i}"][data-done="true"]`).waitFor();
}

/** Waits until lesson `n` is shown in the panel, titled `title`. */
async function waitLesson(page, n, title) {
  await page.waitForFunction(
    ([n, title]) =>
      document.querySelector('[data-testid="learn-kicker"]')?.textContent.startsWith(`Lesson ${n} of`) &&
      document.querySelector('#learn-title')?.textContent === title,
    [n, title],
  );
}

/** Opens lesson `n` from the course overview, as a learner would. */
async function openLesson(page, n, title) {
  const overview = page.getByTestId('learn-overview');
  if (!(await overview.isVisible())) await page.getByTestId('learn-overview-toggle').click();
  await page.getByTestId(`learn-lesson-${n}`).click();
  await waitLesson(page, n, title);
  // The lesson starts on a database of its own, with its tasks not done.
  assert.equal(await page.locator('[data-testid^="learn-task-"][data-done="true"]').count(), 0);
}

/** The audit row of the first event of `type`. */
const auditRow = (page, type) =>
  page.getByTestId('audit-list').locator('[data-testid^="audit-row-"]', { hasText: type }).first();

test('five lessons done as their texts say, ticks kept across a reload, the own bank untouched', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    // The learner's own bank: one account.
    await openAccount(page, 'mine', 'Me', '42.00');
    await waitBalance(page, 'mine', '42.00');
    const home = await activeDb(page);

    // The welcome, then the course.
    const welcome = page.getByRole('region', { name: /Learn event sourcing/ });
    await welcome.waitFor();
    await welcome.getByRole('button', { name: 'Start the course' }).click();
    await waitLesson(page, 1, 'Events are facts');
    assert.equal(await page.getByTestId('welcome').count(), 0, 'the welcome is dismissed');
    assert.notEqual(await activeDb(page), home, 'the lesson has a database of its own');

    // Lesson 1: open an account, deposit, select the deposit in the audit trail.
    await openAccount(page, 'ann', 'Ann', '10.00');
    await waitTick(page, 0);
    await selectAccount(page, 'ann');
    await move(page, 'deposit', '5.00', 'first deposit');
    await waitTick(page, 1);
    // What just happened explains the deposit.
    await page.getByTestId('learn-happened').getByText('MoneyDeposited').waitFor();
    await auditRow(page, 'MoneyDeposited').click();
    await waitTick(page, 2);
    await page.waitForFunction(() => /Lesson 1 complete/.test(document.querySelector('[data-testid="learn-live"]')?.textContent));

    // Lesson 6: compensation, stepped to its end, then the refund selected.
    await openLesson(page, 6, 'Compensation');
    while ((await page.locator('[data-testid="next-step"]:not([disabled])').count()) > 0) {
      await nextStep(page);
    }
    await waitTick(page, 0);
    await auditRow(page, 'TransferReversed').click();
    await waitTick(page, 1);
    // Its third task: insufficient funds, from the scenario bar; nothing to compensate.
    await loadScenario(page, 'insufficient-funds');
    while ((await page.locator('[data-testid="next-step"]:not([disabled])').count()) > 0) {
      await nextStep(page);
    }
    await waitTick(page, 2);

    // Lesson 9: a second client writes behind the page's back, between the page's read
    // and its append; the page's append is refused, it reads again and decides again.
    await openLesson(page, 9, 'Optimistic concurrency');
    await page.getByTestId('learn-second-client').click();
    const wrote = page.getByTestId('learn-second-client-result');
    await wrote.getByText(/The second client is ready/).waitFor();
    await waitTick(page, 0);
    const readUpTo = page.getByTestId('learn-read-up-to');
    assert.equal(await readUpTo.textContent(), 'This page has read the log up to event #9.');
    await waitBalance(page, 'alice-123', '750.00');
    await selectAccount(page, 'alice-123');
    await move(page, 'withdraw', '1.00', 'after the second client');
    await waitTick(page, 1);
    await waitBalance(page, 'alice-123', '754.00');
    await wrote.getByText(/The second client wrote MoneyDeposited as version 3 of account-alice-123 \(event #10\)/).waitFor();
    // The moment, with the numbers of what happened, and the read position moved on.
    const story = page.getByRole('list', { name: 'The conflict, step by step' }).getByRole('listitem');
    await story.nth(3).waitFor();
    assert.deepEqual(await story.allTextContents(), [
      'This page read account-alice-123 at version 2 (it had read the log up to event #9) and decided.',
      'The second client (not this page) appended MoneyDeposited as version 3 (event #10).',
      "This page's append expected version 2 and was refused: the stream was at version 3. Nothing of it was written.",
      'This page re-read version 3, decided again on it, and appended MoneyWithdrawn as version 4 (event #11).',
    ]);
    assert.equal(await readUpTo.textContent(), 'This page has read the log up to event #11.');
    // The second client's event is marked as not this page's in the audit trail.
    await auditRow(page, 'MoneyDeposited (another client)').waitFor();
    await elementScreenshot(t, page.locator('#learn-tools'), 'learn-conflict-story');
    await elementScreenshot(t, auditRow(page, 'MoneyDeposited (another client)'), 'learn-audit-another-client');
    await viewportShot(t, page, 'learn-lesson');
    await assertNoSeriousViolations(page, 'a lesson in progress, 1280 px');

    // Lesson 7: a transfer all at once that crashes after the debit step; the page reloads.
    await openLesson(page, 7, 'Crash and resume');
    const form = await fillTransfer(page, { id: 't-crash', from: 'alice-123', to: 'bob-456', amount: '50.00', mode: 'all' });
    await form.locator('summary').click();
    await form.getByLabel('Crash').selectOption({ label: 'after the debit, before it is recorded' });
    const reloaded = page.waitForEvent('load');
    await form.getByRole('button', { name: 'Start transfer' }).click();
    await reloaded;
    await app.ready(page);
    await waitLesson(page, 7, 'Crash and resume');
    await waitTick(page, 0);
    await waitTick(page, 1);
    await waitBalance(page, 'bob-456', '800.00');
    await waitBalance(page, 'alice-123', '700.00');
    assert.match(await page.getByTestId('crash-banner').textContent(), /in transfer t-crash, after the debit leg, before it was recorded/);
    // Its third task: a transient failure, from the scenario bar, retried.
    await loadScenario(page, 'transient-failure');
    while ((await page.locator('[data-testid="next-step"]:not([disabled])').count()) > 0) {
      await nextStep(page);
    }
    await waitTick(page, 2);
    await waitBalance(page, 'bob', '130.00');

    // Lesson 8: the same transfer again, then the same id with another amount.
    await openLesson(page, 8, 'Idempotency');
    // The crash happened in lesson 7's first bank: its banner stays there.
    await page.getByTestId('crash-banner').waitFor({ state: 'detached' });
    let again = await fillTransfer(page, {
      id: 'transfer-789', from: 'alice-123', to: 'bob-456', amount: '250.00', description: 'Payment for services',
    });
    await again.getByRole('button', { name: 'Start transfer' }).click();
    await waitTick(page, 0);
    again = await fillTransfer(page, {
      id: 'transfer-789', from: 'alice-123', to: 'bob-456', amount: '1.00', description: 'Payment for services',
    });
    await again.getByRole('button', { name: 'Start transfer' }).click();
    await page.getByTestId('transfer-error').getByText(/already exists with different details/).waitFor();
    await waitTick(page, 1);
    await waitBalance(page, 'alice-123', '750.00');

    // A reload keeps the lesson and every tick.
    await app.reload(page);
    await waitLesson(page, 8, 'Idempotency');
    await waitTick(page, 0);
    await waitTick(page, 1);
    await page.getByTestId('learn-overview-toggle').click();
    for (const n of [1, 6, 7, 8, 9]) {
      const state = page.getByTestId(`learn-lesson-${n}`).locator('xpath=..');
      assert.match(await state.textContent(), /done$/, `lesson ${n} is done`);
    }
    assert.match(await page.getByTestId('learn-lesson-2').locator('xpath=..').textContent(), /0 of 3 tasks$/);

    // Back to the learner's own bank: as it was.
    await page.getByTestId('learn-leave').click();
    await page.getByTestId('learn-panel').waitFor({ state: 'detached' });
    assert.equal(await activeDb(page), home);
    await waitBalance(page, 'mine', '42.00');
    await page.waitForFunction(() => /^1 events?$/.test(document.querySelector('[data-testid="audit-count"]')?.textContent.trim()));
    // It stays so after a reload, with the welcome still dismissed.
    await app.reload(page);
    await waitBalance(page, 'mine', '42.00');
    assert.equal(await page.getByTestId('learn-panel').count(), 0);
    assert.equal(await page.getByTestId('welcome').count(), 0, 'the welcome stays dismissed');
  }, BANK);
});

test('#lesson=6 opens lesson 6 on its own database; the drawer at 375 px, by keyboard', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=6');
    await page.emulateMedia({ colorScheme: 'dark' });
    await waitLesson(page, 6, 'Compensation');
    const lessonDb = await activeDb(page);
    assert.notEqual(lessonDb, 'sagabank');
    await page.getByTestId('saga-timeline').waitFor();
    assert.equal(await page.getByTestId('welcome').count(), 0);

    // The drawer folds and unfolds from the keyboard.
    const toggle = page.getByTestId('learn-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="learn-toggle"]').getAttribute('aria-expanded') === 'false');
    assert.equal(await page.locator('#learn-body').isVisible(), false);
    await page.keyboard.press('Enter');
    await page.locator('#learn-body').waitFor();
    // A step of the saga, by keyboard: its events are explained.
    await page.getByTestId('next-step').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('learn-happened').getByText('TransferDebited').waitFor();
    await assertNoSeriousViolations(page, 'the lesson drawer, 375 px, dark');
    await viewportShot(t, page, 'learn-drawer-dark');

    // A reload stays in the lesson, on its database.
    await app.reload(page);
    await waitLesson(page, 6, 'Compensation');
    assert.equal(await activeDb(page), lessonDb);

    await page.getByTestId('learn-leave').click();
    await page.getByTestId('learn-panel').waitFor({ state: 'detached' });
    assert.equal(await activeDb(page), 'sagabank');
    // The lesson's database is deleted.
    await page.waitForFunction(async (db) => !(await indexedDB.databases()).some((d) => d.name === db), lessonDb);
  }, { ...BANK, viewport: VIEWPORTS.mobile });
});

test('schema evolution: the lesson follows its bank through an import of the schema-1 file', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=10');
    await waitLesson(page, 10, 'Schema evolution');
    // The file as the lesson offers it, beside how this version reads it.
    await page.getByText('Read as:').first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('learn-schema1-download').click(),
    ]);
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(await download.path(), 'utf8');
    assert.doesNotMatch(text, /schema_version/);
    // Imported with the audit trail's Import, as the task says.
    await page.getByTestId('audit-import').setInputFiles({
      name: download.suggestedFilename(), mimeType: 'application/x-ndjson', buffer: Buffer.from(text, 'utf8'),
    });
    await page.getByTestId('import-replace').click();
    await waitTick(page, 0);
    await waitBalance(page, 'erin', '270.50');
    await selectAccount(page, 'erin');
    await move(page, 'deposit', '1.00', 'a new event beside old ones');
    await waitTick(page, 1);
    await waitBalance(page, 'erin', '271.50');
    await page.waitForFunction(() => /Lesson 10 complete/.test(document.querySelector('[data-testid="learn-live"]')?.textContent));
  }, BANK);
});

test('the panel the next task needs is outlined: the saga timeline for stepping lesson 5', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=5');
    await page.waitForFunction(() => document.querySelector('[data-learn-target]'));
    const outlined = await page.evaluate(() => [...document.querySelectorAll('[data-learn-target]')].map((el) => el.className));
    assert.equal(outlined.length, 1, `one panel outlined: ${outlined}`);
    assert.match(outlined[0], /saga-timeline/);
  });
});

test('the tasks the checks ask for by name: time travel to a named change, rebuilds that differ then agree, pressed steps, the ignored scenarios', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=2');
    await waitLesson(page, 2, 'State is a fold');
    // An older event after transfer-789's debit is not before it; event 3 is.
    await page.getByTestId('timetravel-slider').fill('5');
    await page.getByTestId('timetravel-slider').fill('3');
    await waitTick(page, 0);
    // The account lifecycle, loaded from the scenario bar: dave's status is folded too.
    await loadScenario(page, 'account-lifecycle');
    await waitLesson(page, 2, 'State is a fold');
    await page.getByTestId('timetravel-slider').fill('4');
    await waitTick(page, 2);
    assert.equal(await page.locator('[data-testid="learn-task-1"][data-done="true"]').count(), 0);

    // Lesson 3: a withdrawal refused while suspended is not the refused deposit.
    await openLesson(page, 3, 'Rules refuse, and nothing is written');
    await selectAccount(page, 'bob-456');
    await move(page, 'withdraw', '100000.00');
    await waitTick(page, 0);
    const detail = page.getByTestId('account-detail');
    await detail.getByLabel('Reason to suspend').fill('card lost');
    await detail.getByRole('button', { name: 'Suspend' }).click();
    await waitTick(page, 1);
    await move(page, 'withdraw', '1.00');
    await errorText(page, 'account-error', /account is suspended, not active/);
    assert.equal(await page.locator('[data-testid="learn-task-2"][data-done="true"]').count(), 0);
    await move(page, 'deposit', '1.00');
    await waitTick(page, 2);

    // Lesson 4: the broken projection's rebuild differs, the real one agrees.
    await openLesson(page, 4, 'Read models');
    await selectAccount(page, 'alice-123');
    await waitTick(page, 0);
    await move(page, 'deposit', '5.00', 'a change before the rebuild');
    await waitBalance(page, 'alice-123', '755.00');
    await page.getByRole('button', { name: 'Rebuild with the broken projection (it forgets withdrawals)', exact: true }).click();
    const result = page.getByTestId('learn-rebuild-result');
    await result.getByText(/it differs from the live view: alice-123 is 755\.00 live, 1005\.00 rebuilt\./).waitFor();
    await waitTick(page, 1);
    await page.getByRole('button', { name: 'Rebuild with the real projections', exact: true }).click();
    await result.getByText(/Rebuilt with the real projections from \d+ events .*: equal to the live view\./).waitFor();
    await waitTick(page, 2);

    // Lesson 5: t1 completed by presses of Next step.
    await openLesson(page, 5, 'A saga, step by step');
    while ((await page.locator('[data-testid="next-step"]:not([disabled])').count()) > 0) {
      await nextStep(page);
    }
    await waitTick(page, 0);

    // Lesson 6's third task: insufficient funds, nothing to compensate.
    await openLesson(page, 6, 'Compensation');
    await loadScenario(page, 'insufficient-funds');
    while ((await page.locator('[data-testid="next-step"]:not([disabled])').count()) > 0) {
      await nextStep(page);
    }
    await waitTick(page, 2);
    assert.equal(await page.locator('[data-testid="learn-task-0"][data-done="true"]').count(), 0);

    // Lesson 7's third task: a transient failure, retried, the credit once.
    await openLesson(page, 7, 'Crash and resume');
    await loadScenario(page, 'transient-failure');
    while ((await page.locator('[data-testid="next-step"]:not([disabled])').count()) > 0) {
      await nextStep(page);
    }
    await waitTick(page, 2);
    await waitBalance(page, 'bob', '130.00');
  }, BANK);
});

test('#lesson=9 at 375 px, dark: the conflict, step by step, in the drawer', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=9');
    await page.emulateMedia({ colorScheme: 'dark' });
    await waitLesson(page, 9, 'Optimistic concurrency');
    await page.getByTestId('learn-second-client').click();
    await waitTick(page, 0);
    await page.getByTestId('learn-toggle').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="learn-toggle"]').getAttribute('aria-expanded') === 'false');
    await selectAccount(page, 'alice-123');
    await move(page, 'withdraw', '1.00', 'after the second client');
    await waitBalance(page, 'alice-123', '754.00');
    await page.getByTestId('learn-toggle').click();
    await waitTick(page, 1);
    const story = page.getByRole('list', { name: 'The conflict, step by step' });
    await story.getByRole('listitem').nth(3).scrollIntoViewIfNeeded();
    assert.ok(await story.getByRole('listitem').nth(3).evaluate((el) => el.checkVisibility()));
    const box = await story.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 375, `the story fits the width: ${JSON.stringify(box)}`);
    await assertNoSeriousViolations(page, 'the conflict story, 375 px, dark');
    await elementScreenshot(t, page.locator('#learn-tools'), 'learn-conflict-story-375-dark');
  }, { ...BANK, viewport: VIEWPORTS.mobile });
});
