import { connect } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * The WebSocket-to-TCP bridge that Neon's serverless driver expects, in front of the test
 * Postgres: each WebSocket carries one Postgres connection to the `address` it names.
 */
export async function startNeonWsProxy() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket, request) => {
    const address = new URL(request.url ?? '/', 'http://proxy').searchParams.get('address') ?? '';
    const [host, port] = address.split(':');
    if (host !== '127.0.0.1' || !port) {
      socket.close(1008, 'only the local test server');
      return;
    }
    const tcp = connect(Number(port), host);
    tcp.on('data', (data) => socket.send(data));
    tcp.on('close', () => socket.close());
    tcp.on('error', () => socket.close());
    socket.on('message', (data) => tcp.write(data as Buffer));
    socket.on('close', () => tcp.end());
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    address: `127.0.0.1:${port}/v2`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
