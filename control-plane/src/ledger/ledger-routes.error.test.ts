import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/ledger refusals on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('refuses bad filters and pages with 400 invalid_request', async () => {
    const admin = await adminSession(app, handle.db);
    const bad = [
      '/api/v1/ledger/balances?limit=0',
      '/api/v1/ledger/balances?limit=201',
      '/api/v1/ledger/balances?kind=savings',
      '/api/v1/ledger/balances?currency=usd',
      '/api/v1/ledger/balances?after=-1',
      '/api/v1/ledger/transfers?conversionId=not-a-uuid',
      '/api/v1/ledger/transfers?kind=gift',
      '/api/v1/ledger/transfers?accountId=0',
      '/api/v1/ledger/transfers?payoutId=1',
      '/api/v1/ledger/reconciliation?maxDifferences=-1',
      '/api/v1/ledger/reconciliation?maxDifferences=many',
      '/api/v1/ledger/reconciliation?since=yesterday',
      '/api/v1/ledger/reconciliation?since=2026-13-01T00:00:00Z',
    ];
    for (const path of bad) {
      const response = await call(app, 'GET', path, { token: admin.accessToken });
      expect([response.status, await errorCode(response)], path).toEqual([400, 'invalid_request']);
    }
  });

  it('answers an empty ledger with empty pages and a clean reconciliation', async () => {
    const admin = await adminSession(app, handle.db);
    for (const path of ['/api/v1/ledger/balances', '/api/v1/ledger/transfers']) {
      const response = await call(app, 'GET', path, { token: admin.accessToken });
      expect(await response.json(), path).toEqual({ data: [], nextAfter: null });
    }
    const unknown = await call(app, 'GET', `/api/v1/ledger/transfers?conversionId=${crypto.randomUUID()}`, {
      token: admin.accessToken,
    });
    expect(await unknown.json()).toEqual({ data: [], nextAfter: null });
    const reconciliation = await call(app, 'GET', '/api/v1/ledger/reconciliation', {
      token: admin.accessToken,
    });
    expect(await reconciliation.json()).toMatchObject({ clean: true, differencesTotal: 0 });
  });
});
