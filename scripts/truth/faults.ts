/**
 * Faults injected at points of the stream (a fraction of the click steps done). They run one at a
 * time, in order: a fault starts only once the previous one is over (the control plane is back
 * before the database restarts), and the traffic waits at a fault's point until it has started,
 * so every fault happens while traffic is flowing, whatever the run's size.
 */
export type Fault = {
  /** Fraction of the stream at which it starts. */
  at: number;
  name: string;
  /** Traffic waits for it to finish (e.g. the control plane is really down before going on). */
  blocking: boolean;
  /** Does it; resolves with a detail for the report once the fault is over. */
  run: () => Promise<string>;
};

export type FaultRecord = {
  name: string;
  at: number;
  /** Milliseconds since the stream started. */
  startedMs: number | null;
  endedMs: number | null;
  detail: string;
};

export function faultInjector(faults: Fault[], sinceStart: () => number) {
  const records: FaultRecord[] = [];
  let chain: Promise<void> = Promise.resolve();
  let gate: Promise<void> = Promise.resolve();
  let next = 0;
  const ordered = [...faults].sort((a, b) => a.at - b.at);

  return {
    records,
    /** Called before each step with the stream's progress; waits while a due fault cannot start yet. */
    async reach(progress: number) {
      while (next < ordered.length && ordered[next]!.at <= progress) {
        const fault = ordered[next++]!;
        const record: FaultRecord = {
          name: fault.name,
          at: fault.at,
          startedMs: null,
          endedMs: null,
          detail: '',
        };
        records.push(record);
        let markStarted: () => void = () => {};
        const started = new Promise<void>((resolve) => {
          markStarted = resolve;
        });
        const done = chain.then(async () => {
          record.startedMs = sinceStart();
          markStarted();
          try {
            record.detail = await fault.run();
          } catch (error) {
            record.detail = `FAILED: ${error instanceof Error ? error.message : String(error)}`;
          }
          record.endedMs = sinceStart();
        });
        chain = done;
        gate = fault.blocking ? done : started;
      }
      await gate;
    },
    /** Waits until every fault that started is over. */
    settle: () => chain,
  };
}

/** Polls `done` every 100 ms until it holds or `timeoutMs` passes; says which. */
export async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
