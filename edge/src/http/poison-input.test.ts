import { createExecutionContext, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { type ClickEvent, trackingEventSchema } from '@tas/shared/events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clickEventFixture, EDGE, offerConfig, publishOfferAndAffiliate } from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import { CHROME_WINDOWS } from '../../test/user-agents.ts';
import { configStore } from '../config/config-store.ts';
import { enqueueEvent } from '../queue/event-batcher.ts';
import { ApiError } from './api-error.ts';

/**
 * Inputs that once made the ingest refuse a whole batch (issue 8): each must now reach the
 * control plane as an event Postgres can store, or be refused at the door with a code.
 */
describe('poison input at the edge', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('strips NUL and control characters from subs and drops ids beyond their column, keeping the click', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 900 }));
    const response = await SELF.fetch(
      `${EDGE}/c/900?aff_id=7&sub1=%00x&sub2=a%09b%0Ac&sub3=%00&creative_id=4000000000&source_id=%7F%C2%85s`,
      { redirect: 'manual', headers: { 'user-agent': CHROME_WINDOWS } },
    );
    expect(response.status).toBe(302);
    const [event] = (await eventually(ingest.eventsOf(900), (e) => e.length >= 1)) as ClickEvent[];
    expect(event).toMatchObject({ sub1: 'x', sub2: 'abc', sub3: null, sourceId: 's', creativeId: null });
    // What the edge sends, the ingest's own schema (the database's limits) accepts.
    expect(trackingEventSchema.safeParse(event).success).toBe(true);
  });

  it('answers 503 when KV cannot be read, never an "unknown offer" that would be cached', async () => {
    let failing = true;
    const kv = {
      get: async () => {
        if (failing) throw new Error('KV is down');
        return JSON.stringify(offerConfig({ id: 901 }));
      },
    } as unknown as KVNamespace;
    const store = configStore(kv, 60_000);
    await expect(store.offer(901)).rejects.toSatisfy(
      (error) => error instanceof ApiError && error.code === 'service_unavailable',
    );
    failing = false;
    // The failure was not remembered as "no such offer".
    expect(await store.offer(901)).toMatchObject({ id: 901 });
  });

  it('answers 503 for a value in KV it cannot read (a newer control plane), keeping the last good one', async () => {
    let stored = JSON.stringify({ ...offerConfig({ id: 902 }), status: 'archived_by_a_newer_version' });
    const kv = { get: async () => stored } as unknown as KVNamespace;
    await expect(configStore(kv, 0).offer(902)).rejects.toSatisfy(
      (error) => error instanceof ApiError && error.code === 'service_unavailable',
    );
    stored = JSON.stringify(offerConfig({ id: 902 }));
    const store = configStore(kv, 1);
    expect(await store.offer(902)).toMatchObject({ id: 902 });
    stored = 'not json';
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store.offer(902)).toMatchObject({ id: 902 });
  });

  it('sends an envelope again when the Queue refuses it once, instead of losing its clicks', async () => {
    const sent: unknown[] = [];
    let failures = 2;
    const queue = {
      send: async (body: unknown) => {
        if (failures-- > 0) throw new Error('queue blip');
        sent.push(body);
      },
    } as unknown as Queue;
    const ctx = createExecutionContext();
    enqueueEvent([queue], clickEventFixture(1, 'R'), (p) => ctx.waitUntil(p));
    await waitOnExecutionContext(ctx);
    expect(sent).toEqual([{ events: [clickEventFixture(1, 'R')] }]);
  });

  it('sizes envelopes by their exact UTF-8 bytes, so CJK subs never overflow a Queue message', async () => {
    const sent: string[] = [];
    const queue = {
      send: async (body: unknown) => {
        sent.push(JSON.stringify(body));
      },
    } as unknown as Queue;
    const cjk = '漢'.repeat(255);
    const ctx = createExecutionContext();
    for (let n = 0; n < 60; n++) {
      const event: ClickEvent = {
        ...clickEventFixture(n, 'Z'),
        sub1: cjk,
        sub2: cjk,
        sub3: cjk,
        sub4: cjk,
        sub5: cjk,
        sourceId: cjk,
        gclid: cjk,
        msclkid: cjk,
        ttclid: cjk,
        fbclid: '漢'.repeat(512),
      };
      enqueueEvent([queue], event, (p) => ctx.waitUntil(p));
    }
    await waitOnExecutionContext(ctx);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.flatMap((body) => JSON.parse(body).events)).toHaveLength(60);
    for (const body of sent) expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(96 * 1024);
  });
});
