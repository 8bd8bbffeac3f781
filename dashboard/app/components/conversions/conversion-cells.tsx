import { ShieldAlertIcon } from 'lucide-react';
import { Badge } from '~/components/ui/badge';
import type { Schemas } from '~/lib/api.server';
import { formatMoney } from '~/lib/format';
import { cn } from '~/lib/utils';
import { type ConversionStatus, flagText, reasonText, STATUS_VARIANT } from './conversion-text';

export type Conversion = Schemas['Conversion'];

export function ConversionStatusBadge({ status }: { status: ConversionStatus }) {
  return <Badge variant={STATUS_VARIANT[status]}>{status}</Badge>;
}

/** Fraud flags as small badges; those that hold a conversion for review in amber. */
export function FraudFlags({ flags, className }: { flags: string[]; className?: string }) {
  if (flags.length === 0) return null;
  return (
    <span className={cn('inline-flex flex-wrap gap-1', className)}>
      {flags.map((flag) => {
        const text = flagText(flag);
        return (
          <Badge
            key={flag}
            variant={text.held ? 'warning' : 'outline'}
            title={text.detail}
            className="gap-1 font-normal"
          >
            <ShieldAlertIcon className="size-3" aria-hidden />
            {text.label}
          </Badge>
        );
      })}
    </span>
  );
}

/** Status, then why it is held or was rejected. */
export function StatusCell({ conversion }: { conversion: Conversion }) {
  const held = conversion.status === 'pending' && conversion.fraudFlags.some((f) => flagText(f).held);
  const reason = reasonText(conversion.reason);
  return (
    <span className="flex flex-col items-start gap-1">
      <ConversionStatusBadge status={conversion.status} />
      {held ? (
        <span className="text-xs font-medium text-amber-800 dark:text-amber-300">Held for review</span>
      ) : null}
      {reason ? <span className="text-xs text-muted-foreground">{reason}</span> : null}
      <FraudFlags flags={conversion.fraudFlags} />
    </span>
  );
}

/** The sale amount in the offer's currency, and as it was sent when another currency was converted. */
export function SaleAmount({
  conversion,
  align = 'end',
}: {
  conversion: Conversion;
  align?: 'start' | 'end';
}) {
  if (conversion.amountMinor === null && conversion.sentAmountMinor === null) {
    return <span className="text-muted-foreground">–</span>;
  }
  const converted = conversion.sentCurrency !== null && conversion.sentAmountMinor !== null;
  return (
    <span className={cn('inline-flex flex-col', align === 'end' ? 'items-end' : 'items-start')}>
      <span>{formatMoney(conversion.amountMinor, conversion.currency)}</span>
      {converted ? (
        <span className="text-xs text-muted-foreground">
          sent {formatMoney(conversion.sentAmountMinor, conversion.sentCurrency)}
          {conversion.exchangeRate ? ` × ${conversion.exchangeRate}` : ''}
        </span>
      ) : null}
    </span>
  );
}

export const SUB_KEYS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'] as const;

/** The first sub id, and how many more there are. */
export function SubsCell({ conversion }: { conversion: Conversion }) {
  const subs = SUB_KEYS.map((key) => conversion[key]).filter((value): value is string => value !== null);
  if (subs.length === 0) return <span className="text-muted-foreground">–</span>;
  return (
    <span className="inline-flex max-w-40 items-center gap-1" title={subs.join(' · ')}>
      <span className="truncate font-mono text-xs">{subs[0]}</span>
      {subs.length > 1 ? <span className="text-xs text-muted-foreground">+{subs.length - 1}</span> : null}
    </span>
  );
}
