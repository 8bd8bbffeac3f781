import { createServer, type Server } from 'node:http';
import { configPublishRequestSchema, type ParsedConfigPublish } from '@tas/shared/config-publish';
import { verifyBody } from '@tas/shared/signature';

export const CONFIG_SECRET = 'config-secret-for-tests-0123456789abcdef';

/**
 * Speaks the edge's `POST /internal/config` wire format on a local port: verifies the signature
 * and schema exactly as the edge does, records what it accepted, and can be told to fail.
 * (The real edge receiving these is exercised in e2e/.)
 */
export async function startEdgeRecorder() {
  const received: ParsedConfigPublish[] = [];
  let failing = false;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const check = await verifyBody(CONFIG_SECRET, body, req.headers['x-tas-signature'] as string | undefined);
    const parsed = configPublishRequestSchema.safeParse(JSON.parse(body));
    if (failing || !check.ok || !parsed.success || req.url !== '/internal/config') {
      res.writeHead(failing ? 503 : 400).end('refused');
      return;
    }
    received.push(parsed.data);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    fail(value: boolean) {
      failing = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
