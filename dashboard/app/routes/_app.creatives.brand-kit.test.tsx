import { configure, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub, RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import BrandKitPage, { action, loader } from './_app.creatives.brand-kit';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

const kit = (overrides: Partial<Schemas['BrandKit']> = {}): Schemas['BrandKit'] => ({
  id: 4,
  advertiserId: 1,
  version: 3,
  name: 'Acme',
  colors: { primary: '#112233', secondary: '#ff8800', background: '#ffffff', text: '#111111' },
  font: 'poppins',
  logoAssetId: 9,
  tone: 'Warm',
  bannedWords: ['free', 'guaranteed'],
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

type Call = { method: string; path: string; init: unknown };

function setup(role: Viewer['role'], kits: Schemas['BrandKit'][] = [kit()]) {
  const calls: Call[] = [];
  const ok = (data: unknown, status = 200) => ({ data, response: new Response(null, { status }) });
  const api = {
    GET: async (path: string, init?: unknown) => {
      calls.push({ method: 'GET', path, init });
      if (path === '/api/v1/brand-kits') return ok({ data: kits, nextAfter: null });
      if (path === '/api/v1/brand-kits/{id}') return ok(kits[0]);
      if (path === '/api/v1/creative-assets/{id}/metadata')
        return ok({ id: 9, url: 'https://api.example/api/v1/creative-assets/9/public?sig=abc' });
      if (path === '/api/v1/advertisers')
        return ok({ data: [{ id: 1, companyName: 'Acme Ltd' }], nextAfter: null });
      return {
        error: { error: { code: 'not_found', message: 'No.' } },
        response: new Response(null, { status: 404 }),
      };
    },
    POST: async (path: string, init?: { body?: Record<string, unknown> }) => {
      calls.push({ method: 'POST', path, init });
      if (path === '/api/v1/creative-assets') return ok({ id: 21 }, 201);
      return ok({ ...kit(), ...init?.body, id: 5, version: 1 }, 201);
    },
    PUT: async (path: string, init?: { body?: Record<string, unknown> }) => {
      calls.push({ method: 'PUT', path, init });
      return ok({ ...kit(), ...init?.body, version: 4 });
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
    affiliateId: role === 'affiliate' ? 1 : null,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const post = (form: FormData) =>
    action({
      request: new Request('http://localhost/creatives/brand-kit', { method: 'POST', body: form }),
      params: {},
      context,
    } as never);
  const show = (initial = '/creatives/brand-kit') => {
    const Stub = createRoutesStub(
      [
        {
          path: '/creatives/brand-kit',
          Component: BrandKitPage as never,
          loader: loader as never,
          action: action as never,
        },
      ],
      context,
    );
    render(<Stub initialEntries={[initial]} />);
  };
  return { calls, post, show };
}

const valid = (fields: Record<string, string | string[]> = {}) => {
  const form = new FormData();
  const all: Record<string, string | string[]> = {
    name: 'Acme',
    primary: '#112233',
    secondary: '#FF8800',
    background: '#ffffff',
    text: '#111111',
    font: 'inter',
    tone: '',
    bannedWords: ['free'],
    ...fields,
  };
  for (const [name, value] of Object.entries(all))
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  return form;
};

describe('the brand kit page', () => {
  it('shows the current version with its colours, font, logo and banned words as chips', async () => {
    const { show } = setup('advertiser');
    show();
    expect(await screen.findByText('Version 3')).toBeInTheDocument();
    expect(screen.getByLabelText('Brand name')).toHaveValue('Acme');
    expect(screen.getByLabelText('Primary')).toHaveValue('#112233');
    expect(screen.getByLabelText('Font')).toHaveValue('poppins');
    expect(screen.getByAltText('Current logo')).toHaveAttribute(
      'src',
      'https://api.example/api/v1/creative-assets/9/public?sig=abc',
    );
    const chips = screen.getByRole('list', { name: 'Words never to use' });
    expect(
      within(chips)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['free', 'guaranteed']);
    await userEvent.type(screen.getByLabelText('Banned words'), 'cure{Enter}');
    expect(within(chips).getAllByRole('listitem')).toHaveLength(3);
    await userEvent.click(screen.getByRole('button', { name: 'Remove free' }));
    expect(
      within(chips)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['guaranteed', 'cure']);
    expect(screen.getByText(/Saving makes version 4/)).toBeInTheDocument();
  });

  it('refuses bad colours, a missing name and an unknown font before calling the API', async () => {
    const { calls, post } = setup('advertiser');
    const answer = await post(valid({ name: ' ', primary: 'red', font: 'comic-sans' }));
    expect(answer).toMatchObject({
      init: { status: 400 },
      data: {
        ok: false,
        fieldErrors: {
          name: ['Name the brand'],
          primary: ['A colour as #rrggbb'],
          font: [expect.any(String)],
        },
      },
    });
    expect(calls.some((c) => c.method !== 'GET')).toBe(false);
  });

  it('asks an admin whose brand kit a new one is', async () => {
    const { calls, post } = setup('admin');
    const answer = await post(valid());
    expect(answer).toMatchObject({
      init: { status: 400 },
      data: { fieldErrors: { advertiserId: expect.any(Array) } },
    });
    expect(calls).toHaveLength(0);
  });

  it('saves a new version with the whole kit, the unchanged logo carried over', async () => {
    const { calls, post } = setup('advertiser');
    const answer = (await post(valid({ kitId: '4', tone: ' Bold ' }))) as Response;
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/creatives/brand-kit?kit=4');
    expect(calls.find((c) => c.method === 'PUT')).toEqual({
      method: 'PUT',
      path: '/api/v1/brand-kits/{id}',
      init: {
        params: { path: { id: '4' } },
        body: {
          name: 'Acme',
          colors: { primary: '#112233', secondary: '#ff8800', background: '#ffffff', text: '#111111' },
          font: 'inter',
          tone: 'Bold',
          bannedWords: ['free'],
          logoAssetId: 9,
        },
      },
    });
  });

  it('uploads a new logo to the asset library and creates version 1 with it', async () => {
    const { calls, post } = setup('advertiser', []);
    const form = valid();
    form.set('logo', new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'logo.png', { type: 'image/png' }));
    const answer = (await post(form)) as Response;
    expect(answer.headers.get('location')).toBe('/creatives/brand-kit?kit=5');
    const upload = calls.find((c) => c.path === '/api/v1/creative-assets');
    // The file goes on as a file (jsdom's FormData renames it; Node's keeps the name).
    expect((upload?.init as { body: FormData } | undefined)?.body.get('file')).toBeInstanceOf(Blob);
    expect(calls.find((c) => c.path === '/api/v1/brand-kits' && c.method === 'POST')?.init).toMatchObject({
      body: { name: 'Acme', logoAssetId: 21, bannedWords: ['free'] },
    });
  });
});
