import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { createEdgePublisher } from '../edge-sync/edge-publisher.ts';

describe.each(testDatabases)('/api/v1/system bad input and a failing edge on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  beforeAll(async () => {
    handle = await open();
    recorder = await startEdgeRecorder();
    app = testApp(handle.db, { edge: recorder.edge });
    admin = await adminSession(app, handle.db);
  });
  afterAll(async () => {
    await recorder.close();
    await handle.close();
  });

  it('refuses a window outside 1-60 minutes with 400 and a code', async () => {
    for (const query of ['?minutes=0', '?minutes=61', '?minutes=1.5', '?minutes=soon']) {
      const response = await call(app, 'GET', `/api/v1/system/status${query}`, { token: admin.accessToken });
      expect(response.status, query).toBe(400);
      expect(await errorCode(response)).toBe('invalid_request');
    }
  });

  it('answers 502 edge_unavailable when the edge cannot be reached or refuses', async () => {
    recorder.fail(true);
    try {
      for (const [method, path] of [
        ['GET', '/api/v1/system/dead-letters'],
        ['POST', '/api/v1/system/dead-letters/replay'],
      ] as const) {
        const response = await call(app, method, path, { token: admin.accessToken });
        expect([response.status, await errorCode(response)], path).toEqual([502, 'edge_unavailable']);
      }
    } finally {
      recorder.fail(false);
    }
    const gone = testApp(handle.db, {
      edge: createEdgePublisher({
        edgeUrl: 'http://127.0.0.1:9',
        signingSecret: 'x'.repeat(32),
        timeoutMs: 2000,
      }),
    });
    const response = await call(gone, 'GET', '/api/v1/system/dead-letters', { token: admin.accessToken });
    expect([response.status, await errorCode(response)]).toEqual([502, 'edge_unavailable']);
  });

  it('answers an empty store plainly', async () => {
    recorder.storeDeadLetters(0);
    const replayed = await call(app, 'POST', '/api/v1/system/dead-letters/replay', {
      token: admin.accessToken,
    });
    expect([replayed.status, await replayed.json()]).toEqual([
      200,
      { replayed: 0, failed: [], remaining: 0 },
    ]);
  });
});
