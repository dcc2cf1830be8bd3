// Version skew and refused storage, on the release build: a tab of an older build meets
// data a newer build wrote (an event of a newer schema version, a database upgraded to
// a newer layout) and asks for a reload instead of reading or writing it; IndexedDB
// refused as in Firefox's private mode runs the bank in memory and says so, without
// blaming a closed connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './harness.mjs';
import { READY, openAccount, waitBalance } from './bank.mjs';

const SKEW = {
  readySelector: `${READY}, [data-testid="newer-version"]`,
  allowErrors: [/newer version of sagabank/],
};

const dbOf = async (page) => (await page.getByTestId('store-badge').textContent()).split('·').pop().trim();

/** The stored lines of database `db`, read in `page`. */
const lines = (page, db) =>
  page.evaluate(
    (db) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(db);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('events').objectStore('events').getAll();
          all.onsuccess = () => { open.result.close(); resolve(all.result.map((r) => r.line)); };
          all.onerror = () => reject(all.error);
        };
      }),
    db,
  );

/** Writes, in `page`, event 1's line again as position 2 at event schema version 99,
 * then tells the other tabs, as a newer build's tab would. */
const writeNewerEvent = (page, db) =>
  page.evaluate(
    (db) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(db);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('events', 'readwrite');
          const store = tx.objectStore('events');
          const first = store.get(1);
          first.onsuccess = () => {
            const event = JSON.parse(first.result.line);
            Object.assign(event, { position: 2, version: 2, schema_version: 99, event_id: 'from-the-future' });
            store.add({ position: 2, stream: event.stream, version: 2, line: JSON.stringify(event) });
          };
          tx.oncomplete = () => {
            open.result.close();
            new BroadcastChannel(`sagabank-changes/${db}`).postMessage(2);
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    db,
  );

async function assertNewerPage(page) {
  const screen = page.getByTestId('newer-version');
  await screen.waitFor();
  assert.match(await screen.textContent(), /This bank was written by a newer version of sagabank: reload the page/);
  await page.getByTestId('newer-version-reload').waitFor();
  for (const absent of ['start-fresh', 'data-error', 'storage-warning', 'store-badge']) {
    assert.equal(await page.getByTestId(absent).count(), 0, `no ${absent} on the newer-version page`);
  }
}

test('a newer build writing an event stops a running tab and a reloaded one, and nothing is written over it', async (t) => {
  await withApp(t, async (app) => {
    const old = await app.open();
    await openAccount(old, 'alice', 'Alice', '10.00');
    await waitBalance(old, 'alice', '10.00');
    const db = await dbOf(old);
    const newer = await app.open();
    await writeNewerEvent(newer, db);
    // The running tab hears of it and stops.
    await assertNewerPage(old);
    await app.screenshot(old, 'newer-version');
    // Reloading this (still older) build says the same; it never offers a fresh start.
    const reloaded = old.waitForEvent('load');
    await old.getByTestId('newer-version-reload').click();
    await reloaded;
    await assertNewerPage(old);
    const stored = await lines(old, db);
    assert.equal(stored.length, 2, 'nothing written');
    assert.match(stored[1], /"schema_version":99/, 'the newer event is kept as it was');
  }, SKEW);
});

test('a newer build upgrading the database stops a running tab instead of falling back to memory', async (t) => {
  await withApp(t, async (app) => {
    const old = await app.open();
    await openAccount(old, 'bob', 'Bob', '3.00');
    await waitBalance(old, 'bob', '3.00');
    const db = await dbOf(old);
    const newer = await app.open();
    await newer.evaluate(
      (db) =>
        new Promise((resolve, reject) => {
          // One version above the database's own, whatever this build's layout is.
          // Succeeds only once the old tab has closed its connection.
          const current = indexedDB.open(db);
          current.onerror = () => reject(current.error);
          current.onsuccess = () => {
            const version = current.result.version;
            current.result.close();
            const open = indexedDB.open(db, version + 1);
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              open.result.close();
              new BroadcastChannel(`sagabank-changes/${db}`).postMessage(2);
              resolve();
            };
          };
        }),
      db,
    );
    await assertNewerPage(old);
    await app.reload(old);
    await assertNewerPage(old);
  }, SKEW);
});

test('a tab that becomes visible again notices a newer build\'s upgrade nobody told it of', async (t) => {
  await withApp(t, async (app) => {
    const old = await app.open();
    await openAccount(old, 'dan', 'Dan', '2.00');
    await waitBalance(old, 'dan', '2.00');
    const db = await dbOf(old);
    // While the tab is in the background, a newer build upgrades the database and
    // posts nothing on the channel.
    await old.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    const newer = await app.open();
    await newer.evaluate(
      (db) =>
        new Promise((resolve, reject) => {
          // One version above the database's own, whatever this build's layout is.
          const current = indexedDB.open(db);
          current.onerror = () => reject(current.error);
          current.onsuccess = () => {
            const version = current.result.version;
            current.result.close();
            const open = indexedDB.open(db, version + 1);
            open.onerror = () => reject(open.error);
            open.onsuccess = () => { open.result.close(); resolve(); };
          };
        }),
      db,
    );
    await newer.close();
    // The learner comes back to the old tab: it says so at once, before any command.
    await old.evaluate(() => {
      delete document.visibilityState;
      delete document.hidden;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await assertNewerPage(old);
  }, SKEW);
});

test('IndexedDB refused as in Firefox private mode: the bank runs in memory and says storage is unavailable', async (t) => {
  await withApp(t, async (app) => {
    await app.context.addInitScript(() => {
      IDBFactory.prototype.open = function open() {
        throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
      };
    });
    const page = await app.open();
    const warning = await page.getByTestId('storage-warning').textContent();
    assert.match(warning, /not available in this browser window \(private mode or storage disabled\)/);
    assert.match(warning, /nothing will be kept/);
    assert.doesNotMatch(warning, /another tab|connection is closed/);
    assert.match(await page.getByTestId('store-badge').textContent(), /memory/);
    await openAccount(page, 'carol', 'Carol', '1.00');
    await waitBalance(page, 'carol', '1.00');
  }, SKEW);
});
