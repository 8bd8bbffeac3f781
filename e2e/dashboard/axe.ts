import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
type AxeViolation = AxeResults['violations'][number];

/** An axe violation as a reviewer reads it: rule, impact, and each element's selector and markup. */
export type A11yFinding = {
  rule: string;
  impact: string;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; summary: string }[];
};

const BLOCKING = new Set(['serious', 'critical']);

function findingOf(violation: AxeViolation): A11yFinding {
  return {
    rule: violation.id,
    impact: violation.impact ?? 'unknown',
    help: violation.help,
    helpUrl: violation.helpUrl,
    nodes: violation.nodes.map((node) => ({
      target: node.target.map(String).join(' >> '),
      html: node.html.length > 160 ? `${node.html.slice(0, 157)}...` : node.html,
      summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
    })),
  };
}

/**
 * axe-core's serious and critical violations on the page as it is now (all of axe's default
 * rules: WCAG 2.x A/AA and best practices). Minor and moderate ones are returned apart, to print.
 */
export async function axeFindings(page: Page): Promise<{ blocking: A11yFinding[]; minor: A11yFinding[] }> {
  const results = await new AxeBuilder({ page }).analyze();
  const findings = results.violations.map(findingOf);
  return {
    blocking: findings.filter((f) => BLOCKING.has(f.impact)),
    minor: findings.filter((f) => !BLOCKING.has(f.impact)),
  };
}

/** One finding a paragraph: `[serious] color-contrast: ...` then each element. */
export function formatFindings(where: string, findings: A11yFinding[]): string {
  return findings
    .map(
      (f) =>
        `${where}: [${f.impact}] ${f.rule}: ${f.help} (${f.helpUrl})\n` +
        f.nodes.map((n) => `    ${n.target}\n      ${n.html}\n      ${n.summary}`).join('\n'),
    )
    .join('\n');
}
