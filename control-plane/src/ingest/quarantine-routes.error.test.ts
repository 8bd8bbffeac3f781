import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/ingest-quarantine bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    admin = await adminSession(app, handle.db);
  });
  afterAll(() => handle.close());

  it('refuses bad pages and replay selections with 400 and a code', async () => {
    for (const query of ['?limit=0', '?limit=201', '?after=-1', '?includeReplayed=maybe']) {
      const response = await call(app, 'GET', `/api/v1/ingest-quarantine${query}`, {
        token: admin.accessToken,
      });
      expect(response.status, query).toBe(400);
      expect(await errorCode(response)).toBe('invalid_request');
    }
    for (const body of [{ ids: [] }, { ids: [0] }, { ids: ['1'] }, { limit: 0 }, { limit: 5000 }]) {
      const response = await call(app, 'POST', '/api/v1/ingest-quarantine/replay', {
        token: admin.accessToken,
        body,
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('answers an empty quarantine and an empty replay plainly', async () => {
    const listed = await call(app, 'GET', '/api/v1/ingest-quarantine', { token: admin.accessToken });
    expect(await listed.json()).toEqual({ data: [], nextAfter: null });
    const replay = await call(app, 'POST', '/api/v1/ingest-quarantine/replay', {
      token: admin.accessToken,
      body: { ids: [12345] },
    });
    expect(await replay.json()).toEqual({ replayed: 0, stillQuarantined: [] });
  });
});
