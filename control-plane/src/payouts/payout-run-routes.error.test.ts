import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/payout-runs errors on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let token: string;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    token = (await adminSession(app, handle.db)).accessToken;
  });
  afterAll(() => handle.close());

  it('refuses a malformed request', async () => {
    for (const body of [{ dryRun: 'no' }, { schedule: 'daily' }]) {
      const response = await call(app, 'POST', '/api/v1/payout-runs', { token, body });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    const page = await call(app, 'GET', '/api/v1/payout-runs?after=not-a-uuid', { token });
    expect(page.status).toBe(400);
  });

  it('answers 404 for a run that does not exist, to read, resume or export', async () => {
    const id = '01900000-0000-7000-8000-000000000000';
    for (const [method, path] of [
      ['GET', `/api/v1/payout-runs/${id}`],
      ['POST', `/api/v1/payout-runs/${id}/resume`],
      ['GET', `/api/v1/payout-runs/${id}/bank-transfers.csv`],
    ] as const) {
      const response = await call(app, method, path, { token });
      expect([response.status, await errorCode(response)], path).toEqual([404, 'not_found']);
    }
    const bad = await call(app, 'GET', '/api/v1/payout-runs/42', { token });
    expect(bad.status).toBe(400);
  });

  it('applies a run with nobody to pay as an empty, completed run', async () => {
    const response = await call(app, 'POST', '/api/v1/payout-runs', { token, body: { dryRun: false } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ run: { status: 'completed' }, paid: [], skipped: [] });
  });
});
