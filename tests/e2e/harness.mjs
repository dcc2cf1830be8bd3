// End-to-end harness: serves the release build (dist/) on loopback under a sub-path, as a
// static host such as GitHub Pages would (./serve.mjs, shared with the Firefox harness), and
// drives Debian's /usr/bin/chromium headless through playwright-core (which never downloads
// a browser).
//
// Usage, in a `*.test.mjs` file next to this one:
//
//   import { test } from 'node:test';
//   import { withApp } from './harness.mjs';
//
//   test('a journey', async (t) => {
//     await withApp(t, async (app) => {
//       const page = await app.open();            // a tab on the app, waited until mounted
//       await page.getByTestId('greet').click();
//       await app.screenshot(page, 'journey-step');
//       const other = await app.open();           // a second tab, same origin and storage
//       await page.reload(); await app.ready(page);
//     });
//   });
//
// Every tab opened with app.open() (or registered with app.watch(page)) is watched: an
// uncaught page error, a console error, a failed request or an HTTP error fails the test
// when the callback returns (pass { allowErrors: [/regex/] } to withApp to permit some).
// Screenshots go to target/screenshots/<name>.png.

import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { chromium } from 'playwright-core';
import { ROOT, DIST, SCREENSHOTS, BASE_PATH, VIEWPORTS, serveDist } from './serve.mjs';

export { ROOT, DIST, SCREENSHOTS, BASE_PATH, VIEWPORTS, serveDist };
export const CHROMIUM = process.env.SAGABANK_CHROMIUM ?? '/usr/bin/chromium';

// Flags that work as root on a closed network: no sandbox (root), no GPU, and nothing
// that phones home. The host resolver rule makes any name but loopback fail at once.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

let browserPromise;
// The shared browser is closed once every test of the file has run.
after(() => closeBrowser());

/** One headless Chromium per test process, shared by every test in the file. */
export function browser() {
  if (!browserPromise) {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: run scripts/bootstrap --test (apt chromium)`);
    }
    // playwright gives every launch a fresh temporary user-data-dir of its own.
    browserPromise = chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }
  return browserPromise;
}

/** Closes the shared browser (call from an `after` hook, or let process exit do it). */
export async function closeBrowser() {
  if (browserPromise) {
    const b = await browserPromise;
    browserPromise = undefined;
    await b.close();
  }
}

/** Saves a full-page screenshot to target/screenshots/<name>.png and returns the path. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Waits until the app has mounted: by default until <body> holds an element that is not
 * <script>, <noscript>, <link> or index.html's #shell (Leptos mounts on <body>); pass a
 * selector to wait for it.
 */
export async function ready(page, selector) {
  if (selector) {
    await page.locator(selector).first().waitFor({ state: 'visible' });
  } else {
    await page.waitForFunction(() =>
      [...document.body.children].some(
        (e) => !['SCRIPT', 'NOSCRIPT', 'LINK'].includes(e.tagName) && e.id !== 'shell',
      ),
    );
  }
}

/**
 * Runs `fn(app)` against a fresh server and a fresh browser context (its own storage;
 * every tab of one context shares the origin's IndexedDB and localStorage). Fails the
 * test on any error seen in a watched tab, then closes everything.
 *
 * Options: viewport (default desktop), allowErrors (regexes matched against the error
 * text), readySelector (what app.open() and app.ready() wait for), basePath.
 */
export async function withApp(t, fn, options = {}) {
  const { viewport = VIEWPORTS.desktop, allowErrors = [], readySelector, basePath = BASE_PATH } = options;
  const server = await serveDist({ basePath });
  const b = await browser();
  const context = await b.newContext({ viewport });
  context.setDefaultTimeout(30_000);
  const errors = [];
  const record = (kind, page, text) => {
    if (allowErrors.some((re) => re.test(text))) return;
    errors.push(`${kind} on ${page.url()}: ${text}`);
  };

  const app = {
    /** http://127.0.0.1:<port>/sagabank/ */
    url: server.url,
    origin: server.origin,
    basePath,
    context,
    server,
    errors,
    /** Starts watching a page for errors (app.open() does it for you). */
    watch(page) {
      page.on('pageerror', (err) => record('page error', page, err.stack || String(err)));
      page.on('console', (msg) => {
        if (msg.type() === 'error') record('console error', page, msg.text());
      });
      page.on('requestfailed', (req) => {
        const failure = req.failure()?.errorText ?? 'failed';
        // A navigation or reload cancels requests still in flight: not an app error.
        if (failure !== 'net::ERR_ABORTED') record('request failed', page, `${req.url()} ${failure}`);
      });
      page.on('response', (res) => {
        if (res.status() >= 400) record('HTTP error', page, `${res.status()} ${res.url()}`);
      });
      return page;
    },
    /** Opens a new tab in this context at `subPath` (relative to the app's URL), mounted. */
    async open(subPath = '') {
      const page = app.watch(await context.newPage());
      await page.goto(new URL(subPath, server.url).href);
      await app.ready(page);
      return page;
    },
    /** Waits until the app in `page` has mounted (after a goto or a reload). */
    ready: (page, selector = readySelector) => ready(page, selector),
    /** Reloads `page` and waits until the app has mounted again. */
    async reload(page) {
      await page.reload();
      await app.ready(page);
    },
    /** Saves target/screenshots/<name>.png and names it in the test's output. */
    async screenshot(page, name) {
      const file = await screenshot(page, name);
      t?.diagnostic?.(`screenshot: ${path.relative(ROOT, file)}`);
      return file;
    },
    /** Fails now if any error was seen so far. */
    assertNoErrors() {
      assert.deepEqual(errors, [], `errors in the browser:\n${errors.join('\n')}`);
    },
  };

  try {
    await fn(app);
    app.assertNoErrors();
  } finally {
    await context.close().catch(() => {});
    await server.close();
  }
}
