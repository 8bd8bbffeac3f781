import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it } from 'vitest';
import System from './_app.system';

function HydrateFallback() {
  return null;
}

const NOW = '2026-11-29T12:00:30.000Z';

function status(overrides: { waiting?: number; p95?: number } = {}) {
  return {
    generatedAt: NOW,
    windowMinutes: 5,
    ingest: {
      clicks: 120,
      conversions: 6,
      perMinute: ['11:56', '11:57', '11:58', '11:59', '12:00'].map((m, i) => ({
        minute: `2026-11-29T${m}:00.000Z`,
        clicks: 20 + i * 2,
        conversions: i % 2,
      })),
      lastReceivedAt: '2026-11-29T12:00:20.000Z',
    },
    lag: { samples: 126, p50Seconds: 0.8, p95Seconds: overrides.p95 ?? 2.4, maxSeconds: 5 },
    postbacks: { pending: 3, dueNow: 1, failed: 2, disabled: 0, oldestDueAt: '2026-11-29T11:59:00.000Z' },
    quarantine: { waiting: overrides.waiting ?? 2, oldestReceivedAt: '2026-11-29T10:00:00.000Z' },
  };
}

const EVENTS = [
  {
    id: 7,
    eventId: 'c-1',
    eventType: 'click',
    reasonCode: 'invalid_event',
    reason: 'sub1: at most 255 characters',
    body: '{"type":"click","id":"c-1"}',
    receivedAt: '2026-11-29T10:00:00.000Z',
    replayedAt: null,
  },
  {
    id: 8,
    eventId: null,
    eventType: null,
    reasonCode: 'database_refused',
    reason: 'invalid byte sequence',
    body: 'not json',
    receivedAt: '2026-11-29T11:00:00.000Z',
    replayedAt: null,
  },
];

function renderPage(options: { deadLetters: unknown; waiting?: number; p95?: number }) {
  const sent: FormData[] = [];
  const Stub = createRoutesStub([
    {
      path: '/system',
      Component: System as never,
      HydrateFallback,
      loader: () => ({
        status: status(options),
        quarantine: { data: EVENTS, nextAfter: null },
        deadLetters: Promise.resolve(options.deadLetters),
      }),
      action: async ({ request }) => {
        const form = await request.formData();
        sent.push(form);
        if (form.get('intent') === 'replay-dead-letters')
          return {
            intent: 'replay-dead-letters',
            ok: true,
            replayed: 3,
            failed: [{ messageId: 'm-9', failure: 'HTTP 400: not a batch' }],
            remaining: 1,
          };
        return {
          intent: 'replay-quarantine',
          ok: true,
          replayed: 1,
          stillQuarantined: [{ id: 8, reasonCode: 'database_refused', reason: 'invalid byte sequence' }],
        };
      },
    },
  ]);
  render(<Stub initialEntries={['/system']} />);
  return { user: userEvent.setup(), sent };
}

describe('system page', () => {
  it('shows the rate, lag and backlog, replays selected quarantined events and says what is left', async () => {
    const { user, sent } = renderPage({ deadLetters: { ok: true, stored: 4 } });
    expect(await screen.findByText('Ingest rate')).toBeInTheDocument();
    expect(screen.getByText('/ min').parentElement).toHaveTextContent('25/ min');
    expect(screen.getByText('0.8 s')).toBeInTheDocument();
    expect(screen.getByText(/p95 2.4 s/)).toBeInTheDocument();
    // Two events wait: the health line says so.
    expect(screen.getByText(/2 quarantined events wait for a fix and a replay/)).toBeInTheDocument();

    // The body viewer shows the event as received, indented when it is JSON.
    await user.click(screen.getByRole('button', { name: 'View the body of event 7' }));
    const viewer = await screen.findByRole('dialog', { name: 'Quarantined event #7' });
    expect(within(viewer).getByText(/"type": "click"/)).toBeInTheDocument();
    await user.keyboard('{Escape}');

    const replaySelected = screen.getByRole('button', { name: /Replay\s+selected/ });
    expect(replaySelected).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: 'Select event 7' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select event 8' }));
    await user.click(screen.getByRole('button', { name: /Replay 2 selected/ }));
    expect(
      await screen.findByText(/1 stored; 1 still quarantined/, undefined, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(sent[0]?.getAll('ids')).toEqual(['7', '8']);
    expect(sent[0]?.get('scope')).toBe('selected');

    // Dead letters: counted from the edge, replayed with each failure named.
    expect(await screen.findByText('letters stored')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Replay them/ }));
    expect(
      await screen.findByText('3 stored, 1 failed again, 1 left.', undefined, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(screen.getByText(/HTTP 400: not a batch/)).toBeInTheDocument();
  });

  it('says plainly when the edge does not answer, and what is late', async () => {
    renderPage({
      deadLetters: { ok: false, message: 'The edge could not be reached: connect ECONNREFUSED.' },
      waiting: 0,
      p95: 600,
    });
    expect(await screen.findByText('The edge did not answer.')).toBeInTheDocument();
    expect(screen.getByText(/connect ECONNREFUSED/)).toBeInTheDocument();
    expect(screen.getByText(/Events arrive late: 95% within 10 min/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Replay all waiting/ })).toBeDisabled();
  });
});
