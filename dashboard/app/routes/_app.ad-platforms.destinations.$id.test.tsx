import { configure, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it } from 'vitest';
import {
  DELIVERY_ID,
  DESTINATION_ID,
  delivery,
  destination,
  fakeApi,
  formRequest,
  type Routes,
  thrown,
} from '~/components/ad-platforms/fake-api.test-helpers';
import type { Viewer } from '~/lib/auth.server';
import DestinationLog, { action, loader } from './_app.ad-platforms.destinations.$id';

configure({ getElementError: (message) => new Error(message ?? 'not found') });

const NEXT = '2026-11-28T09:00:00.000Z';

function setup(role: Viewer['role'], routes: Routes = {}) {
  const { calls, context } = fakeApi(role, {
    'GET /api/v1/ad-platforms/destinations/{id}': { data: destination() },
    'GET /api/v1/ad-platforms/destinations/{id}/deliveries': {
      data: {
        data: [
          delivery(),
          delivery({
            id: '01a22f1d-9e80-71b6-9dff-49f0206115c8',
            state: 'skipped',
            skipReason: 'consent_denied',
            lastHttpStatus: null,
            lastResponse: null,
            sentAt: null,
            attempts: 0,
          }),
          delivery({
            id: '01a22f1d-9e80-71b6-9dff-49f0206115c9',
            state: 'rejected',
            kind: 'retraction',
            lastHttpStatus: 400,
            lastResponse: '{"error":{"message":"Invalid parameter","code":100}}',
            attempts: 1,
            sentAt: null,
          }),
          delivery({
            id: '01a22f1d-9e80-71b6-9dff-49f0206115ca',
            state: 'skipped',
            skipReason: 'no_click_id',
            lastResponse: null,
            sentAt: null,
          }),
        ],
        nextBefore: NEXT,
      },
    },
    'POST /api/v1/ad-platforms/destinations/{id}/replay': { data: { queued: 4 } },
    ...routes,
  });
  const params = { id: DESTINATION_ID };
  const post = (fields: Record<string, string>) =>
    action({
      request: formRequest(`http://localhost/ad-platforms/destinations/${DESTINATION_ID}`, fields),
      params,
      context,
    } as never);
  const show = (initial = `/ad-platforms/destinations/${DESTINATION_ID}`) => {
    const Stub = createRoutesStub(
      [
        {
          path: '/ad-platforms/destinations/:id',
          Component: DestinationLog as never,
          loader: loader as never,
          action: action as never,
        },
      ],
      context,
    );
    render(<Stub initialEntries={[initial]} />);
  };
  return { calls, context, post, show, params };
}

describe('a destination’s log', () => {
  it('is refused to an affiliate', async () => {
    const { calls, context, post, params } = setup('affiliate');
    expect(
      await thrown(
        loader({
          request: new Request(`http://localhost/ad-platforms/destinations/${DESTINATION_ID}`),
          params,
          context,
        } as never),
      ),
    ).toMatchObject({ init: { status: 403 } });
    expect(await thrown(post({ intent: 'replay-all' }))).toMatchObject({ init: { status: 403 } });
    expect(calls).toEqual([]);
  });

  it('lists deliveries newest first with skip reasons in plain words and the platform’s answer', async () => {
    const { show, calls } = setup('advertiser');
    show(`/ad-platforms/destinations/${DESTINATION_ID}?state=skipped&before=2026-11-29T11:00:00.000Z`);
    const table = await screen.findByRole('table', { name: 'Deliveries' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toHaveTextContent('sent');
    expect(rows[0]).toHaveTextContent('200');
    expect(rows[1]).toHaveTextContent('The visitor denied consent');
    expect(rows[3]).toHaveTextContent('No click id from this platform');
    expect(rows[2]).toHaveTextContent('retraction');
    expect(rows[2]).toHaveTextContent('400');
    // The answer folds open; indented when it is JSON.
    expect(within(rows[2] as HTMLElement).getByText(/"code": 100/)).toBeInTheDocument();
    expect(within(rows[0] as HTMLElement).getByRole('link', { name: /01a22f1d/ })).toHaveAttribute(
      'href',
      '/conversions/01a22f1d-9e80-71b6-9dff-49f0206115d8',
    );
    expect(screen.getByRole('link', { name: 'Next page' })).toHaveAttribute(
      'href',
      expect.stringContaining(`before=${encodeURIComponent(NEXT)}`),
    );
    expect(screen.getByLabelText('State')).toHaveValue('skipped');
    expect(calls.find((c) => c.path.endsWith('/deliveries'))?.init).toEqual({
      params: {
        path: { id: DESTINATION_ID },
        query: { limit: 50, state: 'skipped', before: '2026-11-29T11:00:00.000Z' },
      },
    });
  });

  it('replays one delivery by its id', async () => {
    const { calls, post } = setup('advertiser', {
      'POST /api/v1/ad-platforms/destinations/{id}/replay': { data: { queued: 1 } },
    });
    expect(await post({ intent: 'replay', id: DELIVERY_ID })).toMatchObject({
      data: { ok: true, message: '1 delivery queued again: it goes out within a minute.' },
    });
    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/api/v1/ad-platforms/destinations/{id}/replay',
        init: {
          params: { path: { id: DESTINATION_ID } },
          body: { deliveryIds: [DELIVERY_ID], states: ['rejected', 'failed'] },
        },
      },
    ]);
  });

  it('replays every rejected and failed one, after asking', async () => {
    const { calls, post, show } = setup('advertiser');
    show();
    await userEvent.click(await screen.findByRole('button', { name: 'Replay all rejected and failed' }));
    expect(await screen.findByRole('dialog', { name: 'Replay 4 deliveries?' })).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
    expect(await post({ intent: 'replay-all' })).toMatchObject({
      data: { ok: true, message: '4 deliveries queued again: they go out within a minute.' },
    });
    expect(calls.at(-1)?.init).toEqual({
      params: { path: { id: DESTINATION_ID } },
      body: { states: ['rejected', 'failed'] },
    });
  });

  it('says what the API refused', async () => {
    const { post } = setup('advertiser', {
      'POST /api/v1/ad-platforms/destinations/{id}/replay': {
        error: {
          error: { code: 'conflict', message: 'An archived destination sends nothing.', requestId: 'r' },
        },
        status: 409,
      },
    });
    expect(await post({ intent: 'replay-all' })).toMatchObject({
      data: { ok: false, message: 'An archived destination sends nothing.' },
      init: { status: 409 },
    });
  });

  it('has an empty state and no replay for an archived destination', async () => {
    const { show } = setup('advertiser', {
      'GET /api/v1/ad-platforms/destinations/{id}': { data: destination({ status: 'archived' }) },
      'GET /api/v1/ad-platforms/destinations/{id}/deliveries': { data: { data: [], nextBefore: null } },
    });
    show();
    expect(await screen.findByText('Nothing sent yet')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Replay/ })).toBeNull();
  });
});
