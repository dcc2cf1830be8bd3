// The split build (SAGABANK_SPLIT=1 scripts/publish --no-size, issue 24): the course
// panel's code is a chunk of its own, fetched the first time a lesson opens, never by
// the first screen. Skipped on an unsplit build (no __wasm_split-<hash>.js in dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { withApp, DIST } from './harness.mjs';
import { BANK, openAccount, waitBalance } from './bank.mjs';

const split = fs.readdirSync(DIST).some((f) => /^__wasm_split-[0-9a-f]+\.js$/.test(f));
const chunk = (requests) => requests.filter((p) => /split_course[^/]*\.wasm$/.test(p));

test('the first screen works without the course chunk; opening a lesson fetches it once', { skip: !split && 'not a split build' }, async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'split-1', 'Split Test', '5.00');
    await waitBalance(page, 'split-1', '5.00');
    assert.deepEqual(chunk(app.server.requests), [], 'the course chunk was fetched before the course opened');

    await page.getByTestId('welcome-start').click();
    await page.getByTestId('learn-panel').waitFor();
    await page.getByRole('heading', { level: 2, name: /./ }).first().waitFor();
    assert.equal(chunk(app.server.requests).length, 1, 'the course chunk, once');
    await app.screenshot(page, 'split-course-open');
  }, BANK);
});

test('#lesson=3 waits for the course chunk and lands on lesson 3', { skip: !split && 'not a split build' }, async (t) => {
  await withApp(t, async (app) => {
    const page = app.watch(await app.context.newPage());
    await page.goto(`${app.url}#lesson=3`);
    await page.getByTestId('learn-kicker').filter({ hasText: /^Lesson 3 of / }).waitFor();
    assert.equal(chunk(app.server.requests).length, 1, 'the course chunk, once');
  }, BANK);
});
