import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { openTestPglite } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe('/api/v1/audit-events refusals', () => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  beforeAll(async () => {
    handle = await openTestPglite();
    app = testApp(handle.db);
    admin = await adminSession(app, handle.db);
  });
  afterAll(() => handle.close());

  it.each([
    ['an unknown action', 'action=login.maybe'],
    ['an actor that is not a user id', 'actor=42'],
    ['a time that is not one', 'from=yesterday'],
    ['from after to', 'from=2026-11-30T00:00:00Z&to=2026-11-29T00:00:00Z'],
    ['a cursor that is not one', 'cursor=abc'],
    ['a page too large', 'limit=201'],
    ['an unknown format', 'format=xml'],
  ])('refuses %s with invalid_request', async (_, query) => {
    const response = await call(app, 'GET', `/api/v1/audit-events?${query}`, { token: admin.accessToken });
    expect([response.status, await errorCode(response)]).toEqual([400, 'invalid_request']);
  });
});
