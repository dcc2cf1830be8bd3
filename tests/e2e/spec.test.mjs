// Given / when / then in the page: a spec built from choices, run against the real
// account decider, by what the page shows (labels, the button, the status line). The
// starting spec (an overdraft refused) passes; expecting the withdrawal fails, with what
// the decider did; a bad amount is said plainly; at 375 px in dark it fits; axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, VIEWPORTS } from './harness.mjs';
import { BANK, sidewaysOverflow, elementScreenshot } from './bank.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

const panel = (page) => page.getByRole('region', { name: 'Given / when / then' });
const verdict = (page) => panel(page).getByRole('status');

for (const [width, viewport, scheme] of [[1280, VIEWPORTS.desktop, 'light'], [375, VIEWPORTS.mobile, 'dark']]) {
  test(`a spec passes, then fails with what the decider did, at ${width} px ${scheme}`, async (t) => {
    await withApp(t, async (app) => {
      const page = await app.open();
      await page.emulateMedia({ colorScheme: scheme });
      const p = panel(page);
      // The panel's code arrives after the first screen (src/ui/lazy.rs): its button says it is here.
      await p.getByRole('button', { name: 'Run the spec' }).scrollIntoViewIfNeeded();
      await p.getByRole('button', { name: 'Run the spec' }).click();
      await verdict(page).getByText('Pass: expected refused: not enough money; the decider: refused: insufficient balance: 6.00 < 7.00.').waitFor();
      await p.getByLabel('Then').selectOption({ label: 'MoneyWithdrawn is written' });
      assert.equal((await verdict(page).textContent()).trim(), '', 'a change clears the verdict');
      await p.getByRole('button', { name: 'Run the spec' }).click();
      await verdict(page).getByText('Fail: expected MoneyWithdrawn is written, but the decider: refused: insufficient balance: 6.00 < 7.00.').waitFor();
      await p.getByLabel('When amount').fill('6.00');
      await p.getByRole('button', { name: 'Run the spec' }).click();
      await verdict(page).getByText(/^Pass: expected MoneyWithdrawn is written; the decider: MoneyWithdrawn is written\.$/).waitFor();
      await p.getByLabel('Given 1 amount').fill('ten');
      await p.getByRole('button', { name: 'Run the spec' }).click();
      await verdict(page).getByText(/^Given 1: the amount /).waitFor();
      assert.ok(await sidewaysOverflow(page) <= 0, 'the page does not scroll sideways');
      const box = await p.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= width, JSON.stringify(box));
      await elementScreenshot(t, p, `spec-${width}-${scheme}`);
      await assertNoSeriousViolations(page, `spec at ${width} px`);
    }, { ...BANK, viewport });
  });
}
