import { readSnapshot } from './database-snapshot.ts';
import { type DeadLetterOutcome, replayDeadLetters } from './dead-letters.ts';
import { type DrainOutcome, waitForDrain } from './drain.ts';
import { edgeClient } from './edge-client.ts';
import { type Fault, type FaultRecord, faultInjector, until } from './faults.ts';
import type { IngestFaultProxy, ProxyStats } from './ingest-fault-proxy.ts';
import { batchInjector, EventTemplates } from './injected-batches.ts';
import { KINDS, Ledger } from './ledger.ts';
import { adminApi, setUpOffers } from './offers.ts';
import type { TruthOptions } from './options.ts';
import { seededRandom } from './random.ts';
import { type Reconciliation, reconcile } from './reconcile.ts';
import { RuleBook, type RuleResult } from './rule-book.ts';
import { prepareRules, type RuleDeps, ruleCasesFor } from './rule-plan.ts';
import { readRuleRows } from './rule-rows.ts';
import { runRules } from './rule-scenarios.ts';
import { ServiceLogs } from './service-logs.ts';
import { runTraffic } from './traffic.ts';
import { startTruthStack, type TruthStack } from './truth-stack.ts';

export type TruthReport = {
  options: TruthOptions;
  reconciliation: Reconciliation;
  /** The conversion-trust rules of decision 018, each with its scenarios and checks. */
  rules: RuleResult[];
  faults: FaultRecord[];
  proxy: ProxyStats;
  deadLetters: DeadLetterOutcome;
  drain: DrainOutcome;
  timings: { stackMs: number; setupMs: number; streamMs: number; drainMs: number; totalMs: number };
  /** Requests to the edge during the stream (clicks, postbacks, pixels), and per second. */
  throughput: { requests: number; perSecond: number };
  /** Inputs sent by label (`normal`, `bot`, `poison:<name>`...): what the run exercised. */
  inputs: Record<string, number>;
  serviceLogs: Record<string, number>;
  harnessErrors: string[];
  verdict: { ok: boolean; failures: string[] };
};

export type TruthHooks = {
  /** Progress lines for a human watching (stderr in the CLI). */
  progress?: (line: string) => void;
  /** Called once the stack runs, with its stop, so a signal handler can end it. */
  started?: (stop: () => Promise<void>) => void;
};

const REDELIVERED_BATCHES = 2;

/**
 * One truth run: a throwaway stack, the mixed stream with faults, the drain, dead letters
 * replayed, and the reconciliation. Every process it starts is stopped before it returns or throws.
 */
export async function runTruth(options: TruthOptions, hooks: TruthHooks = {}): Promise<TruthReport> {
  const progress = hooks.progress ?? (() => {});
  const began = Date.now();
  const logs = new ServiceLogs(options.verbose);
  progress('starting PostgreSQL, edge (wrangler dev) and control plane...');
  const truth = await startTruthStack(logs);
  hooks.started?.(truth.stop);
  try {
    return await run(truth, options, logs, progress, began);
  } catch (error) {
    for (const service of ['edge', 'api']) {
      for (const line of logs.last(service, 15)) progress(`[${service}] ${line}`);
    }
    throw error;
  } finally {
    await truth.stop();
  }
}

async function run(
  truth: TruthStack,
  options: TruthOptions,
  logs: ServiceLogs,
  progress: (line: string) => void,
  began: number,
): Promise<TruthReport> {
  const { stack, proxy, db } = truth;
  const stackMs = Date.now() - began;
  const api = await adminApi(stack.urls.api);
  const offers = await setUpOffers(api, { clicks: options.clicks });
  const ledger = new Ledger();
  const edge = edgeClient(stack.urls.edge, ledger);
  const book = new RuleBook();
  const ruleDeps: RuleDeps = { api, edge, offers, book, seed: options.seed };
  const plan = await prepareRules(ruleDeps, ruleCasesFor(options.clicks));
  const setupMs = Date.now() - began - stackMs;
  progress(
    `stack up in ${seconds(stackMs)}; offers ${Object.values(offers)
      .map((o) => `${o.role}=${o.id}`)
      .join(' ')}; rule scenarios ${plan.cases} each`,
  );

  const templates = new EventTemplates();
  proxy.onBatch(templates.sample);
  const streamStart = Date.now();
  const faults = faultInjector(
    options.faults ? faultPlan(truth, proxy, options.clicks) : [],
    () => Date.now() - streamStart,
  );
  const injector = batchInjector({
    apiUrl: () => stack.urls.api,
    secrets: stack.secrets,
    ledger,
    templates,
    random: seededRandom(options.seed ^ 0x5eed),
    poison: options.poison,
  });
  progress(`streaming ${options.clicks} click steps (concurrency ${options.concurrency})...`);
  // The rule scenarios run beside the stream, through the same faults.
  const rulesDone = runRules(ruleDeps, plan).then(
    () => [],
    (error: unknown) => [`rule scenarios: ${String(error)}`],
  );
  const { errors } = await runTraffic({
    edge,
    offers,
    faults,
    injector,
    clicks: options.clicks,
    concurrency: options.concurrency,
    seed: options.seed,
    poison: options.poison,
  });
  errors.push(...(await rulesDone));
  const streamMs = Date.now() - streamStart;
  await injector.settle();
  await faults.settle();
  // A fault that failed may have left the control plane down; nothing could drain without it.
  const apiUp = await fetch(`${stack.urls.api}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
    (r) => r.ok,
    () => false,
  );
  if (!apiUp) {
    progress('the control plane is not answering after the faults; starting it again');
    await stack
      .startService('api')
      .catch((error: unknown) => errors.push(`control plane restart: ${String(error)}`));
  }
  const requests = ledger.sent.click + ledger.sent.postback + ledger.sent.pixel + ledger.sent.status;
  progress(`stream done in ${seconds(streamMs)} (${requests} requests); waiting for the queue to drain...`);

  const drainStart = Date.now();
  const ruleRows = () => readRuleRows(db, [...book.clickIds]);
  const rulesHold = async () => book.holds(await ruleRows());
  let drain = await waitForDrain(db, ledger, proxy.stats, options.drainTimeoutMs, rulesHold);
  const deadLetters = await replayDeadLetters(stack.urls.edge, stack.secrets.CONFIG_SIGNING_SECRET).catch(
    (error: unknown): DeadLetterOutcome => ({ found: 0, replayed: 0, remaining: 0, failure: String(error) }),
  );
  if (deadLetters.replayed > 0) {
    progress(`replayed ${deadLetters.replayed} dead letters; waiting for them...`);
    drain = await waitForDrain(db, ledger, proxy.stats, 20_000, rulesHold);
  }
  const drainMs = Date.now() - drainStart;
  progress(
    drain.drained
      ? `drained in ${seconds(drainMs)}${drain.rulesHeld ? '' : '; the rule checks still fail after the grace'}`
      : `not drained after ${seconds(drainMs)}; reconciling what is there`,
  );

  const reconciliation = reconcile(ledger, await readSnapshot(db));
  const rules = book.results(await ruleRows(), reconciliation.rollup);
  const harnessErrors = [...errors];
  const report: Omit<TruthReport, 'verdict'> = {
    options,
    reconciliation,
    rules,
    faults: faults.records,
    proxy: { ...proxy.stats, refused: { ...proxy.stats.refused } },
    deadLetters,
    drain,
    timings: { stackMs, setupMs, streamMs, drainMs, totalMs: Date.now() - began },
    throughput: { requests, perSecond: requests / Math.max(0.001, streamMs / 1000) },
    inputs: Object.fromEntries([...ledger.inputs].sort()),
    serviceLogs: Object.fromEntries([...logs.tally].sort((a, b) => b[1] - a[1])),
    harnessErrors,
  };
  return { ...report, verdict: verdictOf(report) };
}

function faultPlan(truth: TruthStack, proxy: IngestFaultProxy, clicks: number): Fault[] {
  const redelivery = (at: number): Fault => ({
    at,
    name: 'queue redelivery',
    blocking: false,
    run: async () => {
      const before = proxy.stats.redeliveriesForced;
      proxy.forceRedelivery(REDELIVERED_BATCHES);
      // Only a batch the ingest stored can be redelivered; while ingest is stalled none comes.
      const done = await until(() => proxy.redeliveriesOwed() === 0, 10_000);
      const forced = proxy.stats.redeliveriesForced - before;
      if (!done) proxy.forceRedelivery(-proxy.redeliveriesOwed());
      return forced > 0
        ? `${forced} stored batch(es) answered 503, so the edge sent them again`
        : 'no batch was stored within 10 s, so none could be redelivered';
    },
  });
  const cycle = (from: number, span: number): Fault[] => [
    redelivery(from + 0.1 * span),
    {
      at: from + 0.25 * span,
      name: 'control plane stopped',
      blocking: true,
      run: async () => {
        await truth.stack.stopService('api');
        return 'SIGTERM; the edge keeps answering and queueing';
      },
    },
    {
      at: from + 0.35 * span,
      name: 'control plane started',
      blocking: false,
      run: async () => {
        const started = Date.now();
        await truth.stack.startService('api');
        return `answering again after ${seconds(Date.now() - started)}`;
      },
    },
    {
      at: from + 0.55 * span,
      name: 'database restarted',
      blocking: false,
      run: async () => {
        const started = Date.now();
        await truth.postgres.restart();
        return `pg_ctl restart -m fast, ${seconds(Date.now() - started)}`;
      },
    },
    redelivery(from + 0.75 * span),
  ];
  // A large run goes through the faults twice, in each half of the stream.
  return clicks >= 20_000 ? [...cycle(0, 0.5), ...cycle(0.5, 0.5)] : cycle(0, 1);
}

function verdictOf(report: Omit<TruthReport, 'verdict'>): TruthReport['verdict'] {
  const { totals, rollup } = report.reconciliation;
  const failures: string[] = [];
  if (totals.lost > 0) failures.push(`${totals.lost} lost`);
  if (totals.doubled > 0) failures.push(`${totals.doubled} doubled`);
  if (totals.withoutReason > 0) failures.push(`${totals.withoutReason} quarantined without a reason`);
  if (totals.unexpected > 0) failures.push(`${totals.unexpected} rows nobody was told were accepted`);
  if (!rollup.moneyMatches) failures.push('rollup money differs from the rows');
  if (rollup.keysOff > 0) failures.push(`${rollup.keysOff} hourly_stats keys differ from the rows`);
  for (const fault of report.faults)
    if (fault.detail.startsWith('FAILED')) failures.push(`fault ${fault.name} ${fault.detail}`);
  for (const rule of report.rules)
    if (!rule.ok) failures.push(`rule ${rule.rule}: ${rule.failed} of ${rule.checks} checks failed`);
  if (report.harnessErrors.length > 0) failures.push(`${report.harnessErrors.length} harness errors`);
  const unanswered = KINDS.reduce((n, k) => n + report.reconciliation.kinds[k].unanswered, 0);
  if (unanswered > 0) failures.push(`${unanswered} requests without an answer`);
  return { ok: failures.length === 0, failures };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
