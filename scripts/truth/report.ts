import { KINDS } from './ledger.ts';
import { seconds, type TruthReport } from './run-truth.ts';

const COLUMNS = [
  'sent',
  'accepted',
  'dup',
  'expected',
  'stored',
  'quarantined',
  'lost',
  'doubled',
  'unexpected',
] as const;

const list = (entries: Record<string, number>, limit = 8) => {
  const sorted = Object.entries(entries).sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, limit).map(([k, n]) => `${k} ${n}`);
  return sorted.length > limit ? [...shown, `+${sorted.length - limit} more`].join(', ') : shown.join(', ');
};

/** The run as a compact table and a few lines of detail, for a terminal or the README. */
export function formatReport(report: TruthReport): string {
  const { options: o, reconciliation: r } = report;
  const lines: string[] = [];
  const at = (label: string, text: string) => lines.push(`${label.padEnd(15)} ${text}`);
  lines.push(
    `TAS truth run: ${o.clicks} click steps, seed ${o.seed}, concurrency ${o.concurrency}, faults ${o.faults ? 'on' : 'off'}, poison ${o.poison ? 'on' : 'off'}`,
    '',
    `${'kind'.padEnd(10)}${COLUMNS.map((c) => c.padStart(12)).join('')}`,
  );
  for (const kind of KINDS) {
    const k = r.kinds[kind];
    const cells = [
      k.sent,
      k.accepted,
      k.duplicates,
      k.expected,
      k.stored,
      k.quarantined,
      k.lost,
      k.doubled,
      k.unexpected,
    ];
    lines.push(`${kind.padEnd(10)}${cells.map((n) => String(n).padStart(12)).join('')}`);
  }
  const u = r.rollup;
  const measure = (name: string, m: (typeof u)['clicks']) =>
    `${name} ${m.rows} rows / ${m.rolledUp} rolled up${m.over !== '0' || m.under !== '0' ? ` (+${m.over} -${m.under} by key)` : ''}`;
  lines.push(
    `${'rollup'.padEnd(10)}${[
      measure('clicks', u.clicks),
      measure('unique', u.uniqueClicks),
      measure('invalid', u.invalidClicks),
      measure('bot', u.botClicks),
      measure('blocked', u.blockedClicks),
      measure('velocity', u.velocityClicks),
      measure('conversions (not rejected)', u.conversions),
      measure('approved', u.approvedConversions),
      measure('pending', u.pendingConversions),
      measure('rejected', u.rejectedConversions),
    ].join(
      '; ',
    )}; money ${u.moneyMatches ? 'matches' : `DIFFERS (payout ${u.payout.rows} / ${u.payout.rolledUp}, revenue ${u.revenue.rows} / ${u.revenue.rolledUp})`}; ${u.keysOff} of the keys differ`,
    '',
  );
  const passed = report.rules.filter((rule) => rule.ok).length;
  lines.push(`rules: ${passed} of ${report.rules.length} pass (decision 018)`);
  const width = Math.max(...report.rules.map((rule) => rule.rule.length));
  const countsOf = (rule: (typeof report.rules)[number]) =>
    `${rule.cases} cases, ${rule.checks - rule.failed}/${rule.checks} checks`;
  const countsWidth = Math.max(...report.rules.map((rule) => countsOf(rule).length));
  for (const rule of report.rules) {
    lines.push(
      `  ${rule.ok ? 'pass' : 'FAIL'}  ${rule.rule.padEnd(width)}  ${countsOf(rule).padEnd(countsWidth)}  ${rule.ok ? rule.says : rule.failures.join(' | ')}`,
    );
  }
  lines.push('');
  for (const kind of KINDS) {
    const k = r.kinds[kind];
    if (k.lost > 0) at(`lost ${kind}`, `${list(k.lostBy)}; e.g. ${k.lostExamples.slice(0, 2).join('; ')}`);
    if (k.doubled > 0) at(`doubled ${kind}`, list(k.doubledBy));
    if (k.quarantined > 0) at(`quarantined ${kind}`, list(k.quarantinedBy));
  }
  const q = r.quarantine;
  at(
    'quarantine',
    q.tableExists
      ? `${q.rows} rows (${q.withoutReason} without a reason, ${q.repeated} repeated, ${q.unmatched} not from this run's events)${q.rows ? `: ${list(q.byReason)}` : ''}`
      : 'no ingest_quarantine table: nothing quarantined',
  );
  for (const kind of KINDS) {
    const k = r.kinds[kind];
    if (Object.keys(k.answers).length) at(`answers ${kind}`, list(k.answers, 10));
  }
  const poisonKinds = Object.keys(report.inputs).filter((label) => label.startsWith('poison:'));
  const poisonSent = poisonKinds.reduce((n, label) => n + report.inputs[label]!, 0);
  at(
    'inputs',
    `${list(Object.fromEntries(Object.entries(report.inputs).filter(([label]) => !label.startsWith('poison:'))))}, poison ${poisonSent} (${poisonKinds.length} kinds)`,
  );
  if (report.faults.length === 0) at('faults', 'none (--no-faults)');
  for (const [n, f] of report.faults.entries()) {
    const when =
      f.startedMs === null ? 'never started' : `+${seconds(f.startedMs)} (${Math.round(f.at * 100)}%)`;
    const took = f.startedMs !== null && f.endedMs !== null ? `, ${seconds(f.endedMs - f.startedMs)}` : '';
    at(n === 0 ? 'faults' : '', `${when} ${f.name}: ${f.detail}${took}`);
  }
  const p = report.proxy;
  at(
    'ingest proxy',
    `${p.requests} requests: ${p.delivered} delivered, ${p.redeliveriesForced} answered 503 after storing, ${p.unreachable} control plane unreachable${Object.keys(p.refused).length ? `, refused ${list(p.refused)}` : ''}${p.quarantinedReported ? `, ${p.quarantinedReported} reported quarantined` : ''}; ${p.awaitingRedelivery} events still due for redelivery at the end`,
  );
  const d = report.deadLetters;
  at(
    'dead letters',
    `${d.found} found, ${d.replayed} replayed, ${d.remaining} remain${d.failure ? ` (${d.failure})` : ''}`,
  );
  if (Object.keys(report.serviceLogs).length) at('service logs', list(report.serviceLogs, 6));
  if (report.harnessErrors.length) at('harness errors', report.harnessErrors.slice(0, 3).join(' | '));
  const t = report.timings;
  at(
    'time',
    `stack ${seconds(t.stackMs)}, setup ${seconds(t.setupMs)}, stream ${seconds(t.streamMs)} (${report.throughput.requests} requests, ${report.throughput.perSecond.toFixed(0)}/s), drain ${seconds(t.drainMs)}${report.drain.drained ? '' : ` (timed out; last change at ${seconds(report.drain.lastChangeMs)})`}, total ${seconds(t.totalMs)}`,
  );
  at(
    'verdict',
    report.verdict.ok
      ? `PASS: 0 lost, 0 doubled, every quarantined event with a reason, ${report.rules.length} rules hold`
      : `FAIL: ${report.verdict.failures.join(', ')}`,
  );
  return lines.join('\n');
}
