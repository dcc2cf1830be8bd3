// Page helpers for the bank's journeys in Firefox (puppeteer-core). They mirror
// ../e2e/bank.mjs: act as a user would, finding things by data-testid, by a label's text
// or a button's name, never by layout; and wait for conditions, never for a time.
import assert from 'node:assert/strict';
export { READY, BANK } from '../e2e/bank.mjs';

const tid = (id) => `[data-testid="${id}"]`;

/** Waits until `fn(...args)` returns an element in the page, and returns its handle. */
export async function find(page, fn, ...args) {
  const handle = await page.waitForFunction(fn, {}, ...args);
  const element = handle.asElement();
  assert.ok(element, 'the page function returned no element');
  return element;
}

/** Waits until the element with this test id is visible, and returns its handle. */
export async function byTestId(page, id) {
  return page.waitForSelector(tid(id), { visible: true });
}

/**
 * The form control labelled `label` inside the element with test id `scope`: a <label>
 * whose own text (not its control's) is `label`, as in `<label>"Amount" <input/></label>`.
 */
export async function byLabel(page, scope, label) {
  return find(
    page,
    (scope, label) => {
      const root = document.querySelector(`[data-testid="${scope}"]`);
      for (const l of root?.querySelectorAll('label') ?? []) {
        const own = [...l.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim();
        if (own === label && l.control) return l.control;
      }
      return null;
    },
    scope,
    label,
  );
}

/** The visible button named `name` (its text or aria-label) inside test id `scope`. */
export async function button(page, scope, name) {
  return find(
    page,
    (scope, name) => {
      const root = document.querySelector(`[data-testid="${scope}"]`);
      return (
        [...(root?.querySelectorAll('button') ?? [])].find(
          (b) => (b.textContent.trim() === name || b.getAttribute('aria-label') === name) && b.checkVisibility(),
        ) ?? null
      );
    },
    scope,
    name,
  );
}

/** Types `value` into a control, replacing what it held (as a user would). */
export async function fill(handle, value) {
  await handle.asLocator().fill(value);
}

/** The trimmed text of the element with this test id (waiting for it to exist). */
export async function text(page, id) {
  await page.waitForSelector(tid(id));
  return page.$eval(tid(id), (e) => e.textContent.trim());
}

/** Waits until the text of test id `id` matches `re`, and returns it. */
export async function waitText(page, id, re) {
  await page.waitForFunction(
    (id, source, flags) => new RegExp(source, flags).test(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''),
    {},
    id,
    re.source,
    re.flags,
  );
  return text(page, id);
}

export async function openAccount(page, id, owner, initial = '0.00') {
  await fill(await byLabel(page, 'open-account-form', 'Account id'), id);
  await fill(await byLabel(page, 'open-account-form', 'Owner name'), owner);
  await fill(await byLabel(page, 'open-account-form', 'Initial balance'), initial);
  await (await button(page, 'open-account-form', 'Open account')).click();
}

/** Waits until the account list shows `value` as `id`'s balance. */
export async function waitBalance(page, id, value) {
  await page.waitForFunction(
    (id, value) =>
      document.querySelector(`[data-testid="account-row-${id}"] [data-testid="balance"]`)?.textContent.trim() === value,
    {},
    id,
    value,
  );
}

/** Opens an account's detail card through its link in the account list. */
export async function selectAccount(page, id) {
  const link = await find(
    page,
    // A table cuts a long id in the middle: the whole id is the link's title (and its
    // accessible name), so that is what a person hovering or a screen reader meets.
    (id) => [...document.querySelectorAll('[data-testid="account-list"] a')].find((a) => (a.title || a.textContent.trim()) === id) ?? null,
    id,
  );
  await link.click();
  await page.waitForFunction(
    (id) => [...document.querySelectorAll('[data-testid="account-detail"] :is(h2, h3)')].some((h) => h.textContent.includes(id)),
    {},
    id,
  );
}

/** Deposits or withdraws on the selected account. */
export async function move(page, kind, amount, description = '') {
  await fill(await byLabel(page, 'money-form', 'Amount'), amount);
  await fill(await byLabel(page, 'money-form', 'Description'), description);
  await (await button(page, 'money-form', kind === 'deposit' ? 'Deposit' : 'Withdraw')).click();
}

/** Waits until the error under a form (by its test id) is shown and says `expected`. */
export async function errorText(page, id, expected) {
  await byTestId(page, id);
  return waitText(page, id, expected);
}

/** Loads a scenario from the scenario bar (confirming the "new bank?" question if asked). */
export async function loadScenario(page, key) {
  const before = await text(page, 'store-badge');
  await (await byTestId(page, `scenario-${key}`)).click();
  const what = await page.waitForFunction(
    (before) => {
      if (document.querySelector('[data-testid="scenario-dialog"]')?.checkVisibility()) return 'asked';
      return document.querySelector('[data-testid="store-badge"]')?.textContent.trim() !== before ? 'loaded' : null;
    },
    {},
    before,
  );
  if ((await what.jsonValue()) === 'asked') {
    await (await byTestId(page, 'scenario-confirm')).click();
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid="store-badge"]')?.textContent.trim() !== before,
      {},
      before,
    );
  }
  await page.waitForSelector('[data-testid="saga-timeline"], [data-testid="account-list"] tbody tr');
}

/** The status word of a saga timeline span (done, next, rejected, to come, not taken). */
export async function spanStatus(page, key) {
  return page.$eval(tid(`span-${key}`), (e) => e.getAttribute('data-status'));
}

/** Presses Next step and waits until the step is written and shown. */
export async function nextStep(page) {
  const before = await page.$eval(tid('saga-timeline'), (e) => e.textContent);
  await (await byTestId(page, 'next-step')).click();
  await page.waitForFunction(
    (before) => {
      const timeline = document.querySelector('[data-testid="saga-timeline"]');
      return timeline && timeline.getAttribute('aria-busy') !== 'true' && timeline.textContent !== before;
    },
    {},
    before,
  );
}

export async function waitTransferStatus(page, id, status) {
  await page.waitForFunction(
    (id, status) =>
      document
        .querySelector(`[data-testid="transfer-row-${id}"] [data-testid="transfer-status"]`)
        ?.textContent.trim()
        .endsWith(status),
    {},
    id,
    status,
  );
}

/** Fills the transfer form and starts it all at once. */
export async function transfer(page, { id, from, to, amount }) {
  const form = 'transfer-form';
  await fill(await byLabel(page, form, 'Transfer id'), id);
  await fill(await byLabel(page, form, 'From account'), from);
  await fill(await byLabel(page, form, 'To account'), to);
  await fill(await byLabel(page, form, 'Amount'), amount);
  await fill(await byLabel(page, form, 'All at once'), true);
  await (await button(page, form, 'Start transfer')).click();
}

export async function waitAuditCount(page, value) {
  await page.waitForFunction(
    (value) => document.querySelector('[data-testid="audit-count"]')?.textContent.trim() === value,
    {},
    value,
  );
}

/** Waits until the audit details box is about event `position`, and returns its title. */
export async function waitDetails(page, position) {
  await page.waitForFunction(
    (p) => document.querySelector('[data-testid="audit-details"] h3')?.textContent.trim().startsWith(`Event #${p}:`),
    {},
    position,
  );
  return page.$eval('[data-testid="audit-details"] h3', (e) => e.textContent.trim());
}

export async function waitTimeTravelPosition(page, value) {
  await page.waitForFunction(
    (value) => document.querySelector('[data-testid="timetravel-position"]')?.textContent.trim() === value,
    {},
    value,
  );
}

/** Every account in the time-travel table as { id: balance }. */
export async function timeTravelBalances(page) {
  return page.$$eval('[data-testid="timetravel-accounts"] tbody tr[data-testid^="timetravel-account-"]', (rows) =>
    Object.fromEntries(
      rows.map((r) => [
        r.dataset.testid.slice('timetravel-account-'.length),
        r.querySelector('[data-testid="timetravel-balance"]').textContent.trim(),
      ]),
    ),
  );
}

/**
 * How the page and a table fit the screen: the page's sideways overflow (0 or less: none),
 * and for the table with test id `table` how much wider it is than its wrapper (0 or
 * less: it fits) and which of its cells end past the wrapper's right edge.
 */
export async function fit(page, table) {
  return page.evaluate((table) => {
    const el = document.querySelector(`[data-testid="${table}"]`);
    const wrap = el.parentElement.getBoundingClientRect();
    return {
      page: document.scrollingElement.scrollWidth - window.innerWidth,
      table: el.scrollWidth - el.parentElement.clientWidth,
      cut: [...el.querySelectorAll('th, td, .badge')]
        .filter((c) => c.getBoundingClientRect().right > wrap.right + 0.5)
        .map((c) => `${c.tagName.toLowerCase()}${c.className ? '.' + c.className.replace(/ /g, '.') : ''}: ${c.textContent.trim().slice(0, 40)}`),
    };
  }, table);
}
