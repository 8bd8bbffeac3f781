import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import Postbacks from './_app.postbacks._index';
import Deliveries from './_app.postbacks.deliveries';
import NewPostback from './_app.postbacks.new';

function HydrateFallback() {
  return null;
}

const CONFIG = {
  id: 4,
  affiliateId: 3,
  offerId: null,
  url: 'https://trk.example/pb?cid={click_id}',
  method: 'GET' as const,
  headers: {},
  parameters: {},
  fireOn: 'approved' as const,
  isActive: true,
  consecutiveFailures: 0,
  disabledAt: null,
  disabledReason: null,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
};

describe('postbacks', () => {
  it('puts a macro where the cursor is, previews the URL with sample values and names unknown macros', async () => {
    const create = vi.fn(() => null);
    const Stub = createRoutesStub([
      {
        path: '/postbacks/new',
        Component: NewPostback as never,
        HydrateFallback,
        action: create,
        loader: () => ({
          role: 'affiliate',
          affiliateId: 3,
          offers: [{ id: 1, name: 'Acme Shop' }],
          affiliates: [],
          preset: { affiliateId: '', offerId: '' },
        }),
      },
    ]);
    render(<Stub initialEntries={['/postbacks/new']} />);
    const user = userEvent.setup();
    const url = await screen.findByLabelText('Postback URL');

    await user.click(screen.getByRole('button', { name: 'Create postback' }));
    expect(await screen.findByText('Enter your endpoint, starting with https://')).toBeInTheDocument();
    expect(create).not.toHaveBeenCalled();

    await user.type(url, 'https://trk.example/pb?cid=&amount={{foo}');
    // The cursor goes back between "cid=" and "&": the macro lands there.
    (url as HTMLInputElement).setSelectionRange(27, 27);
    await user.click(screen.getByRole('button', { name: /^Insert \{click_id\}/ }));
    await vi.waitFor(() => expect(url).toHaveValue('https://trk.example/pb?cid={click_id}&amount={foo}'));
    expect(screen.getByText('https://trk.example/pb?cid=TEST-CLICK-ID&amount={foo}')).toBeInTheDocument();
    expect(screen.getByText(/Not macros of ours, sent as written: \{foo\}/)).toBeInTheDocument();

    // POST shows the form fields, which are checked line by line.
    await user.selectOptions(screen.getByLabelText('Method'), 'POST');
    await user.type(await screen.findByLabelText('Form fields'), 'no equals sign');
    await user.click(screen.getByRole('button', { name: 'Create postback' }));
    expect(await screen.findByText('Write "no equals sign" as name=value')).toBeInTheDocument();
    expect(create).not.toHaveBeenCalled();
  });

  it('shows a test: the exact URL sent, the answer, its latency and body', async () => {
    const Stub = createRoutesStub([
      {
        path: '/postbacks',
        Component: Postbacks as never,
        HydrateFallback,
        loader: () => ({ role: 'affiliate', configs: [CONFIG], offers: [], affiliates: [] }),
        action: async ({ request }) => {
          const form = await request.formData();
          expect(form.get('intent')).toBe('test');
          expect(form.get('id')).toBe('4');
          return {
            intent: 'test',
            attempt: {
              id: 9,
              kind: 'test',
              deliveryId: null,
              url: 'https://trk.example/pb?cid=TEST-CLICK-ID',
              method: 'GET',
              statusCode: 200,
              latencyMs: 87,
              bodyExcerpt: 'OK',
              error: null,
              ok: true,
              attemptedAt: '2026-11-29T10:01:00.000Z',
            },
          };
        },
      },
    ]);
    render(<Stub initialEntries={['/postbacks']} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Send a test of postback #4' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('heading')).toHaveTextContent('your endpoint answered');
    expect(within(dialog).getByText('https://trk.example/pb?cid=TEST-CLICK-ID')).toBeInTheDocument();
    expect(within(dialog).getByText('200')).toBeInTheDocument();
    expect(within(dialog).getByText('87 ms')).toBeInTheDocument();
    expect(within(dialog).getByText('OK')).toBeInTheDocument();
  });

  it('replays in bulk only after a dry run, saying what it leaves alone', async () => {
    const steps: string[] = [];
    const Stub = createRoutesStub([
      {
        path: '/postbacks/deliveries',
        Component: Deliveries as never,
        HydrateFallback,
        loader: () => ({
          role: 'affiliate',
          filters: { state: 'failures', postbackConfigId: null, conversionId: null, before: null },
          deliveries: [],
          nextBefore: null,
          configs: [{ id: 4, affiliateId: 3, label: '#4 · All offers' }],
          offers: [],
          affiliates: [],
        }),
        action: async ({ request }) => {
          const form = await request.formData();
          const step = String(form.get('step'));
          steps.push(`${step}:${form.getAll('states').join('+')}`);
          return {
            intent: 'bulk',
            reply: { status: 'success', initialValue: {} },
            outcome: {
              step,
              dryRun: step === 'preview',
              count: 12,
              limit: 10000,
              moreMatched: false,
              inactiveConfigs: 2,
              skippedStatusChanged: 3,
            },
          };
        },
      },
    ]);
    render(<Stub initialEntries={['/postbacks/deliveries?state=failures']} />);
    const user = userEvent.setup();
    expect(await screen.findByText('No failures')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Replay in bulk' }));
    const dialog = await screen.findByRole('dialog');
    // Affiliates replay failed and disabled ones; sending delivered ones again is the network's.
    expect(within(dialog).queryByRole('checkbox', { name: /Delivered/ })).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Check what would be replayed' }));
    expect(await within(dialog).findByText('12 deliveries will be replayed.')).toBeInTheDocument();
    expect(within(dialog).getByText(/2 deliveries left alone: their postback is off/)).toBeInTheDocument();
    expect(
      within(dialog).getByText(/3 deliveries not sent: the conversion no longer has the status/),
    ).toBeInTheDocument();
    expect(steps).toEqual(['preview:failed+disabled']);
    await user.click(within(dialog).getByRole('button', { name: 'Replay 12 deliveries' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(steps).toEqual(['preview:failed+disabled', 'apply:failed+disabled']);
  });
});
