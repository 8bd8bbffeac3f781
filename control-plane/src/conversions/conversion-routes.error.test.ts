import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode } from '../../test/api-client.ts';
import { conversionWorld } from '../../test/conversion-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { conversionChanges } from '../db/schema/conversions.ts';

describe.each(testDatabases)('/api/v1/conversions bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('refuses malformed filters and cursors', async () => {
    const w = await conversionWorld(app, handle.db, 1);
    for (const query of [
      'status=paid',
      'offerId=abc',
      'from=yesterday',
      'limit=0',
      'limit=501',
      'cursor=bm90LWEtY3Vyc29y',
    ]) {
      const response = await call(app, 'GET', `/api/v1/conversions?${query}`, { token: w.admin.accessToken });
      expect([response.status, await errorCode(response)], query).toEqual([400, 'invalid_request']);
    }
    const badId = await call(app, 'GET', '/api/v1/conversions/not-a-uuid', { token: w.admin.accessToken });
    expect([badId.status, await errorCode(badId)]).toEqual([400, 'invalid_request']);
    const missing = await call(app, 'GET', `/api/v1/conversions/${crypto.randomUUID()}`, {
      token: w.admin.accessToken,
    });
    expect([missing.status, await errorCode(missing)]).toEqual([404, 'not_found']);
  });

  it('refuses change requests that are ambiguous or incomplete, changing nothing', async () => {
    const w = await conversionWorld(app, handle.db, 1);
    const ids = w.conversionIds;
    const cases: Record<string, unknown>[] = [
      { action: 'approve', dryRun: false },
      { action: 'approve', conversionIds: ids, txids: w.txids, offerId: w.offer.id, dryRun: false },
      { action: 'approve', txids: w.txids, dryRun: false },
      { action: 'adjust', conversionIds: ids, reason: 'x', dryRun: false },
      { action: 'adjust', conversionIds: ids, payoutMinor: -5, reason: 'x', dryRun: false },
      { action: 'adjust', conversionIds: ids, payoutMinor: 10.5, reason: 'x', dryRun: false },
      { action: 'adjust', conversionIds: ids, payoutMinor: 10, dryRun: false },
      { action: 'reverse', conversionIds: ids, dryRun: false },
      { action: 'approve', conversionIds: ids, payoutMinor: 1, dryRun: false },
      { action: 'delete', conversionIds: ids, dryRun: false },
      { action: 'approve', conversionIds: ['nope'], dryRun: false },
      { action: 'approve', conversionIds: [], dryRun: false },
      { action: 'approve', conversionIds: ids, dryRun: 'no' },
    ];
    for (const body of cases) {
      const response = await call(app, 'POST', '/api/v1/conversions/changes', {
        token: w.admin.accessToken,
        body,
      });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    expect(await handle.db.select().from(conversionChanges)).toEqual([]);
    const read = await call(app, 'GET', `/api/v1/conversions/${ids[0]}`, { token: w.admin.accessToken });
    expect(await read.json()).toMatchObject({ status: 'pending', payoutMinor: 1500 });
  });
});
