/** Exponential backoff for redelivery: 2 s, 4 s, 8 s ... capped at 5 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 2 ** Math.max(1, attempts));
}
