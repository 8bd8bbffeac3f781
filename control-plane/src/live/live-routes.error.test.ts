import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/live bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('refuses a malformed since', async () => {
    const session = await signUp(app, 'affiliate');
    for (const since of ['yesterday', '2026-13-01T00:00:00Z']) {
      const response = await call(app, 'GET', `/api/v1/live?since=${since}`, { token: session.accessToken });
      expect([response.status, await errorCode(response)]).toEqual([400, 'invalid_request']);
    }
  });
});
