import { parseTruthArgs, USAGE } from './options.ts';
import { formatReport } from './report.ts';
import { runTruth } from './run-truth.ts';

/**
 * `pnpm truth`: the counting truth harness (issue 8). See scripts/truth/options.ts for the flags
 * and the README ("Working on it") for what it does. Exit code 0: nothing lost or doubled, every
 * quarantined event has a reason, every rule of decision 018 holds; 1: not so; 2: the harness
 * itself could not run.
 */
let options: ReturnType<typeof parseTruthArgs>;
try {
  options = parseTruthArgs(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}

let stopStack: (() => Promise<void>) | null = null;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping the stack...`);
    await stopStack?.();
    process.exit(130);
  });
}

try {
  const report = await runTruth(options, {
    progress: (line) => console.error(`truth: ${line}`),
    started: (stop) => {
      stopStack = stop;
    },
  });
  console.log(
    options.json
      ? JSON.stringify(report, (_key, value) => (value instanceof Map ? Object.fromEntries(value) : value), 2)
      : formatReport(report),
  );
  process.exit(report.verdict.ok ? 0 : 1);
} catch (error) {
  console.error(
    `truth: the harness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(2);
}
