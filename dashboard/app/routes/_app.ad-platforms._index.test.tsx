import { cleanup, configure, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it } from 'vitest';
import {
  apiError,
  CONNECTION_ID,
  connection,
  DESTINATION_ID,
  destination,
  fakeApi,
  formRequest,
  type Routes,
  thrown,
} from '~/components/ad-platforms/fake-api.test-helpers';
import type { Viewer } from '~/lib/auth.server';
import AdPlatforms, { action, loader } from './_app.ad-platforms._index';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

const TOKEN = 'EAAB-super-secret-system-user-token';

function setup(role: Viewer['role'], routes: Routes = {}) {
  const { calls, context } = fakeApi(role, {
    'GET /api/v1/ad-platforms/connections': {
      data: {
        data: [
          connection(),
          connection({
            id: '01a22f1d-9e80-71b6-9dff-49f0206115a6',
            platform: 'google',
            label: 'Google search',
            accountId: '1112223333',
            loginAccountId: '4445556666',
            status: 'needs_reauth',
            lastError: 'invalid_grant: Token has been expired or revoked.',
            lastErrorAt: '2026-11-29T20:00:00.000Z',
            accessTokenExpiresAt: null,
            spendSyncedAt: null,
          }),
        ],
      },
    },
    'GET /api/v1/ad-platforms/destinations': {
      data: {
        data: [
          destination(),
          destination({
            id: '01a22f1d-9e80-71b6-9dff-49f0206115b7',
            name: 'Google sales',
            platform: 'google',
            offerId: 3,
            settings: { conversionActionId: '5551', api: 'legacy_upload' },
            testEventCode: 'TEST123',
            status: 'paused',
            pausedReason: 'The platform refused the credentials 3 times in a row.',
            counts: { pending: 0, sent: 0, rejected: 0, failed: 0, skipped: 0 },
          }),
        ],
      },
    },
    ...routes,
  });
  const post = (fields: Record<string, string>) =>
    action({ request: formRequest('http://localhost/ad-platforms', fields), params: {}, context } as never);
  const show = (initial = '/ad-platforms') => {
    const Stub = createRoutesStub(
      [
        {
          path: '/ad-platforms',
          Component: AdPlatforms as never,
          loader: loader as never,
          action: action as never,
        },
      ],
      context,
    );
    render(<Stub initialEntries={[initial]} />);
  };
  return { calls, context, post, show };
}

describe('/ad-platforms for an affiliate', () => {
  it('is refused, and nothing is asked of the API', async () => {
    const { calls, context, post } = setup('affiliate');
    expect(
      await thrown(
        loader({ request: new Request('http://localhost/ad-platforms'), params: {}, context } as never),
      ),
    ).toMatchObject({ init: { status: 403 } });
    expect(await thrown(post({ intent: 'sync', id: CONNECTION_ID }))).toMatchObject({
      init: { status: 403 },
    });
    expect(calls).toEqual([]);
  });
});

describe('/ad-platforms for an advertiser', () => {
  const capabilities = (oauth: string[]) => ({
    'GET /api/v1/ad-platforms/platforms': {
      data: {
        data: (['meta', 'google', 'tiktok', 'microsoft'] as const).map((platform) => ({
          platform,
          label: platform,
          oauth: oauth.includes(platform),
          spend: platform !== 'microsoft',
          pauseCampaigns: true,
          retractions: 'no',
        })),
      },
    },
  });

  it('offers OAuth only for the platforms the network set up, and hides it when there are none', async () => {
    const some = setup('advertiser', capabilities(['google']));
    some.show();
    await userEvent.click(await screen.findByRole('button', { name: 'Connect with OAuth' }));
    const dialog = await screen.findByRole('dialog');
    const options = within(dialog).getAllByRole('option') as HTMLOptionElement[];
    expect(options.filter((o) => !o.disabled).map((o) => o.value)).toEqual(['google']);
    expect((within(dialog).getByLabelText('Platform') as HTMLSelectElement).value).toBe('google');
    cleanup();
    const none = setup('advertiser', capabilities([]));
    none.show();
    await screen.findByRole('table', { name: 'Ad accounts' });
    expect(screen.queryByRole('button', { name: 'Connect with OAuth' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Paste a token' })).toBeInTheDocument();
  });

  it('lists its ad accounts, with the one to connect again and why', async () => {
    const { show, calls } = setup('advertiser');
    show();
    const table = await screen.findByRole('table', { name: 'Ad accounts' });
    const main = within(table).getByRole('row', { name: 'Main ad account' });
    expect(main).toHaveTextContent('Meta');
    expect(main).toHaveTextContent('Account 1234567890');
    expect(main).toHaveTextContent('connected');
    expect(main).toHaveTextContent('Jan 28, 2027');
    expect(within(main).getByRole('link', { name: /Campaigns/ })).toHaveAttribute(
      'href',
      `/ad-platforms/connections/${CONNECTION_ID}/campaigns`,
    );
    const google = within(table).getByRole('row', { name: 'Google search' });
    expect(google).toHaveTextContent('Connect again');
    expect(google).toHaveTextContent('invalid_grant: Token has been expired or revoked.');
    expect(google).toHaveTextContent('via 4445556666');
    expect(google).toHaveTextContent('Never');
    expect(within(google).getByRole('button', { name: 'Connect again' })).toBeInTheDocument();
    // An advertiser is not asked whose account it is, nor sees the advertiser column.
    expect(within(table).queryByText('Acme Shop')).toBeNull();
    expect(calls.find((c) => c.path === '/api/v1/advertisers')).toBeUndefined();
    expect(calls.find((c) => c.path === '/api/v1/ad-platforms/connections')?.init).toEqual({
      params: { query: {} },
    });
  });

  it('lists its destinations: offer or all, settings, test mode, paused reason, counts', async () => {
    const { show } = setup('advertiser');
    show();
    const table = await screen.findByRole('table', { name: 'Destinations' });
    const meta = within(table).getByRole('row', { name: 'Meta purchases' });
    expect(meta).toHaveTextContent('All offers');
    expect(meta).toHaveTextContent('Pixel (dataset) id 998877');
    expect(meta).toHaveTextContent('Once approved');
    expect(meta).toHaveTextContent('Unless denied');
    expect(meta).toHaveTextContent('active');
    const counts = within(meta).getByRole('list', { name: 'Deliveries by state' });
    expect(counts).toHaveTextContent('120 sent');
    expect(counts).toHaveTextContent('3 rejected');
    expect(within(counts).getByRole('link', { name: '3 rejected' })).toHaveAttribute(
      'href',
      `/ad-platforms/destinations/${DESTINATION_ID}?state=rejected`,
    );
    const google = within(table).getByRole('row', { name: 'Google sales' });
    expect(google).toHaveTextContent('Spring sale');
    expect(google).toHaveTextContent('legacy upload');
    expect(google).toHaveTextContent('Test mode');
    expect(google).toHaveTextContent('paused');
    expect(google).toHaveTextContent('The platform refused the credentials 3 times in a row.');
    expect(within(google).getByRole('button', { name: 'Resume Google sales' })).toBeInTheDocument();
    expect(within(meta).getByRole('button', { name: 'Pause Meta purchases' })).toBeInTheDocument();
  });

  it('says what to do when nothing is connected yet', async () => {
    const { show } = setup('advertiser', {
      'GET /api/v1/ad-platforms/connections': { data: { data: [] } },
      'GET /api/v1/ad-platforms/destinations': { data: { data: [] } },
    });
    show();
    expect(await screen.findByText('No ad account connected')).toBeInTheDocument();
    expect(screen.getByText(/Connect an ad account first/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /New destination/ })).toBeNull();
  });

  it('says why the OAuth return failed, or which account it connected', async () => {
    const first = setup('advertiser');
    first.show('/ad-platforms?error=denied');
    expect(await screen.findByRole('alert')).toHaveTextContent('did not allow TAS');
  });

  it('names the account the OAuth return connected', async () => {
    const { show } = setup('advertiser');
    show(`/ad-platforms?connected=${CONNECTION_ID}`);
    expect(await screen.findByRole('alert')).toHaveTextContent('Meta account “Main ad account” connected');
  });

  it('posts a pasted token as the API wants it, and never sends the token back', async () => {
    const { calls, post } = setup('advertiser', {
      'POST /api/v1/ad-platforms/connections': (init) => ({
        data: connection({ source: 'token', label: (init as { body: { label: string } }).body.label }),
        status: 201,
      }),
    });
    const answer = (await post({
      intent: 'connect-token',
      platform: 'meta',
      label: 'System user',
      accountId: '1234567890',
      loginAccountId: '',
      accessToken: TOKEN,
    })) as { data: unknown; init: { headers: Record<string, string> } };
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: '/api/v1/ad-platforms/connections',
        init: {
          body: {
            platform: 'meta',
            label: 'System user',
            accountId: '1234567890',
            loginAccountId: null,
            accessToken: TOKEN,
          },
        },
      },
    ]);
    expect(JSON.stringify(answer.data)).not.toContain(TOKEN);
    expect(answer.init.headers['set-cookie']).toBeTruthy();
  });

  it('keeps the token out of a refused form', async () => {
    const { post } = setup('advertiser', {
      'POST /api/v1/ad-platforms/connections': apiError('The platform refused this token.'),
    });
    const refused = (await post({
      intent: 'connect-token',
      platform: 'meta',
      label: 'System user',
      accessToken: TOKEN,
    })) as { data: unknown; init: { status: number } };
    expect(refused.init.status).toBe(400);
    expect(JSON.stringify(refused.data)).toContain('The platform refused this token.');
    expect(JSON.stringify(refused.data)).not.toContain(TOKEN);
    const invalid = (await post({
      intent: 'connect-token',
      platform: 'meta',
      label: '',
      accessToken: TOKEN,
    })) as {
      data: unknown;
    };
    expect(JSON.stringify(invalid.data)).not.toContain(TOKEN);
  });

  it('never renders a token back in the paste form', async () => {
    const { show } = setup('advertiser', {
      'POST /api/v1/ad-platforms/connections': apiError('The platform refused this token.'),
    });
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Paste a token' }));
    const dialog = await screen.findByRole('dialog', { name: 'Paste an access token' });
    await userEvent.type(within(dialog).getByLabelText('Name'), 'System user');
    const token = within(dialog).getByLabelText('Access token');
    expect(token).toHaveAttribute('type', 'password');
    await userEvent.type(token, TOKEN);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Connect' }));
    expect(await within(dialog).findByText('The platform refused this token.')).toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(TOKEN);
  });

  it('replaces the token of a pasted-token account to connect it again', async () => {
    const { calls, post } = setup('advertiser', {
      'PATCH /api/v1/ad-platforms/connections/{id}': { data: connection({ source: 'token' }) },
    });
    const answer = (await post({
      intent: 'connect-token',
      connectionId: CONNECTION_ID,
      platform: 'meta',
      label: 'Main ad account',
      accountId: '1234567890',
      accessToken: TOKEN,
    })) as { data: unknown };
    expect(calls.at(-1)).toEqual({
      method: 'PATCH',
      path: '/api/v1/ad-platforms/connections/{id}',
      init: {
        params: { path: { id: CONNECTION_ID } },
        body: { label: 'Main ad account', accountId: '1234567890', loginAccountId: null, accessToken: TOKEN },
      },
    });
    expect(JSON.stringify(answer.data)).not.toContain(TOKEN);
  });

  it('starts OAuth and sends the browser to the platform', async () => {
    const { calls, post } = setup('advertiser', {
      'POST /api/v1/ad-platforms/oauth/{platform}/start': {
        data: {
          url: 'https://www.facebook.com/dialog/oauth?state=s1',
          expiresAt: '2026-11-30T02:15:00.000Z',
        },
      },
    });
    const answer = (await post({ intent: 'connect-oauth', platform: 'meta', label: 'Main' })) as Response;
    expect(answer.status).toBe(302);
    expect(answer.headers.get('Location')).toBe('https://www.facebook.com/dialog/oauth?state=s1');
    expect(calls.at(-1)).toEqual({
      method: 'POST',
      path: '/api/v1/ad-platforms/oauth/{platform}/start',
      init: {
        params: { path: { platform: 'meta' } },
        body: { label: 'Main', accountId: null, loginAccountId: null },
      },
    });
  });

  it('syncs now and says what came back, or what the platform said', async () => {
    const { post } = setup('advertiser', {
      'POST /api/v1/ad-platforms/connections/{id}/sync': {
        data: { campaigns: 12, spendDays: 7, spendSupported: true },
      },
    });
    expect(await post({ intent: 'sync', id: CONNECTION_ID })).toMatchObject({
      data: { ok: true, message: 'Synced: 12 campaigns and 7 days of spend.' },
    });
    const failing = setup('advertiser', {
      'POST /api/v1/ad-platforms/connections/{id}/sync': apiError(
        'Meta answered: (#200) Missing permissions',
        502,
        'platform_error',
      ),
    });
    expect(await failing.post({ intent: 'sync', id: CONNECTION_ID })).toMatchObject({
      data: { ok: false, message: 'Meta answered: (#200) Missing permissions' },
      init: { status: 502 },
    });
  });

  it('disconnects an account after a confirmation, and shows a disconnected one without sync', async () => {
    const { post, calls } = setup('advertiser', {
      'POST /api/v1/ad-platforms/connections/{id}/disconnect': {
        data: connection({ status: 'disconnected', accessTokenExpiresAt: null }),
      },
    });
    expect(await post({ intent: 'disconnect', id: CONNECTION_ID })).toMatchObject({
      data: { ok: true, message: expect.stringContaining('Main ad account is disconnected') },
    });
    expect(calls.find((c) => c.path.endsWith('/disconnect'))?.init).toEqual({
      params: { path: { id: CONNECTION_ID } },
    });

    cleanup();
    const gone = setup('advertiser', {
      'GET /api/v1/ad-platforms/connections': {
        data: { data: [connection({ status: 'disconnected', accessTokenExpiresAt: null })] },
      },
    });
    gone.show();
    const row = within(await screen.findByRole('table', { name: 'Ad accounts' })).getByRole('row', {
      name: 'Main ad account',
    });
    expect(row).toHaveTextContent('disconnected');
    expect(row).toHaveTextContent('Erased');
    expect(within(row).queryByRole('button', { name: /Sync/ })).toBeNull();
    expect(within(row).queryByRole('button', { name: /Disconnect/ })).toBeNull();
    expect(within(row).getByRole('button', { name: 'Connect again' })).toBeInTheDocument();
  });

  it('creates a destination with only its platform’s settings', async () => {
    const { calls, post } = setup('advertiser', {
      'POST /api/v1/ad-platforms/destinations': { data: destination({ platform: 'google' }), status: 201 },
    });
    await post({
      intent: 'create-destination',
      platform: 'google',
      connectionId: CONNECTION_ID,
      offerId: '3',
      name: 'Google sales',
      conversionActionId: '5551',
      api: 'legacy_upload',
      pixelId: '123',
      eventName: '',
      sendOn: 'pending',
      consentPolicy: 'required',
      testEventCode: '',
    });
    expect(calls.at(-1)).toEqual({
      method: 'POST',
      path: '/api/v1/ad-platforms/destinations',
      init: {
        body: {
          connectionId: CONNECTION_ID,
          offerId: 3,
          name: 'Google sales',
          settings: { conversionActionId: '5551', api: 'legacy_upload' },
          sendOn: 'pending',
          consentPolicy: 'required',
          testEventCode: null,
        },
      },
    });
  });

  it('refuses a destination without the platform’s required id, before the API', async () => {
    const { calls, post } = setup('advertiser');
    const answer = (await post({
      intent: 'create-destination',
      platform: 'tiktok',
      connectionId: CONNECTION_ID,
      name: 'TikTok',
    })) as { data: { result: { error: Record<string, string[]> } } };
    expect(answer.data.result.error.pixelCode).toEqual(['TikTok needs the pixel code']);
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('pauses, resumes and archives a destination', async () => {
    const { calls, post } = setup('advertiser', {
      'PATCH /api/v1/ad-platforms/destinations/{id}': (init) => ({
        data: destination({ status: (init as { body: { status: 'paused' } }).body.status }),
      }),
    });
    expect(
      await post({ intent: 'destination-status', id: DESTINATION_ID, status: 'archived' }),
    ).toMatchObject({
      data: { ok: true, message: '“Meta purchases” archived: nothing more is sent.' },
    });
    expect(calls.at(-1)).toEqual({
      method: 'PATCH',
      path: '/api/v1/ad-platforms/destinations/{id}',
      init: { params: { path: { id: DESTINATION_ID } }, body: { status: 'archived' } },
    });
  });
});

describe('/ad-platforms for an admin', () => {
  it('sees every advertiser’s accounts, filters by one, and must name the advertiser of a pasted token', async () => {
    const { calls, show, post } = setup('admin', {
      'POST /api/v1/ad-platforms/connections': { data: connection({ advertiserId: 8 }), status: 201 },
    });
    show('/ad-platforms?advertiserId=7');
    const table = await screen.findByRole('table', { name: 'Ad accounts' });
    expect(within(table).getAllByText('Acme Shop').length).toBeGreaterThan(0);
    expect(screen.getByLabelText('Advertiser')).toHaveValue('7');
    expect(calls.find((c) => c.path === '/api/v1/ad-platforms/destinations')?.init).toEqual({
      params: { query: { advertiserId: '7' } },
    });
    const missing = (await post({
      intent: 'connect-token',
      platform: 'meta',
      label: 'X',
      accessToken: TOKEN,
    })) as {
      data: { result: { error: Record<string, string[]> } };
    };
    expect(missing.data.result.error.advertiserId).toEqual(['Choose the advertiser']);
    await post({
      intent: 'connect-token',
      advertiserId: '8',
      platform: 'tiktok',
      label: 'X',
      accessToken: TOKEN,
    });
    expect(calls.at(-1)?.init).toMatchObject({ body: { advertiserId: 8, platform: 'tiktok' } });
  });
});
