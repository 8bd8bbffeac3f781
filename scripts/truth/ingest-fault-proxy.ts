import { createServer, type Server } from 'node:http';

export type ProxyStats = {
  /** Requests from the edge (consumer batches and dead-letter replays). */
  requests: number;
  /** Answered by the control plane with 2xx and passed on as such. */
  delivered: number;
  /** Stored by the control plane, then answered 503 anyway so the edge sends them again. */
  redeliveriesForced: number;
  /** The control plane could not be reached (stopped, restarting). */
  unreachable: number;
  /** Control plane answers other than 2xx, by status. */
  refused: Record<string, number>;
  /** Sum of the `quarantined` field of ingest answers, once the ingest reports it. */
  quarantinedReported: number;
  lastRequestAt: number;
  /** Events the edge was told to send again (any non-2xx answer) and has not delivered since. */
  awaitingRedelivery: number;
};

/**
 * Sits between the edge's Queue consumer and the control plane's ingest (the stack's ingestUrl).
 * Normally a transparent proxy; once armed with `forceRedelivery(n)`, it forwards the next n
 * batches and answers 503 although the control plane stored them, the way a lost answer looks to
 * the consumer: the edge must send the same events again, and they must not count twice.
 */
export async function startIngestFaultProxy(target: () => string) {
  const stats: ProxyStats = {
    requests: 0,
    delivered: 0,
    redeliveriesForced: 0,
    unreachable: 0,
    refused: {},
    quarantinedReported: 0,
    lastRequestAt: 0,
    awaitingRedelivery: 0,
  };
  // Ids of events answered with a failure, until a later 2xx answer carries them: while any is
  // left, the Queue still holds events it will deliver again, and the stream is not over.
  const owed = new Set<string>();
  const settleOwed = (body: Buffer, failed: boolean) => {
    for (const id of eventIds(body)) {
      if (failed) owed.add(id);
      else owed.delete(id);
    }
    stats.awaitingRedelivery = owed.size;
  };
  let redeliveriesOwed = 0;
  const listeners: ((body: string) => void)[] = [];
  const server: Server = createServer(async (req, res) => {
    stats.requests++;
    stats.lastRequestAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url === '/internal/ingest' && listeners.length > 0) {
      const body = Buffer.concat(chunks).toString('utf8');
      for (const listener of listeners) listener(body);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${target()}${req.url}`, {
        method: req.method ?? 'POST',
        headers,
        body: Buffer.concat(chunks),
        signal: AbortSignal.timeout(60_000),
      });
      text = await response.text();
    } catch (error) {
      stats.unreachable++;
      settleOwed(Buffer.concat(chunks), true);
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`truth proxy: ${String(error)}`);
      return;
    }
    if (!response.ok) {
      stats.refused[response.status] = (stats.refused[response.status] ?? 0) + 1;
      settleOwed(Buffer.concat(chunks), true);
    } else {
      const quarantined = quarantinedOf(text);
      stats.quarantinedReported += quarantined;
      if (redeliveriesOwed > 0 && req.url === '/internal/ingest') {
        redeliveriesOwed--;
        stats.redeliveriesForced++;
        settleOwed(Buffer.concat(chunks), true);
        res.writeHead(503, { 'content-type': 'text/plain' }).end('truth proxy: stored, answer withheld');
        return;
      }
      stats.delivered++;
      settleOwed(Buffer.concat(chunks), false);
    }
    res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'text/plain' });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    /** The next `batches` stored batches are answered 503, so the edge redelivers them. */
    forceRedelivery(batches: number) {
      redeliveriesOwed += batches;
    },
    /** Calls `listener` with the body of every batch the edge sends (the caller keeps it cheap). */
    onBatch(listener: (body: string) => void) {
      listeners.push(listener);
    },
    /** Batches still to be answered 503 (the fault is under way until this is 0). */
    redeliveriesOwed: () => redeliveriesOwed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type IngestFaultProxy = Awaited<ReturnType<typeof startIngestFaultProxy>>;

function eventIds(body: Buffer): string[] {
  try {
    const events = (JSON.parse(body.toString('utf8')) as { events?: unknown }).events;
    if (!Array.isArray(events)) return [];
    return events.flatMap((e) =>
      typeof e === 'object' && e !== null && typeof (e as { id?: unknown }).id === 'string'
        ? [(e as { id: string }).id]
        : [],
    );
  } catch {
    return [];
  }
}

function quarantinedOf(text: string): number {
  try {
    const value = (JSON.parse(text) as { quarantined?: unknown }).quarantined;
    if (typeof value === 'number') return value;
    // The ingest may list the quarantined events rather than count them.
    return Array.isArray(value) ? value.length : 0;
  } catch {
    return 0;
  }
}
