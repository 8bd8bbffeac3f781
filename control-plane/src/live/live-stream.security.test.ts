import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { users } from '../db/schema/users.ts';
import { LIVE_STREAM_LIMITS } from './live-stream-slots.ts';

const feedOf = (app: ReturnType<typeof testApp>, token: string) =>
  call(app, 'GET', '/api/v1/live', { token });

/** Reads a stream until it ends or `timeoutMs` passes; the events seen and whether it ended. */
async function readToEnd(response: Response, timeoutMs: number) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  try {
    while (Date.now() < deadline) {
      const next = await Promise.race([
        reader.read(),
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), deadline - Date.now())),
      ]);
      if (next === 'timeout') break;
      if (next.done) {
        ended = true;
        break;
      }
      text += decoder.decode(next.value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const events = [...text.matchAll(/^event: (.+)\ndata: (.*)$/gm)].map((m) => ({ event: m[1], data: m[2] }));
  return { ended, events };
}

/** Waits until `open()` answers 200 (a slot was given back), or gives up. */
async function openWhenFree(open: () => Response | Promise<Response>, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await open();
    if (response.status === 200 || Date.now() > deadline) return response;
    await response.body?.cancel();
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(testDatabases)('/api/v1/live against revoked credentials and floods on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { livePollMs: 50, liveRecheckMs: 100 });
    admin = await adminSession(app, handle.db);
  });
  afterAll(() => handle.close());

  const feed = (token: string) => feedOf(app, token);

  it('ends a stream soon after its session is logged out', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const stream = await feed(affiliate.accessToken);
    expect(stream.status).toBe(200);
    expect((await call(app, 'POST', '/api/v1/auth/logout', { token: affiliate.accessToken })).status).toBe(
      204,
    );
    const { ended, events } = await readToEnd(stream, 3_000);
    expect(ended).toBe(true);
    expect(events.at(-1)).toEqual({ event: 'end', data: JSON.stringify({ reason: 'unauthorized' }) });
  });

  it('ends a stream soon after its API key is revoked or its user disabled', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const created = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: advertiser.accessToken,
        body: { name: 'feed', scopes: ['reports:read'] },
      })
    ).json()) as { key: string; apiKey: { id: string } };
    const byKey = await feed(created.key);
    expect(byKey.status).toBe(200);
    await call(app, 'DELETE', `/api/v1/api-keys/${created.apiKey.id}`, { token: advertiser.accessToken });
    expect((await readToEnd(byKey, 3_000)).ended).toBe(true);

    const bySession = await feed(advertiser.accessToken);
    await handle.db.update(users).set({ isActive: false }).where(eq(users.id, advertiser.userId));
    expect((await readToEnd(bySession, 3_000)).ended).toBe(true);
  });

  it('ends a stream soon after its advertiser is suspended, saying so', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const stream = await feed(advertiser.accessToken);
    const suspended = await call(app, 'PATCH', `/api/v1/advertisers/${advertiser.advertiserId}`, {
      token: admin.accessToken,
      body: { status: 'suspended' },
    });
    expect(suspended.status).toBe(200);
    const { ended, events } = await readToEnd(stream, 3_000);
    expect(ended).toBe(true);
    expect(events.at(-1)).toEqual({ event: 'end', data: JSON.stringify({ reason: 'account_suspended' }) });
  });

  it('keeps a stream of a credential still good open', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const { ended, events } = await readToEnd(await feed(affiliate.accessToken), 600);
    expect(ended).toBe(false);
    expect(events.map((e) => e.event)).toEqual(['ready']);
  });

  it('bounds the streams one user holds open, and gives a slot back when one closes', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const streams = [];
    for (let i = 0; i < LIVE_STREAM_LIMITS.maxPerUser; i++) {
      const response = await feed(affiliate.accessToken);
      expect(response.status).toBe(200);
      streams.push(response);
    }
    const refused = await feed(affiliate.accessToken);
    expect([refused.status, await errorCode(refused)]).toEqual([429, 'rate_limited']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another user is not affected.
    const other = await feed((await signUp(app, 'affiliate')).accessToken);
    expect(other.status).toBe(200);
    await other.body?.cancel();
    // Closing one frees its slot.
    await streams.pop()?.body?.cancel();
    const again = await openWhenFree(() => feed(affiliate.accessToken));
    expect(again.status).toBe(200);
    for (const s of [...streams, again]) await s.body?.cancel();
  });

  it('bounds the streams open at once across users', async () => {
    const small = testApp(handle.db, {
      livePollMs: 50,
      liveLimits: { maxConcurrent: 2, maxPerUser: 2, retryAfterSeconds: 7 },
    });
    const tokens = [];
    for (let i = 0; i < 3; i++) tokens.push((await signUp(small, 'affiliate')).accessToken);
    const [a, b] = [await feedOf(small, tokens[0]!), await feedOf(small, tokens[1]!)];
    expect([a.status, b.status]).toEqual([200, 200]);
    const refused = await feedOf(small, tokens[2]!);
    expect([refused.status, await errorCode(refused), refused.headers.get('retry-after')]).toEqual([
      429,
      'rate_limited',
      '7',
    ]);
    await a.body?.cancel();
    await b.body?.cancel();
  });
});
