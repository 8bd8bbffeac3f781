import { signBody } from '@tas/shared/signature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, INGEST_SECRET, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { clicks } from '../db/schema/clicks.ts';

describe.each(testDatabases)('POST /internal/ingest authentication on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('refuses unsigned, wrongly signed, replayed-late and tampered batches with 401 and stores nothing', async () => {
    const batch = JSON.stringify({ events: [await clickEvent()] });
    const signed = await signedIngest(batch);
    const header = (signed.headers as Record<string, string>)['x-tas-signature']!;
    const attempts: [string, RequestInit][] = [
      ['unsigned', { method: 'POST', body: batch }],
      ['wrong secret', await signedIngest(batch, 'another-secret-0123456789abcdefghijkl')],
      [
        'stale',
        {
          method: 'POST',
          body: batch,
          headers: {
            'x-tas-signature': await signBody(
              INGEST_SECRET,
              '/internal/ingest',
              batch,
              Math.floor(Date.now() / 1000) - 3600,
            ),
          },
        },
      ],
      [
        'tampered body',
        { method: 'POST', body: batch.replace('"DE"', '"FR"'), headers: { 'x-tas-signature': header } },
      ],
      ['garbage header', { method: 'POST', body: batch, headers: { 'x-tas-signature': 'v1=00' } }],
    ];
    for (const [name, init] of attempts) {
      const response = await app.request('/internal/ingest', init);
      expect(response.status, name).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code, name).toBe(
        'invalid_signature',
      );
    }
    expect(await handle.db.select().from(clicks)).toEqual([]);
  });
});
