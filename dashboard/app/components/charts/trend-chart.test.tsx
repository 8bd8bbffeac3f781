import { act, waitFor } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { stubResizeObserver } from '~/components/reports/fake-api.test-helpers';
import { TrendChart, type TrendPoint } from './trend-chart';

beforeAll(stubResizeObserver);

const DATA: TrendPoint[] = [
  { label: 'Mon', title: 'Monday 2 November', current: 3, previous: 1 },
  { label: 'Tue', title: 'Tuesday 3 November', current: 7, previous: 2 },
];

const chart = <TrendChart data={DATA} format={(v) => `${v} clicks`} label="Clicks" compare height={240} />;

describe('TrendChart', () => {
  it('says what it shows on the server, with a placeholder of its height where the drawing goes', () => {
    const html = renderToString(chart);
    const page = document.createElement('div');
    page.innerHTML = html;
    expect(page.querySelector('figcaption')?.textContent).toBe(
      'Clicks over 2 points; highest 7 clicks on Tuesday 3 November.',
    );
    expect(page.textContent).toContain('Total 10 clicks.');
    expect(page.querySelector('figure')?.getAttribute('style')).toContain('height:240px');
    // No Recharts in the server's HTML: the drawing is loaded in the browser.
    expect(page.querySelector('.recharts-wrapper, svg')).toBeNull();
    expect(page.querySelector('[aria-hidden] > div')).not.toBeNull();
  });

  it('draws the chart after hydration, with no mismatch', async () => {
    const container = document.createElement('div');
    container.innerHTML = renderToString(chart);
    document.body.append(container);
    const mismatch = vi.fn();
    const root = await act(async () => hydrateRoot(container, chart, { onRecoverableError: mismatch }));
    await waitFor(() => expect(container.querySelector('.recharts-wrapper')).not.toBeNull(), {
      timeout: 10_000,
    });
    expect(mismatch).not.toHaveBeenCalled();
    expect(container.querySelector('figcaption')?.textContent).toContain('highest 7 clicks');
    act(() => root.unmount());
    container.remove();
  });
});
