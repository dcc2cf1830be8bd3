// Read-model snapshots: a stored summary of the read models (localStorage,
// `sagabank-summary/<db>`) is shown as a read-only preview while the log loads, then
// replaced by the full page. Prints the `sagabank-preview` and `sagabank-ready` marks.
//
// The log is 20,000 events, not 100,000: importing into IndexedDB through the page
// takes about 15 s per 10,000 events, so 100,000 would take minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './harness.mjs';
import { BANK, balances, chooseImport, generateLog, openAccount, waitAuditCount, waitBalance } from './bank.mjs';

// SAGABANK_SNAPSHOT_EVENTS=100000 measures a longer log (the import then takes minutes).
const EVENTS = Number(process.env.SAGABANK_SNAPSHOT_EVENTS ?? 20_000);

/** Records what the preview showed, before the full page replaces it. */
function recordPreview() {
  window.__preview = null;
  new MutationObserver(() => {
    const table = document.querySelector('[data-testid="preview-accounts"]');
    if (!table || window.__preview) return;
    const rows = [...table.querySelectorAll('tbody tr[data-testid^="preview-account-"]')];
    window.__preview = {
      banner: document.querySelector('[data-testid="preview-banner"]')?.textContent.trim(),
      busy: document.querySelector('[data-testid="preview"]')?.getAttribute('aria-busy'),
      forms: document.querySelectorAll('form, input, button').length,
      transfers: document.querySelectorAll('[data-testid="preview-transfers"] [data-testid="transfer-status"]').length,
      balances: Object.fromEntries(
        rows.map((r) => [
          r.dataset.testid.slice('preview-account-'.length),
          r.querySelector('[data-testid="preview-balance"]').textContent.trim(),
        ]),
      ),
    };
  }).observe(document, { childList: true, subtree: true });
}

const marks = (page) =>
  page.evaluate(() => ({
    preview: performance.getEntriesByName('sagabank-preview')[0]?.startTime,
    ready: performance.getEntriesByName('sagabank-ready')[0]?.startTime,
  }));

test(`with ${EVENTS.toLocaleString('en-US')} events on IndexedDB, a stored summary is previewed before the log loads, with the same balances`, async (t) => {
  const log = generateLog(EVENTS);
  const grouped = log.count.toLocaleString('en-US');
  await withApp(t, async (app) => {
    const page = await app.open('?store=idb');
    assert.match(await page.getByTestId('store-badge').textContent(), /IndexedDB/i);
    const started = Date.now();
    await chooseImport(page, log.text, 'big.jsonl');
    await page.getByTestId('import-confirm').waitFor({ timeout: 120_000 });
    await page.getByTestId('import-replace').click();
    await page.getByTestId('import-done').waitFor({ timeout: 300_000 });
    await waitAuditCount(page, `${grouped} events`, { timeout: 60_000 });
    t.diagnostic(`import of ${grouped} events into IndexedDB: ${Date.now() - started} ms`);

    // The boot on the imported log stored a summary (the log has over 1,000 events).
    const stored = await page.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith('sagabank-summary/')),
    );
    assert.equal(stored.length, 1, `one summary is stored: ${stored}`);

    // One reload writes the chunks; the next is the cold start measured.
    await page.addInitScript(recordPreview);
    await page.reload();
    await page.getByTestId('store-badge').waitFor({ timeout: 60_000 });
    await waitAuditCount(page, `${grouped} events`, { timeout: 60_000 });
    await page.reload();
    await page.getByTestId('store-badge').waitFor({ timeout: 60_000 });
    const { preview, ready } = await marks(page);
    assert.equal(typeof preview, 'number', 'the sagabank-preview mark is set');
    assert.equal(typeof ready, 'number', 'the sagabank-ready mark is set');
    assert.ok(preview < ready, `the preview (${preview} ms) comes before the bank (${ready} ms)`);
    t.diagnostic(`cold start, ${grouped} events on IndexedDB: preview at ${preview.toFixed(0)} ms, full page at ${ready.toFixed(0)} ms`);

    const shown = await page.evaluate(() => window.__preview);
    assert.ok(shown, 'the preview was shown');
    assert.equal(shown.busy, 'true', 'the preview is marked busy');
    assert.equal(shown.forms, 0, 'the preview has no forms');
    assert.equal(shown.transfers, 50, 'the preview lists the 50 newest transfers');
    assert.equal(
      shown.banner,
      `Showing the bank as of event ${log.count} while its history of ${log.count} events loads…`,
    );
    // The preview's balances are the full page's, which are the generator's.
    const full = await balances(page);
    for (const id of ['acc-0', 'acc-7', 'acc-49']) {
      assert.equal(shown.balances[id], full[id], `${id} in the preview and the full page`);
      assert.equal(full[id], log.balances[id], `${id} as generated`);
    }
    assert.deepEqual(shown.balances, full);
    assert.equal(await page.getByTestId('preview').count(), 0, 'the preview is gone');
  }, { ...BANK, readySelector: '[data-testid="store-badge"]' });
});

test('without a stored summary the page goes straight to the bank, and works', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open('?store=idb');
    const { preview, ready } = await marks(page);
    assert.equal(preview, undefined, 'no preview mark');
    assert.equal(typeof ready, 'number', 'the sagabank-ready mark is set');
    await openAccount(page, 'alice', 'Alice', '12.34');
    await waitBalance(page, 'alice', '12.34');
    // A short log stores no summary on its own...
    const keys = () =>
      page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('sagabank-summary/')));
    assert.deepEqual(await keys(), []);
    // ...but leaving the page does, and the next start previews it.
    await page.addInitScript(recordPreview);
    await app.reload(page);
    await waitBalance(page, 'alice', '12.34');
    assert.equal((await keys()).length, 1, 'pagehide stored a summary');
    assert.equal(typeof (await marks(page)).preview, 'number', 'the reload previewed it');
    const shown = await page.evaluate(() => window.__preview);
    assert.deepEqual(shown?.balances, { alice: '12.34' });
  }, BANK);
});
