// Accessibility in every state a user can reach: axe-core (./axe.mjs) runs in the page
// on the fresh page, the keyboard map, the reset and scenario dialogs, forms showing
// their errors, each scenario after it ends, a saga mid-step, the audit trail with an
// event selected and with filters, time travel moved, the import's error and question,
// an account with its statement, the data error screen and the newer-version page.
// Each state is checked four times on the same page: at 1280 px and 375 px (harness
// VIEWPORTS), in light and dark (prefers-color-scheme). Any violation of impact serious
// or critical fails the test with axe's own account of it; lesser ones are listed in
// the test's output (the README says which and why).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import { assertNoSeriousViolations } from './axe.mjs';
import {
  BANK, loadScenario, nextStep, waitTransferStatus, openAccount, waitBalance, selectAccount, move,
  errorText, fillTransfer, exportLog, chooseImport, waitAuditCount, waitDetails,
  waitTimeTravelPosition,
} from './bank.mjs';

const COMBOS = [
  ['desktop', 'light'],
  ['desktop', 'dark'],
  ['mobile', 'light'],
  ['mobile', 'dark'],
];

const SCENARIOS = [
  'seed-demo', 'happy-transfer', 'insufficient-funds', 'compensation', 'transient-failure', 'account-lifecycle',
];

/** Every lesser (moderate or minor) violation seen, by rule, with the states it was in. */
const lesser = new Map();
let statesChecked = 0;

after(() => {
  const lines = [...lesser.values()].map((v) => `${v.impact} ${v.id}: ${v.help} (in ${[...v.states].join('; ')})`);
  console.log(`# axe: ${statesChecked} checks (states x viewports x colour schemes)`);
  console.log(lines.length ? `# lesser violations:\n# ${lines.join('\n# ')}` : '# no lesser violations');
});

/** Two animation frames: styles and layout of the new viewport or scheme are applied. */
async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * A checker for one test: `check(page, label)` runs axe on the page as it is, in each
 * viewport and colour scheme, collecting failures; `done()` fails the test with all of
 * them, so one run shows every state that needs a fix.
 */
function checker() {
  const failures = [];
  return {
    async check(page, label) {
      for (const [viewport, scheme] of COMBOS) {
        await page.setViewportSize(VIEWPORTS[viewport]);
        await page.emulateMedia({ colorScheme: scheme });
        await settle(page);
        const state = `${label} (${VIEWPORTS[viewport].width} px, ${scheme})`;
        statesChecked += 1;
        try {
          for (const v of await assertNoSeriousViolations(page, state)) {
            const seen = lesser.get(v.id) ?? { id: v.id, impact: v.impact, help: v.help, states: new Set() };
            seen.states.add(label);
            lesser.set(v.id, seen);
          }
        } catch (e) {
          failures.push(e.message);
        }
      }
      await page.setViewportSize(VIEWPORTS.desktop);
      await page.emulateMedia({ colorScheme: 'light' });
    },
    done() {
      assert.equal(failures.length, 0, failures.join('\n\n'));
    },
  };
}

/** Presses Next step until the selected transfer's saga has ended. */
async function finishSaga(page) {
  const next = page.getByTestId('next-step');
  for (let i = 0; i < 20; i++) {
    if ((await next.count()) === 0 || (await next.isDisabled())) return;
    await nextStep(page);
  }
  assert.fail('the saga did not end within 20 steps');
}

test('axe: the fresh page, the reset dialog, forms with their errors, the import error and question', async (t) => {
  const axe = checker();
  await withApp(t, async (app) => {
    const page = await app.open();
    await axe.check(page, 'the fresh page');

    // The keyboard map is reached with Tab and opened with Enter.
    let tabs = 0;
    while (!(await page.evaluate(() => document.activeElement?.closest('[data-testid="keyboard-map"]')))) {
      assert.ok(++tabs <= 10, 'the keyboard map is within the first 10 Tab stops');
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    const map = page.getByTestId('keyboard-map');
    assert.equal(await map.evaluate((d) => d.open), true, 'Enter opens the keyboard map');
    for (const key of ['Tab', 'Enter', 'Escape', 'Next step', 'Home, End']) {
      assert.match(await map.textContent(), new RegExp(key), `the map says what ${key} does`);
    }
    await axe.check(page, 'the keyboard map, open');
    await page.keyboard.press('Enter');

    await page.getByTestId('reset').click();
    await page.getByTestId('reset-dialog').waitFor();
    await axe.check(page, 'the reset dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('reset-dialog').waitFor({ state: 'hidden' });

    await page.getByTestId('open-account-form').getByRole('button', { name: 'Open account' }).click();
    await errorText(page, 'open-account-error', /Account id/);
    await axe.check(page, 'the open-account form refusing an empty id');

    await openAccount(page, 'alice', 'Alice', '10.00');
    await waitBalance(page, 'alice', '10.00');
    await selectAccount(page, 'alice');
    await move(page, 'withdraw', '50.00');
    await errorText(page, 'account-error', /insufficient/);
    await page.getByTestId('close-account').click();
    await page.getByTestId('close-confirm').waitFor();
    await axe.check(page, 'an account refusing a withdrawal, asking to confirm closing');

    await fillTransfer(page, { from: 'alice', to: 'nobody', amount: 'ten', mode: 'step' });
    await page.getByTestId('transfer-unknown-account').waitFor();
    await page.getByTestId('transfer-form').getByRole('button', { name: 'Start transfer' }).click();
    await errorText(page, 'transfer-error', /Amount/);
    await axe.check(page, 'the transfer form refusing an amount, warning of an unknown account');

    await chooseImport(page, 'this is not a log\n', 'bad.jsonl');
    await errorText(page, 'import-error', /line 1/);
    await axe.check(page, 'the import error');

    const { text } = await exportLog(page);
    await chooseImport(page, text);
    await page.getByTestId('import-confirm').waitFor();
    await axe.check(page, 'the import question');
    await page.getByTestId('import-cancel').click();
  }, BANK);
  axe.done();
});

test('axe: each scenario after it ends, a saga mid-step, the scenario dialog', async (t) => {
  const axe = checker();
  await withApp(t, async (app) => {
    const page = await app.open();
    for (const [i, key] of SCENARIOS.entries()) {
      if (i === 1) {
        // The bank has events now: a scenario asks first.
        await page.getByTestId(`scenario-${key}`).click();
        await page.getByTestId('scenario-dialog').waitFor();
        await axe.check(page, 'the scenario dialog');
      }
      await loadScenario(page, key);
      if (key === 'compensation') {
        await nextStep(page);
        await axe.check(page, 'the compensation saga after its debit (mid-step)');
      }
      await finishSaga(page);
      await axe.check(page, `the scenario ${key} after it ends`);
    }
  }, BANK);
  axe.done();
});

test('axe: the audit trail with an event selected and with filters, time travel moved, an account selected', async (t) => {
  const axe = checker();
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'compensation');
    await finishSaga(page);
    await waitTransferStatus(page, 't1', 'compensated');
    await waitAuditCount(page, '10 events');

    await page.getByTestId('audit-row-7').click();
    await waitDetails(page, 7);
    await axe.check(page, 'the audit trail with event 7 selected');

    await page.getByTestId('audit-filter-account').selectOption('alice');
    await page.getByTestId('audit-filter-type').selectOption('MoneyWithdrawn');
    await page.getByTestId('audit-search').fill('t1');
    await page.waitForFunction(() => / of 10 events match$/.test(document.querySelector('[data-testid="audit-count"]')?.textContent.trim()));
    await axe.check(page, 'the audit trail with filters (the selected event hidden)');
    await page.getByTestId('audit-search').fill('no such text');
    await waitAuditCount(page, '0 of 10 events match');
    await axe.check(page, 'the audit trail with filters matching nothing');
    await page.getByTestId('audit-clear-filters').click();
    await waitAuditCount(page, '10 events');

    await page.getByTestId('timetravel-prev').click();
    await page.getByTestId('timetravel-prev').click();
    await waitTimeTravelPosition(page, 'Event 5 of 10');
    await axe.check(page, 'time travel moved back to event 5');

    await selectAccount(page, 'alice');
    await axe.check(page, 'an account selected, with its statement');
  }, BANK);
  axe.done();
});

test('axe: the data error screen and the newer-version page', async (t) => {
  const axe = checker();
  await withApp(t, async (app) => {
    const page = await app.open('?store=local');
    await openAccount(page, 'alice', 'Alice', '5.00');
    await waitBalance(page, 'alice', '5.00');
    const keys = await page.evaluate(() => Object.keys(localStorage));
    const prefix = keys.find((k) => k.endsWith('/head')).replace(/head$/, '');
    await page.evaluate((key) => localStorage.setItem(key, 'surprise'), `${prefix}mystery`);
    await app.reload(page);
    await page.getByTestId('data-error').waitFor();
    await axe.check(page, 'the data error screen');

    // A newer build's event in an IndexedDB bank: the page stops and asks for a reload.
    const other = await app.open();
    await openAccount(other, 'bob', 'Bob', '1.00');
    await waitBalance(other, 'bob', '1.00');
    const db = (await other.getByTestId('store-badge').textContent()).split('·').pop().trim();
    await other.evaluate(
      (db) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open(db);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('events', 'readwrite');
            const store = tx.objectStore('events');
            const first = store.get(1);
            first.onsuccess = () => {
              const event = JSON.parse(first.result.line);
              Object.assign(event, { position: 2, version: 2, schema_version: 99, event_id: 'from-the-future' });
              store.add({ position: 2, stream: event.stream, version: 2, line: JSON.stringify(event) });
            };
            tx.oncomplete = () => { open.result.close(); resolve(); };
            tx.onerror = () => reject(tx.error);
          };
        }),
      db,
    );
    await other.reload();
    await other.getByTestId('newer-version').waitFor();
    await axe.check(other, 'the newer-version page');
  }, { ...BANK, allowErrors: [/mystery|stored data is damaged|newer version of sagabank/] });
  axe.done();
});
