import { ArrowDownRightIcon, ArrowUpRightIcon, MinusIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { Card, CardContent } from '~/components/ui/card';
import { Tooltip } from '~/components/ui/tooltip';
import { cn } from '~/lib/utils';

export type KpiLine = {
  /** Stable key (the currency, or the metric). */
  key: string;
  value: string;
  /** Relative change against the previous period; null when there is nothing to compare. */
  change: number | null;
  /** The previous period's figure, said on hover. */
  previous?: string;
};

/**
 * One headline figure with its change against the previous period. Money has one line per
 * currency (never summed across currencies), the largest first.
 */
export function KpiCard({
  label,
  lines,
  hint,
  help,
  /** Whether a rise is good news (more clicks), bad (a higher cost per click) or neither (null). */
  upIsGood = true,
  size = 'default',
  className,
}: {
  label: string;
  lines: KpiLine[];
  hint?: ReactNode;
  help?: string;
  upIsGood?: boolean | null;
  /** `sm` for a row of many figures (the report's totals). */
  size?: 'default' | 'sm';
  className?: string;
}) {
  const [first, ...rest] = lines.length
    ? lines
    : [{ key: 'none', value: '–', change: null } satisfies KpiLine];
  return (
    <Card className={cn('min-w-0', className)}>
      <CardContent className={cn('flex h-full flex-col gap-1', size === 'sm' ? 'p-3' : 'p-4')}>
        <div className="flex flex-wrap items-center justify-between gap-x-2 gap-y-1">
          <h2 className="text-xs font-medium text-muted-foreground" title={help}>
            {label}
          </h2>
          {first ? <Change line={first} upIsGood={upIsGood} /> : null}
        </div>
        <p
          className={cn(
            'truncate font-semibold tracking-tight tabular-nums',
            size === 'sm' ? 'text-xl' : 'text-2xl',
          )}
        >
          {first?.value}
        </p>
        {rest.length ? (
          <ul className="grid gap-0.5 text-sm">
            {rest.map((line) => (
              <li key={line.key} className="flex items-center justify-between gap-2 tabular-nums">
                <span className="truncate font-medium">{line.value}</span>
                <Change line={line} upIsGood={upIsGood} />
              </li>
            ))}
          </ul>
        ) : null}
        {hint ? <div className="mt-auto pt-1 text-xs text-muted-foreground">{hint}</div> : null}
      </CardContent>
    </Card>
  );
}

/** A change as a small coloured figure: green when good news, red when bad. */
export function Change({
  line,
  upIsGood = true,
  className,
}: {
  line: Pick<KpiLine, 'change' | 'previous'>;
  upIsGood?: boolean | null;
  className?: string;
}) {
  const { change } = line;
  if (change === null || !Number.isFinite(change)) {
    return line.previous !== undefined ? (
      <span className={cn('text-xs text-muted-foreground', className)}>
        <span className="sr-only">Previous period: </span>
        {line.previous === '–' ? 'new' : null}
      </span>
    ) : null;
  }
  const flat = Math.abs(change) < 0.0005;
  const good = flat || upIsGood === null ? null : change > 0 === upIsGood;
  const Icon = flat ? MinusIcon : change > 0 ? ArrowUpRightIcon : ArrowDownRightIcon;
  const text = `${change > 0 ? '+' : change < 0 ? '−' : ''}${formatChange(Math.abs(change))}`;
  const badge = (
    <span
      className={cn(
        'inline-flex shrink-0 items-center gap-0.5 rounded px-1 text-xs font-medium tabular-nums',
        good === null && 'text-muted-foreground',
        // Darker than the theme's success and destructive: small text on a tint needs 4.5:1.
        good === true && 'bg-success/10 text-emerald-700 dark:text-emerald-400',
        good === false && 'bg-destructive/10 text-red-700 dark:text-red-400',
        className,
      )}
    >
      <Icon className="size-3" aria-hidden />
      {text}
      <span className="sr-only">
        {' '}
        against the previous period{line.previous ? ` (${line.previous})` : ''}
      </span>
    </span>
  );
  return line.previous ? <Tooltip content={`Previous period: ${line.previous}`}>{badge}</Tooltip> : badge;
}

function formatChange(change: number): string {
  if (change >= 10) return `${Math.round(change * 100).toLocaleString('en-US')}%`;
  return `${(change * 100).toFixed(1)}%`;
}
