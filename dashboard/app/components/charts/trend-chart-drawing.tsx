import { useId } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Line,
  Tooltip,
  type TooltipContentProps,
  type TooltipValueType,
  XAxis,
  YAxis,
} from 'recharts';
import type { TrendPoint } from './trend-chart';

/** The Recharts drawing of `TrendChart`, in a chunk of its own: the browser loads it after hydration. */
export function TrendChartDrawing({
  data,
  format,
  axisFormat,
  label,
  compare,
  height,
}: {
  data: TrendPoint[];
  format: (value: number) => string;
  axisFormat: ((value: number) => string) | undefined;
  label: string;
  compare: boolean;
  height: number;
}) {
  const gradient = useId().replace(/:/g, '');
  return (
    <AreaChart
      responsive
      style={{ width: '100%', height }}
      data={data}
      margin={{ top: 8, right: 20, bottom: 0, left: 0 }}
      accessibilityLayer={false}
    >
      <defs>
        <linearGradient id={gradient} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0%" stopColor="var(--chart-1)" stopOpacity={0.28} />
          <stop offset="100%" stopColor="var(--chart-1)" stopOpacity={0} />
        </linearGradient>
      </defs>
      <CartesianGrid vertical={false} stroke="var(--border)" strokeDasharray="3 3" />
      <XAxis
        dataKey="label"
        tickLine={false}
        axisLine={false}
        interval="preserveStartEnd"
        tick={{ fill: 'var(--muted-foreground)', fontSize: 11 }}
        tickMargin={8}
        minTickGap={20}
        padding={{ left: 4, right: 4 }}
      />
      <YAxis
        tickLine={false}
        axisLine={false}
        width={52}
        tick={{ fill: 'var(--muted-foreground)', fontSize: 11 }}
        tickFormatter={(v: number) => (axisFormat ?? format)(v)}
        allowDecimals={false}
      />
      <Tooltip
        cursor={{ stroke: 'var(--border)', strokeWidth: 1 }}
        content={(props) => <TrendTooltip {...props} format={format} label={label} compare={compare} />}
      />
      {compare ? (
        <Line
          type="monotone"
          dataKey="previous"
          stroke="var(--muted-foreground)"
          strokeOpacity={0.55}
          strokeDasharray="4 4"
          strokeWidth={1.5}
          dot={false}
          activeDot={false}
          isAnimationActive={false}
          connectNulls
        />
      ) : null}
      <Area
        type="monotone"
        dataKey="current"
        stroke="var(--chart-1)"
        strokeWidth={2}
        fill={`url(#${gradient})`}
        dot={false}
        activeDot={{ r: 3.5, strokeWidth: 0, fill: 'var(--chart-1)' }}
        isAnimationActive={false}
      />
    </AreaChart>
  );
}

function TrendTooltip({
  active,
  payload,
  format,
  label,
  compare,
}: TooltipContentProps<TooltipValueType, string | number> & {
  format: (v: number) => string;
  label: string;
  compare: boolean;
}) {
  if (!active || !payload?.length) return null;
  const point = payload[0]?.payload as TrendPoint | undefined;
  if (!point) return null;
  return (
    <div className="min-w-40 rounded-lg border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-md">
      <p className="mb-1.5 font-medium">{point.title}</p>
      <div className="flex items-center justify-between gap-4">
        <span className="flex items-center gap-1.5 text-muted-foreground">
          <span className="size-2 rounded-full bg-chart-1" />
          {label}
        </span>
        <span className="font-medium tabular-nums">
          {point.current === null ? '–' : format(point.current)}
        </span>
      </div>
      {compare && point.previous !== undefined ? (
        <div className="mt-1 flex items-center justify-between gap-4">
          <span className="flex items-center gap-1.5 text-muted-foreground">
            <span className="h-0.5 w-2 bg-muted-foreground/60" />
            {point.previousTitle ?? 'Previous'}
          </span>
          <span className="tabular-nums">{point.previous === null ? '–' : format(point.previous)}</span>
        </div>
      ) : null}
    </div>
  );
}
