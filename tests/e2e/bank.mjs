// Page helpers for the bank's journeys: they act as a user would (labels, roles,
// data-testid), never by layout.
import assert from 'node:assert/strict';

/** What app.open()/app.ready() wait for: the bank is shown, or its data error screen. */
export const READY = '[data-testid="store-badge"], [data-testid="data-error"]';

/** Options for withApp that wait for the bank itself. */
export const BANK = { readySelector: READY };

export async function openAccount(page, id, owner, initial = '0.00') {
  const form = page.getByTestId('open-account-form');
  await form.getByLabel('Account id').fill(id);
  await form.getByLabel('Owner name').fill(owner);
  await form.getByLabel('Initial balance').fill(initial);
  await form.getByRole('button', { name: 'Open account' }).click();
}

/** Waits until the account list shows `value` as `id`'s balance. */
export async function waitBalance(page, id, value) {
  await page.waitForFunction(
    ([id, value]) =>
      document.querySelector(`[data-testid="account-row-${id}"] [data-testid="balance"]`)?.textContent.trim() === value,
    [id, value],
  );
}

export async function balance(page, id) {
  return (await page.getByTestId(`account-row-${id}`).getByTestId('balance').textContent()).trim();
}

/** Presses `locator` as a person does: the pointer goes to its centre, the button goes
 * down, the page draws two frames (a person's press lasts that long and more), and it
 * comes up at the same place. Playwright's click sends down and up back to back, so it
 * misses a page that moves the target between them; a person's release lands wherever
 * the target went. */
export async function personClick(page, locator) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.mouse.up();
}

/** Opens an account's detail card through its link. */
export async function selectAccount(page, id) {
  await page.getByTestId('account-list').getByRole('link', { name: id, exact: true }).click();
  await page.getByTestId('account-detail').getByRole('heading').filter({ hasText: id }).waitFor();
}

/** Deposits or withdraws on the selected account. */
export async function move(page, kind, amount, description = '') {
  const form = page.getByTestId('money-form');
  await form.getByLabel('Amount').fill(amount);
  await form.getByLabel('Description').fill(description);
  await form.getByRole('button', { name: kind === 'deposit' ? 'Deposit' : 'Withdraw' }).click();
}

/**
 * Waits until the error under a form (by its test id) says `expected` (a regex), and
 * returns its text. Errors stay on screen between attempts, so waiting for the element
 * alone could read the previous message.
 */
export async function errorText(page, testId, expected) {
  const error = page.getByTestId(testId);
  await error.waitFor({ state: 'visible' });
  if (expected) {
    try {
      await page.waitForFunction(
        ([id, source, flags]) =>
          new RegExp(source, flags).test(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''),
        [testId, expected.source, expected.flags],
        { timeout: 5000 },
      );
    } catch {
      // Fall through: the caller's assertion shows what the error said instead.
    }
  }
  return (await error.textContent()).trim();
}

export async function loadScenario(page, key) {
  // A scenario runs in a new database, which the store badge names.
  const before = await page.getByTestId('store-badge').textContent();
  await page.getByTestId(`scenario-${key}`).click();
  // On a bank with events a scenario asks first, since it starts a new bank.
  if (await page.getByTestId('scenario-dialog').isVisible()) await page.getByTestId('scenario-confirm').click();
  await page.waitForFunction(
    (before) => document.querySelector('[data-testid="store-badge"]')?.textContent !== before,
    before,
  );
  await page.getByTestId('saga-timeline').or(page.getByTestId('account-list').locator('tbody tr').first()).first().waitFor();
}

/** The status word of a saga timeline span (done, next, rejected, to come, not taken). */
export async function spanStatus(page, key) {
  return page.getByTestId(`span-${key}`).getAttribute('data-status');
}

/** Presses Next step and waits until the step is written and shown (the timeline is
 * busy while a step runs, and a step can change the text more than once). */
export async function nextStep(page) {
  const before = await page.getByTestId('saga-timeline').textContent();
  await page.getByTestId('next-step').click();
  await page.waitForFunction((before) => {
    const timeline = document.querySelector('[data-testid="saga-timeline"]');
    return timeline && timeline.getAttribute('aria-busy') !== 'true' && timeline.textContent !== before;
  }, before);
}

export async function transferStatus(page, id) {
  return (await page.getByTestId(`transfer-row-${id}`).getByTestId('transfer-status').textContent()).trim();
}

export async function waitTransferStatus(page, id, status) {
  await page.waitForFunction(
    ([id, status]) =>
      document.querySelector(`[data-testid="transfer-row-${id}"] [data-testid="transfer-status"]`)?.textContent.trim().endsWith(status),
    [id, status],
  );
  assert.ok((await transferStatus(page, id)).endsWith(status));
}

/** Fills the transfer form; `mode` is 'step' or 'all'. */
export async function fillTransfer(page, { id, from, to, amount, description = '', mode = 'all' }) {
  const form = page.getByTestId('transfer-form');
  if (id !== undefined) await form.getByLabel('Transfer id').fill(id);
  await form.getByLabel('From account').fill(from);
  await form.getByLabel('To account').fill(to);
  await form.getByLabel('Amount').fill(amount);
  await form.getByLabel('Description').fill(description);
  await form.getByLabel(mode === 'step' ? /Step by step/ : 'All at once').check();
  return form;
}

// ---------------------------------------------------------------------------------
// The audit trail and time travel (tests/e2e/audit.test.mjs, timetravel.test.mjs).

/** The audit trail's count line, e.g. "10 events" or "1 of 10 events match". */
export async function auditCount(page) {
  return (await page.getByTestId('audit-count').textContent()).trim();
}

/** Waits until the audit trail's count line reads `text` exactly. */
export async function waitAuditCount(page, text, options = {}) {
  await page.waitForFunction(
    (text) => document.querySelector('[data-testid="audit-count"]')?.textContent.trim() === text,
    text,
    options,
  );
}

/** The positions of the audit rows rendered in the list, in DOM order. */
export async function auditPositions(page) {
  return page
    .getByTestId('audit-list')
    .locator('[data-testid^="audit-row-"]')
    .evaluateAll((rows) => rows.map((r) => Number(r.dataset.testid.slice('audit-row-'.length))));
}

/** The heading of the audit details box, e.g. "Event #7: TransferCreditRejected". */
export async function detailsTitle(page) {
  return (await page.getByTestId('audit-details').locator('h3').first().textContent()).trim();
}

/** Waits until the audit details box is about event `position`, and returns its title. */
export async function waitDetails(page, position) {
  await page.waitForFunction(
    (p) => document.querySelector('[data-testid="audit-details"] h3')?.textContent.trim().startsWith(`Event #${p}:`),
    position,
  );
  return detailsTitle(page);
}

/** Every account in the account list as { id: balance }. */
export async function balances(page) {
  return page
    .getByTestId('account-list')
    .locator('tbody tr[data-testid^="account-row-"]')
    .evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((r) => [r.dataset.testid.slice('account-row-'.length), r.querySelector('[data-testid="balance"]').textContent.trim()]),
      ),
    );
}

/** Clicks "Export the log" and returns { name, text } of the downloaded file. */
export async function exportLog(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
  const file = await download.path();
  const { readFile } = await import('node:fs/promises');
  return { name: download.suggestedFilename(), text: await readFile(file, 'utf8') };
}

/** Chooses a JSONL file holding `text` in the audit trail's import input. */
export async function chooseImport(page, text, name = 'log.jsonl') {
  await page.getByTestId('audit-import').setInputFiles({
    name,
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(text, 'utf8'),
  });
}

/** The time-travel position line, e.g. "Event 3 of 9". */
export async function timeTravelPosition(page) {
  return (await page.getByTestId('timetravel-position').textContent()).trim();
}

export async function waitTimeTravelPosition(page, text, options = {}) {
  await page.waitForFunction(
    (text) => document.querySelector('[data-testid="timetravel-position"]')?.textContent.trim() === text,
    text,
    options,
  );
}

/** Every account in the time-travel table as { id: balance }. */
export async function timeTravelBalances(page) {
  return page
    .getByTestId('timetravel-accounts')
    .locator('tbody tr[data-testid^="timetravel-account-"]')
    .evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((r) => [
          r.dataset.testid.slice('timetravel-account-'.length),
          r.querySelector('[data-testid="timetravel-balance"]').textContent.trim(),
        ]),
      ),
    );
}

/** How many pixels the page scrolls sideways (0 or less: it does not). */
export async function sidewaysOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Saves a screenshot of one element (a panel) to target/screenshots/<name>.png. */
export async function elementScreenshot(t, locator, name) {
  const { SCREENSHOTS, ROOT } = await import('./harness.mjs');
  const { mkdir } = await import('node:fs/promises');
  const path = await import('node:path');
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await locator.screenshot({ path: file });
  t?.diagnostic?.(`screenshot: ${path.relative(ROOT, file)}`);
  return file;
}

/**
 * A valid JSONL log of at least `n` events (a few more, to finish the last transfer):
 * 50 accounts opened with 1000.00 each (acc-0's owner name is markup, to be shown as
 * text), then deposits of 1.00 and completed transfers of 0.50 between them.
 */
export function generateLog(n) {
  const lines = [];
  const versions = new Map();
  let position = 0;
  let id = 0;
  const emit = (stream, type, data, correlation, causation) => {
    position += 1;
    id += 1;
    const version = (versions.get(stream) ?? 0) + 1;
    versions.set(stream, version);
    const ms = position;
    const two = (v) => String(v).padStart(2, '0');
    const time = `2026-11-26T${two(Math.floor(ms / 3_600_000) % 24)}:${two(Math.floor(ms / 60_000) % 60)}:${two(Math.floor(ms / 1000) % 60)}.${String(ms % 1000).padStart(3, '0')}Z`;
    const eventId = `g-${id}`;
    lines.push(
      JSON.stringify({
        position, stream, version, type, schema_version: 2, event_id: eventId, recorded_at: time,
        correlation_id: correlation, causation_id: causation, data,
      }),
    );
    return eventId;
  };
  const money = (cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  const ACCOUNTS = 50;
  const cents = new Map();
  for (let i = 0; i < ACCOUNTS; i++) {
    const a = `acc-${i}`;
    const owner = i === 0 ? '<b>Mallory</b><img src=x onerror=alert(1)>' : `Owner ${i}`;
    emit(`account-${a}`, 'AccountOpened', { account_id: a, owner_name: owner, initial_balance: money(100_000) }, `cmd-${i}`, `cmd-${i}`);
    cents.set(a, 100_000);
  }
  let k = 0;
  while (position < n) {
    k += 1;
    if (k % 3 === 0) {
      const a = `acc-${k % ACCOUNTS}`;
      const c = `cmd-d${k}`;
      emit(`account-${a}`, 'MoneyDeposited', { account_id: a, amount: money(100), transaction_id: `tx-${k}`, description: `deposit ${k}` }, c, c);
      cents.set(a, cents.get(a) + 100);
    } else {
      const from = `acc-${k % ACCOUNTS}`;
      const to = `acc-${(k * 7 + 1) % ACCOUNTS}`;
      if (from === to || cents.get(from) < 50) continue;
      const t = `t-${k}`;
      const ts = `transfer-${t}`;
      const c = `cmd-t${k}`;
      const details = { transfer_id: t, from_account_id: from, to_account_id: to, amount: money(50) };
      const e1 = emit(ts, 'TransferInitiated', { ...details, description: `transfer ${k}` }, t, c);
      const e2 = emit(`account-${from}`, 'MoneyWithdrawn', { account_id: from, amount: money(50), transaction_id: `${t}-debit`, description: `transfer ${t} to ${to}`, transfer_id: t }, t, e1);
      const e3 = emit(ts, 'TransferDebited', details, t, e2);
      const e4 = emit(`account-${to}`, 'MoneyDeposited', { account_id: to, amount: money(50), transaction_id: `${t}-credit`, description: `transfer ${t} from ${from}`, transfer_id: t }, t, e3);
      emit(ts, 'TransferCompleted', details, t, e4);
      cents.set(from, cents.get(from) - 50);
      cents.set(to, cents.get(to) + 50);
    }
  }
  return {
    text: lines.join('\n') + '\n',
    count: position,
    balances: Object.fromEntries([...cents].map(([a, c]) => [a, money(c)])),
  };
}
