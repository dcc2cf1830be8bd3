// Lighthouse as a benchmark (not a test): loads the release build (dist/), served under
// /sagabank/ with gzip as GitHub Pages serves it (tests/e2e/serve.mjs), in Debian's
// Chromium, with the mobile and desktop presets, N runs each; prints performance, FCP,
// LCP, TBT, CLS, TTI and the bytes transferred per run, then the median and the spread
// (max - min) of each. Run it through scripts/lighthouse, which checks the tools first.
//
//   node scripts/lighthouse-deps/lighthouse.mjs [--runs N] [--preset mobile|desktop|both] [--markdown]
//                               [--throttling simulate|devtools] [DIST]
//
// `simulate` (Lighthouse's default) loads the page at full speed and models the slow
// network and CPU from that load; `devtools` really slows the browser down (slower to
// run, and what a throttled phone would see).
//
// Each run's full report goes to target/lighthouse/<preset>-<n>.json.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';
import { ROOT, serveDist } from '../../tests/e2e/serve.mjs';

const args = process.argv.slice(2);
let runs = 3;
let presets = ['mobile', 'desktop'];
let markdown = false;
let throttling = 'simulate';
let dist = process.env.SAGABANK_DIST ?? path.join(ROOT, 'dist');
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--runs') runs = Number(args[++i]);
  else if (arg === '--preset') {
    const p = args[++i];
    presets = p === 'both' ? ['mobile', 'desktop'] : [p];
  } else if (arg === '--markdown') markdown = true;
  else if (arg === '--throttling') throttling = args[++i];
  else if (arg.startsWith('-')) {
    console.error(`[lighthouse] unknown option ${arg}`);
    process.exit(2);
  } else dist = path.resolve(arg);
}
if (
  !Number.isInteger(runs) ||
  runs < 1 ||
  presets.some((p) => !['mobile', 'desktop'].includes(p)) ||
  !['simulate', 'devtools'].includes(throttling)
) {
  console.error('[lighthouse] usage: --runs N (>= 1) --preset mobile|desktop|both --throttling simulate|devtools');
  process.exit(2);
}

const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
// Headless, as root on a closed network: nothing phones home, any host but loopback fails.
const chromeFlags = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

const METRICS = [
  { key: 'performance', label: 'perf', format: (v) => v.toFixed(0) },
  { key: 'first-contentful-paint', label: 'FCP', format: seconds },
  { key: 'largest-contentful-paint', label: 'LCP', format: seconds },
  { key: 'total-blocking-time', label: 'TBT', format: (v) => `${v.toFixed(0)} ms` },
  { key: 'cumulative-layout-shift', label: 'CLS', format: (v) => v.toFixed(3) },
  { key: 'interactive', label: 'TTI', format: seconds },
  { key: 'total-byte-weight', label: 'bytes', format: (v) => `${(v / 1024).toFixed(1)} KiB` },
];

function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function runOnce(url, preset) {
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags });
  try {
    const result = await lighthouse(
      url,
      {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance'],
        throttlingMethod: throttling,
      },
      preset === 'desktop' ? desktopConfig : undefined,
    );
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const row = {};
    for (const { key } of METRICS) {
      row[key] = key === 'performance' ? lhr.categories.performance.score * 100 : lhr.audits[key]?.numericValue;
    }
    return { row, report: result.report };
  } finally {
    await chrome.kill();
  }
}

function table(preset, rows) {
  const header = ['run', ...METRICS.map((m) => m.label)];
  const lines = rows.map((r, i) => [String(i + 1), ...METRICS.map((m) => m.format(r[m.key]))]);
  const col = (key) => rows.map((r) => r[key]);
  lines.push(['median', ...METRICS.map((m) => m.format(median(col(m.key))))]);
  lines.push([
    'spread',
    ...METRICS.map((m) => m.format(Math.max(...col(m.key)) - Math.min(...col(m.key)))),
  ]);
  const title = (preset === 'mobile' ? 'mobile (slow 4G, 4x CPU)' : 'desktop') + (throttling === 'devtools' ? ', devtools throttling' : '');
  if (markdown) {
    return [
      `**${title}**`,
      '',
      `| ${header.join(' | ')} |`,
      `|${header.map((_, i) => (i ? '---:' : '---')).join('|')}|`,
      ...lines.map((l) => `| ${l.join(' | ')} |`),
    ].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [`${title}:`, fmt(header), ...lines.map(fmt)].join('\n');
}

const server = await serveDist({ dir: dist, gzip: true });
const outDir = path.join(ROOT, 'target', 'lighthouse');
await mkdir(outDir, { recursive: true });
console.error(
  `[lighthouse] ${server.url} (${dist}), ${chromePath}, ${runs} run(s) per preset, ${throttling} throttling`,
);
try {
  const out = [];
  for (const preset of presets) {
    const rows = [];
    for (let i = 1; i <= runs; i++) {
      const { row, report } = await runOnce(server.url, preset);
      await writeFile(path.join(outDir, `${preset}-${i}.json`), report);
      console.error(
        `[lighthouse] ${preset} run ${i}: ` +
          METRICS.map((m) => `${m.label} ${m.format(row[m.key])}`).join(', '),
      );
      rows.push(row);
    }
    out.push(table(preset, rows));
  }
  console.log(out.join('\n\n'));
} finally {
  await server.close();
}
