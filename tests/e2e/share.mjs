// Helpers for the share-link and embed journeys.
import { gzipSync } from 'node:zlib';

/** A link's data as the app makes it: the JSON lines, gzip, base64url without padding. */
export function packLog(text) {
  return gzipSync(Buffer.from(text, 'utf8')).toString('base64url');
}

/** Opens `subPath` of the app as an embed in a new, watched tab and waits for the saga. */
export async function openEmbed(app, subPath) {
  const page = app.watch(await app.context.newPage());
  await page.goto(new URL(subPath, app.url).href);
  await page.getByTestId('embed').waitFor();
  return page;
}
