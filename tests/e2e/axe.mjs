// Accessibility checks with axe-core (the npm package, pinned in package-lock.json),
// injected into the page under test.
//
//   import { axeViolations, assertNoSeriousViolations } from './axe.mjs';
//
//   const violations = await axeViolations(page);        // every violation, any impact
//   await assertNoSeriousViolations(page, 'fresh page');  // fails on serious or critical
//
// A failure lists, for each violated rule, its id, impact and help, then each node's
// CSS selector and axe's own summary of what is wrong there (the contrast measured, the
// name that is missing...), so the message alone says what to fix.

import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT } from './harness.mjs';

/** The browser build of axe-core, injected with a <script> tag. */
export const AXE_SCRIPT = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/** The impacts that fail a check; `moderate` and `minor` are reported, not failed. */
export const FAILING_IMPACTS = ['serious', 'critical'];

/**
 * Runs axe-core on the whole document of `page` and returns its violations, each as
 * { id, impact, help, helpUrl, nodes: [{ target, summary }] }. axe is injected on the
 * first call after each navigation.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE_SCRIPT });
  }
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
    }));
  });
}

/** A readable list of violations: rule, impact, help, then each node and what is wrong. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target}\n${n.summary.split('\n').map((l) => `        ${l.trim()}`).join('\n')}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length === 1 ? '' : 's'})\n${nodes}`;
    })
    .join('\n');
}

/**
 * Fails, with the list of what axe found, if `page` has a violation of impact serious
 * or critical; returns the lesser ones (moderate, minor) for the caller to report.
 * `label` names the state checked, for the message.
 */
export async function assertNoSeriousViolations(page, label) {
  const violations = await axeViolations(page);
  const failing = violations.filter((v) => FAILING_IMPACTS.includes(v.impact));
  assert.equal(
    failing.length,
    0,
    `axe found ${failing.length} serious or critical violation${failing.length === 1 ? '' : 's'} in ${label}:\n${formatViolations(failing)}`,
  );
  return violations.filter((v) => !FAILING_IMPACTS.includes(v.impact));
}
