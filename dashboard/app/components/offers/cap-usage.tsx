import type { components } from '~/api/schema';
import { formatCount } from '~/lib/format';
import { cn } from '~/lib/utils';
import { CAP_KEYS, type CapKey, type CapLimits, hasAnyCap } from './offer-text';

type CapUsage = components['schemas']['OfferCapUsage'];
type Used = CapUsage['offer']['used'];

export function usedFor(used: Used, key: CapKey): number {
  switch (key) {
    case 'dailyClicks':
      return used.clicks.daily;
    case 'monthlyClicks':
      return used.clicks.monthly;
    case 'dailyConversions':
      return used.conversions.daily;
    default:
      return used.conversions.monthly;
  }
}

const SHORT: Record<CapKey, { what: string; when: string }> = {
  dailyClicks: { what: 'Clicks', when: 'today' },
  monthlyClicks: { what: 'Clicks', when: 'this month' },
  dailyConversions: { what: 'Conversions', when: 'today' },
  monthlyConversions: { what: 'Conversions', when: 'this month' },
};

/** A usage bar: amber from 80%, red when the cap is reached (its figures are written beside it). */
export function CapBar({ used, limit, className }: { used: number; limit: number; className?: string }) {
  const share = limit === 0 ? 1 : Math.min(used / limit, 1);
  return (
    <div
      // The figures are written beside every bar: the bar itself is decoration.
      aria-hidden
      className={cn('h-1.5 w-full overflow-hidden rounded-full bg-muted', className)}
    >
      <div
        className={cn(
          'h-full rounded-full transition-[width]',
          share >= 1 ? 'bg-destructive' : share >= 0.8 ? 'bg-warning' : 'bg-primary',
        )}
        style={{ width: `${Math.max(share * 100, used > 0 ? 2 : 0)}%` }}
      />
    </div>
  );
}

/** One cap: what it counts, how much is used, and its bar (or "no cap" with the count). */
export function CapMeter({ capKey, used, limit }: { capKey: CapKey; used: number; limit: number | null }) {
  const { what, when } = SHORT[capKey];
  return (
    <div className="grid gap-1.5">
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span>
          <span className="font-medium">{what}</span> <span className="text-muted-foreground">{when}</span>
        </span>
        <span className="tabular-nums">
          <span className="font-medium text-foreground">{formatCount(used)}</span>
          <span className="text-muted-foreground"> / {limit === null ? '∞' : formatCount(limit)}</span>
        </span>
      </div>
      {limit === null ? (
        <div className="h-1.5 w-full rounded-full bg-muted" aria-hidden />
      ) : (
        <CapBar used={used} limit={limit} />
      )}
    </div>
  );
}

/** Every cap of one scope (the offer, or one affiliate) with its usage. */
export function CapMeters({ limits, used }: { limits: CapLimits; used: Used }) {
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {CAP_KEYS.map((key) => (
        <CapMeter key={key} capKey={key} used={usedFor(used, key)} limit={limits[key]} />
      ))}
    </div>
  );
}

/**
 * The caps that bind an affiliate on an offer, compact for a table cell: the offer-wide ones and its
 * own, each "used / limit" with a bar; "No caps" when none is set.
 */
export function CapUsageCompact({ usage }: { usage: CapUsage | null | undefined }) {
  if (usage === undefined) return <span className="text-xs text-muted-foreground">…</span>;
  if (usage === null) return <span className="text-xs text-muted-foreground">Unavailable</span>;
  const own = usage.affiliates[0];
  const rows: { key: string; label: string; used: number; limit: number }[] = [];
  for (const [scope, limits, used] of [
    ['Offer', usage.offer.limits, usage.offer.used],
    ['You', own?.limits, own?.used],
  ] as const) {
    if (!limits || !used || !hasAnyCap(limits)) continue;
    for (const key of CAP_KEYS) {
      const limit = limits[key];
      if (limit === null) continue;
      const { what, when } = SHORT[key];
      rows.push({
        key: `${scope}-${key}`,
        label: `${scope === 'You' ? 'Your ' : ''}${what.toLowerCase()} ${when}`,
        used: usedFor(used, key),
        limit,
      });
    }
  }
  if (rows.length === 0) return <span className="text-xs text-muted-foreground">No caps</span>;
  return (
    <div className="grid min-w-36 gap-1.5">
      {rows.slice(0, 3).map((row) => (
        <div key={row.key} className="grid gap-0.5">
          <div className="flex justify-between gap-2 text-[11px] leading-tight">
            <span className="text-muted-foreground first-letter:uppercase">{row.label}</span>
            <span className="tabular-nums">
              {formatCount(row.used)}/{formatCount(row.limit)}
            </span>
          </div>
          <CapBar used={row.used} limit={row.limit} className="h-1" />
        </div>
      ))}
      {rows.length > 3 ? (
        <span className="text-[11px] text-muted-foreground">+{rows.length - 3} more caps</span>
      ) : null}
    </div>
  );
}
