import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { cn } from '~/lib/utils';
import { Card, CardContent } from './ui/card';

/** A page's title, what it is for, and its main actions. */
export function PageHeader({
  title,
  description,
  actions,
  className,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn('mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between', className)}>
      <div className="min-w-0 space-y-1">
        <h1 className="truncate text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}

/** What a list with nothing in it says, and the way to put something in it. */
export function EmptyState({
  icon: Icon,
  title,
  description,
  action,
}: {
  icon?: LucideIcon;
  title: string;
  description?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center justify-center gap-3 rounded-xl border border-dashed px-6 py-14 text-center">
      {Icon ? (
        <div className="flex size-11 items-center justify-center rounded-full bg-muted text-muted-foreground">
          <Icon className="size-5" aria-hidden />
        </div>
      ) : null}
      <div className="space-y-1">
        <p className="font-medium">{title}</p>
        {description ? <p className="mx-auto max-w-sm text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {action}
    </div>
  );
}

/** One figure with its label, and how it moved against the previous period. */
export function StatCard({
  label,
  value,
  change,
  hint,
}: {
  label: string;
  value: ReactNode;
  /** Relative change against the previous period (0.12 = +12%); null when there is nothing to compare. */
  change?: number | null;
  hint?: ReactNode;
}) {
  return (
    <Card>
      <CardContent className="p-5">
        <p className="text-xs font-medium uppercase tracking-wide text-muted-foreground">{label}</p>
        <p className="mt-2 text-2xl font-semibold tabular-nums">{value}</p>
        <div className="mt-1 flex items-center gap-2 text-xs text-muted-foreground">
          {change !== undefined && change !== null ? (
            <span className={cn('font-medium', change >= 0 ? 'text-success' : 'text-destructive')}>
              {change >= 0 ? '▲' : '▼'} {Math.abs(change * 100).toFixed(1)}%
            </span>
          ) : null}
          {hint}
        </div>
      </CardContent>
    </Card>
  );
}
