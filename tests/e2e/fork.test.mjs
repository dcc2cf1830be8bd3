// Fork and compare (issue 22): from the seed demo, travel to the event just before
// transfer-789, try another path from there (a practice bank of its own), send
// transfer-789's amount to a closed account instead, compare the two banks, rename and
// delete forks, reload, and find the learner's own bank unchanged. axe in the banner and
// the comparison at 1280 and 375 px, light and dark; screenshots for the README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import {
  BANK, loadScenario, openAccount, waitBalance, balances, selectAccount, waitAuditCount,
  waitTimeTravelPosition, fillTransfer, waitTransferStatus, sidewaysOverflow, elementScreenshot,
} from './bank.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

const SEED_LATEST = { 'alice-123': '750.00', 'bob-456': '750.00' };

/** Time travel to event `n` with its slider. */
async function travelTo(page, n) {
  const slider = page.getByRole('slider', { name: 'Show the bank as of event' });
  await slider.fill(String(n));
  await waitTimeTravelPosition(page, `Event ${n} of 9`);
}

/** The banner over a practice bank. */
function banner(page) {
  return page.getByRole('region', { name: /^Practice bank: / });
}

/** Forks at event 2 of the seed demo (just before transfer-789 starts at 3). */
async function forkBefore789(page) {
  await travelTo(page, 2);
  await page.getByRole('button', { name: 'Try another path from here' }).click();
  await banner(page).waitFor();
  await waitAuditCount(page, '2 events');
}

/** Every cell the comparison marks as differing: "table / id / value". */
async function markedCells(page) {
  return page.getByTestId('compare').locator('table').evaluateAll((tables) =>
    tables.flatMap((table) => {
      const title = table.querySelector('caption').textContent.split(':')[0];
      return [...table.querySelectorAll('tbody tr')]
        .filter((tr) => tr.querySelector('.compare__mark'))
        .map((tr) => {
          const [id, what, base, fork] = [...tr.children].map((c) => c.textContent.trim());
          return `${title} / ${id} / ${what}: ${base} → ${fork.replace(/ differs$/, '')}`;
        });
    }),
  );
}

/** In the fork: carol-777 opened and closed by the page, then transfer-789's 250.00 sent
 * from alice-123 to it, all at once (it is refused by the closed account and refunded). */
async function sendToAClosedAccount(page) {
  await openAccount(page, 'carol-777', 'Carol', '0.00');
  await waitBalance(page, 'carol-777', '0.00');
  await selectAccount(page, 'carol-777');
  const detail = page.getByTestId('account-detail');
  await detail.getByRole('button', { name: 'Close account' }).click();
  await detail.getByRole('button', { name: 'Close for good' }).click();
  await page.getByTestId('account-row-carol-777').getByText('closed').waitFor();
  const form = await fillTransfer(page, { id: 'transfer-789', from: 'alice-123', to: 'carol-777', amount: '250.00', description: 'Payment for services' });
  await form.getByRole('button', { name: 'Start transfer' }).click();
  await waitTransferStatus(page, 'transfer-789', 'compensated');
}

test('fork the seed demo before transfer-789, send it to a closed account, compare, rename, delete, reload', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'seed-demo');
    await waitAuditCount(page, '9 events');
    const home = (await page.getByTestId('store-badge').textContent()).trim();
    assert.deepEqual(await balances(page), SEED_LATEST);

    await forkBefore789(page);
    assert.match(await banner(page).textContent(), /first 2 events of your bank.*your own bank is untouched/);
    assert.deepEqual(await balances(page), { 'alice-123': '1000.00', 'bob-456': '500.00' });
    await sendToAClosedAccount(page);
    assert.deepEqual(await balances(page), { 'alice-123': '1000.00', 'bob-456': '500.00', 'carol-777': '0.00' });

    await banner(page).getByRole('button', { name: 'Compare with my bank' }).click();
    const compare = page.getByTestId('compare');
    await compare.getByRole('heading', { name: 'Your bank and Fork at event 2, from event 2 on' }).waitFor();
    // Both histories from the fork point: the seed's 7 events after #2, and the fork's own.
    await compare.getByRole('heading', { name: 'Your bank: 7 events after #2' }).waitFor();
    assert.match(await compare.textContent(), /Fork at event 2: \d+ events after #2/);
    // The balances differ exactly where they should, and nowhere else.
    assert.deepEqual(await markedCells(page), [
      'Accounts / alice-123 / Balance: 750.00 → 1000.00',
      'Accounts / bob-456 / Balance: 750.00 → 500.00',
      'Accounts / carol-777 / Balance: no such account → 0.00',
      'Accounts / carol-777 / Status: no such account → closed',
      'Transfers / transfer-789 / From → to: alice-123 → bob-456 → alice-123 → carol-777',
      'Transfers / transfer-789 / Status: completed → compensated',
      'Transfers / transfer-999 / From → to: bob-456 → alice-123 → not made',
      'Transfers / transfer-999 / Amount: 10000.00 → not made',
      'Transfers / transfer-999 / Status: failed → not made',
    ]);
    assert.match(await compare.locator('caption').first().textContent(), /Accounts: 3 of 3 differ/);
    await assertNoSeriousViolations(page, 'the fork banner and the comparison, 1280 px, light');
    await elementScreenshot(t, page.locator('section.panel--forks'), 'fork-compare');

    // Rename: bad names get a clear message and change nothing.
    const forks = page.getByRole('region', { name: 'Practice forks' });
    await forks.getByRole('button', { name: 'Rename Fork at event 2' }).click();
    const name = forks.getByRole('textbox', { name: 'New name for Fork at event 2' });
    await name.fill('   ');
    await forks.getByRole('button', { name: 'Save the name' }).click();
    assert.match(await forks.getByRole('alert').textContent(), /A fork needs a name/);
    await name.fill('x'.repeat(65));
    await forks.getByRole('button', { name: 'Save the name' }).click();
    await forks.getByRole('alert').getByText(/at most 64 characters; this one has 65/).waitFor();
    await name.fill('Sent to a closed account');
    await forks.getByRole('button', { name: 'Save the name' }).click();
    await banner(page).getByRole('heading', { name: 'Practice bank: Sent to a closed account' }).waitFor();

    // A second fork, from the learner's bank, to delete.
    await banner(page).getByRole('button', { name: 'Back to my bank' }).click();
    await banner(page).waitFor({ state: 'detached' });
    await waitAuditCount(page, '9 events');
    await forkBefore789(page);
    await banner(page).getByRole('button', { name: 'Back to my bank' }).click();
    await waitAuditCount(page, '9 events');
    await forks.getByRole('button', { name: 'Delete Fork at event 2' }).click();
    await forks.getByRole('button', { name: 'Delete for good' }).click();
    await forks.getByRole('button', { name: 'Delete Fork at event 2' }).waitFor({ state: 'detached' });

    // A reload keeps the forks (and the one left still holds its own path).
    await page.reload();
    await app.ready(page);
    await waitAuditCount(page, '9 events');
    assert.equal((await page.getByTestId('store-badge').textContent()).trim(), home, 'the learner is on their own bank');
    assert.deepEqual(await balances(page), SEED_LATEST, "the learner's bank is unchanged");
    const items = await forks.getByRole('listitem').allTextContents();
    assert.equal(items.length, 1);
    assert.match(items[0], /Sent to a closed account · from event 2 of/);
    await forks.getByRole('button', { name: 'Open Sent to a closed account' }).click();
    await banner(page).waitFor();
    await waitBalance(page, 'carol-777', '0.00');
    await page.reload();
    await app.ready(page);
    await banner(page).getByRole('heading', { name: 'Practice bank: Sent to a closed account' }).waitFor();
    assert.deepEqual(await balances(page), { 'alice-123': '1000.00', 'bob-456': '500.00', 'carol-777': '0.00' });
    await banner(page).getByRole('button', { name: 'Back to my bank' }).click();
    await waitAuditCount(page, '9 events');
    assert.deepEqual(await balances(page), SEED_LATEST, "the learner's bank is unchanged");
  }, BANK);
});

test('on ?store=local a fork lives in localStorage and survives a reload; a bank in memory cannot be forked', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('?store=local');
    await loadScenario(page, 'seed-demo');
    await waitAuditCount(page, '9 events');
    await forkBefore789(page);
    await openAccount(page, 'carol-777', 'Carol', '5.00');
    await waitBalance(page, 'carol-777', '5.00');
    await page.reload();
    await app.ready(page);
    await banner(page).waitFor();
    await waitAuditCount(page, '3 events');
    assert.ok(await page.evaluate(() => Object.keys(localStorage).some((k) => k === 'sagabank/forks')));
    await banner(page).getByRole('button', { name: 'Back to my bank' }).click();
    await waitAuditCount(page, '9 events');
    assert.deepEqual(await balances(page), SEED_LATEST);

    const memory = await app.open('?store=memory');
    await loadScenario(memory, 'seed-demo');
    await waitAuditCount(memory, '9 events');
    await memory.getByRole('button', { name: 'Try another path from here' }).click();
    await memory.getByRole('alert').getByText(/kept in memory only, so a fork could not be kept/).waitFor();
    await waitAuditCount(memory, '9 events');
  }, BANK);
});

for (const [width, viewport] of [['1280', VIEWPORTS.desktop], ['375', VIEWPORTS.mobile]]) {
  for (const scheme of ['light', 'dark']) {
    test(`the fork banner and the comparison are axe clean at ${width} px, ${scheme}`, async (t) => {
      await withApp(t, async (app) => {
        const page = await app.open();
        await page.emulateMedia({ colorScheme: scheme });
        await loadScenario(page, 'seed-demo');
        await waitAuditCount(page, '9 events');
        await forkBefore789(page);
        await banner(page).getByRole('button', { name: 'Compare with my bank' }).click();
        await page.getByTestId('compare').getByRole('table').first().waitFor();
        await assertNoSeriousViolations(page, `the fork banner and comparison, ${width} px, ${scheme}`);
        assert.ok((await sidewaysOverflow(page)) <= 0, 'no sideways scrolling');
        const box = await banner(page).boundingBox();
        assert.ok(box.width <= viewport.width, 'the banner fits the width');
        await elementScreenshot(t, banner(page), `fork-banner-${width}-${scheme}`);
        await elementScreenshot(t, page.locator('section.panel--forks'), `fork-compare-${width}-${scheme}`);
      }, { ...BANK, viewport });
    });
  }
}
