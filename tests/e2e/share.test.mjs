// Sharing a bank as a link (#log=…): copied from a bank with a transfer, opened in a fresh
// browser after a yes, with the same accounts; a damaged, cut or foreign link and an
// over-limit one are refused with their reason and change nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { withApp, browser, VIEWPORTS, ROOT } from './harness.mjs';
import {
  BANK, READY, loadScenario, nextStep, waitTransferStatus, waitBalance, balances, openAccount,
  chooseImport, generateLog, waitAuditCount, elementScreenshot, sidewaysOverflow,
} from './bank.mjs';
import { packLog } from './share.mjs';


/** Keeps a screenshot for the README when SAGABANK_UPDATE_DOCS is set. */
async function forDocs(file, name) {
  if (process.env.SAGABANK_UPDATE_DOCS) await copyFile(file, path.join(ROOT, 'docs/screenshots', name));
}

/** A fresh browser context (its own, empty storage) with a watched tab on `url`. */
async function freshTab(app, url) {
  const context = await (await browser()).newContext({ viewport: VIEWPORTS.desktop });
  context.setDefaultTimeout(30_000);
  const page = app.watch(await context.newPage());
  await page.goto(url);
  await app.ready(page, READY);
  return { context, page };
}

async function activeDb(page) {
  return page.evaluate(() => localStorage.getItem('sagabank/active-db'));
}

async function databases(page) {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort());
}

test('a bank with a transfer, copied as a link, opens in a fresh browser after a yes, with the same accounts', async (t) => {
  await withApp(t, async (app) => {
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
    const page = await app.open();
    await loadScenario(page, 'compensation');
    for (let i = 0; i < 3; i++) await nextStep(page);
    await waitTransferStatus(page, 't1', 'compensated');
    await waitAuditCount(page, '10 events');
    const before = await balances(page);
    assert.deepEqual(before, { alice: '100.00', carol: '0.00' });

    await page.getByTestId('share-copy').click();
    const status = page.getByTestId('share-status');
    await status.waitFor();
    assert.match(await status.textContent(), /^Link copied: 10 events, 2 accounts, 1 transfer in a link of [\d,]+ characters\./);
    const link = await page.getByTestId('share-link').inputValue();
    // The page's address without ?db= or ?store=, the bank in the fragment, the transfer shown.
    assert.match(link, new RegExp(`^${app.url.replace(/[.]/g, '\\.')}#log=[A-Za-z0-9_-]+&transfer=t1$`));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    t.diagnostic(`a compensated transfer's bank (10 events) is a link of ${link.length} characters`);
    await forDocs(await elementScreenshot(t, page.locator('.audit__io'), 'share-copied'), 'share-copied.png');

    // A fresh browser: it says what the link holds and waits for a yes.
    const { context, page: other } = await freshTab(app, link);
    try {
      const confirm = other.getByTestId('shared-confirm');
      await confirm.waitFor();
      assert.match(
        await other.getByTestId('shared-summary').textContent(),
        /This link holds a bank: 10 events, 2 accounts, 1 transfer\./,
      );
      await other.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'shared-open');
      assert.deepEqual(await balances(other), {}, 'nothing is loaded before the yes');
      await forDocs(await elementScreenshot(t, confirm, 'share-offer'), 'share-offer.png');
      await other.getByTestId('shared-open').click();
      await other.getByTestId('shared-done').waitFor();
      assert.match(await other.getByTestId('shared-done').textContent(), /Opened the shared bank \(10 events\) in the new database sagabank-\d+/);
      await waitBalance(other, 'alice', '100.00');
      assert.deepEqual(await balances(other), before);
      await waitTransferStatus(other, 't1', 'compensated');
      await other.getByTestId('saga-timeline').getByText('Saga of t1').waitFor();
      // The link is out of the address bar: a reload shows the bank, without asking again.
      await other.waitForFunction(() => !location.hash.includes('log='));
      await other.reload();
      await app.ready(other, READY);
      await waitBalance(other, 'alice', '100.00');
      assert.deepEqual(await balances(other), before);
      assert.equal(await other.getByTestId('shared-confirm').count(), 0);
    } finally {
      await context.close();
    }
  }, BANK);
});

test('"Not now" leaves the bank as it was', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'mine', 'Me', '5.00');
    await waitBalance(page, 'mine', '5.00');
    const db = await activeDb(page);
    await page.goto('about:blank');
    await page.goto(`${app.url}#log=${packLog(generateLog(60).text)}`);
    await app.ready(page, READY);
    await page.getByTestId('shared-confirm').waitFor();
    assert.match(await page.getByTestId('shared-summary').textContent(), /60 events, 50 accounts, 2 transfers/);
    await page.getByTestId('shared-cancel').click();
    await page.getByTestId('shared-confirm').waitFor({ state: 'detached' });
    assert.deepEqual(await balances(page), { mine: '5.00' });
    assert.equal(await activeDb(page), db);
    assert.ok(!(await page.evaluate(() => location.hash)).includes('log='));
  }, BANK);
});

test('a damaged, cut, foreign or over-limit link is refused with its reason and changes nothing', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await openAccount(page, 'mine', 'Me', '5.00');
    await waitBalance(page, 'mine', '5.00');
    const db = await activeDb(page);
    const dbs = await databases(page);
    const good = packLog(generateLog(80).text);
    const middle = Math.floor(good.length / 2);
    const flip = (c) => (c === 'A' ? 'B' : 'A');
    const over = generateLog(2_100);
    const cases = [
      ['one character changed', good.slice(0, middle) + flip(good[middle]) + good.slice(middle + 1), /the link is damaged or cut short: its data does not unpack/],
      ['cut short', good.slice(0, good.length - 25), /the link is damaged or cut short: its data does not unpack|the link is cut short/],
      ['a character no link holds', good.slice(0, 40) + '!' + good.slice(40), /the link is damaged: character 41 \('!'\) cannot be in a bank link/],
      ['not a bank at all', Buffer.from('hello, world, this is not a bank').toString('base64url'), /its data is not a bank packed by sagabank/],
      ['a log that does not replay', packLog(generateLog(60).text.replace('"position":7,', '"position":8,')), /does not replay through the bank's rules: line 7: position 8 follows 6/],
      ['more events than a link holds', packLog(over.text), new RegExp(`has ${over.count.toLocaleString('en-US')} events, and a link holds at most 2,000: share the log as a file instead`)],
      ['a link too long', 'A'.repeat(100_004), /the link's data has 100,004 characters, and a link holds at most 100,000/],
    ];
    for (const [what, data, reason] of cases) {
      await page.goto('about:blank');
      await page.goto(`${app.url}#log=${data}`);
      await app.ready(page, READY);
      const error = page.getByTestId('shared-error');
      await error.waitFor();
      const text = (await error.textContent()).trim();
      assert.match(text, /^This link's bank cannot be opened: /, what);
      assert.match(text, reason, what);
      assert.match(text, /Nothing was changed\./, what);
      assert.equal(await page.getByTestId('shared-confirm').count(), 0, what);
      assert.deepEqual(await balances(page), { mine: '5.00' }, what);
      assert.equal(await activeDb(page), db, what);
      assert.deepEqual(await databases(page), dbs, what);
      if (what === 'one character changed') {
        await forDocs(await elementScreenshot(t, error, 'share-damaged'), 'share-damaged.png');
      }
    }
    // OK takes the link away; the bank is the one it was.
    await page.getByTestId('shared-dismiss').click();
    await page.getByTestId('shared-error').waitFor({ state: 'detached' });
    assert.ok(!(await page.evaluate(() => location.hash)).includes('log='));
    assert.deepEqual(await balances(page), { mine: '5.00' });
  }, BANK);
});

test('a bank over the limit says so instead of copying a link', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    const log = generateLog(2_100);
    await chooseImport(page, log.text);
    await page.getByTestId('import-replace').click();
    await page.getByTestId('import-done').waitFor();
    const count = log.count.toLocaleString('en-US');
    await waitAuditCount(page, `${count} events`);
    await page.getByTestId('share-copy').click();
    const error = page.getByTestId('share-error');
    await error.waitFor();
    assert.equal(
      await error.textContent(),
      `This bank has ${count} events, and a link holds at most 2,000: share the log as a file instead (Export the log, then Import a log on the other side)`,
    );
    assert.equal(await page.getByTestId('share-link').count(), 0);
  }, BANK);
});

test('a bank near the limit (1,997 events) fits in a link, and opens', async (t) => {
  await withApp(t, async (app) => {
    // generateLog writes a transfer's 5 events at once: 1,997 is as near 2,000 as it gets.
    const log = generateLog(1_997);
    assert.equal(log.count, 1_997);
    const data = packLog(log.text);
    t.diagnostic(`1,997 generated events pack into ${data.length} characters (${(data.length / 1997).toFixed(1)} per event)`);
    assert.ok(data.length < 100_000, `${data.length} characters`);
    const page = await app.open(`#log=${data}`);
    await page.getByTestId('shared-confirm').waitFor();
    assert.match(await page.getByTestId('shared-summary').textContent(), /1,997 events, 50 accounts, [\d,]+ transfers/);
    await page.getByTestId('shared-open').click();
    await page.getByTestId('shared-done').waitFor();
    await waitAuditCount(page, '1,997 events');
    assert.deepEqual(await balances(page), log.balances);
  }, BANK);
});

test('axe: the copied link, the question, a refused link and the embed, light and dark, 1280 and 375 px', async (t) => {
  const { assertNoSeriousViolations } = await import('./axe.mjs');
  const { openEmbed } = await import('./share.mjs');
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'compensation');
    await nextStep(page);
    await page.getByTestId('share-copy').click();
    await page.getByTestId('share-link').waitFor();
    const embed = await openEmbed(app, '?embed=saga&scenario=compensation');
    await embed.getByTestId('saga-timeline').waitFor();
    await nextStep(embed);
    const offer = app.watch(await app.context.newPage());
    await offer.goto(`${app.url}#log=${packLog(generateLog(60).text)}`);
    await offer.getByTestId('shared-confirm').waitFor();
    const refused = app.watch(await app.context.newPage());
    await refused.goto(`${app.url}#log=${packLog(generateLog(60).text).slice(0, -30)}`);
    await refused.getByTestId('shared-error').waitFor();
    let checks = 0;
    for (const colorScheme of ['light', 'dark']) {
      for (const viewport of [VIEWPORTS.desktop, VIEWPORTS.mobile]) {
        for (const [label, p] of [['the copied link', page], ['the embed', embed], ['the question', offer], ['a refused link', refused]]) {
          await p.emulateMedia({ colorScheme });
          await p.setViewportSize(viewport);
          await assertNoSeriousViolations(p, `${label}, ${colorScheme}, ${viewport.width} px`);
          assert.equal(await sidewaysOverflow(p), 0, `${label} scrolls sideways at ${viewport.width} px`);
          checks += 1;
        }
      }
    }
    t.diagnostic(`${checks} axe checks`);
  }, BANK);
});
