import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRoutesStub } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Links from './_app.links';

function HydrateFallback() {
  return null;
}

const BASE = 'https://go.tas.test/c/1?aff_id=3';

function loaderData(deepLinks: boolean) {
  const offer = {
    id: 1,
    name: 'Acme Shop',
    status: 'active',
    payout: '$15.00 per conversion',
    trackingLink: BASE,
    deepLinksAllowed: deepLinks,
    deepLinkHosts: deepLinks ? ['shop.example', '*.shop.example'] : [],
  };
  return {
    offers: [offer],
    selected: offer,
    refused: null,
    creatives: [{ id: 9, name: 'Leaderboard', type: 'image', size: '728x90' }],
  };
}

function renderPage(deepLinks = true) {
  const Stub = createRoutesStub([
    {
      path: '/links',
      Component: Links as never,
      loader: () => loaderData(deepLinks),
      HydrateFallback,
    },
  ]);
  render(<Stub initialEntries={['/links?offerId=1']} />);
  return userEvent.setup();
}

afterEach(() => vi.restoreAllMocks());

describe('link builder', () => {
  it('builds the link as parameters are typed, percent-encoding each value', async () => {
    const user = renderPage();
    const link = await screen.findByTestId('tracking-link');
    expect(link).toHaveTextContent(BASE);
    await user.type(screen.getByLabelText(/Sub 1/), 'summer sale&x=1');
    await user.type(screen.getByLabelText(/Source id/), 'blog#top');
    await user.selectOptions(screen.getByLabelText(/Creative/), '9');
    expect(link.textContent).toBe(`${BASE}&sub1=summer%20sale%26x%3D1&source_id=blog%23top&creative_id=9`);
    expect(screen.getByRole('img', { name: 'QR code of the tracking link' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Copy link/ })).toBeInTheDocument();
  });

  it('refuses a deep link to a host the offer does not allow, and leaves it out of the link', async () => {
    const user = renderPage();
    const link = await screen.findByTestId('tracking-link');
    const input = screen.getByLabelText(/Deep link/);
    expect(screen.getByText('*.shop.example')).toBeInTheDocument();

    await user.type(input, 'https://evil.example/landing');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('evil.example is not among the hosts this offer allows.')).toBeInTheDocument();
    expect(link.textContent).toBe(BASE);

    await user.clear(input);
    await user.type(input, 'https://www.shop.example/shoes?size=42');
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(link.textContent).toBe(`${BASE}&url=https%3A%2F%2Fwww.shop.example%2Fshoes%3Fsize%3D42`);
  });

  it('says when an offer takes no deep links', async () => {
    renderPage(false);
    expect(await screen.findByText(/This offer takes no deep links/)).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: /Deep link/ })).not.toBeInTheDocument();
  });

  it('exports a CSV of links for pasted sub1 values, over the parameters filled above', async () => {
    const saved: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      saved.push(blob);
      return 'blob:links';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});

    const user = renderPage();
    await user.type(await screen.findByLabelText(/Source id/), 'newsletter');
    const bulk = screen.getByRole('textbox', { name: 'Sub1 values or CSV' });
    await user.type(bulk, 'kw one{enter}{enter}kw,two{enter}');
    expect(screen.getByText('2 links to make.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Download CSV/ }));

    expect(createObjectURL).toHaveBeenCalledOnce();
    const csv = await saved[0]?.text();
    expect(csv).toBe(
      'sub1,sub2,source_id,tracking_link\r\n' +
        `kw one,,newsletter,${BASE}&sub1=kw%20one&source_id=newsletter\r\n` +
        `kw,two,newsletter,${BASE}&sub1=kw&sub2=two&source_id=newsletter\r\n`,
    );
    expect(screen.getByText('2 links downloaded.')).toBeInTheDocument();

    // A CSV row whose deep link the offer refuses is reported, not exported.
    await user.clear(bulk);
    await user.type(bulk, 'sub1,url{enter}a,https://evil.example/');
    await user.click(screen.getByRole('button', { name: /Download CSV/ }));
    const alert = screen.getByRole('alert');
    expect(within(alert).getByText(/Line 2: evil.example is not among the hosts/)).toBeInTheDocument();
    expect(createObjectURL).toHaveBeenCalledOnce();
  });
});
