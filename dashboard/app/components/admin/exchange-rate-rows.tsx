import type { FieldMetadata, FormMetadata } from '@conform-to/react';
import { getInputProps } from '@conform-to/react';
import { convertMinorUnits, currencyExponent } from '@tas/shared/minor-units';
import { ArrowRightIcon, PlusIcon, Trash2Icon } from 'lucide-react';
import { FieldErrors } from '~/components/form';
import { Button } from '~/components/ui/button';
import { Input } from '~/components/ui/input';
import { formatMoney } from '~/lib/format';

type RateRow = { from: string; to: string; rate: string };

/** What 100 units of `from` become at `rate`, as the edge computes it (exact, rounded half up). */
export function rateExample(row: Partial<RateRow>): string | null {
  const from = row.from?.trim().toUpperCase() ?? '';
  const to = row.to?.trim().toUpperCase() ?? '';
  const rate = row.rate?.trim() ?? '';
  if (!/^[A-Z]{3}$/.test(from) || !/^[A-Z]{3}$/.test(to) || from === to) return null;
  if (!/^\d{1,9}(\.\d{1,12})?$/.test(rate) || !/[1-9]/.test(rate)) return null;
  const amount = 100 * 10 ** currencyExponent(from);
  const converted = convertMinorUnits(amount, from, to, rate);
  if (converted === null) return null;
  return `${formatMoney(amount, from)} → ${formatMoney(converted, to)}`;
}

/**
 * The exchange rates as rows of from / to / rate, each with what a sale of 100 becomes, added
 * and removed with Conform's list intents (so they work before the page's script has loaded).
 */
export function ExchangeRateRows({
  form,
  field,
}: {
  form: FormMetadata<Record<string, unknown>, string[]>;
  field: FieldMetadata<RateRow[] | undefined, Record<string, unknown>, string[]>;
}) {
  const rows = field.getFieldList();
  return (
    <div className="grid gap-3">
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">
          No rates: sales are accepted only in their offer's own currency.
        </p>
      ) : (
        <div className="grid gap-2">
          <div
            aria-hidden
            className="hidden grid-cols-[6rem_1rem_6rem_minmax(8rem,12rem)_1fr_2.25rem] items-center gap-2 px-1 text-xs font-medium uppercase tracking-wide text-muted-foreground sm:grid"
          >
            <span>From</span>
            <span />
            <span>To</span>
            <span>Rate</span>
            <span>A sale of 100</span>
            <span />
          </div>
          <ul className="grid gap-2">
            {rows.map((row, index) => {
              const cells = row.getFieldset();
              const example = rateExample({
                from: cells.from.value,
                to: cells.to.value,
                rate: cells.rate.value,
              });
              const errors = [
                ...(cells.from.errors ?? []).map((e) => `From: ${e}`),
                ...(cells.to.errors ?? []).map((e) => `To: ${e}`),
                ...(cells.rate.errors ?? []).map((e) => `Rate: ${e}`),
                ...(row.errors ?? []),
              ];
              const n = index + 1;
              return (
                <li
                  key={row.key}
                  className="grid grid-cols-[1fr_auto_1fr_auto] items-start gap-2 rounded-lg border bg-muted/30 p-2 sm:grid-cols-[6rem_1rem_6rem_minmax(8rem,12rem)_1fr_2.25rem] sm:items-center sm:border-0 sm:bg-transparent sm:p-0"
                >
                  <Input
                    {...getInputProps(cells.from, { type: 'text' })}
                    aria-label={`Rate ${n}: from currency`}
                    placeholder="EUR"
                    maxLength={3}
                    autoCapitalize="characters"
                    className="font-mono uppercase"
                  />
                  <ArrowRightIcon className="mt-2.5 size-4 text-muted-foreground sm:mt-0" aria-hidden />
                  <Input
                    {...getInputProps(cells.to, { type: 'text' })}
                    aria-label={`Rate ${n}: to currency`}
                    placeholder="USD"
                    maxLength={3}
                    autoCapitalize="characters"
                    className="font-mono uppercase"
                  />
                  <Button
                    variant="ghost"
                    size="icon"
                    className="text-muted-foreground hover:text-destructive sm:order-last"
                    aria-label={`Remove rate ${n}`}
                    {...form.remove.getButtonProps({ name: field.name, index })}
                  >
                    <Trash2Icon />
                  </Button>
                  <Input
                    {...getInputProps(cells.rate, { type: 'text' })}
                    aria-label={`Rate ${n}: units of the to currency for one of the from currency`}
                    placeholder="1.0842"
                    inputMode="decimal"
                    className="col-span-3 font-mono tabular-nums sm:col-span-1"
                  />
                  <span className="col-span-4 text-xs text-muted-foreground tabular-nums sm:col-span-1">
                    {example ?? '–'}
                  </span>
                  {errors.length > 0 ? (
                    <div className="col-span-full">
                      <FieldErrors errors={errors} />
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <FieldErrors id={field.errorId} errors={field.errors} />
      <div>
        <Button variant="outline" size="sm" {...form.insert.getButtonProps({ name: field.name })}>
          <PlusIcon /> Add a rate
        </Button>
      </div>
    </div>
  );
}
