import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it } from 'vitest';
import { type FakeRequest, fakeApi, signedInContext } from '~/components/campaigns/fake-api';
import NewCampaign, { action, loader } from './_app.campaigns.new';

const offer = (id: number, name: string, currency: string) => ({
  id,
  advertiserId: 1,
  name,
  currency,
  status: 'active',
});

function CampaignPage() {
  return <p>Campaign page</p>;
}

const OFFERS = [offer(1, 'Acme CPA', 'USD'), offer(3, 'Tokyo sale', 'JPY')];

function campaignAnswer(body: Record<string, unknown>) {
  return {
    status: 201,
    body: {
      id: 9,
      advertiserId: 1,
      description: null,
      status: 'draft',
      startDate: null,
      endDate: null,
      budgetSpentAt: null,
      dailyBudgetSpentOn: null,
      serving: 'campaign_inactive',
      createdAt: '2026-11-29T00:00:00.000Z',
      updatedAt: '2026-11-29T00:00:00.000Z',
      ...body,
    },
  };
}

function renderPage(answer: (request: FakeRequest) => { status?: number; body: unknown } | undefined) {
  const { api, requests } = fakeApi((request) => {
    if (request.method === 'GET' && request.path === '/api/v1/offers')
      return { body: { data: OFFERS, nextAfter: null } };
    return answer(request);
  });
  const context = signedInContext(api, 'advertiser');
  const Stub = createRoutesStub(
    [
      {
        path: '/campaigns/new',
        Component: NewCampaign as never,
        loader: loader as never,
        action: action as never,
      },
      { path: '/campaigns/:id', Component: CampaignPage },
    ],
    context,
  );
  render(<Stub initialEntries={['/campaigns/new']} future={{ v8_middleware: true }} />);
  return { requests, user: userEvent.setup() };
}

describe('new campaign', () => {
  it('sends budgets typed as decimals as exact minor units of the offer’s currency', async () => {
    const { requests, user } = renderPage((request) =>
      request.method === 'POST' && request.path === '/api/v1/campaigns'
        ? campaignAnswer(request.body as Record<string, unknown>)
        : undefined,
    );
    await user.type(await screen.findByLabelText('Name'), 'Winter sale');
    expect(screen.getByLabelText('Offer')).toHaveValue('1');
    expect(screen.getByLabelText('Currency')).toHaveValue('USD');

    // More decimals than the currency has is refused beside the field, before anything is sent.
    await user.type(screen.getByLabelText('Total budget'), '1,500.50');
    await user.type(screen.getByLabelText('Daily budget'), '12.345');
    await user.click(screen.getByRole('button', { name: 'Create campaign' }));
    expect(await screen.findByText('USD has 2 decimals at most.')).toBeInTheDocument();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    await user.clear(screen.getByLabelText('Daily budget'));
    await user.type(screen.getByLabelText('Daily budget'), '100');
    await user.click(screen.getByRole('button', { name: 'Create campaign' }));
    expect(await screen.findByText('Campaign page')).toBeInTheDocument();
    const post = requests.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({
      offerId: 1,
      name: 'Winter sale',
      description: null,
      status: 'draft',
      startDate: null,
      endDate: null,
      budgetMinor: 150050,
      dailyBudgetMinor: 10000,
      currency: 'USD',
    });
  });

  it('follows the offer’s currency, whose minor unit decides the decimals (JPY has none)', async () => {
    const { requests, user } = renderPage((request) =>
      request.method === 'POST' ? campaignAnswer(request.body as Record<string, unknown>) : undefined,
    );
    await user.type(await screen.findByLabelText('Name'), 'Tokyo');
    await user.selectOptions(screen.getByLabelText('Offer'), '3');
    expect(screen.getByLabelText('Currency')).toHaveValue('JPY');
    await user.type(screen.getByLabelText('Total budget'), '5000.5');
    await user.click(screen.getByRole('button', { name: 'Create campaign' }));
    expect(await screen.findByText('JPY has no decimals: enter a whole amount.')).toBeInTheDocument();

    await user.clear(screen.getByLabelText('Total budget'));
    await user.type(screen.getByLabelText('Total budget'), '5000');
    await user.click(screen.getByRole('button', { name: 'Create campaign' }));
    expect(await screen.findByText('Campaign page')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'POST')?.body).toMatchObject({
      offerId: 3,
      budgetMinor: 5000,
      currency: 'JPY',
    });
  });

  it('warns before sending a budget in another currency than the offer’s, and explains the API’s 409', async () => {
    const { user } = renderPage((request) =>
      request.method === 'POST'
        ? {
            status: 409,
            body: {
              error: {
                code: 'currency_mismatch',
                message:
                  "Offer 1 is priced in USD: the campaign's currency (and its budgets) must be USD too, not EUR.",
                requestId: 'test',
              },
            },
          }
        : undefined,
    );
    await user.type(await screen.findByLabelText('Name'), 'Euro push');
    const currency = screen.getByLabelText('Currency');
    await user.clear(currency);
    await user.type(currency, 'EUR');
    await user.type(screen.getByLabelText('Total budget'), '200');
    const warning = await screen.findByText('EUR is not the offer’s currency (USD).');
    expect(warning).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Create campaign' }));
    const refusal = await screen.findByText(/^Currency mismatch: /);
    expect(refusal.closest('[role=alert]')).toHaveTextContent(
      'Currency mismatch: This campaign’s budgets must be in USD, the currency of “Acme CPA”',
    );
    expect(screen.getByText('Use USD, the offer’s currency.')).toBeInTheDocument();
    expect(screen.getByLabelText('Currency')).toHaveAttribute('aria-invalid', 'true');

    // One click puts the offer's currency back.
    await user.click(screen.getByRole('button', { name: 'Use USD' }));
    expect(screen.getByLabelText('Currency')).toHaveValue('USD');
    expect(screen.queryByText('EUR is not the offer’s currency (USD).')).not.toBeInTheDocument();
  });
});
