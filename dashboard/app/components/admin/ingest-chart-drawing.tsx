import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCompact, formatCount } from '~/lib/format';
import type { MinuteBucket } from './ingest-chart';

/** The Recharts drawing of `IngestChart`, in a chunk of its own: the browser loads it after hydration. */
export function IngestChartDrawing({
  points,
  height,
}: {
  points: (MinuteBucket & { label: string })[];
  height: number;
}) {
  return (
    <BarChart
      responsive
      style={{ width: '100%', height }}
      data={points}
      margin={{ top: 4, right: 4, bottom: 0, left: 0 }}
      accessibilityLayer={false}
      barCategoryGap={2}
    >
      <CartesianGrid vertical={false} stroke="var(--border)" strokeDasharray="3 3" />
      <XAxis
        dataKey="label"
        tickLine={false}
        axisLine={false}
        interval="preserveStartEnd"
        minTickGap={24}
        tick={{ fill: 'var(--muted-foreground)', fontSize: 11 }}
      />
      <YAxis
        tickLine={false}
        axisLine={false}
        width={40}
        allowDecimals={false}
        tick={{ fill: 'var(--muted-foreground)', fontSize: 11 }}
        tickFormatter={(v: number) => formatCompact(v)}
      />
      <Tooltip
        cursor={{ fill: 'var(--muted)', opacity: 0.6 }}
        content={(props) => <MinuteTooltip active={props.active} payload={props.payload} />}
      />
      <Bar dataKey="clicks" stackId="events" fill="var(--chart-1)" isAnimationActive={false} />
      <Bar
        dataKey="conversions"
        stackId="events"
        fill="var(--chart-2)"
        radius={[2, 2, 0, 0]}
        isAnimationActive={false}
      />
    </BarChart>
  );
}

function MinuteTooltip({
  active,
  payload,
}: {
  active?: boolean | undefined;
  payload?: readonly { payload?: unknown }[] | undefined;
}) {
  const point = payload?.[0]?.payload as (MinuteBucket & { label: string }) | undefined;
  if (!active || !point) return null;
  return (
    <div className="rounded-lg border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-md">
      <p className="mb-1 font-medium">{point.label} UTC</p>
      <p className="flex items-center gap-2">
        <span className="size-2 rounded-sm bg-chart-1" /> {formatCount(point.clicks)} clicks
      </p>
      <p className="flex items-center gap-2">
        <span className="size-2 rounded-sm bg-chart-2" /> {formatCount(point.conversions)} conversions
      </p>
    </div>
  );
}
