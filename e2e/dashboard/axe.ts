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
    helpUrl: violation.helpUrl.replace(/\?.*$/, ''),
    nodes: violation.nodes.map((node) => ({
      target: node.target.map(String).join(' >> '),
      html: node.html.length > 160 ? `${node.html.slice(0, 157)}...` : node.html,
      summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
    })),
  };
}

/**
 * axe-core's serious and critical violations on the page as it is now (all of axe's default
 * rules: WCAG 2.x A/AA and best practices), and apart from them the minor and moderate ones.
 */
export async function axeFindings(page: Page): Promise<{ blocking: A11yFinding[]; minor: A11yFinding[] }> {
  // Violations only: axe skips listing what passed, which is most of its time on a large page.
  const results = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
  const findings = results.violations.map(findingOf);
  return {
    blocking: findings.filter((f) => BLOCKING.has(f.impact)),
    minor: findings.filter((f) => !BLOCKING.has(f.impact)),
  };
}

/**
 * Findings of many pages, each element once with the pages it is on (the shell's sidebar is on
 * all of them): `[serious] color-contrast: ...`, then each element, its markup, axe's reason and
 * where.
 */
export function formatFindings(findings: { where: string; findings: A11yFinding[] }[]): string {
  const rules = new Map<
    string,
    { finding: A11yFinding; nodes: Map<string, { node: A11yFinding['nodes'][number]; where: string[] }> }
  >();
  for (const { where, findings: list } of findings)
    for (const finding of list) {
      const rule = rules.get(finding.rule) ?? { finding, nodes: new Map() };
      rules.set(finding.rule, rule);
      for (const node of finding.nodes) {
        const key = `${node.html}\n${node.summary}`;
        const entry = rule.nodes.get(key) ?? { node, where: [] };
        if (!entry.where.includes(where)) entry.where.push(where);
        rule.nodes.set(key, entry);
      }
    }
  return [...rules.values()]
    .map(
      ({ finding, nodes }) =>
        `[${finding.impact}] ${finding.rule}: ${finding.help} (${finding.helpUrl})\n` +
        [...nodes.values()]
          .map(
            ({ node, where }) =>
              `  - ${node.target}\n    ${node.html}\n    ${node.summary}\n    on: ${where.join(', ')}`,
          )
          .join('\n'),
    )
    .join('\n');
}
