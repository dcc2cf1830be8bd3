// Account snapshots (issue 23 item 6): the lesson "Snapshots" taken by its text alone,
// reached by its title in the course overview: predict alice-123's balance, take a
// snapshot (the card says "snapshot at vN + 0 events"), delete every snapshot (every event
// folded, the same balance), deposit 10.00; the prediction beside the log. Then, outside
// the course, "Snapshot every 3 events" on a bank of its own: the card says "snapshot at
// v3 + 1 event" and keeps it over a reload (IndexedDB). axe at the end; screenshots of
// the card at 1280 and 375 px, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import { BANK, openAccount, waitBalance, selectAccount, move, sidewaysOverflow, elementScreenshot } from './bank.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

/** The lesson panel. */
const panel = (page) => page.getByRole('complementary').filter({ hasText: 'Predict, then act' });

/** The selected account's card. */
const card = (page) => page.getByRole('article').filter({ has: page.getByRole('form', { name: 'Snapshots' }) });

/** Waits until the card says how it loaded, matching `re`. */
async function loaded(page, re) {
  await card(page).getByText(re).waitFor();
}

/** Opens the lesson titled `title` from the course overview. */
async function openByTitle(page, title) {
  await panel(page).getByRole('button', { name: 'All lessons' }).click();
  await panel(page).getByRole('button', { name: new RegExp(`^\\d+\\. ${title}$`) }).click();
  await panel(page).getByRole('heading', { level: 2, name: title }).waitFor();
  await panel(page).getByRole('button', { name: 'Lock my prediction' }).waitFor();
}

test('the Snapshots lesson: take one, delete them all, the balance stays; deposit as predicted', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=1');
    await panel(page).getByRole('heading', { level: 2 }).first().waitFor();
    await openByTitle(page, 'Snapshots');
    await panel(page).getByText('0 of 3 tasks done').waitFor();
    await waitBalance(page, 'alice-123', '750.00');

    // Predict before acting: deleting snapshots takes nothing away.
    await panel(page).getByLabel('Balance of alice-123').fill('760.00');
    await panel(page).getByRole('button', { name: 'Lock my prediction' }).click();
    await panel(page).getByText('Your prediction, locked:').waitFor();

    await selectAccount(page, 'alice-123');
    await loaded(page, /^Loaded from storage: \d+ events folded\.$/);
    const folded = Number((await card(page).getByText(/^Loaded from storage:/).textContent()).match(/(\d+) events/)[1]);
    await card(page).getByRole('button', { name: 'Take a snapshot now' }).click();
    await loaded(page, `Loaded from storage: snapshot at v${folded} + 0 events.`);
    await panel(page).getByText('1 of 3 tasks done').waitFor();

    await card(page).getByRole('button', { name: 'Delete all snapshots' }).click();
    await loaded(page, `Loaded from storage: ${folded} events folded.`);
    await waitBalance(page, 'alice-123', '750.00');
    await panel(page).getByText('2 of 3 tasks done').waitFor();

    await move(page, 'deposit', '10.00');
    await waitBalance(page, 'alice-123', '760.00');
    await loaded(page, `Loaded from storage: ${folded + 1} events folded.`);
    await panel(page).getByText('3 of 3 tasks done').waitFor();
    await panel(page).getByText('Your prediction matches the log.').waitFor();
    await assertNoSeriousViolations(page, 'the Snapshots lesson, finished');
  }, BANK);
});

test('snapshot every 3 events: the card loads from the snapshot, also after a reload', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'snap', 'Sam', '1.00');
    await waitBalance(page, 'snap', '1.00');
    await selectAccount(page, 'snap');
    await loaded(page, 'Loaded from storage: 1 event folded.');
    const field = card(page).getByLabel(/^Snapshot every/);
    await field.fill('zero');
    await card(page).getByRole('button', { name: 'Set', exact: true }).click();
    await card(page).getByRole('alert').getByText(/Type a whole number of events from 1 to/).waitFor();
    await field.fill('3');
    await card(page).getByRole('button', { name: 'Set', exact: true }).click();
    for (const [amount, total] of [['1.00', '2.00'], ['2.00', '4.00'], ['3.00', '7.00']]) {
      await move(page, 'deposit', amount);
      await waitBalance(page, 'snap', total);
    }
    await loaded(page, 'Loaded from storage: snapshot at v3 + 1 event.');
    await app.reload(page);
    await selectAccount(page, 'snap');
    await loaded(page, 'Loaded from storage: snapshot at v3 + 1 event.');
    assert.equal(await card(page).getByLabel(/^Snapshot every/).inputValue(), '3');
    await card(page).getByRole('button', { name: 'Delete all snapshots' }).click();
    await loaded(page, 'Loaded from storage: 4 events folded.');
    await waitBalance(page, 'snap', '7.00');
  }, BANK);
});

for (const [width, viewport] of [['1280', VIEWPORTS.desktop], ['375', VIEWPORTS.mobile]]) {
  for (const scheme of ['light', 'dark']) {
    test(`the account card's snapshot line and controls, ${width} px, ${scheme}`, async (t) => {
      await withApp(t, async (app) => {
        const page = await app.open();
        await page.emulateMedia({ colorScheme: scheme });
        const id = 'a'.repeat(64);
        await openAccount(page, id, 'Long Id', '5.00');
        await waitBalance(page, id, '5.00');
        await selectAccount(page, id);
        await loaded(page, 'Loaded from storage: 1 event folded.');
        await card(page).getByRole('button', { name: 'Take a snapshot now' }).click();
        await loaded(page, 'Loaded from storage: snapshot at v1 + 0 events.').catch(async (e) => {
          throw new Error(`${e.message}\ncard: ${await card(page).innerText()}`);
        });
        await move(page, 'deposit', '1.00');
        await loaded(page, 'Loaded from storage: snapshot at v1 + 1 event.');
        assert.ok((await sidewaysOverflow(page)) <= 0, 'no sideways scrolling');
        const box = await card(page).getByRole('form', { name: 'Snapshots' }).boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, 'the controls fit the width');
        await assertNoSeriousViolations(page, `the snapshot controls, ${width} px, ${scheme}`);
        await elementScreenshot(t, card(page), `snapshots-card-${width}-${scheme}`);
      }, { ...BANK, viewport });
    });
  }
}
