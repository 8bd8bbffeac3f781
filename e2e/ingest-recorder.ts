import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export type RecordedRequest = { path: string; headers: IncomingHttpHeaders; body: string; status: number };

/**
 * A transparent proxy between the edge's Queue consumer and the control plane that keeps a copy
 * of every request, so a test can send the very same signed batch again.
 */
export async function startIngestRecorder(target: () => string) {
  const recorded: RecordedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
    }
    try {
      const response = await fetch(`${target()}${req.url}`, { method: req.method, headers, body });
      const text = await response.text();
      recorded.push({ path: req.url ?? '', headers: req.headers, body, status: response.status });
      res
        .writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'text/plain' })
        .end(text);
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    recorded,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
