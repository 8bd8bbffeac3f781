import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Live from './_app.live';

function HydrateFallback() {
  return null;
}

/** An EventSource the test drives: it records what was opened and delivers events on demand. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data: unknown) {
    const event = new MessageEvent(type, { data: JSON.stringify(data) });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

const click = (id: string, offerId = 1) => ({
  id,
  occurredAt: new Date().toISOString(),
  offerId,
  affiliateId: 7,
  sub1: `sub-${id}`,
  country: 'DE',
  device: 'mobile',
  outcome: 'redirect',
  unique: true,
});

beforeEach(() => {
  FakeEventSource.opened = [];
  (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
});
afterEach(() => {
  delete (globalThis as { EventSource?: unknown }).EventSource;
});

function renderLive(url = '/live') {
  const Stub = createRoutesStub([
    {
      path: '/live',
      Component: Live as never,
      HydrateFallback,
      loader: () => ({
        role: 'affiliate',
        names: {
          offers: { 1: 'Acme first order', 2: 'Globex hotels' },
          affiliates: {},
          advertisers: {},
          creatives: {},
        },
      }),
    },
  ]);
  render(<Stub initialEntries={[url]} />);
  return userEvent.setup();
}

/** The n-th stream the page opened, once its effect has run (later than the first render on a busy machine). */
async function opened(n: number): Promise<FakeEventSource> {
  await waitFor(() => expect(FakeEventSource.opened.length).toBeGreaterThan(n));
  return FakeEventSource.opened[n]!;
}

/** Delivers events as the stream would, and lets the next animation frame apply them. */
async function deliver(source: FakeEventSource, type: string, data: unknown) {
  await act(async () => {
    source.emit(type, data);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
}

describe('live feed', () => {
  it('opens the stream on its own origin, shows events newest first, once each, and holds them while paused', async () => {
    const user = renderLive();
    await screen.findByRole('heading', { name: 'Live feed' }, { timeout: 5000 });
    const source = await opened(0);
    expect(source.url).toBe('/live/stream');
    await deliver(source, 'ready', { since: new Date().toISOString() });
    expect(screen.getByRole('status')).toHaveTextContent('Live');
    await deliver(source, 'click', click('a'));
    await deliver(source, 'click', click('b', 2));
    // Sent again after a reconnection: shown once.
    await deliver(source, 'click', click('a'));
    await deliver(source, 'conversion', {
      id: 'c',
      occurredAt: new Date().toISOString(),
      offerId: 1,
      affiliateId: 7,
      event: 'conversion',
      status: 'pending',
      currency: 'USD',
      payoutMinor: 1500,
    });
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('Acme first order');
    expect(rows[0]).toHaveTextContent('$15.00');
    expect(rows[1]).toHaveTextContent('Globex hotels');
    expect(rows[2]).toHaveTextContent('sub-a');

    await user.click(screen.getByRole('button', { name: 'Pause' }));
    await deliver(source, 'click', click('d'));
    expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(4);
    await user.click(screen.getByRole('button', { name: 'Resume (1 new)' }));
    expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(5);

    // Filters live in the URL and apply to what is shown.
    await user.selectOptions(screen.getByLabelText('Offer'), '2');
    // The filter goes through the URL (a navigation), which a loaded machine may not finish at once.
    await waitFor(() => expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(2));
  });

  it('says so, and stops, when the API refuses another feed or ends the session', async () => {
    renderLive();
    await screen.findByRole('heading', { name: 'Live feed' }, { timeout: 5000 });
    const first = await opened(0);
    await deliver(first, 'limited', { retryAfter: 30, message: 'At most 3 live feeds at a time per user.' });
    expect(first.closed).toBe(true);
    expect(screen.getByRole('alert')).toHaveTextContent('At most 3 live feeds at a time per user.');
    expect(screen.getByRole('status')).toHaveTextContent('Disconnected');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    const second = await opened(1);
    await deliver(second, 'ready', {});
    await deliver(second, 'end', { reason: 'unauthorized' });
    expect(second.closed).toBe(true);
    expect(screen.getByRole('alert')).toHaveTextContent('your session is over');
    expect(FakeEventSource.opened).toHaveLength(2);
  });
});
