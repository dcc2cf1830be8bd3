// The glossary: a term linked in a lesson's text opens its entry in a dialog (Escape
// closes it and the focus returns to the link); `#glossary=saga` opens the saga's entry
// straight away; the header's Glossary button opens it too; a term the glossary does not
// have gets the page's bad-link notice. Acts by roles and visible text only. axe checks
// the open dialog at 1280 and 375 px, light and dark, with a screenshot of each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { withApp, VIEWPORTS, SCREENSHOTS } from './harness.mjs';
import { assertNoSeriousViolations } from './axe.mjs';

/** What the window shows now (the dialog sits in the viewport), saved as
 * target/screenshots/<name>.png. */
async function viewportShot(t, page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  t.diagnostic(`screenshot: ${file}`);
}

const glossary = (page) => page.getByRole('dialog', { name: /^Glossary/ });

/** Fails unless `locator` is wholly inside the viewport and visible. */
async function assertInView(page, locator, what) {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize();
  assert.ok(
    box && box.x >= -1 && box.y >= -1 && box.x + box.width <= width + 1 && box.y + box.height <= height + 1,
    `${what} is in view (${JSON.stringify(box)}, viewport ${width}×${height})`,
  );
  assert.ok(await locator.evaluate((el) => el.checkVisibility()), `${what} is visible`);
}

test('a term linked in a lesson opens its entry; Escape closes it and the focus comes back', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#lesson=5');
    const panel = page.getByRole('complementary', { name: 'A saga, step by step' });
    await panel.waitFor();
    const link = panel.getByRole('link', { name: 'saga (glossary)' });
    await viewportShot(t, page, 'glossary-lesson-links-1280-light');
    await link.click();
    const dialog = glossary(page);
    await dialog.waitFor();
    assert.equal(await dialog.getByRole('heading', { level: 2 }).textContent(), 'Saga / process manager');
    assert.match(await dialog.textContent(), /Garcia-Molina and Kenneth Salem/);
    await assertInView(page, dialog, 'the dialog');
    assert.match(page.url(), /#glossary=saga$/, 'the address names the entry');
    // Another term from the dialog's own list.
    await dialog.getByRole('link', { name: 'Compensation' }).click();
    await dialog.getByRole('heading', { name: 'Compensation' }).waitFor();
    assert.match(await dialog.textContent(), /can itself fail/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.ok(await link.evaluate((el) => el === document.activeElement), 'the focus is back on the link');
    assert.match(page.url(), /#lesson=5$/, 'the address is the lesson again');
    // The same link opens it again.
    await link.click();
    await dialog.getByRole('heading', { name: 'Saga / process manager' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });
});

test('#glossary=saga opens the entry directly; the header button opens the glossary', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#glossary=saga');
    const dialog = glossary(page);
    await dialog.getByRole('heading', { name: 'Saga / process manager' }).waitFor();
    await assertNoSeriousViolations(page, 'the glossary open at 1280 px, light');
    await viewportShot(t, page, 'glossary-1280-light');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('banner').getByRole('button', { name: 'Glossary' }).click();
    await dialog.getByRole('heading', { name: 'Event' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });
});

for (const [size, scheme] of [['mobile', 'dark'], ['mobile', 'light'], ['desktop', 'dark']]) {
  const viewport = VIEWPORTS[size];
  test(`at ${viewport.width} px (${scheme}) the entry fits the screen`, async (t) => {
    await withApp(t, async (app) => {
      const page = await app.context.newPage();
      app.watch(page);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(new URL('#glossary=expected-version', app.url).href);
      await app.ready(page);
      const dialog = glossary(page);
      await dialog.getByRole('heading', { name: 'Expected version (optimistic concurrency)' }).waitFor();
      await assertInView(page, dialog, `the dialog at ${viewport.width} px`);
      assert.ok(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        'no sideways scrolling',
      );
      await assertNoSeriousViolations(page, `the glossary open at ${viewport.width} px, ${scheme}`);
      await viewportShot(t, page, `glossary-${viewport.width}-${scheme}`);
    }, { viewport });
  });
}

test('a term the glossary does not have gets the bad-link notice, and no dialog', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('#glossary=monad');
    const notice = page.getByRole('status').filter({ hasText: 'The link #glossary=monad is not one sagabank can follow' });
    await notice.waitFor();
    assert.match(await notice.textContent(), /the glossary has no term "monad".*Nothing was changed\.$/);
    await assertInView(page, notice, 'the notice');
    assert.equal(await glossary(page).count(), 0, 'no dialog is open');
  });
});
