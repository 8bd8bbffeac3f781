import { configure, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it } from 'vitest';
import {
  CONNECTION_ID,
  connection,
  fakeApi,
  formRequest,
  type Routes,
  thrown,
} from '~/components/ad-platforms/fake-api.test-helpers';
import type { Schemas } from '~/lib/api.server';
import type { Viewer } from '~/lib/auth.server';
import ConnectionCampaigns, { action, loader } from './_app.ad-platforms.connections.$id.campaigns';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

const campaign = (overrides: Partial<Schemas['AdPlatformCampaign']> = {}): Schemas['AdPlatformCampaign'] => ({
  connectionId: CONNECTION_ID,
  platformCampaignId: '23851234',
  name: 'Black Friday prospecting',
  status: 'active',
  offerId: null,
  campaignId: null,
  pauseOnBudgetStop: false,
  pausedByBudgetStop: false,
  costMinor30d: 1_234_567,
  currency: 'USD',
  canPause: true,
  ...overrides,
});

function setup(role: Viewer['role'], routes: Routes = {}) {
  const { calls, context } = fakeApi(role, {
    'GET /api/v1/ad-platforms/connections/{id}': { data: connection() },
    'GET /api/v1/ad-platforms/connections/{id}/campaigns': {
      data: {
        data: [
          campaign(),
          campaign({
            platformCampaignId: '23859999',
            name: 'Retargeting',
            status: 'paused',
            pausedByBudgetStop: true,
            offerId: 3,
            campaignId: 11,
            pauseOnBudgetStop: true,
            costMinor30d: 0,
          }),
        ],
      },
    },
    'GET /api/v1/campaigns': {
      data: {
        data: [
          { id: 11, advertiserId: 7, name: 'Q4 push' },
          { id: 12, advertiserId: 8, name: 'Someone else’s' },
        ],
        nextAfter: null,
      },
    },
    'PATCH /api/v1/ad-platforms/connections/{id}/campaigns/{campaignId}': { data: campaign() },
    'POST /api/v1/ad-platforms/connections/{id}/campaigns/{campaignId}/status': {
      data: { status: 'paused' },
    },
    ...routes,
  });
  const params = { id: CONNECTION_ID };
  const post = (fields: Record<string, string>) =>
    action({
      request: formRequest(`http://localhost/ad-platforms/connections/${CONNECTION_ID}/campaigns`, fields),
      params,
      context,
    } as never);
  const show = () => {
    const Stub = createRoutesStub(
      [
        {
          path: '/ad-platforms/connections/:id/campaigns',
          Component: ConnectionCampaigns as never,
          loader: loader as never,
          action: action as never,
        },
      ],
      context,
    );
    render(<Stub initialEntries={[`/ad-platforms/connections/${CONNECTION_ID}/campaigns`]} />);
  };
  return { calls, context, post, show, params };
}

describe('an ad account’s campaigns', () => {
  it('is refused to an affiliate', async () => {
    const { calls, context, params, post } = setup('affiliate');
    expect(
      await thrown(loader({ request: new Request('http://localhost/x'), params, context } as never)),
    ).toMatchObject({ init: { status: 403 } });
    expect(await thrown(post({ intent: 'status', platformCampaignId: '1', status: 'paused' }))).toMatchObject(
      {
        init: { status: 403 },
      },
    );
    expect(calls).toEqual([]);
  });

  it('shows each campaign’s 30-day cost, its mapping, and Pause or Resume', async () => {
    const { show } = setup('advertiser');
    show();
    const table = await screen.findByRole('table', { name: 'Platform campaigns' });
    const first = within(table).getByRole('row', { name: 'Black Friday prospecting' });
    expect(first).toHaveTextContent('$12,345.67');
    expect(within(first).getByLabelText('Offer of Black Friday prospecting')).toHaveValue('');
    // Only the account's advertiser's offers and campaigns are offered.
    const offers = within(within(first).getByLabelText('Offer of Black Friday prospecting')).getAllByRole(
      'option',
    );
    expect(offers.map((o) => o.textContent)).toEqual(['Not mapped', 'Spring sale']);
    const campaigns = within(
      within(first).getByLabelText('TAS campaign of Black Friday prospecting'),
    ).getAllByRole('option');
    expect(campaigns.map((o) => o.textContent)).toEqual(['None', 'Q4 push']);
    // No TAS campaign: no budget to follow.
    expect(within(first).getByRole('switch')).toBeDisabled();
    expect(within(first).getByRole('button', { name: 'Pause Black Friday prospecting' })).toBeInTheDocument();
    const second = within(table).getByRole('row', { name: 'Retargeting' });
    expect(second).toHaveTextContent('Paused by the TAS budget stop');
    expect(within(second).getByLabelText('Offer of Retargeting')).toHaveValue('3');
    expect(within(second).getByRole('switch')).toBeChecked();
    expect(within(second).getByRole('button', { name: 'Resume Retargeting' })).toBeInTheDocument();
  });

  it('saves a mapping as soon as it is chosen', async () => {
    const { calls, show } = setup('advertiser');
    show();
    const select = await screen.findByLabelText('Offer of Black Friday prospecting');
    await userEvent.selectOptions(select, '3');
    expect(await screen.findByLabelText('Saved')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PATCH')).toEqual({
      method: 'PATCH',
      path: '/api/v1/ad-platforms/connections/{id}/campaigns/{campaignId}',
      init: {
        params: { path: { id: CONNECTION_ID, campaignId: '23851234' } },
        body: { offerId: 3, campaignId: null, pauseOnBudgetStop: false },
      },
    });
  });

  it('pauses a campaign on the platform', async () => {
    const { calls, post } = setup('advertiser');
    expect(await post({ intent: 'status', platformCampaignId: '23851234', status: 'paused' })).toMatchObject({
      data: { ok: true, message: 'Paused on the platform.' },
    });
    expect(calls.at(-1)?.init).toEqual({
      params: { path: { id: CONNECTION_ID, campaignId: '23851234' } },
      body: { status: 'paused' },
    });
  });
});
