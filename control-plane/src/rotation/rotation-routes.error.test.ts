import { describe, expect, it } from 'vitest';
import { call, errorCode } from '../../test/api-client.ts';
import { useRotationWorld } from '../../test/rotation-setup.ts';
import { testDatabases } from '../../test/test-databases.ts';

describe.each(testDatabases)('rotation routes refuse bad input on $name', ({ open }) => {
  const world = useRotationWorld(open);
  const as = (method: string, path: string, body?: unknown) =>
    call(world().app, method, path, { token: world().advertiser.accessToken, ...(body ? { body } : {}) });
  const refused = async (response: Response) => [response.status, await errorCode(response)];

  it('answers 404 for an offer that does not exist and 400 for an id that is no id, on every route', async () => {
    for (const path of ['rotation', 'rotation/log', 'ab-report']) {
      expect(await refused(await as('GET', `/api/v1/offers/999999/${path}`)), path).toEqual([
        404,
        'not_found',
      ]);
      expect(await refused(await as('GET', `/api/v1/offers/abc/${path}`)), path).toEqual([
        400,
        'invalid_request',
      ]);
    }
    expect(await refused(await as('PUT', '/api/v1/offers/999999/rotation', { mode: 'bandit' }))).toEqual([
      404,
      'not_found',
    ]);
  });

  it('refuses settings out of their bounds, or without a mode, and stores nothing', async () => {
    const { offer } = world();
    const path = `/api/v1/offers/${offer.id}/rotation`;
    for (const body of [
      {},
      { mode: 'greedy' },
      { mode: 'bandit', explorationBps: 10_001 },
      { mode: 'bandit', explorationBps: -1 },
      { mode: 'bandit', explorationBps: 0.5 },
      { mode: 'bandit', decayWindowDays: 0 },
      { mode: 'bandit', decayWindowDays: 91 },
      { mode: 'bandit', minClicks: -5 },
      { mode: 'bandit', intervalMinutes: 1 },
      { mode: 'bandit', intervalMinutes: '60' },
    ]) {
      expect(await refused(await as('PUT', path, body)), JSON.stringify(body)).toEqual([
        400,
        'invalid_request',
      ]);
    }
    const broken = await call(world().app, 'PUT', path, {
      token: world().advertiser.accessToken,
      rawBody: '{"mode":',
    });
    expect(await refused(broken)).toEqual([400, 'invalid_json']);
    expect(await (await as('GET', path)).json()).toMatchObject({ mode: 'manual', updatedAt: null });
  });

  it('answers 502 edge_unavailable and keeps the old settings when the edge cannot take the change', async () => {
    const { offer, recorder } = world();
    const path = `/api/v1/offers/${offer.id}/rotation`;
    recorder.fail(true);
    try {
      expect(await refused(await as('PUT', path, { mode: 'bandit' }))).toEqual([502, 'edge_unavailable']);
    } finally {
      recorder.fail(false);
    }
    expect(await (await as('GET', path)).json()).toMatchObject({ mode: 'manual', updatedAt: null });
  });

  it('refuses report days in the wrong order, beyond a year, or not dates', async () => {
    const { offer } = world();
    const report = (query: string) => as('GET', `/api/v1/offers/${offer.id}/ab-report?${query}`);
    for (const query of [
      'from=2026-11-10&to=2026-11-01',
      'from=2025-01-01&to=2026-11-20',
      'from=yesterday',
      'to=2026-13-01',
      'from=2026-11-01T00:00:00Z',
    ]) {
      expect(await refused(await report(query)), query).toEqual([400, 'invalid_request']);
    }
    expect((await report('from=2026-11-01&to=2026-11-01')).status).toBe(200);
  });

  it('refuses a log page size out of bounds or a cursor that is no id', async () => {
    const { offer } = world();
    for (const query of ['limit=0', 'limit=501', 'limit=x', 'before=0', 'before=-3']) {
      expect(
        await refused(await as('GET', `/api/v1/offers/${offer.id}/rotation/log?${query}`)),
        query,
      ).toEqual([400, 'invalid_request']);
    }
  });
});
