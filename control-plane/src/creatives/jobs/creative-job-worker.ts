import { and, eq, lt, lte, sql } from 'drizzle-orm';
import { type PeriodicTask, startPeriodicTask } from '../../background/periodic-task.ts';
import type { Database } from '../../db/database.ts';
import { type CreativeJob, creativeJobs } from '../../db/schema/creative-jobs.ts';
import { brandKitForRender } from '../brand-kits/brand-kit-for-render.ts';
import { CreativeProviderError, type CreativeProviderId } from '../providers/creative-provider.ts';
import { CreativeRenderError } from '../render/render-error.ts';
import type { ProviderSet } from './creative-job-service.ts';
import { type JobOutputDeps, saveJobOutputs, TooManyCreativesError } from './job-outputs.ts';

// Distinct from the other advisory locks of this database (conversions, funds).
const CLAIM_LOCK = 7_410_029;

export type JobWorkerDeps = JobOutputDeps & { providers: ProviderSet };

export type JobWorkerOptions = {
  /** Jobs of one advertiser running at once (default 2): one advertiser cannot hold every slot. */
  perAdvertiser?: number;
  /** Jobs this process runs at once (default 4). */
  maxInFlight?: number;
  /** Attempts before a retryable failure becomes final (default 4). */
  maxAttempts?: number;
  /** Backoff of the first retry; doubles each attempt (default 10 s). */
  backoffMs?: number;
  /** How often a running job beats its heartbeat and looks whether it was cancelled (default 1 s). */
  cancelPollMs?: number;
  /** A running job silent this long lost its worker (a crash, a kill): queued again (default 60 s). */
  staleAfterMs?: number;
  now?: () => Date;
};

/**
 * Claims the oldest due queued job whose advertiser runs fewer than `perAdvertiser`. Claims take
 * one advisory lock, so two workers (processes) never both see room for the same advertiser;
 * SKIP LOCKED passes over a row another transaction holds.
 */
export async function claimJob(
  db: Database,
  o: Pick<Required<JobWorkerOptions>, 'perAdvertiser' | 'staleAfterMs' | 'maxAttempts'>,
  now: Date,
): Promise<CreativeJob | null> {
  const perAdvertiser = o.perAdvertiser;
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${CLAIM_LOCK})`);
    // Running jobs whose heartbeat stopped lost their process: they would hold their advertiser's
    // slots for ever. Queued again, unless they have had their attempts (a job that kills its
    // worker must not kill every next one).
    await tx
      .update(creativeJobs)
      .set({
        status: sql`CASE WHEN ${creativeJobs.attempts} >= ${o.maxAttempts} THEN 'failed' ELSE 'queued' END::creative_job_status`,
        errorCode: 'worker_lost',
        errorMessage: 'The worker running this job stopped.',
        finishedAt: sql`CASE WHEN ${creativeJobs.attempts} >= ${o.maxAttempts} THEN ${now.toISOString()}::timestamptz END`,
        runAfter: now,
      })
      .where(
        and(
          eq(creativeJobs.status, 'running'),
          lt(creativeJobs.updatedAt, new Date(now.getTime() - o.staleAfterMs)),
        ),
      );
    const [candidate] = await tx
      .select({ id: creativeJobs.id })
      .from(creativeJobs)
      .where(
        and(
          eq(creativeJobs.status, 'queued'),
          lte(creativeJobs.runAfter, now),
          sql`(SELECT count(*) FROM ${creativeJobs} AS r
               WHERE r.advertiser_id = ${creativeJobs.advertiserId} AND r.status = 'running') < ${perAdvertiser}`,
        ),
      )
      .orderBy(creativeJobs.runAfter, creativeJobs.id)
      .limit(1)
      .for('update', { skipLocked: true });
    if (!candidate) return null;
    const [row] = await tx
      .update(creativeJobs)
      // The heartbeat starts on the worker's clock, the one the stale check reads.
      .set({
        status: 'running',
        attempts: sql`${creativeJobs.attempts} + 1`,
        progress: 0,
        startedAt: now,
        updatedAt: now,
      })
      .where(eq(creativeJobs.id, candidate.id))
      .returning();
    return row ?? null;
  });
}

type Outcome =
  | { status: 'done' }
  | { status: 'cancelled' }
  | { status: 'retry'; code: string; message: string; afterMs: number }
  | { status: 'failed'; code: string; message: string };

function outcomeOf(
  error: unknown,
  job: CreativeJob,
  signal: AbortSignal,
  o: Required<JobWorkerOptions>,
): Outcome {
  if (signal.aborted) return { status: 'cancelled' };
  if (error instanceof CreativeProviderError) {
    if (error.code === 'cancelled') return { status: 'cancelled' };
    if (error.retryable && job.attempts < o.maxAttempts) {
      const backoff = o.backoffMs * 2 ** (job.attempts - 1);
      const afterMs = Math.max(backoff, (error.detail.retryAfterSeconds ?? 0) * 1000);
      return { status: 'retry', code: error.code, message: error.message, afterMs };
    }
    return { status: 'failed', code: error.code, message: error.message };
  }
  if (error instanceof CreativeRenderError)
    return { status: 'failed', code: error.code, message: error.message };
  if (error instanceof TooManyCreativesError)
    return { status: 'failed', code: 'too_many_creatives', message: error.message };
  console.error(JSON.stringify({ msg: 'creative job failed', jobId: job.id, error: String(error) }));
  return { status: 'failed', code: 'internal_error', message: 'The generation failed on our side.' };
}

async function record(db: Database, job: CreativeJob, outcome: Outcome, now: Date) {
  const base = { cancelRequested: false };
  switch (outcome.status) {
    case 'done':
      return db
        .update(creativeJobs)
        .set({ ...base, status: 'done', progress: 100, finishedAt: now, errorCode: null, errorMessage: null })
        .where(eq(creativeJobs.id, job.id));
    case 'cancelled':
      return db
        .update(creativeJobs)
        .set({ ...base, status: 'cancelled', finishedAt: now })
        .where(eq(creativeJobs.id, job.id));
    case 'retry':
      return db
        .update(creativeJobs)
        .set({
          status: 'queued',
          progress: 0,
          runAfter: new Date(now.getTime() + outcome.afterMs),
          errorCode: outcome.code,
          errorMessage: outcome.message,
        })
        .where(eq(creativeJobs.id, job.id));
    case 'failed':
      return db
        .update(creativeJobs)
        .set({
          ...base,
          status: 'failed',
          finishedAt: now,
          errorCode: outcome.code,
          errorMessage: outcome.message,
        })
        .where(eq(creativeJobs.id, job.id));
  }
}

/** Runs one claimed job to its outcome: the provider under an abort signal, then its outputs saved. */
export async function runJob(deps: JobWorkerDeps, job: CreativeJob, options: Required<JobWorkerOptions>) {
  const controller = new AbortController();
  // The heartbeat (updated_at) shows the job is alive; the cancel route flags the row (maybe from
  // another process), read back by the same statement.
  const poll = setInterval(() => {
    void deps.db
      .update(creativeJobs)
      .set({ updatedAt: options.now() })
      .where(and(eq(creativeJobs.id, job.id), eq(creativeJobs.status, 'running')))
      .returning({ cancel: creativeJobs.cancelRequested })
      .then(([row]) => {
        if (row?.cancel)
          controller.abort(
            new CreativeProviderError('cancelled', 'Cancelled.', {
              provider: job.provider as CreativeProviderId,
            }),
          );
      })
      .catch(() => undefined);
  }, options.cancelPollMs);
  let lastProgress = 0;
  let outcome: Outcome;
  try {
    const provider = deps.providers[job.provider as CreativeProviderId];
    if (!provider)
      throw new CreativeProviderError('not_configured', `${job.provider} is not configured here.`, {
        provider: job.provider as CreativeProviderId,
      });
    const brandKit = await brandKitForRender(
      { db: deps.db, storage: deps.storage },
      job.brandKitId,
      job.brandKitVersion,
    );
    const outputs = await provider.generate({
      kind: job.kind,
      brandKit,
      copy: job.input.copy,
      prompt: job.input.prompt,
      placements: job.input.placements,
      layout: job.input.layout,
      format: job.input.format,
      signal: controller.signal,
      onProgress: (fraction) => {
        // Up to 90: storing the assets and creatives is the last tenth.
        const progress = Math.min(90, Math.max(0, Math.floor(fraction * 90)));
        if (progress <= lastProgress) return;
        lastProgress = progress;
        void deps.db
          .update(creativeJobs)
          .set({ progress, updatedAt: options.now() })
          .where(and(eq(creativeJobs.id, job.id), eq(creativeJobs.status, 'running')))
          .catch(() => undefined);
      },
    });
    if (controller.signal.aborted) throw controller.signal.reason;
    await saveJobOutputs(deps, job, outputs);
    outcome = { status: 'done' };
  } catch (error) {
    outcome = outcomeOf(error, job, controller.signal, options);
  } finally {
    clearInterval(poll);
  }
  await record(deps.db, job, outcome, options.now());
  return outcome;
}

export type JobWorker = {
  /** Claims what it may (room in this process and per advertiser) and starts those jobs. */
  round(): Promise<number>;
  /** Resolves when every job this worker started has finished. */
  idle(): Promise<void>;
};

export function createJobWorker(deps: JobWorkerDeps, options: JobWorkerOptions = {}): JobWorker {
  const o: Required<JobWorkerOptions> = {
    perAdvertiser: options.perAdvertiser ?? 2,
    maxInFlight: options.maxInFlight ?? 4,
    maxAttempts: options.maxAttempts ?? 4,
    backoffMs: options.backoffMs ?? 10_000,
    cancelPollMs: options.cancelPollMs ?? 1_000,
    staleAfterMs: options.staleAfterMs ?? 60_000,
    now: options.now ?? (() => new Date()),
  };
  const inFlight = new Set<Promise<unknown>>();
  return {
    async round() {
      let claimed = 0;
      while (inFlight.size < o.maxInFlight) {
        const job = await claimJob(deps.db, o, o.now());
        if (!job) break;
        claimed++;
        const running: Promise<unknown> = runJob(deps, job, o)
          .catch((error: unknown) =>
            console.error(
              JSON.stringify({ msg: 'creative job not recorded', jobId: job.id, error: String(error) }),
            ),
          )
          .finally(() => inFlight.delete(running));
        inFlight.add(running);
      }
      return claimed;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

/**
 * Every `intervalMs` (2 s), starts the generation jobs there is room for; at shutdown waits for
 * those running (docs/decisions/029-creative-library-and-jobs.md).
 */
export function startCreativeJobWorker(
  deps: JobWorkerDeps,
  options: JobWorkerOptions & { intervalMs?: number } = {},
): PeriodicTask {
  const worker = createJobWorker(deps, options);
  const task = startPeriodicTask('creative jobs', options.intervalMs ?? 2_000, () => worker.round());
  return {
    async stop() {
      await task.stop();
      await worker.idle();
    },
  };
}
