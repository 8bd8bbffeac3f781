/** Figures as the benchmarks print them. */
export const fmt = (n: number) => n.toLocaleString('en-US');
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs `work`, printing how long it took under `label`. */
export async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  console.log(`${label}: ${seconds(performance.now() - start)}`);
  return result;
}
