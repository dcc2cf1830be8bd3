// Journeys with several tabs and reloads: a transfer stepped by hand stays in the
// learner's hands (after a reload, when a second tab opens, when a scenario is loaded
// during Play), two tabs pressing Next step take turns, and a tab whose bank another
// tab left is told so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './harness.mjs';
import { BANK, loadScenario, spanStatus, nextStep, waitTransferStatus, transferStatus, openAccount, waitBalance } from './bank.mjs';

/** Waits until `page`'s timeline shows `key` with `status`. */
async function waitSpan(page, key, status) {
  await page.waitForFunction(
    ([key, status]) => document.querySelector(`[data-testid="span-${key}"]`)?.dataset.status === status,
    [key, status],
  );
}

/** Gives a wrongly resumed saga time to run at least one step (a negative check). */
async function settle(page) {
  await page.evaluate(() => new Promise((r) => setTimeout(r, 1500)));
}

test('a reload while stepping by hand keeps the transfer paused where it stood', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'compensation');
    const id = await page.locator('[data-testid^="transfer-row-"]').first().getAttribute('data-testid');
    const transfer = id.replace('transfer-row-', '');
    await nextStep(page); // the debit
    await waitSpan(page, 'debit', 'done');
    await app.reload(page);
    await page.getByTestId('saga-timeline').waitFor();
    await settle(page);
    assert.equal(await spanStatus(page, 'debit'), 'done');
    assert.equal(await spanStatus(page, 'credit'), 'next', 'paused at the credit');
    assert.match(await transferStatus(page, transfer), /in progress$/);
    assert.equal(await page.getByTestId('resumed-banner').count(), 0, 'nothing was resumed');
    await page.getByTestId('timeline-paused').waitFor();
    assert.equal(await page.getByTestId('next-step').isEnabled(), true, 'Next step is ready');
    await nextStep(page);
    await waitSpan(page, 'credit', 'rejected');
    await app.screenshot(page, 'tabs-paused-after-reload');
  }, BANK);
});

test('a second tab opened mid-step leaves the first tab\'s transfer paused, and a step there is seen here', async (t) => {
  await withApp(t, async (app) => {
    const a = await app.open();
    await loadScenario(a, 'compensation');
    const row = await a.locator('[data-testid^="transfer-row-"]').first().getAttribute('data-testid');
    const transfer = row.replace('transfer-row-', '');
    await nextStep(a); // the debit
    // The second tab follows a link to the transfer.
    const b = await app.open(`#transfer=${transfer}`);
    await b.getByTestId('saga-timeline').waitFor();
    await settle(b);
    for (const page of [a, b]) {
      assert.equal(await spanStatus(page, 'credit'), 'next', 'still paused at the credit');
      assert.match(await transferStatus(page, transfer), /in progress$/);
    }
    // A step in tab B shows in tab A.
    await nextStep(b);
    await waitSpan(a, 'credit', 'rejected');
    // Both press Next step on the same view: one runs the refund, the other finds it done.
    // Both buttons are enabled first, then pressed at once: with a click that waits
    // for its button to be enabled, the tab that comes second could find the saga
    // already ended (its button disabled) and wait for ever.
    for (const page of [a, b]) {
      await page.waitForFunction(() => document.querySelector('[data-testid="next-step"]')?.disabled === false);
    }
    await Promise.all([a, b].map((p) => p.getByTestId('next-step').evaluate((button) => button.click())));
    for (const page of [a, b]) await waitSpan(page, 'refund', 'done');
    await waitTransferStatus(a, transfer, 'compensated');
    // Counted in the saga's steps (the box of what the last press wrote lists it too).
    const refunds = await a.getByTestId('saga-timeline').locator('[data-status]').getByText('MoneyDeposited').count();
    assert.equal(refunds, 1, 'one refund, not two');
  }, BANK);
});

test('a scenario loaded during Play starts paused', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'compensation');
    // Slowest speed, so Play is still running when the next scenario loads.
    await page.getByLabel('Delay between steps').evaluate((input) => {
      input.value = '2000';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.getByTestId('play').click();
    await waitSpan(page, 'debit', 'done');
    assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'true');
    await loadScenario(page, 'compensation');
    await page.getByTestId('saga-timeline').waitFor();
    assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false', 'Play stopped');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 3000)));
    assert.equal(await spanStatus(page, 'debit'), 'next', 'the new transfer waits for Next step');
  }, BANK);
});

test('a tab whose bank another tab left is told, and can follow or stay', async (t) => {
  await withApp(t, async (app) => {
    const a = await app.open();
    const b = await app.open();
    await loadScenario(a, 'seed-demo');
    const notice = b.getByTestId('moved-notice');
    await notice.waitFor();
    assert.match(await notice.textContent(), /Another tab moved to a new bank/);
    await app.screenshot(b, 'tabs-moved-notice');
    // Stay: the notice goes, and a reload keeps this tab on its own bank.
    await b.getByTestId('moved-stay').click();
    await notice.waitFor({ state: 'hidden' });
    assert.match(b.url(), /[?&]db=/, 'the tab pins its database');
    await app.reload(b);
    assert.equal(await b.getByTestId('account-list').locator('tbody tr[data-testid^="account-row-"]').count(), 0);
    // Follow, from a third tab still on the first bank.
    const c = await app.open(`?db=sagabank`);
    await loadScenario(b, 'happy-transfer');
    await c.getByTestId('moved-notice').waitFor();
    await Promise.all([c.waitForEvent('load'), c.getByTestId('moved-follow').click()]);
    await app.ready(c);
    const db = (page) => new URL(page.url()).searchParams.get('db');
    assert.notEqual(db(b), 'sagabank');
    assert.equal(db(c), db(b), 'the tab followed to the other tab\'s new bank');
    await c.locator('[data-testid^="account-row-"]').first().waitFor();
  }, BANK);
});

/** The database the store badge of `page` names. */
const badgeDb = async (page) => (await page.getByTestId('store-badge').textContent()).split('·').pop().trim();

/** Presses Start over (Reset) in `page` and confirms. */
async function startOver(page) {
  await page.getByTestId('reset').click();
  await page.getByTestId('reset-confirm').click();
  await page.getByTestId('audit-count').getByText('0 events').waitFor();
}

/** Waits until `page` says it reopened on database `db` (deleted: the one it showed), shows
 * it, and can write to it. */
async function reopenedOn(page, db, deleted, account) {
  // The tab reloads on that bank.
  const notice = page.getByTestId('reopened-notice').filter({ hasText: `(database ${db})` });
  await notice.waitFor();
  const said = await notice.textContent();
  assert.match(said, new RegExp(`Another tab deleted the bank this tab showed \\(database ${deleted}\\)`));
  assert.doesNotMatch(said, /closed|connection/);
  assert.equal(await badgeDb(page), db);
  // A command works on the reopened bank: no closed connection.
  await openAccount(page, account, 'Zed', '1.00');
  await waitBalance(page, account, '1.00');
  assert.equal(await page.getByText(/connection is closed/).count(), 0);
}

test('Start over in one tab: another tab on that bank says so and reopens, also after choosing to stay', async (t) => {
  await withApp(t, async (app) => {
    const a = await app.open();
    await loadScenario(a, 'seed-demo');
    const first = await badgeDb(a);
    const b = await app.open();
    await b.getByTestId('account-row-alice-123').waitFor();
    assert.equal(await badgeDb(b), first);

    await startOver(a);
    const reset = await badgeDb(a);
    await reopenedOn(b, reset, first, 'zed-1');
    await waitBalance(a, 'zed-1', '1.00'); // the same bank as the tab that started over
    await app.screenshot(b, 'tabs-reopened-after-start-over');
    await b.setViewportSize({ width: 375, height: 800 });
    const notice = await b.getByTestId('reopened-notice').boundingBox();
    assert.ok(notice.x >= 0 && notice.x + notice.width <= 375, 'the notice fits a phone');
    await app.screenshot(b, 'tabs-reopened-after-start-over-375');
    await b.setViewportSize({ width: 1280, height: 800 });

    // B chooses to stay on its bank when A moves on; then a third tab on that bank
    // starts over, deleting it under B.
    await loadScenario(a, 'seed-demo');
    await b.getByTestId('moved-notice').waitFor();
    await b.getByTestId('moved-stay').click();
    await b.getByTestId('moved-notice').waitFor({ state: 'hidden' });
    const c = await app.open(`?db=${reset}`);
    await startOver(c);
    const again = await badgeDb(c);
    await reopenedOn(b, again, reset, 'zed-2');
    assert.equal(new URL(b.url()).searchParams.get('db'), again, 'the pin follows the reopened bank');
    await waitBalance(c, 'zed-2', '1.00');
  }, BANK);
});
