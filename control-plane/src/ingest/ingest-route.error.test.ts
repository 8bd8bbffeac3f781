import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { clicks } from '../db/schema/clicks.ts';
import { conversions } from '../db/schema/conversions.ts';

type ErrorBody = { error: { code: string; message: string; requestId: string } };

describe.each(testDatabases)('POST /internal/ingest with bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('answers 400 with a code for malformed batches and writes nothing, not even the valid events', async () => {
    const click = await clickEvent();
    const bad: [string, unknown][] = [
      ['not json', '{"events": ['],
      ['no events', { events: [] }],
      ['not an object', [click]],
      ['unknown type', { events: [click, { ...click, type: 'refund' }] }],
      ['bad click id', { events: [click, { ...click, id: 'short' }] }],
      ['float amount', { events: [click, { ...conversionEvent(click), amountMinor: 12.5 }] }],
      ['bad country', { events: [click, { ...click, id: (await clickEvent()).id, country: 'germany' }] }],
      ['oversized sub', { events: [{ ...click, sub1: 'x'.repeat(256) }] }],
      ['bad time', { events: [{ ...click, occurredAt: 'yesterday' }] }],
    ];
    for (const [name, body] of bad) {
      const response = await app.request('/internal/ingest', await signedIngest(body));
      expect(response.status, name).toBe(400);
      const error = ((await response.json()) as ErrorBody).error;
      expect(error.code, name).toBe(name === 'not json' ? 'invalid_json' : 'invalid_request');
      expect(error.message.length).toBeGreaterThan(10);
    }
    expect(await handle.db.select().from(clicks)).toEqual([]);
    expect(await handle.db.select().from(conversions)).toEqual([]);
  });

  it('answers 413 for a body over the limit', async () => {
    const response = await app.request('/internal/ingest', await signedIngest('x'.repeat(9 * 1024 * 1024)));
    expect(response.status).toBe(413);
  });
});
