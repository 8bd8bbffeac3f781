import { parseArgs } from 'node:util';

/** What a truth run does; the CLI flags map one to one (scripts/truth/truth.ts). */
export type TruthOptions = {
  /** Click requests to send (bots and poison included); postbacks and pixels follow from them. */
  clicks: number;
  /** Requests in flight at once. */
  concurrency: number;
  seed: number;
  /** Control plane and database restarts, forced queue redeliveries. */
  faults: boolean;
  /** Poison inputs through the edge and poison events in injected batches. */
  poison: boolean;
  /** How long to wait for the queue to drain before reconciling what is there. */
  drainTimeoutMs: number;
  json: boolean;
  /** Service logs on stderr as they come, for debugging the harness itself. */
  verbose: boolean;
};

export const DEFAULT_OPTIONS: TruthOptions = {
  clicks: 2000,
  concurrency: 16,
  seed: 1,
  faults: true,
  poison: true,
  drainTimeoutMs: 0,
  json: false,
  verbose: false,
};

/**
 * The drain timeout grows with the run: the consumer's retry backoff after a fault (2, 4, 8, 16 s)
 * bounds the small runs, ingest throughput the large ones.
 */
export function drainTimeoutFor(clicks: number): number {
  return 45_000 + clicks;
}

export const USAGE = `usage: pnpm truth [--clicks N] [--concurrency N] [--seed N] [--no-faults] [--no-poison]
                  [--drain-timeout SECONDS] [--json] [--verbose]

Drives a throwaway stack (Postgres, edge, control plane) with clicks, postbacks and pixels, poison
inputs, injected faults and the conversion-trust rules of decision 018, then reconciles what the
edge accepted against what Postgres holds. Exit code 1 when anything was lost or doubled, a
quarantined event has no reason, or a rule failed.`;

export function parseTruthArgs(argv: string[]): TruthOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      clicks: { type: 'string' },
      concurrency: { type: 'string' },
      seed: { type: 'string' },
      'no-faults': { type: 'boolean' },
      'no-poison': { type: 'boolean' },
      'drain-timeout': { type: 'string' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const positive = (name: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${text}"`);
    return n;
  };
  const clicks = positive('clicks', values.clicks, DEFAULT_OPTIONS.clicks);
  return {
    clicks,
    concurrency: positive('concurrency', values.concurrency, DEFAULT_OPTIONS.concurrency),
    seed: positive('seed', values.seed, DEFAULT_OPTIONS.seed),
    faults: !values['no-faults'],
    poison: !values['no-poison'],
    drainTimeoutMs:
      values['drain-timeout'] === undefined
        ? drainTimeoutFor(clicks)
        : positive('drain-timeout', values['drain-timeout'], 1) * 1000,
    json: values.json ?? false,
    verbose: values.verbose ?? false,
  };
}
