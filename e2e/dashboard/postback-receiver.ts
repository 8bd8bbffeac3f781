import { createServer, type IncomingMessage } from 'node:http';

export type ReceivedPostback = { method: string; url: URL; headers: IncomingMessage['headers']; at: Date };

/** The affiliate's own server: it records every postback TAS sends it and answers 200. */
export async function startPostbackReceiver() {
  const received: ReceivedPostback[] = [];
  const server = createServer((req, res) => {
    received.push({
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://127.0.0.1'),
      headers: req.headers,
      at: new Date(),
    });
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
