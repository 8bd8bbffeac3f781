import type { SSEStreamingApi } from 'hono/streaming';
import { credentialStanding } from '../auth/credential-standing.ts';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { LiveCursor, readLiveEvents } from './live-feed.ts';

const HEARTBEAT_MS = 15_000;

/**
 * A feed outlives the request that authenticated it: this often it checks that a new request
 * would still be let in (session open, key not revoked, user active, company not suspended).
 */
export const LIVE_RECHECK_MS = 20_000;

export type LiveFeedOptions = {
  db: Database;
  principal: Principal;
  since: Date;
  pollMs: number;
  recheckMs: number;
  now?: (() => Date) | undefined;
};

/**
 * Writes the events `principal` may see to `stream` until the client goes away or the credential
 * stops holding; then it sends `end` with the reason (unauthorized, account_suspended), so a
 * client knows not to reconnect with the same credential, and returns.
 */
export async function runLiveFeed(stream: SSEStreamingApi, o: LiveFeedOptions): Promise<void> {
  const cursor = new LiveCursor(o.since);
  let lastWrite = Date.now();
  let lastCheck = Date.now();
  await stream.writeSSE({ event: 'ready', data: JSON.stringify({ since: o.since.toISOString() }) });
  while (!stream.aborted) {
    if (Date.now() - lastCheck >= o.recheckMs) {
      lastCheck = Date.now();
      const standing = await credentialStanding(o.db, o.principal, o.now?.() ?? new Date());
      if (standing !== 'ok') {
        await stream.writeSSE({ event: 'end', data: JSON.stringify({ reason: standing }) });
        return;
      }
    }
    const events = cursor.fresh(await readLiveEvents(o.db, o.principal, cursor.readFrom()));
    for (const event of events) {
      await stream.writeSSE({ event: event.type, id: event.id, data: JSON.stringify(event.data) });
    }
    if (events.length) lastWrite = Date.now();
    else if (Date.now() - lastWrite > HEARTBEAT_MS) {
      // A comment line keeps proxies from closing an idle connection.
      await stream.write(': heartbeat\n\n');
      lastWrite = Date.now();
    }
    await stream.sleep(o.pollMs);
  }
}
