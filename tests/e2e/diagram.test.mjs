// The saga's state diagram: lit at every step of each scenario and in time travel,
// one selection seen in every view, axe clean light and dark at both widths, and the
// README's screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import { BANK, loadScenario, nextStep, elementScreenshot } from './bank.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

const diagram = (page) => page.getByRole('figure', { name: /State diagram/ });

/** The phase the diagram lights now (its box's accessible name says so). */
async function lit(page) {
  const box = diagram(page).getByRole('img', { name: /: the transfer is here now$/ });
  return (await box.getAttribute('aria-label')).replace(/: the transfer is here now$/, '');
}

async function waitLit(page, phase) {
  await diagram(page).getByRole('img', { name: `${phase}: the transfer is here now` }).waitFor();
}

const STEPS = {
  'happy-transfer': ['initiated', 'debited', 'completed'],
  'insufficient-funds': ['initiated', 'failed, no refund'],
  compensation: ['initiated', 'debited', 'credit rejected', 'failed, refunded'],
  'transient-failure': ['initiated', 'debited', 'debited', 'debited', 'completed'],
};

test('the diagram lights the state of each scenario at every step', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    for (const [key, phases] of Object.entries(STEPS)) {
      await loadScenario(page, key);
      for (const [i, phase] of phases.entries()) {
        await waitLit(page, phase);
        assert.equal(await lit(page), phase, `${key}, step ${i}`);
        const words = await page.getByTestId('diagram-words').textContent();
        assert.match(words, new RegExp(`Now: ${phase}\\.`), key);
        if (i + 1 < phases.length) await nextStep(page);
      }
      assert.ok(await page.getByTestId('next-step').isDisabled(), `${key} has ended`);
    }
    // The seed demo shows its first transfer, completed; the lifecycle has no saga.
    await loadScenario(page, 'seed-demo');
    await waitLit(page, 'completed');
    await loadScenario(page, 'account-lifecycle');
    await page.getByTestId('timeline-empty').waitFor();
    assert.equal(await diagram(page).count(), 0);
  }, BANK);
});

test('time travel moves the diagram, and one selection shows in every view', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'compensation');
    for (let i = 0; i < 3; i += 1) await nextStep(page);
    await waitLit(page, 'failed, refunded');
    // The arrow the refund took names its events and positions; select it.
    const refund = diagram(page).getByRole('link', { name: /TransferReversed \+ TransferFailed, event #\d+/ });
    const name = await refund.getAttribute('aria-label');
    const n = Number(name.match(/event #(\d+)/)[1]);
    // Time travel one event back: the diagram shows the transfer as it was.
    await page.locator('.timetravel').getByRole('slider').focus();
    await page.keyboard.press('ArrowLeft');
    await page.getByTestId('diagram-as-of').getByText(`as of #${n - 1}`).waitFor();
    await waitLit(page, 'credit rejected');
    // The audit trail's row of the debit: selected everywhere.
    await page.getByTestId('audit-row-5').click();
    await page.getByTestId('diagram-as-of').getByText('as of #5').waitFor();
    const selected = page.locator('.event--selected');
    await page.getByTestId('saga-timeline').locator('li.event--selected').getByRole('link', { name: '#5' }).waitFor();
    assert.ok(await page.getByTestId('audit-row-5').evaluate((e) => e.classList.contains('event--selected')));
    assert.ok((await selected.count()) >= 2);
    // The diagram's arrow selects its event in the audit trail and time travel.
    await page.getByTestId(`audit-row-${n}`).click();
    await page.getByTestId('diagram-as-of').getByText(`as of #${n}`).waitFor();
    const debit = diagram(page).getByRole('link', { name: /TransferDebited, event #\d+/ });
    const d = Number((await debit.getAttribute('aria-label')).match(/#(\d+)/)[1]);
    // (An arrow straight down has no width for a pointer to aim at: the keyboard.)
    await debit.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((d) => document.querySelector(`[data-testid="audit-row-${d}"]`)?.classList.contains('event--selected'), d);
    assert.ok(await diagram(page).locator('.saga-diagram__arrow--selected').count() === 1);
    await elementScreenshot(t, page.getByTestId('saga-timeline'), 'diagram-selected');
    // Next step lets the selection go: every view follows the newest event again.
    await loadScenario(page, 'happy-transfer');
    await page.getByTestId('audit-row-3').click();
    await page.getByTestId('diagram-as-of').getByText('as of #3').waitFor();
    await nextStep(page);
    await page.getByTestId('diagram-as-of').getByText('now').waitFor();
    await waitLit(page, 'debited');
  }, BANK);
});

for (const [width, scheme] of [['desktop', 'light'], ['desktop', 'dark'], ['mobile', 'light'], ['mobile', 'dark']]) {
  test(`the diagram is axe clean and fits, ${width} ${scheme}`, async (t) => {
    await withApp(t, async (app) => {
      const page = await app.open();
      await page.emulateMedia({ colorScheme: scheme });
      await loadScenario(page, 'compensation');
      for (const phase of ['initiated', 'debited', 'credit rejected', 'failed, refunded']) {
        await waitLit(page, phase);
        await assertNoSeriousViolations(page, `${width} ${scheme} ${phase}`);
        const box = await diagram(page).locator('svg').boundingBox();
        const viewport = page.viewportSize();
        assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `${phase}: fits ${viewport.width} px`);
        if (phase === 'credit rejected') {
          await diagram(page).scrollIntoViewIfNeeded();
          await elementScreenshot(t, diagram(page), `diagram-${width}-${scheme}`);
        }
        if (phase !== 'failed, refunded') await nextStep(page);
      }
      // Keyboard focus reaches a state.
      await diagram(page).getByRole('img', { name: /^completed:/ }).focus();
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-phase')), 'completed');
    }, { ...BANK, viewport: VIEWPORTS[width] });
  });
}

test('the embed shows the diagram, and it moves with Next step', async (t) => {
  await withApp(t, async (app) => {
    const { openEmbed } = await import('./share.mjs');
    const page = await openEmbed(app, '?embed=saga&scenario=compensation');
    await waitLit(page, 'initiated');
    await nextStep(page);
    await waitLit(page, 'debited');
    // In an embed the arrows select nothing: there is no other view to select in.
    assert.equal(await diagram(page).getByRole('link').count(), 0);
  }, { viewport: VIEWPORTS.mobile });
});

test('with an event selected, the balances and the statement say they show now, the statement dims what came after #N', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'compensation');
    for (let i = 0; i < 3; i += 1) await nextStep(page);
    await waitLit(page, 'failed, refunded');
    await page.getByTestId('account-list').getByRole('link', { name: 'alice', exact: true }).click();
    const asOf = page.getByTestId('balances-as-of');
    const statement = page.getByTestId('statement-as-of');
    await asOf.getByText('Balances now.', { exact: true }).waitFor();
    await statement.getByText('Statement of alice, now', { exact: true }).waitFor();
    // The debit's event: the diagram shows it as of #d; the panels say they show now.
    const debit = diagram(page).getByRole('link', { name: /TransferDebited, event #\d+/ });
    const d = Number((await debit.getAttribute('aria-label')).match(/#(\d+)/)[1]);
    await page.getByTestId(`audit-row-${d}`).click();
    await page.getByTestId('diagram-as-of').getByText(`as of #${d}`).waitFor();
    await asOf.getByText(`Balances now, not as of #${d}: the diagram and time travel show the bank as of #${d}, the event selected.`).waitFor();
    await statement.getByText(`Statement of alice, now: the lines after #${d}, the event selected, are dimmed`).waitFor();
    // Exactly the lines after #d are dimmed.
    const lines = await page.getByTestId('statement').locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => [Number(r.querySelector('td.col--position').textContent), r.classList.contains('event--later')]));
    assert.ok(lines.some(([, later]) => later) && lines.some(([, later]) => !later), JSON.stringify(lines));
    for (const [p, later] of lines) assert.equal(later, p > d, `line #${p}`);
    assert.ok(await asOf.evaluate((e) => e.checkVisibility()));
    await assertNoSeriousViolations(page, 'the statement with lines after the selected event dimmed');
    await elementScreenshot(t, page.locator('section.panel--accounts'), 'balances-as-of');
  }, BANK);
});
