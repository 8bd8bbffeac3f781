/**
 * Queue sends this isolate gave up on (after their retries). Per isolate, since an isolate has no
 * shared memory with the others: each log line carries the running count, so a log query for
 * `"msg":"click events not queued"` sees both the events lost and how often one isolate fails.
 * The dead-letter count, not this, is the network-wide figure the control plane exposes.
 */
let failures = 0;

/** Counts one failed send; answers the isolate's count so far. */
export function countSendFailure(): number {
  failures += 1;
  return failures;
}

/** Sends this isolate gave up on since it started. */
export function sendFailuresInIsolate(): number {
  return failures;
}
