// End-to-end harness for the second engine: the same release build (dist/), served the same
// way (../e2e/serve.mjs: loopback, under the /sagabank/ sub-path), driven in Debian's
// headless Firefox ESR (/usr/bin/firefox-esr) through WebDriver BiDi by puppeteer-core
// (which never downloads a browser, and needs no geckodriver).
//
// Usage, in a `*.test.mjs` file next to this one:
//
//   import { test } from 'node:test';
//   import { withApp } from './harness.mjs';
//
//   test('a journey', async (t) => {
//     await withApp(t, async (app) => {
//       const page = await app.open();            // a tab on the app, waited until mounted
//       await app.screenshot(page, 'journey');    // target/screenshots/firefox-journey.png
//       await app.reload(page);
//     });
//   });
//
// As in the Chromium harness, every tab opened with app.open() is watched: an uncaught
// page error, a console error, a failed request or an HTTP error fails the test when the
// callback returns (pass { allowErrors: [/regex/] } to withApp to permit some).
//
// Firefox runs as root here without any extra environment: puppeteer starts it with a
// fresh temporary profile of its own (deleted on close) holding its automation prefs
// (no updates, no telemetry, no first-run pages), and headless Firefox needs no display.

import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after } from 'node:test';
import puppeteer from 'puppeteer-core';
import { ROOT, SCREENSHOTS, BASE_PATH, VIEWPORTS, serveDist } from '../e2e/serve.mjs';

export { ROOT, SCREENSHOTS, BASE_PATH, VIEWPORTS };
export const FIREFOX = process.env.SAGABANK_FIREFOX ?? '/usr/bin/firefox-esr';

/** How long a wait may take before the test fails (ms). */
const TIMEOUT = 15_000;

// Prefs on top of puppeteer's own: nothing reaches beyond loopback (no captive-portal or
// connectivity checks, no safe-browsing or remote-settings fetches).
const FIREFOX_PREFS = {
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'services.settings.server': 'http://127.0.0.1:9/',
};

let browserPromise;
// The shared browser is closed once every test of the file has run.
after(() => closeBrowser());

/** One headless Firefox per test process, shared by every test in the file. */
export function browser() {
  if (!browserPromise) {
    if (!existsSync(FIREFOX)) {
      throw new Error(`${FIREFOX} not found: run scripts/bootstrap --test (apt firefox-esr)`);
    }
    browserPromise = puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      extraPrefsFirefox: FIREFOX_PREFS,
    });
  }
  return browserPromise;
}

/** Closes the shared browser. */
export async function closeBrowser() {
  if (browserPromise) {
    const b = await browserPromise;
    browserPromise = undefined;
    await b.close();
  }
}

/** Saves a full-page screenshot to target/screenshots/firefox-<name>.png and returns the path. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `firefox-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Waits until the app has mounted: by default until <body> holds an element that is not
 * <script>, <noscript>, <link> or index.html's #shell; pass a selector to wait for it to be
 * visible.
 */
export async function ready(page, selector) {
  if (selector) {
    await page.waitForSelector(selector, { visible: true });
  } else {
    await page.waitForFunction(() =>
      [...document.body.children].some(
        (e) => !['SCRIPT', 'NOSCRIPT', 'LINK'].includes(e.tagName) && e.id !== 'shell',
      ),
    );
  }
}

/** Request failures that are not the app's: a navigation or reload cancels what is in flight. */
const ABORTED = /NS_BINDING_ABORTED|net::ERR_ABORTED/;

/**
 * Runs `fn(app)` against a fresh server and a fresh browser context (its own storage;
 * every tab of one context shares the origin's IndexedDB and localStorage). Fails the
 * test on any error seen in a watched tab, then closes everything.
 *
 * Options: viewport (default desktop), allowErrors (regexes matched against the error
 * text), readySelector (what app.open() and app.ready() wait for).
 */
export async function withApp(t, fn, options = {}) {
  const { viewport = VIEWPORTS.desktop, allowErrors = [], readySelector } = options;
  const server = await serveDist({ basePath: BASE_PATH });
  const b = await browser();
  const context = await b.createBrowserContext();
  const errors = [];
  const record = (kind, page, text) => {
    if (allowErrors.some((re) => re.test(text))) return;
    errors.push(`${kind} on ${page.url()}: ${text}`);
  };

  const app = {
    /** http://127.0.0.1:<port>/sagabank/ */
    url: server.url,
    origin: server.origin,
    context,
    server,
    errors,
    /** Starts watching a page for errors (app.open() does it for you). */
    watch(page) {
      page.on('pageerror', (err) => record('page error', page, err?.stack || String(err)));
      page.on('console', (msg) => {
        if (msg.type() === 'error') record('console error', page, msg.text());
      });
      page.on('requestfailed', (req) => {
        const failure = req.failure()?.errorText ?? 'failed';
        if (!ABORTED.test(failure)) record('request failed', page, `${req.url()} ${failure}`);
      });
      page.on('response', (res) => {
        if (res.status() >= 400) record('HTTP error', page, `${res.status()} ${res.url()}`);
      });
      return page;
    },
    /** Opens a new tab in this context at `subPath` (relative to the app's URL), mounted. */
    async open(subPath = '') {
      const page = app.watch(await context.newPage());
      page.setDefaultTimeout(TIMEOUT);
      await page.setViewport(viewport);
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
    /** Saves target/screenshots/firefox-<name>.png and names it in the test's output. */
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
