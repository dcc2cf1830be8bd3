// Loading on demand (issue 24, src/ui/lazy.rs): in the split build that scripts/publish
// makes, the course, the audit trail, time travel with the forks, and given / when / then
// are wasm chunks of their own. The first screen never waits for them; each part shows a
// loading line in its own frame, then itself; a chunk that cannot be fetched says so and
// loads on "Try again". Skipped on an unsplit build (no __wasm_split-<hash>.js in dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { withApp, DIST, VIEWPORTS } from './harness.mjs';
import { BANK, openAccount, waitBalance } from './bank.mjs';

const files = fs.readdirSync(DIST);
const split = files.some((f) => /^__wasm_split-[0-9a-f]+\.js$/.test(f));
const skip = !split && 'not a split build';
const named = (requests, part) => requests.filter((p) => new RegExp(`/split_${part}-[0-9a-f]+\\.wasm$`).test(p));

// A failed fetch is reported by the browser and by the chunk loader: expected here.
const FAILED_FETCH = [/split_(audit|course)-[0-9a-f]+\.wasm/, /Failed to fetch/, /Failed to load resource: net::ERR_FAILED/];

test('a first visit fetches no chunk before the bank is ready; the panels below then load on their own', { skip }, async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'split-1', 'Split Test', '5.00');
    await waitBalance(page, 'split-1', '5.00');
    // Each chunk's request started after the bank was shown (the app's own mark).
    const timing = await page.evaluate(() => {
      const ready = performance.getEntriesByName('sagabank-ready')[0].startTime;
      const fetched = performance.getEntriesByType('resource')
        .filter((e) => /\.wasm$/.test(e.name) && !/_bg\.wasm$/.test(e.name))
        .map((e) => ({ name: e.name.split('/').pop(), start: e.startTime }));
      return { ready, fetched };
    });
    for (const f of timing.fetched) {
      assert.ok(f.start >= timing.ready, `${f.name} was requested at ${f.start} ms, before the bank was ready at ${timing.ready} ms`);
    }
    // The panels below the first screen arrive without being asked for.
    await page.getByTestId('audit-row-1').waitFor();
    await page.locator('#timetravel-title').waitFor();
    await page.locator('.spec__form').waitFor();
    assert.equal(await page.getByTestId('lazy-loading').count(), 0, 'no loading line left');
    // The course's code is not fetched until a lesson is opened.
    assert.deepEqual(named(app.server.requests, 'course'), [], 'the course chunk was fetched before the course opened');
    for (const part of ['audit', 'history', 'spec']) {
      assert.equal(named(app.server.requests, part).length, 1, `the ${part} chunk, once`);
    }
  }, BANK);
});

test('a lesson whose code arrives late still gets the keyboard focus on its title', { skip }, async (t) => {
  await withApp(t, async (app) => {
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await app.context.route(/\/split_course-[0-9a-f]+\.wasm$/, async (route) => {
      await held;
      await route.continue();
    });
    const page = await app.open();
    await page.getByTestId('welcome-start').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('lazy-loading').filter({ hasText: 'Loading the lesson…' }).waitFor();
    // Longer than the page's first try at focusing (20 frames) before the code arrives.
    await page.evaluate(() => new Promise((resolve) => {
      let n = 0;
      const tick = () => (++n >= 60 ? resolve() : requestAnimationFrame(tick));
      requestAnimationFrame(tick);
    }));
    release();
    await page.getByTestId('learn-kicker').filter({ hasText: /^Lesson 1 of / }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'learn-title');
  }, BANK);
});

test('opening a lesson fetches the course once', { skip }, async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await page.getByTestId('welcome-start').click();
    await page.getByTestId('learn-kicker').filter({ hasText: /^Lesson 1 of / }).waitFor();
    assert.equal(named(app.server.requests, 'course').length, 1, 'the course chunk, once');
    await page.getByTestId('learn-next').click();
    await page.getByTestId('learn-kicker').filter({ hasText: /^Lesson 2 of / }).waitFor();
    assert.equal(named(app.server.requests, 'course').length, 1, 'still once');
  }, BANK);
});

test('#lesson=3 on a first visit waits for the course and lands on lesson 3', { skip }, async (t) => {
  await withApp(t, async (app) => {
    const page = app.watch(await app.context.newPage());
    await page.goto(`${app.url}#lesson=3`);
    await page.getByTestId('learn-kicker').filter({ hasText: /^Lesson 3 of / }).waitFor();
    assert.equal(named(app.server.requests, 'course').length, 1, 'the course chunk, once');
  }, BANK);
});

test('#event=1 in a new tab waits for the audit trail and shows that event', { skip }, async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'split-2', 'Split Two', '5.00');
    await waitBalance(page, 'split-2', '5.00');
    const other = await app.open('#event=1');
    await other.getByTestId('audit-details').filter({ hasText: 'Event #1: AccountOpened' }).waitFor();
    await other.waitForFunction(() => {
      const box = document.querySelector('[data-testid="audit-details"]').getBoundingClientRect();
      return box.top < window.innerHeight && box.bottom > 0;
    });
  }, BANK);
});

test('while a chunk is on its way its panel shows a loading line in its frame, where the panel then appears', { skip }, async (t) => {
  await withApp(t, async (app) => {
    const context = app.context;
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await context.route(/\/split_audit-[0-9a-f]+\.wasm$/, async (route) => {
      await held;
      await route.continue();
    });
    const page = await app.open();
    const frame = page.locator('section.audit');
    const line = page.getByTestId('lazy-loading').filter({ hasText: 'Loading the audit trail…' });
    await line.waitFor();
    const before = await frame.boundingBox();
    await app.screenshot(page, 'split-audit-loading');
    release();
    await page.getByTestId('audit-count').waitFor();
    const after = await frame.boundingBox();
    assert.equal(after.y, before.y, 'the audit trail starts where its loading frame was');
    assert.equal(after.x, before.x, 'in the same column');
  }, BANK);
});

for (const [name, viewport, scheme] of [['1280', VIEWPORTS.desktop, 'light'], ['375-dark', VIEWPORTS.mobile, 'dark']]) {
test(`a chunk that cannot be fetched says so, the bank goes on working, and Try again loads it, ${name}`, { skip }, async (t) => {
  await withApp(t, async (app) => {
    let refuse = true;
    await app.context.route(/\/split_(audit|course)-[0-9a-f]+\.wasm$/, (route) =>
      refuse ? route.abort('failed') : route.continue());
    const page = await app.open();
    await page.emulateMedia({ colorScheme: scheme });
    const failed = page.getByTestId('lazy-failed').filter({ hasText: 'Could not load the audit trail' });
    await failed.waitFor();
    await failed.scrollIntoViewIfNeeded();
    await app.screenshot(page, `split-audit-failed-${name}`);
    // The rest of the bank works meanwhile.
    await openAccount(page, 'split-3', 'Split Three', '7.00');
    await waitBalance(page, 'split-3', '7.00');
    refuse = false;
    await failed.getByTestId('lazy-retry').click();
    await page.getByTestId('audit-row-1').waitFor();
    assert.equal(named(app.server.requests, 'audit').length, 1, 'the audit chunk came from the server once');

    // The course's drawer says so as well, and loads on Try again.
    refuse = true;
    await page.getByTestId('welcome-start').click();
    const lesson = page.getByTestId('lazy-failed').filter({ hasText: 'Could not load the lesson' });
    await lesson.waitFor();
    await app.screenshot(page, `split-course-failed-${name}`);
    refuse = false;
    await lesson.getByTestId('lazy-retry').click();
    await page.getByTestId('learn-kicker').filter({ hasText: /^Lesson 1 of / }).waitFor();
    assert.equal(await page.getByTestId('lazy-failed').count(), 0, 'no failure line left');
  }, { ...BANK, viewport, allowErrors: FAILED_FETCH });
});
}
