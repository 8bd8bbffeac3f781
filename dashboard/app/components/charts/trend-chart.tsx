import { lazy } from 'react';
import { cn } from '~/lib/utils';
import { ChartDrawing } from './chart-drawing';

export type TrendPoint = {
  /** The axis label of the point (a day or an hour, as the viewer reads it). */
  label: string;
  /** A longer label for the tooltip (e.g. the full date). */
  title: string;
  current: number | null;
  /** The same position in the previous period, when compared. */
  previous?: number | null;
  /** The previous period's own label for this point (its date). */
  previousTitle?: string;
};

const TrendChartDrawing = lazy(() =>
  import('./trend-chart-drawing').then((m) => ({ default: m.TrendChartDrawing })),
);

/**
 * One metric over time, the previous period dashed behind it. Colours come from the theme's
 * chart variables, so it reads the same in dark mode. A summary for screen readers stands in
 * for the drawing, which is loaded after hydration (`ChartDrawing`).
 */
export function TrendChart({
  data,
  format,
  axisFormat,
  label,
  compare = false,
  height = 260,
  className,
}: {
  data: TrendPoint[];
  format: (value: number) => string;
  axisFormat?: (value: number) => string;
  label: string;
  compare?: boolean;
  height?: number;
  className?: string;
}) {
  const values = data.flatMap((p) => (p.current === null ? [] : [p.current]));
  const total = values.reduce((a, b) => a + b, 0);
  const peak = data.reduce<TrendPoint | null>(
    (best, p) => (p.current !== null && (best === null || p.current > (best.current ?? 0)) ? p : best),
    null,
  );
  const summary = peak
    ? `${label} over ${data.length} points; highest ${format(peak.current ?? 0)} on ${peak.title}.`
    : `${label}: no data.`;
  return (
    <figure className={cn('w-full', className)} style={{ height }}>
      <figcaption className="sr-only">{summary}</figcaption>
      <ChartDrawing>
        <TrendChartDrawing
          data={data}
          format={format}
          axisFormat={axisFormat}
          label={label}
          compare={compare}
          height={height}
        />
      </ChartDrawing>
      <span className="sr-only">Total {format(total)}.</span>
    </figure>
  );
}
