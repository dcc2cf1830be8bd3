// Embed mode: a plain HTML page on another origin holds the README's <iframe> snippet; the
// saga inside it is stepped to its end, "Open in sagabank" carries the bank to the full
// app (with or without a saga to show), and an embed never touches the visitor's own bank
// or active database. What a person sees is checked, not only the DOM: in the iframe and
// top-level, nothing but the embed is on screen, from the first frame on; the saga's ids
// are text, not links that do nothing.
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

/**
 * What a person sees in `scope` (a page or a frame) once the embed has mounted: whether
 * index.html's shell is visible, what lies outside the embed in the first 400 px (every
 * 16 px, the element on top there), where the embed starts and how far it is scrolled.
 */
async function seen(scope) {
  return scope.evaluate(() => {
    const shell = document.getElementById('shell');
    const embed = document.querySelector('[data-testid="embed"]');
    const strays = new Set();
    for (let y = 2; y < Math.min(400, innerHeight); y += 16) {
      for (let x = 2; x < innerWidth; x += 16) {
        const e = document.elementFromPoint(x, y);
        if (e && e !== document.documentElement && e !== document.body && !embed.contains(e)) {
          strays.add(`<${e.tagName.toLowerCase()}> ${e.textContent.trim().slice(0, 40)}`);
        }
      }
    }
    return {
      shellVisible: Boolean(shell?.checkVisibility()),
      strays: [...strays],
      embedTop: Math.round(embed.getBoundingClientRect().top),
      scrollY,
    };
  });
}

/** Asserts that `scope` shows the embed alone, at its top, unscrolled. */
async function assertOnlyTheEmbed(scope, where) {
  const what = await seen(scope);
  assert.equal(what.shellVisible, false, `${where}: the shell is visible`);
  assert.deepEqual(what.strays, [], `${where}: seen outside the embed in the first 400 px`);
  assert.ok(what.embedTop >= 0 && what.embedTop < 20, `${where}: the embed starts at ${what.embedTop} px`);
  assert.equal(what.scrollY, 0, `${where}: scrolled by ${what.scrollY} px`);
}

/** Serves the README's snippet (tests/e2e/fixtures/embed.html) on another site (localhost,
 * another port; the app is on 127.0.0.1), as a blog would, with the iframe `width` ×
 * `height`; returns the host page's address. (A real server, not a routed response:
 * Chrome lets only a page on the loopback frame a loopback address.) */
async function hostPage(t, app, { width = 720, height = 640 } = {}) {
  const fixture = await readFile(path.join(ROOT, 'tests/e2e/fixtures/embed.html'), 'utf8');
  const html = fixture
    .replace('https://YOU.github.io/sagabank/', app.url)
    .replace('width="720" height="640"', `width="${width}" height="${height}"`);
  assert.notEqual(html, fixture);
  const dir = await mkdtemp(path.join(tmpdir(), 'sagabank-course-'));
  await writeFile(path.join(dir, 'index.html'), html);
  const course = await serveDist({ dir, basePath: '/course/' });
  t.after(() => course.close());
  return course.url.replace('127.0.0.1', 'localhost');
}

/** Opens the host page in a new tab of `viewport` (and colour scheme) and returns [page, the embed's frame]. */
async function openHost(app, url, viewport, colorScheme = 'light') {
  const page = app.watch(await app.context.newPage());
  await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme });
  await page.goto(url);
  await page.frameLocator('iframe').getByTestId('saga-timeline').waitFor();
  const frame = page.frames().find((f) => f.url().includes('embed=saga'));
  assert.ok(frame, 'the iframe holds the embed');
  return [page, frame];
}

/** Clicks "Open in sagabank" in `scope`, says yes to the shared bank in the new tab, and
 * returns that tab once the bank is open. */
async function followOpen(app, scope) {
  const open = scope.getByTestId('embed-open');
  await scope.locator('[data-testid="embed-open"][href*="#log="]').waitFor();
  assert.equal(await open.getAttribute('target'), '_blank');
  const [full] = await Promise.all([app.context.waitForEvent('page'), open.click()]);
  app.watch(full);
  await full.getByTestId('shared-confirm').waitFor();
  return full;
}

test('a plain page holds the embed; the saga steps inside the iframe and opens in sagabank', async (t) => {
  await withApp(t, async (app) => {
    // The course page's iframe is the README's snippet, pointed at this server.
    const [page, frame] = await openHost(app, await hostPage(t, app), { width: 860, height: 900 });
    assert.match(await frame.getByTestId('saga-timeline').locator('h3').textContent(), /Saga of t1/);
    await assertOnlyTheEmbed(frame, 'in the iframe');
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
    await app.screenshot(page, 'embed');

    // "Open in sagabank": the full app in a new tab, with this bank in the link.
    const full = await followOpen(app, frame);
    assert.match(await full.getByTestId('shared-summary').textContent(), /10 events, 2 accounts, 1 transfer/);
    await full.getByTestId('shared-open').click();
    await full.getByTestId('shared-done').waitFor();
    await waitBalance(full, 'alice', '100.00');
    assert.deepEqual(await balances(full), { alice: '100.00', carol: '0.00' });
    // In the full app, the same saga's ids are links to its panels.
    const saga = full.getByTestId('saga-timeline');
    await saga.getByRole('link', { name: 'alice', exact: true }).waitFor();
    await saga.getByRole('link', { name: '#4', exact: true }).first().waitFor();
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

test('top-level, an embed never paints the shell: not before the wasm runs, not after', async (t) => {
  await withApp(t, async (app) => {
    // Hold the wasm until told, as a slow network would.
    let release;
    const released = new Promise((resolve) => (release = resolve));
    await app.context.route(/\.wasm$/, async (route) => {
      await released;
      await route.continue();
    });
    const page = app.watch(await app.context.newPage());
    // Every frame, from the first, until the saga shows: was the shell on screen?
    await page.addInitScript(() => {
      window.__frames = { seen: 0, shell: 0 };
      const frame = () => {
        const shell = document.getElementById('shell');
        window.__frames.seen += 1;
        if (shell?.checkVisibility()) window.__frames.shell += 1;
        if (!document.querySelector('[data-testid="saga-timeline"]')) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    await page.goto(new URL('?embed=saga&scenario=compensation', app.url).href);
    await page.waitForFunction(() => window.__frames.seen >= 5 && document.getElementById('shell'));
    const before = await page.evaluate(() => ({
      frames: window.__frames,
      painted: [...document.body.querySelectorAll('*')].filter((e) => e.checkVisibility()).map((e) => e.tagName),
    }));
    assert.equal(before.frames.shell, 0, `the shell was on screen in ${before.frames.shell} of ${before.frames.seen} frames`);
    assert.deepEqual(before.painted, [], 'nothing shows before the wasm runs');
    await app.screenshot(page, 'embed-before-wasm');

    release();
    await page.getByTestId('saga-timeline').waitFor();
    assert.equal(await page.evaluate(() => window.__frames.shell), 0, 'the shell never showed');
    await page.locator('#shell').waitFor({ state: 'detached' });
    await assertOnlyTheEmbed(page, 'top-level');
    await app.screenshot(page, 'embed-top-level');
  }, BANK);
});

test("the README's picture: the embed in a 600 × 400 iframe, at 1280 and 375 px, light and dark", async (t) => {
  await withApp(t, async (app) => {
    const url = await hostPage(t, app, { width: 600, height: 400 });
    for (const [name, viewport, colorScheme] of [
      ['embed', { width: 1280, height: 640 }, 'light'],
      ['embed-phone', { width: 375, height: 740 }, 'light'],
      ['embed-dark', { width: 1280, height: 640 }, 'dark'],
    ]) {
      const [page, frame] = await openHost(app, url, viewport, colorScheme);
      await assertOnlyTheEmbed(frame, `${name}, in the 600 × 400 iframe`);
      // The top of the saga is in the box: the way out, the step controls, and (where
      // the iframe has its 600 px) both balances.
      const box = await page.locator('iframe').boundingBox();
      const wide = box.width >= 600;
      for (const id of ['embed-open', 'next-step', ...(wide ? ['saga-money-from-balance', 'saga-money-to-balance'] : [])]) {
        const inner = await frame.getByTestId(id).boundingBox();
        assert.ok(inner.y + inner.height <= box.y + box.height, `${name}: ${id} is below the iframe's box`);
      }
      for (let i = 0; i < 3; i++) await nextStep(frame);
      await waitSaga(frame, 'compensated');
      await assertOnlyTheEmbed(frame, `${name}, stepped to its end`);
      const sideways = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(sideways <= 0, `${name}: the embed scrolls sideways by ${sideways}px`);
      // The host page as a reader sees it, around the iframe.
      const shot = path.join(ROOT, `target/screenshots/${name}-600x400.png`);
      await mkdir(path.dirname(shot), { recursive: true });
      const column = await page.locator('body').boundingBox();
      const x = Math.max(0, column.x - 16);
      const clip = { x, y: 0, width: Math.min(viewport.width - x, column.width + 32), height: box.y + box.height + 60 };
      await page.screenshot({ path: shot, clip });
      t.diagnostic(`screenshot: ${path.relative(ROOT, shot)}`);
      if (name === 'embed' && process.env.SAGABANK_UPDATE_DOCS) {
        await copyFile(shot, path.join(ROOT, 'docs/screenshots/embed.png'));
      }
      await page.close();
    }
  }, BANK);
});

test('"Open in sagabank" carries the bank when the embed has no saga to show', async (t) => {
  await withApp(t, async (app) => {
    // A scenario with no transfer.
    const lifecycle = await openEmbed(app, '?embed=saga&scenario=account-lifecycle');
    assert.match(await lifecycle.getByTestId('embed-error').textContent(), /There is no transfer in this bank/);
    const full = await followOpen(app, lifecycle);
    assert.match(await full.getByTestId('shared-summary').textContent(), /1 account, 0 transfers/);
    await full.getByTestId('shared-open').click();
    await full.getByTestId('shared-done').waitFor();
    await waitBalance(full, 'dave', '0.00');
    assert.deepEqual(await balances(full), { dave: '0.00' });

    // A shared bank whose link names a transfer it does not have.
    const log = generateLog(60);
    const nosuch = await openEmbed(app, `?embed=saga#log=${packLog(log.text)}&transfer=nosuch`);
    assert.match(await nosuch.getByTestId('embed-error').textContent(), /This bank has no transfer nosuch/);
    const other = await followOpen(app, nosuch);
    assert.doesNotMatch(other.url(), /transfer=nosuch/, 'the link names no transfer the bank lacks');
    assert.match(await other.getByTestId('shared-summary').textContent(), /60 events, 50 accounts, 2 transfers/);
    await other.getByTestId('shared-open').click();
    await other.getByTestId('shared-done').waitFor();
    await waitBalance(other, 'acc-49', '1000.00');
    assert.equal(Object.keys(await balances(other)).length, 50);
    assert.equal(await other.getByTestId('link-notice').count(), 0);

    // No bank at all: the link is the app itself.
    const none = await openEmbed(app, '?embed=saga&scenario=nope');
    await none.getByTestId('embed-error').waitFor();
    await none.locator('[data-testid="embed-open"][href]').waitFor();
    assert.equal(await none.getByTestId('embed-open').getAttribute('href'), app.url);
  }, BANK);
});

test("the saga's ids are text in an embed: Tab goes from Open in sagabank to the step controls; a click on one does nothing", async (t) => {
  await withApp(t, async (app) => {
    const page = await openEmbed(app, '?embed=saga&scenario=compensation');
    await page.getByTestId('saga-timeline').waitFor();
    await nextStep(page);
    await nextStep(page);
    // Every stop of the keyboard from the top (a click on the brand starts there), as a
    // screen reader announces it (role and name).
    await page.locator('.embed__brand').click();
    // The diagram's states that take the focus (one per state of the domain's machine).
    const states = await page.locator('.saga-diagram__node[tabindex="0"]').count();
    assert.ok(states >= 7, `the diagram has its states: ${states}`);
    const stops = [];
    for (let i = 0; i < 5 + states; i++) {
      await page.keyboard.press('Tab');
      const focused = page.locator(':focus');
      stops.push((await focused.count()) ? (await focused.ariaSnapshot()).split('\n')[0] : '(out of the page)');
    }
    assert.match(stops[0], /^- link "Open in sagabank ↗"/);
    assert.match(stops[1], /^- button "Next step"/);
    assert.match(stops[2], /^- button "Play"/);
    assert.match(stops[3], /^- slider "Delay between steps/);
    // Then the state diagram's states (issue 22: keyboard focus on states), no link.
    for (const stop of stops.slice(4, 4 + states)) assert.match(stop, /^- '?img "[a-z, ]+: /);
    assert.equal(stops[4 + states], '(out of the page)', `nothing after the diagram's states: ${stops[4 + states]}`);
    assert.equal(await page.getByTestId('saga-timeline').getByRole('link').count(), 0, 'no links in the saga');

    // The mouse: a click on "alice", "carol" and "#4" (still there, as text) opens
    // nothing and changes no address.
    const points = await page.evaluate(() => {
      const centre = (node) => {
        const range = document.createRange();
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2, text: node.textContent };
      };
      const texts = (root, text) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        const found = [];
        while (walker.nextNode()) if (walker.currentNode.textContent.trim() === text) found.push(walker.currentNode);
        return found;
      };
      const testid = (id) => document.querySelector(`[data-testid="${id}"]`);
      return [
        ...texts(testid('saga-money-from'), 'alice'),
        ...texts(testid('saga-money-to'), 'carol'),
        ...texts(testid('span-debit'), '#4'),
      ].map(centre);
    });
    assert.deepEqual(points.map((p) => p.text), ['alice', 'carol', '#4']);
    const pages = app.context.pages().length;
    const url = page.url();
    for (const { x, y } of points) await page.mouse.click(x, y);
    assert.equal(page.url(), url);
    assert.equal(app.context.pages().length, pages);
  }, BANK);
});
