import { Badge, type BadgeVariant } from '~/components/ui/badge';
import { Progress } from '~/components/ui/progress';
import { Tooltip } from '~/components/ui/tooltip';
import { formatMoney } from '~/lib/format';
import { cn } from '~/lib/utils';
import { SERVING_HINT, SERVING_LABEL, type Serving } from './campaign-labels';

const SERVING_VARIANT: Record<Serving, BadgeVariant> = {
  serving: 'success',
  campaign_inactive: 'secondary',
  budget_reached: 'warning',
  currency_mismatch: 'destructive',
};

/** Whether the edge sends the campaign's clicks to its offer now, and why not (on hover and focus). */
export function ServingBadge({ serving }: { serving: Serving }) {
  return (
    <Tooltip content={SERVING_HINT[serving]}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so keyboard users can read the hint */}
      <span tabIndex={0} className="inline-flex rounded-full focus-visible:ring-2 focus-visible:ring-ring">
        <Badge variant={SERVING_VARIANT[serving]}>
          <span
            aria-hidden
            className={cn('size-1.5 rounded-full bg-current', serving === 'serving' && 'animate-pulse')}
          />
          {SERVING_LABEL[serving]}
        </Badge>
      </span>
    </Tooltip>
  );
}

function toneOf(ratio: number): 'default' | 'warning' | 'destructive' {
  if (ratio >= 1) return 'destructive';
  if (ratio >= 0.8) return 'warning';
  return 'default';
}

/**
 * Spend against one budget: "$120.00 of $500.00", a bar, and what is left. Without a budget, the
 * spend alone. Money stays in minor units until formatted.
 */
export function BudgetMeter({
  label,
  spentMinor,
  budgetMinor,
  currency,
  compact = false,
}: {
  label: string;
  spentMinor: number;
  budgetMinor: number | null;
  currency: string;
  compact?: boolean;
}) {
  if (budgetMinor === null) {
    return (
      <div className="grid gap-1">
        <span className={cn('tabular-nums', compact ? 'text-sm' : 'text-base font-medium')}>
          {formatMoney(spentMinor, currency)}
        </span>
        <span className="text-xs text-muted-foreground">spent · no limit</span>
      </div>
    );
  }
  const ratio = budgetMinor === 0 ? 1 : spentMinor / budgetMinor;
  const left = budgetMinor - spentMinor;
  return (
    <div className={cn('grid gap-1.5', compact ? 'min-w-36' : '')}>
      <div className="flex items-baseline justify-between gap-3 tabular-nums">
        <span className={cn(compact ? 'text-sm' : 'text-base font-medium')}>
          {formatMoney(spentMinor, currency)}
          <span className="text-muted-foreground"> / {formatMoney(budgetMinor, currency)}</span>
        </span>
        {compact ? null : (
          <span className="text-xs text-muted-foreground">{Math.round(Math.min(ratio, 9.99) * 100)}%</span>
        )}
      </div>
      <Progress
        value={ratio}
        tone={toneOf(ratio)}
        aria-label={`${label}: ${formatMoney(spentMinor, currency)} of ${formatMoney(budgetMinor, currency)} spent`}
      />
      <span
        className={cn(
          'text-xs tabular-nums',
          left <= 0
            ? 'font-medium text-destructive dark:text-[color-mix(in_oklch,var(--destructive),white_25%)]'
            : 'text-muted-foreground',
        )}
      >
        {left < 0
          ? `${formatMoney(-left, currency)} over`
          : left === 0
            ? 'Spent'
            : `${formatMoney(left, currency)} left`}
      </span>
    </div>
  );
}
