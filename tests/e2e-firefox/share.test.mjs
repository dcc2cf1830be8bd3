// Firefox: a bank copied as a link (packed by Firefox's own CompressionStream) opens in a
// fresh context after a yes; a damaged link is refused and changes nothing; an embed
// steps its saga.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, browser } from './harness.mjs';
import {
  BANK, READY, loadScenario, nextStep, waitTransferStatus, waitBalance, byTestId, text, waitText, openAccount,
} from './bank.mjs';

test('Firefox: a bank shared as a link opens after a yes; a damaged link changes nothing; an embed steps its saga', async (t) => {
  await withApp(t, async (app) => {
    const page = await app.open();
    await loadScenario(page, 'compensation');
    for (let i = 0; i < 3; i++) await nextStep(page);
    await waitTransferStatus(page, 't1', 'compensated');
    await (await byTestId(page, 'share-copy')).click();
    const field = await byTestId(page, 'share-link');
    const link = await field.evaluate((input) => input.value);
    assert.match(link, /#log=[A-Za-z0-9_-]+&transfer=t1$/);
    assert.match(await text(page, 'share-status'), /10 events, 2 accounts, 1 transfer/);

    // A fresh context (its own storage): the question, then the bank.
    const context = await (await browser()).createBrowserContext();
    try {
      const other = app.watch(await context.newPage());
      other.setDefaultTimeout(30_000);
      await other.goto(link);
      await byTestId(other, 'shared-confirm');
      assert.match(await text(other, 'shared-summary'), /This link holds a bank: 10 events, 2 accounts, 1 transfer\./);
      await (await byTestId(other, 'shared-open')).click();
      await byTestId(other, 'shared-done');
      await waitBalance(other, 'alice', '100.00');
      await waitBalance(other, 'carol', '0.00');
      await waitTransferStatus(other, 't1', 'compensated');

      // One character changed: refused, nothing changes.
      await openAccount(other, 'mine', 'Me', '5.00');
      await waitBalance(other, 'mine', '5.00');
      const data = link.slice(link.indexOf('#log=') + 5, link.indexOf('&'));
      const middle = Math.floor(data.length / 2);
      const damaged = data.slice(0, middle) + (data[middle] === 'A' ? 'B' : 'A') + data.slice(middle + 1);
      await other.goto('about:blank');
      await other.goto(`${app.url}#log=${damaged}`);
      await other.waitForSelector(READY);
      assert.match(await waitText(other, 'shared-error', /Nothing was changed/), /^This link's bank cannot be opened: the link is damaged/);
      await waitBalance(other, 'mine', '5.00');
      assert.equal(await other.$('[data-testid="shared-confirm"]'), null);
    } finally {
      await context.close();
    }

    // The embed, on its own memory store.
    const embed = app.watch(await app.context.newPage());
    embed.setDefaultTimeout(30_000);
    await embed.goto(`${app.url}?embed=saga&scenario=compensation`);
    await byTestId(embed, 'saga-timeline');
    for (let i = 0; i < 3; i++) await nextStep(embed);
    await waitText(embed, 'saga-money-from-balance', /^100\.00$/);
    assert.ok(await embed.$eval('[data-testid="next-step"]', (b) => b.disabled), 'nothing is left to step');
  }, BANK);
});
