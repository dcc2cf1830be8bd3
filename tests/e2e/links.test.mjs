// Links into the page (`#event=`, `#lesson=`, …) that it cannot follow: a link to an
// event the seed demo does not have, a lesson the course does not have, or a malformed
// address. Each gets a notice a person sees (in the viewport, the page not scrolled
// away from it), and nothing moves: time travel keeps following the newest event, no
// lesson opens, the bank is the same. And the address bar says where the learner is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withApp, VIEWPORTS, SCREENSHOTS } from './harness.mjs';
import { BANK, loadScenario, waitAuditCount } from './bank.mjs';

/** Time travel's position and mode ("Event 9 of 9following the newest event"). */
const timeTravelWhere = async (page) => (await page.locator('.timetravel__where').textContent()).trim();

const activeDb = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('sagabank/active-db') ?? '"sagabank"'));

/** Fails unless the link notice is wholly inside the viewport and reads `pattern`. */
async function assertNoticeInView(page, pattern, form) {
  const notice = page.getByTestId('link-notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), pattern, form);
  assert.match(await notice.textContent(), /Nothing was changed\.$/, form);
  const box = await notice.boundingBox();
  const height = page.viewportSize().height;
  assert.ok(box && box.y >= -1 && box.y + box.height <= height + 1, `${form}: the notice is in view (${JSON.stringify(box)}, viewport ${height})`);
  assert.ok(await notice.evaluate((el) => el.checkVisibility()), `${form}: the notice is visible`);
}

const FORMS = [
  ['#event=99999', /points at event #99999, which this bank does not have/],
  ['#event=0', /points at event #0, which this bank does not have/],
  ['#event=abc', /The link #event=abc is not one sagabank can follow: an event is named by its number/],
  ['#event=-1', /The link #event=-1 is not one sagabank can follow: an event is named by its number/],
];

/** The lesson links past either end of the course. How many lessons there are is read
 * from the page (the course grows: one past the last lesson is never written down). */
async function lessonForms(app) {
  const tab = await app.open('#lesson=0');
  const notice = tab.getByTestId('link-notice');
  await notice.waitFor();
  const n = Number((await notice.textContent()).match(/numbered 1 to (\d+)/)[1]);
  await tab.close();
  assert.ok(n >= 11, `${n} lessons`);
  const said = (form) => new RegExp(`The link ${form} names no lesson of the course: its lessons are numbered 1 to ${n}`);
  return [[`#lesson=${n + 1}`, said(`#lesson=${n + 1}`)], ['#lesson=0', said('#lesson=0')]];
}

test('a link the seed demo cannot follow gets a notice in view, and time travel and the bank stay as they were', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'seed-demo');
    await waitAuditCount(page, '9 events');
    const db = await activeDb(page);
    const position = await timeTravelWhere(page);
    assert.match(position, /following the newest event/);

    for (const [form, pattern] of [...FORMS, ...(await lessonForms(app))]) {
      const tab = await app.open(form);
      await assertNoticeInView(tab, pattern, form);
      assert.equal(await tab.evaluate(() => window.scrollY), 0, `${form}: the page is not scrolled away from the notice`);
      assert.equal(await timeTravelWhere(tab), position, `${form}: time travel is untouched`);
      assert.equal(await tab.getByTestId('learn-panel').count(), 0, `${form}: no lesson opened`);
      assert.equal(await activeDb(tab), db, `${form}: the same bank`);
      assert.equal((await tab.getByTestId('audit-count').textContent()).trim(), '9 events', form);
      await app.screenshot(tab, `links-notice-${form.slice(1).replace('=', '-')}`);
      await tab.close();
    }
  }, BANK);
});

test('a bad link pasted while the page is scrolled down brings the notice into view; a good one takes it away', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'seed-demo');
    // The scenario moves the focus (and so the page) to its saga: let it land first.
    await page.waitForFunction(() => document.activeElement?.id === 'timeline-title');
    const position = await timeTravelWhere(page);
    await page.getByTestId('timetravel-position').scrollIntoViewIfNeeded();
    assert.ok(await page.evaluate(() => window.scrollY) > 0, 'scrolled down first');
    for (const [form, pattern] of [...FORMS, ...(await lessonForms(app))]) {
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await page.evaluate((form) => { location.hash = form; }, form);
      await page.getByTestId('link-notice').filter({ hasText: pattern }).waitFor();
      await page.waitForFunction(() => {
        const r = document.querySelector('#link-notice')?.getBoundingClientRect();
        return r && r.top >= -1 && r.bottom <= window.innerHeight + 1;
      });
      await assertNoticeInView(page, pattern, form);
      assert.equal(await timeTravelWhere(page), position, `${form}: time travel is untouched`);
    }
    // What a person sees at 375 px, dark: the viewport, not the whole page.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'links-notice-375-dark.png') });
    await page.evaluate(() => { location.hash = '#event=4'; });
    await page.getByTestId('link-notice').waitFor({ state: 'detached' });
  }, { ...BANK, viewport: VIEWPORTS.mobile });
});

test('the address bar says which lesson the learner is in, and forgets it on the way back', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await page.getByTestId('welcome-start').click();
    await page.waitForFunction(() => location.hash === '#lesson=1');
    await page.getByTestId('learn-next').click();
    await page.waitForFunction(() => location.hash === '#lesson=2');
    await page.getByTestId('learn-leave').click();
    await page.getByTestId('learn-panel').waitFor({ state: 'detached' });
    await page.waitForFunction(() => location.hash === '');
    // A lesson that opens on a scenario selects its transfer, and the address still
    // says the lesson; a reload comes back to it.
    const lesson = await app.open('#lesson=6');
    await lesson.getByTestId('saga-timeline').waitFor();
    await lesson.waitForFunction(() => location.hash === '#lesson=6');
    await app.reload(lesson);
    await lesson.waitForFunction(() => document.querySelector('[data-testid="learn-kicker"]')?.textContent.startsWith('Lesson 6 of'));
    assert.equal(await lesson.evaluate(() => location.hash), '#lesson=6');
  }, BANK);
});
