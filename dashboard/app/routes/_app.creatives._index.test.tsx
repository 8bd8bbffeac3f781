import { configure, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub, RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import Creatives, { loader } from './_app.creatives._index';
import { loader as embedLoader } from './_app.creatives.$id_.embed';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

const ASSET_URL = 'https://api.example/api/v1/creative-assets/50/public?sig=abc';
const SNIPPET =
  '<a href="https://t.example/c/7?aff_id=9&amp;creative_id=50" target="_blank" rel="sponsored noopener"><img src="https://api.example/api/v1/creative-assets/50/public?sig=abc" width="300" height="250" alt="Winter"></a>';

const creative: Schemas['Creative'] = {
  id: 50,
  campaignId: 3,
  name: 'Winter · 300x250 · job 31',
  type: 'image',
  url: ASSET_URL,
  size: '300x250',
  createdAt: '2026-11-29T10:01:00.000Z',
  updatedAt: '2026-11-29T10:01:00.000Z',
};

type Call = { method: string; path: string; init: unknown };

function setup(role: Viewer['role'], { embedStatus = 200 } = {}) {
  const calls: Call[] = [];
  const ok = (data: unknown, status = 200) => ({ data, response: new Response(null, { status }) });
  const api = {
    GET: async (path: string, init?: unknown) => {
      calls.push({ method: 'GET', path, init });
      if (path === '/api/v1/creatives') return ok({ data: [creative], nextAfter: null });
      if (path === '/api/v1/campaigns')
        return ok({ data: [{ id: 3, name: 'Winter sale', offerId: 7 }], nextAfter: null });
      if (path === '/api/v1/creatives/{id}/embed' && embedStatus === 200) return ok(SNIPPET);
      return {
        error: { error: { code: 'not_found', message: 'Creative 50 does not exist.' } },
        response: new Response(null, { status: 404 }),
      };
    },
  } as unknown as ApiClient;
  const viewer: Viewer = {
    id: '00000000-0000-4000-8000-000000000002',
    email: `${role}@example.test`,
    role,
    firstName: null,
    lastName: null,
    isActive: true,
    advertiserId: role === 'advertiser' ? 1 : null,
    affiliateId: role === 'affiliate' ? 9 : null,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const show = () => {
    const Stub = createRoutesStub(
      [
        { path: '/creatives', Component: Creatives as never, loader: loader as never },
        { path: '/creatives/:id/embed', loader: embedLoader as never },
      ],
      context,
    );
    render(<Stub initialEntries={['/creatives']} />);
  };
  return { calls, show };
}

describe('the creative library', () => {
  it('gives an affiliate the embed code of a creative, with its own link, to copy', async () => {
    const { calls, show } = setup('affiliate');
    show();
    const table = await screen.findByRole('table', { name: 'Creatives' });
    const row = within(table).getAllByRole('row')[1] as HTMLElement;
    expect(row).toHaveTextContent('Winter · 300x250 · job 31');
    expect(row).toHaveTextContent('Image · 300x250');
    // Campaigns are the advertiser's business; affiliates get no campaign column, no editing.
    expect(within(table).queryByRole('columnheader', { name: /Campaign/ })).toBeNull();
    expect(screen.queryByRole('link', { name: /New creative/ })).toBeNull();
    expect(calls.some((c) => c.path === '/api/v1/campaigns')).toBe(false);

    await userEvent.click(within(row).getByRole('button', { name: 'Get embed code' }));
    const dialog = await screen.findByRole('dialog', { name: /Embed/ });
    expect(await within(dialog).findByText(SNIPPET)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Copy embed code' })).toBeInTheDocument();
    expect(calls.find((c) => c.path === '/api/v1/creatives/{id}/embed')?.init).toEqual({
      params: { path: { id: '50' }, query: { affiliateId: '9' } },
      parseAs: 'text',
    });
  });

  it('says so when the affiliate may not run the creative’s offer', async () => {
    const { show } = setup('affiliate', { embedStatus: 404 });
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Get embed code' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/not one you may run/);
  });

  it('shows an advertiser thumbnails from TAS asset URLs, campaigns, and the studio', async () => {
    const { show } = setup('advertiser');
    show();
    const table = await screen.findByRole('table', { name: 'Creatives' });
    const row = within(table).getAllByRole('row')[1] as HTMLElement;
    expect(row.querySelector('img')).toHaveAttribute('src', ASSET_URL);
    expect(within(row).getByRole('link', { name: 'Winter sale' })).toHaveAttribute('href', '/campaigns/3');
    expect(within(row).queryByRole('button', { name: 'Get embed code' })).toBeNull();
    expect(screen.getByRole('link', { name: /Studio/ })).toHaveAttribute('href', '/creatives/studio');
    expect(screen.getByRole('link', { name: /Brand kit/ })).toHaveAttribute('href', '/creatives/brand-kit');
  });
});
