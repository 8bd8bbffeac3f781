import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { acceptingEdge } from '../../test/fixtures.ts';
import type { Database } from '../db/database.ts';
import { registerBacklogGauges } from './backlog-gauges.ts';
import { registerDeadLetterGauge } from './dead-letter-gauge.ts';
import { initIngestMetrics } from './ingest-metrics.ts';
import { createMetrics } from './metrics.ts';
import { registerPartitionGauges } from './partition-gauges.ts';
import { registerPoolGauges } from './pool-gauges.ts';

const OPS = new URL('../../../ops/', import.meta.url);

/** Prometheus' rule file shape, as much of it as we use. */
const rulesFileSchema = z.strictObject({
  groups: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        rules: z
          .array(
            z.strictObject({
              alert: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
              expr: z.string().min(1),
              for: z
                .string()
                .regex(/^\d+[smhd]$/)
                .optional(),
              labels: z.strictObject({ severity: z.enum(['critical', 'warning']) }),
              annotations: z.record(z.string(), z.string()).refine((a) => 'summary' in a, 'a summary'),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});

/** Every metric name of the app's registry, as Prometheus sees it (histograms with their series). */
async function registeredNames(): Promise<Set<string>> {
  const metrics = createMetrics();
  initIngestMetrics(metrics);
  // Registered only: nothing here is collected, so the database is never asked.
  const pooled = { $client: { totalCount: 0, idleCount: 0, waitingCount: 0 } } as unknown as Database;
  registerBacklogGauges(metrics, pooled);
  registerPoolGauges(metrics, pooled);
  registerPartitionGauges(metrics, pooled);
  registerDeadLetterGauge(metrics, acceptingEdge);
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

const metricNamesIn = (text: string) => new Set(text.match(/\btas_[a-z0-9_]+\b/g) ?? []);

describe('ops/prometheus/alerts.yml', () => {
  it('is a rule file with unique alerts, each with a severity and a summary', async () => {
    const rules = rulesFileSchema.parse(parse(await readFile(new URL('prometheus/alerts.yml', OPS), 'utf8')));
    const alerts = rules.groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(new Set(alerts).size).toBe(alerts.length);
    // The few signals that matter (issue 13).
    expect(alerts).toEqual(
      expect.arrayContaining([
        'TasIngestStalled',
        'TasPostbackBacklogGrowing',
        'TasDeadLetters',
        'TasCapCounterUnavailable',
      ]),
    );
  });

  it('names only metrics the control plane exports', async () => {
    const names = await registeredNames();
    const rules = rulesFileSchema.parse(parse(await readFile(new URL('prometheus/alerts.yml', OPS), 'utf8')));
    const used = metricNamesIn(rules.groups.flatMap((g) => g.rules.map((r) => r.expr)).join('\n'));
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((name) => !names.has(name))).toEqual([]);
  });
});

describe('ops/grafana/tas-dashboard.json', () => {
  it('is a dashboard whose every query names metrics the control plane exports', async () => {
    const dashboard = z
      .object({
        title: z.string(),
        uid: z.string(),
        panels: z.array(
          z.object({
            type: z.string(),
            title: z.string(),
            targets: z.array(z.object({ expr: z.string(), refId: z.string() })).optional(),
          }),
        ),
      })
      .parse(JSON.parse(await readFile(new URL('grafana/tas-dashboard.json', OPS), 'utf8')));
    const names = await registeredNames();
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    const used = metricNamesIn(exprs.join('\n'));
    expect([...used].filter((name) => !names.has(name))).toEqual([]);
    // Every metric of ours is on the dashboard, except the process metrics and the pool limit.
    const ours = [...names].filter((n) => n.startsWith('tas_') && !/_(sum|count)$/.test(n));
    const histogramBases = new Set(
      ours.filter((n) => n.endsWith('_bucket')).map((n) => n.replace(/_bucket$/, '')),
    );
    const missing = ours.filter((n) => !histogramBases.has(n) && !used.has(n));
    expect(missing).toEqual([]);
  });
});
