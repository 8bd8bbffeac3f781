import { SIGNATURE_HEADER, signBody } from '@tas/shared/signature';

/**
 * The edge's signed operator endpoints for dead letters, as `pnpm edge:admin dead-letters
 * count|replay` calls them (scripts/edge-admin.ts), for a stack whose URL and secret are known.
 */
async function call(edgeUrl: string, secret: string, action: 'count' | 'replay') {
  const body = '{}';
  const path = `/internal/dead-letters/${action}`;
  const response = await fetch(`${edgeUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: await signBody(secret, path, body) },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  const answer = (await response.json().catch(() => ({}))) as {
    stored?: number;
    replayed?: number;
    remaining?: number;
  };
  return { ok: response.ok, status: response.status, ...answer };
}

export type DeadLetterOutcome = {
  found: number;
  replayed: number;
  remaining: number;
  failure: string | null;
};

/** Counts the dead letters and replays them until none remain or a replay sends nothing. */
export async function replayDeadLetters(
  edgeUrl: string,
  configSigningSecret: string,
): Promise<DeadLetterOutcome> {
  const counted = await call(edgeUrl, configSigningSecret, 'count');
  if (!counted.ok)
    return { found: 0, replayed: 0, remaining: 0, failure: `count answered ${counted.status}` };
  const found = counted.stored ?? 0;
  let replayed = 0;
  let remaining = found;
  for (let round = 0; remaining > 0 && round < 1000; round++) {
    const answer = await call(edgeUrl, configSigningSecret, 'replay');
    replayed += answer.replayed ?? 0;
    remaining = answer.remaining ?? 0;
    if (!answer.ok || !answer.replayed) {
      return { found, replayed, remaining, failure: answer.ok ? null : `replay answered ${answer.status}` };
    }
  }
  return { found, replayed, remaining, failure: null };
}
