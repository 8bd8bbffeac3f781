import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNATURE_HEADER, signBody } from '@tas/shared/signature';

/**
 * Operator commands against the edge's signed internal endpoints:
 *
 *   pnpm edge:admin dead-letters count     how many events wait in the dead-letter store
 *   pnpm edge:admin dead-letters replay    send them to the control plane again (200 letters a call)
 *
 * EDGE_URL and CONFIG_SIGNING_SECRET come from the environment; locally they default to the dev
 * stack's (http://127.0.0.1:8787 and .tas/secrets.json).
 */
const [area, action] = process.argv.slice(2);
if (area !== 'dead-letters' || (action !== 'count' && action !== 'replay')) {
  console.error('usage: edge-admin dead-letters count|replay');
  process.exit(2);
}

const edgeUrl = (process.env.EDGE_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
const secret =
  process.env.CONFIG_SIGNING_SECRET ??
  (
    JSON.parse(readFileSync(join(process.env.TAS_STATE_DIR ?? '.tas', 'secrets.json'), 'utf8')) as {
      CONFIG_SIGNING_SECRET: string;
    }
  ).CONFIG_SIGNING_SECRET;

let total = 0;
for (;;) {
  const body = '{}';
  const response = await fetch(`${edgeUrl}/internal/dead-letters/${action}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: await signBody(secret, `/internal/dead-letters/${action}`, body),
    },
    body,
  });
  const answer = (await response.json()) as {
    stored?: number;
    replayed?: number;
    remaining?: number;
    failed?: { messageId: string; failure: string }[];
  };
  for (const letter of answer.failed ?? [])
    console.error(`not replayed: ${letter.messageId}: ${letter.failure}`);
  if (!response.ok) {
    console.error(`edge answered ${response.status}: ${JSON.stringify(answer)}`);
    process.exit(1);
  }
  if (action === 'count') {
    console.log(`${answer.stored} dead letters stored`);
    break;
  }
  total += answer.replayed ?? 0;
  if (!answer.replayed || !answer.remaining) {
    console.log(`replayed ${total} dead letters; ${answer.remaining ?? 0} remain`);
    break;
  }
}
