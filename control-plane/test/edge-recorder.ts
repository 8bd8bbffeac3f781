import { createServer, type Server } from 'node:http';
import { type CapUsageRequest, type CapUsageResponse, capUsageRequestSchema } from '@tas/shared/cap-usage';
import { configPublishRequestSchema, type ParsedConfigPublish } from '@tas/shared/config-publish';
import { verifyBody } from '@tas/shared/signature';
import { createEdgePublisher, type DeadLetterReplay } from '../src/edge-sync/edge-publisher.ts';
import { unusedCaps } from './fixtures.ts';

export const CONFIG_SECRET = 'config-secret-for-tests-0123456789abcdef';

/**
 * Speaks the edge's internal wire format on a local port: `POST /internal/config`,
 * `POST /internal/caps` and `POST /internal/dead-letters/count|replay`, with the signature and
 * schemas checked exactly as the edge does. It records the configuration it accepted, answers cap
 * usage and the dead-letter store as the test sets them, and can be told to fail. (The real edge
 * receiving these is exercised in e2e/.)
 */
export async function startEdgeRecorder() {
  const received: ParsedConfigPublish[] = [];
  const capRequests: CapUsageRequest[] = [];
  let usage: (request: CapUsageRequest) => CapUsageResponse = unusedCaps;
  let failing = false;
  // The dead-letter store as the test sets it: letters that replay, and those that fail again.
  const deadLetters = { good: 0, bad: [] as { messageId: string; failure: string }[] };
  const deadLetterCalls: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const check = await verifyBody(
      CONFIG_SECRET,
      req.url ?? '',
      body,
      req.headers['x-tas-signature'] as string | undefined,
    );
    if (failing || !check.ok) {
      res.writeHead(failing ? 503 : 401).end('refused');
      return;
    }
    if (req.url === '/internal/dead-letters/count' || req.url === '/internal/dead-letters/replay') {
      deadLetterCalls.push(req.url);
      if (req.url.endsWith('/count')) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ stored: deadLetters.good + deadLetters.bad.length }));
        return;
      }
      // As the edge: up to 200 letters a call; 503 when none of them went through.
      const replayed = Math.min(deadLetters.good, 200);
      deadLetters.good -= replayed;
      const failed = deadLetters.bad.slice(0, 200 - replayed);
      const answer: DeadLetterReplay = {
        replayed,
        failed,
        remaining: deadLetters.good + deadLetters.bad.length,
      };
      const status = replayed === 0 && failed.length > 0 ? 503 : 200;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      return;
    }
    if (req.url === '/internal/caps') {
      const parsed = capUsageRequestSchema.safeParse(JSON.parse(body));
      if (!parsed.success) {
        res.writeHead(400).end('bad request');
        return;
      }
      capRequests.push(parsed.data);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(usage(parsed.data)));
      return;
    }
    const parsed = configPublishRequestSchema.safeParse(JSON.parse(body));
    if (!parsed.success || req.url !== '/internal/config') {
      res.writeHead(400).end('refused');
      return;
    }
    received.push(parsed.data);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    /** The production client, pointed at this recorder. */
    edge: createEdgePublisher({ edgeUrl: url, signingSecret: CONFIG_SECRET }),
    received,
    capRequests,
    /** The paths of the dead-letter calls received, in order. */
    deadLetterCalls,
    /** Fills the dead-letter store: `good` letters that replay, `bad` ones that fail again. */
    storeDeadLetters(good: number, bad: { messageId: string; failure: string }[] = []) {
      deadLetters.good = good;
      deadLetters.bad = bad;
    },
    answerCapUsage(next: (request: CapUsageRequest) => CapUsageResponse) {
      usage = next;
    },
    fail(value: boolean) {
      failing = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
