import { createServer, type Server } from 'node:http';

export type ReceivedPostback = {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/**
 * An affiliate's postback endpoint on a local port: records each request and answers with the
 * next status from `script` (then the last one again), optionally after a delay. It listens on
 * 127.0.0.1 unless told another `host` ('::' takes IPv4 and IPv6 loopback alike).
 */
export async function startAffiliateEndpoint(
  script: number[] = [200],
  options: { delayMs?: number; host?: string } = {},
) {
  const received: ReceivedPostback[] = [];
  let statuses = [...script];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    const status = statuses.length > 1 ? statuses.shift()! : (statuses[0] ?? 200);
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    res
      .writeHead(status, { 'content-type': 'text/plain' })
      .end(status < 300 ? 'OK recorded' : `error ${status}`);
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    respondWith(next: number[]) {
      statuses = [...next];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
