import { configure, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub, RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import CreativeStudio, { action, loader } from './_app.creatives.studio';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

const kit: Schemas['BrandKit'] = {
  id: 4,
  advertiserId: 1,
  version: 2,
  name: 'Acme',
  colors: { primary: '#112233', secondary: '#ff8800', background: '#ffffff', text: '#111111' },
  font: 'inter',
  logoAssetId: null,
  tone: null,
  bannedWords: [],
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

const job = (overrides: Partial<Schemas['CreativeJob']> = {}): Schemas['CreativeJob'] => ({
  id: 31,
  advertiserId: 1,
  campaignId: 3,
  brandKitId: 4,
  brandKitVersion: 2,
  provider: 'templates',
  kind: 'image',
  placements: ['300x250', '1200x628'],
  status: 'queued',
  progress: 0,
  attempts: 0,
  errorCode: null,
  errorMessage: null,
  costEstimate: null,
  createdAt: '2026-11-29T10:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  ...overrides,
});

const creative = (id: number, size: string, name: string): Schemas['Creative'] => ({
  id,
  campaignId: 3,
  name,
  type: 'image',
  url: `https://api.example/api/v1/creative-assets/${id}/public?sig=s${id}`,
  size,
  createdAt: '2026-11-29T10:01:00.000Z',
  updatedAt: '2026-11-29T10:01:00.000Z',
});

type Call = { method: string; path: string; init: unknown };

function setup({
  jobs = [] as Schemas['CreativeJob'][],
  postAnswer = undefined as unknown,
  kits = [kit],
} = {}) {
  const calls: Call[] = [];
  const state = { jobs };
  const ok = (data: unknown, status = 200) => ({ data, response: new Response(null, { status }) });
  const api = {
    GET: async (path: string, init?: unknown) => {
      calls.push({ method: 'GET', path, init });
      if (path === '/api/v1/campaigns')
        return ok({ data: [{ id: 3, name: 'Winter sale', offerId: 7, advertiserId: 1 }], nextAfter: null });
      if (path === '/api/v1/brand-kits') return ok({ data: kits, nextAfter: null });
      if (path === '/api/v1/creative-jobs') return ok({ data: state.jobs, nextAfter: null });
      if (path === '/api/v1/creatives')
        return ok({
          data: [
            creative(50, '1200x628', 'Warm up · 1200x628 · job 31'),
            creative(51, '300x250', 'Warm up · 300x250 · job 31'),
            creative(40, '300x250', 'Older · 300x250 · job 12'),
            creative(41, '300x250', 'Hand-made banner'),
          ],
          nextAfter: null,
        });
      return {
        error: { error: { code: 'not_found', message: 'No.' } },
        response: new Response(null, { status: 404 }),
      };
    },
    POST: async (path: string, init?: { body?: Record<string, unknown> }) => {
      calls.push({ method: 'POST', path, init });
      if (postAnswer) return postAnswer;
      if (path === '/api/v1/creative-jobs') {
        const queued = job({ id: 32, placements: (init?.body?.placements as string[]) ?? [] });
        state.jobs = [...state.jobs, queued];
        return ok(queued, 202);
      }
      return ok(job({ status: path.endsWith('/cancel') ? 'cancelled' : 'queued' }));
    },
  } as unknown as ApiClient;
  const viewer: Viewer = {
    id: '00000000-0000-4000-8000-000000000002',
    email: 'advertiser@example.test',
    role: 'advertiser',
    firstName: null,
    lastName: null,
    isActive: true,
    advertiserId: 1,
    affiliateId: null,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const post = (fields: Record<string, string | string[]>) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields))
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    return action({
      request: new Request('http://localhost/creatives/studio', { method: 'POST', body }),
      params: {},
      context,
    } as never);
  };
  const show = () => {
    const Stub = createRoutesStub(
      [
        {
          path: '/creatives/studio',
          Component: CreativeStudio as never,
          loader: loader as never,
          action: action as never,
        },
      ],
      context,
    );
    render(<Stub initialEntries={['/creatives/studio']} />);
  };
  return { calls, state, post, show };
}

describe('the creative studio', () => {
  it('submits a job with the API’s body: copy grouped, the layout, the chosen placements', async () => {
    const { calls, show } = setup();
    show();
    // One campaign and one kit are chosen already.
    expect(await screen.findByLabelText('Campaign')).toHaveValue('3');
    expect(screen.getByLabelText('Brand kit')).toHaveValue('4');
    await userEvent.click(screen.getByRole('radio', { name: /Centred hero/ }));
    for (const size of ['1080x1920', '728x90', '160x600', '320x50', '1080x1080'])
      await userEvent.click(screen.getByRole('checkbox', { name: new RegExp(size) }));
    await userEvent.type(screen.getByLabelText('Headline'), 'Warm up this winter');
    await userEvent.type(screen.getByLabelText('Call to action'), 'Shop now');
    await userEvent.click(screen.getByRole('button', { name: 'Generate' }));
    await screen.findByRole('heading', { name: /Job 32/ });
    expect(calls.find((c) => c.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/v1/creative-jobs',
      init: {
        body: {
          campaignId: 3,
          brandKitId: 4,
          provider: 'templates',
          kind: 'image',
          copy: { headline: 'Warm up this winter', callToAction: 'Shop now' },
          layout: 'centered-hero',
          placements: ['1200x628', '300x250'],
          format: 'png',
        },
      },
    });
  });

  it('offers only the video sizes for videos, and a prompt instead of layouts for AI providers', async () => {
    const { show } = setup();
    show();
    await userEvent.selectOptions(await screen.findByLabelText('Kind'), 'video');
    expect(screen.getByRole('checkbox', { name: /728x90/ })).toBeDisabled();
    expect(screen.getByRole('checkbox', { name: /1080x1920/ })).toBeChecked();
    await userEvent.selectOptions(screen.getByLabelText('Provider'), 'openai');
    expect(screen.queryByRole('radio', { name: /Bold split/ })).toBeNull();
    expect(screen.getByLabelText('Prompt')).toBeInTheDocument();
    expect(screen.getByText(/cost estimate before anything is spent/)).toBeInTheDocument();
  });

  it('refuses a job without placements or copy, and says when the API refuses a provider', async () => {
    const { calls, post } = setup();
    const refused = await post({ intent: 'generate', campaignId: '3', brandKitId: '4', headline: ' ' });
    expect(refused).toMatchObject({
      init: { status: 400 },
      data: {
        ok: false,
        fieldErrors: {
          placements: ['Choose at least one placement'],
          headline: ['Write a headline'],
          callToAction: [expect.any(String)],
        },
      },
    });
    const video = await post({
      intent: 'generate',
      campaignId: '3',
      brandKitId: '4',
      kind: 'video',
      placements: ['728x90'],
      headline: 'H',
      callToAction: 'Go',
    });
    expect(video).toMatchObject({
      data: { fieldErrors: { placements: [expect.stringMatching(/Videos come in/)] } },
    });
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    const { post: postUnconfigured } = setup({
      postAnswer: {
        error: {
          error: {
            code: 'invalid_request',
            message: 'Invalid body: provider: openai is not configured here.',
          },
        },
        response: new Response(null, { status: 400 }),
      },
    });
    const answer = await postUnconfigured({
      intent: 'generate',
      campaignId: '3',
      brandKitId: '4',
      provider: 'openai',
      prompt: 'A mug',
      placements: ['300x250'],
      headline: 'H',
      callToAction: 'Go',
    });
    expect(answer).toMatchObject({
      init: { status: 400 },
      data: { formErrors: ['Invalid body: provider: openai is not configured here.'] },
    });
  });

  it('polls a running job’s progress and shows its variants side by side when it is done', async () => {
    const { state, calls, show } = setup({ jobs: [job({ status: 'running', progress: 40 })] });
    show();
    const bar = await screen.findByRole('progressbar', { name: 'Job 31 progress' });
    expect(bar).toHaveAttribute('aria-valuenow', '40');
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeInTheDocument();
    state.jobs = [job({ status: 'done', progress: 100 })];
    const variants = await screen.findByRole('list', { name: 'Variants of job 31' }, { timeout: 4000 });
    const images = within(variants).getAllByRole('img');
    // In placement order, each at a scaled size keeping its proportions, labelled with its placement.
    expect(
      images.map((i) => [i.getAttribute('alt'), i.getAttribute('width'), i.getAttribute('height')]),
    ).toEqual([
      ['1200x628 variant', '220', '115'],
      ['300x250 variant', '220', '183'],
    ]);
    expect(images[0]).toHaveAttribute('src', 'https://api.example/api/v1/creative-assets/50/public?sig=s50');
    expect(within(variants).getByText('Medium rectangle', { exact: false })).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByRole('link', { name: /Keep: see in the library/ })).toHaveAttribute(
      'href',
      '/creatives?campaign=3',
    );
    const polls = calls.filter((c) => c.path === '/api/v1/creative-jobs').length;
    await new Promise((resolve) => setTimeout(resolve, 1700));
    // Nothing is running any more: no more polling.
    expect(calls.filter((c) => c.path === '/api/v1/creative-jobs').length).toBe(polls);
  });

  it('cancels and retries jobs through the API', async () => {
    const { calls, post } = setup();
    expect(await post({ intent: 'cancel', jobId: '31' })).toEqual({ ok: true, jobId: 31 });
    await post({ intent: 'retry', jobId: '31' });
    expect(calls.map((c) => [c.path, c.init])).toEqual([
      ['/api/v1/creative-jobs/{id}/cancel', { params: { path: { id: '31' } } }],
      ['/api/v1/creative-jobs/{id}/retry', { params: { path: { id: '31' } } }],
    ]);
  });

  it('pairs the campaign with brand kits of its own advertiser only', async () => {
    const { show } = setup({ kits: [{ ...kit, id: 8, advertiserId: 2, name: 'Rival' }, kit] });
    show();
    const select = await screen.findByLabelText('Brand kit');
    expect(select).toHaveValue('4');
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Choose a brand kit', 'Acme (v2)']);
  });

  it('shows a failed job’s error and a retry button', async () => {
    const { show } = setup({
      jobs: [
        job({ status: 'failed', errorCode: 'moderation_refused', errorMessage: 'The copy uses “free”.' }),
      ],
    });
    show();
    expect(await screen.findByText('The copy uses “free”.')).toBeInTheDocument();
    expect(screen.getByText('(moderation_refused)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
