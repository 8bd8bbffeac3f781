import { lazy } from 'react';
import { ChartDrawing } from '~/components/charts/chart-drawing';
import { formatCount } from '~/lib/format';

export type MinuteBucket = { minute: string; clicks: number; conversions: number };

const timeOf = (iso: string) => iso.slice(11, 16);

const IngestChartDrawing = lazy(() =>
  import('./ingest-chart-drawing').then((m) => ({ default: m.IngestChartDrawing })),
);

/**
 * Events received a minute, clicks and conversions stacked (UTC minutes). Colours come from the
 * theme's chart variables; a sentence stands in for the drawing for screen readers. The drawing
 * is loaded after hydration (`ChartDrawing`).
 */
export function IngestChart({ data, height = 180 }: { data: MinuteBucket[]; height?: number }) {
  const points = data.map((b) => ({ ...b, label: timeOf(b.minute) }));
  const peak = data.reduce<MinuteBucket | null>(
    (best, b) => (best === null || b.clicks + b.conversions > best.clicks + best.conversions ? b : best),
    null,
  );
  const summary = peak
    ? `Events received per minute over the last ${data.length} minutes; the busiest, ${timeOf(peak.minute)} UTC, had ${formatCount(peak.clicks)} clicks and ${formatCount(peak.conversions)} conversions.`
    : 'No events received.';
  return (
    <figure className="w-full" style={{ height }}>
      <figcaption className="sr-only">{summary}</figcaption>
      <ChartDrawing>
        <IngestChartDrawing points={points} height={height} />
      </ChartDrawing>
    </figure>
  );
}
