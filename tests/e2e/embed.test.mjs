// Embed mode: a plain HTML page on another origin holds the README's <iframe> snippet; the
// saga inside it is stepped to its end, "Open in sagabank" carries the bank to the full
// app, and an embed never touches the visitor's own bank or active database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withApp, serveDist, ROOT } from './harness.mjs';
import { BANK, READY, openAccount, waitBalance, balances, nextStep, generateLog } from './bank.mjs';
import { packLog, openEmbed } from './share.mjs';

/** Waits until the saga's status badge in `scope` (a page or a frame) says `status`. */
async function waitSaga(scope, status) {
  await scope.getByTestId('saga-timeline').locator('h3').filter({ hasText: status }).waitFor();
}

test('a plain page holds the embed; the saga steps inside the iframe and opens in sagabank', async (t) => {
  await withApp(t, async (app) => {
    // The course page is on another site (localhost, another port; the app is on
    // 127.0.0.1), as a blog would be. Its iframe is the README's snippet, pointed at this
    // server. (A real server, not a routed response: Chrome lets only a page on the
    // loopback frame a loopback address.)
    const fixture = await readFile(path.join(ROOT, 'tests/e2e/fixtures/embed.html'), 'utf8');
    const html = fixture.replace('https://YOU.github.io/sagabank/', app.url);
    assert.notEqual(html, fixture);
    const dir = await mkdtemp(path.join(tmpdir(), 'sagabank-course-'));
    await writeFile(path.join(dir, 'index.html'), html);
    const course = await serveDist({ dir, basePath: '/course/' });
    t.after(() => course.close());
    const pageUrl = course.url.replace('127.0.0.1', 'localhost');
    const page = app.watch(await app.context.newPage());
    await page.setViewportSize({ width: 860, height: 900 });
    await page.goto(pageUrl);
    await page.frameLocator('iframe').getByTestId('embed').waitFor();
    const frame = page.frames().find((f) => f.url().includes('embed=saga'));
    assert.ok(frame, 'the iframe holds the embed');
    await frame.getByTestId('saga-timeline').waitFor();
    assert.match(await frame.getByTestId('saga-timeline').locator('h3').textContent(), /Saga of t1/);
    // Only the saga: no panels of the full app.
    assert.equal(await frame.getByTestId('account-list').count(), 0);
    assert.equal(await frame.getByTestId('audit-list').count(), 0);
    assert.equal(await frame.getByTestId('scenario-compensation').count(), 0);
    assert.equal((await frame.getByTestId('saga-money-from-balance').textContent()).trim(), '100.00');

    await nextStep(frame);
    assert.equal((await frame.getByTestId('saga-money-from-balance').textContent()).trim(), '90.00');
    await nextStep(frame);
    await nextStep(frame);
    await waitSaga(frame, 'compensated');
    assert.equal((await frame.getByTestId('saga-money-from-balance').textContent()).trim(), '100.00');
    assert.equal((await frame.getByTestId('saga-money-to-balance').textContent()).trim(), '0.00');
    assert.ok(await frame.getByTestId('next-step').isDisabled());
    // The iframe's content fits its box: nothing to scroll sideways.
    const sideways = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(sideways <= 0, `the embed scrolls sideways by ${sideways}px`);
    const shot = await app.screenshot(page, 'embed');
    if (process.env.SAGABANK_UPDATE_DOCS) {
      await mkdir(path.join(ROOT, 'docs/screenshots'), { recursive: true });
      await copyFile(shot, path.join(ROOT, 'docs/screenshots/embed.png'));
    }

    // "Open in sagabank": the full app in a new tab, with this bank in the link.
    const open = frame.getByTestId('embed-open');
    await frame.locator('[data-testid="embed-open"][href*="#log="]').waitFor();
    assert.equal(await open.getAttribute('target'), '_blank');
    const [full] = await Promise.all([app.context.waitForEvent('page'), open.click()]);
    app.watch(full);
    await full.getByTestId('shared-confirm').waitFor();
    assert.match(await full.getByTestId('shared-summary').textContent(), /10 events, 2 accounts, 1 transfer/);
    await full.getByTestId('shared-open').click();
    await full.getByTestId('shared-done').waitFor();
    await waitBalance(full, 'alice', '100.00');
    assert.deepEqual(await balances(full), { alice: '100.00', carol: '0.00' });
  }, BANK);
});

test("an embed runs on its own: the visitor's bank and active database stay as they were", async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'mine', 'Me', '5.00');
    await waitBalance(page, 'mine', '5.00');
    const state = () => page.evaluate(async () => ({
      active: localStorage.getItem('sagabank/active-db'),
      keys: Object.keys(localStorage).sort(),
      dbs: (await indexedDB.databases()).map((d) => d.name).sort(),
    }));
    const before = await state();

    // Same origin, same browser: the embed of a scenario, and of a shared bank.
    const embed = await openEmbed(app, '?embed=saga&scenario=compensation');
    await embed.getByTestId('saga-timeline').waitFor();
    await nextStep(embed);
    await nextStep(embed);
    const shared = await openEmbed(app, `?embed=saga#log=${packLog(generateLog(60).text)}&transfer=t-1`);
    await shared.getByTestId('saga-timeline').getByText('Saga of t-1').waitFor();
    await waitSaga(shared, 'completed');
    const unknown = await openEmbed(app, '?embed=saga&scenario=nope');
    assert.match(await unknown.getByTestId('embed-error').textContent(), /There is no scenario "nope": use one of seed-demo, happy-transfer/);

    assert.deepEqual(await state(), before);
    await app.reload(page);
    await app.ready(page, READY);
    await waitBalance(page, 'mine', '5.00');
    assert.deepEqual(await balances(page), { mine: '5.00' });
  }, BANK);
});

test('the embed at 1200×630 (the link preview image)', async (t) => {
  await withApp(t, async (app) => {
    const page = await openEmbed(app, '?embed=saga&scenario=compensation');
    await page.setViewportSize({ width: 1200, height: 630 });
    await page.getByTestId('saga-timeline').waitFor();
    await nextStep(page);
    await nextStep(page);
    await page.getByTestId('saga-money-from-balance').filter({ hasText: '90.00' }).waitFor();
    await mkdir(path.join(ROOT, 'target/screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'target/screenshots/embed-1200x630.png') });
  }, BANK);
});
