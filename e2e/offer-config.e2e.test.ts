import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../control-plane/src/demo/seed-demo.ts';
import { BROWSER_UA, eventually, startE2EStack } from './e2e-stack.ts';

/**
 * An offer configured through the control plane's API is what the edge enforces: a click cap set
 * by an admin holds exactly under concurrent clicks, and pausing the offer sends the next click to
 * the fallback, each recorded in Postgres with its reason.
 */
describe('offer configuration travels from the API to the edge', () => {
  let env: Awaited<ReturnType<typeof startE2EStack>>;
  let token: string;

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${env.stack.urls.api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const click = (offerId: number) =>
    fetch(`${env.stack.urls.edge}/c/${offerId}?aff_id=1`, {
      redirect: 'manual',
      headers: { 'user-agent': BROWSER_UA },
    }).then((r) => r.headers.get('location') ?? '');

  beforeAll(async () => {
    env = await startE2EStack();
    const login = await fetch(`${env.stack.urls.api}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_USERS.admin, password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
  });
  afterAll(() => env?.stop());

  it('enforces a daily click cap set through the API exactly, then the pause', async () => {
    const created = await api('POST', '/api/v1/offers', {
      advertiserId: 1,
      name: 'Capped',
      payoutType: 'cpc',
      payoutMinor: 10,
      status: 'active',
      destinationUrl: 'https://adv.test/land?c={click_id}',
      fallbackUrl: 'https://fallback.test/',
      caps: { offer: { dailyClicks: 3 } },
    });
    expect(created.status).toBe(201);
    const offerId = Number(created.body.id);

    const locations = await Promise.all(Array.from({ length: 8 }, () => click(offerId)));
    expect(locations.filter((l) => l.startsWith('https://adv.test/land'))).toHaveLength(3);
    expect(locations.filter((l) => l === 'https://fallback.test/')).toHaveLength(5);

    const paused = await api('PATCH', `/api/v1/offers/${offerId}`, { status: 'paused' });
    expect(paused.status).toBe(200);
    expect(await click(offerId)).toBe('https://fallback.test/');

    const reasons = await eventually(
      async () =>
        (
          await env.db.query<{ reason: string | null; n: string }>(
            'SELECT reason, count(*) AS n FROM clicks WHERE offer_id = $1 GROUP BY reason ORDER BY reason',
            [offerId],
          )
        ).rows.map((r) => [r.reason, Number(r.n)]),
      (rows) => rows.reduce((sum, [, n]) => sum + Number(n), 0) >= 9,
    );
    expect(reasons).toEqual([
      ['cap_reached', 5],
      ['offer_paused', 1],
      [null, 3],
    ]);
  });
});
