/** A background loop of the control plane's process, stoppable at shutdown. */
export type PeriodicTask = {
  /** Stops scheduling rounds and waits for the one under way. */
  stop(): Promise<void>;
};

/**
 * Runs `round` every `intervalMs`, the next round timed from the end of the last one (rounds never
 * overlap). A failing round is logged under `name` and the loop goes on.
 */
export function startPeriodicTask(
  name: string,
  intervalMs: number,
  round: () => Promise<unknown>,
): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = round()
      .then(() => undefined)
      .catch((error: unknown) => {
        console.error(JSON.stringify({ msg: `${name} round failed`, error: String(error) }));
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
