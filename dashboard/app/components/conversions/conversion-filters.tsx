import { SlidersHorizontalIcon, XIcon } from 'lucide-react';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Form, Link, useNavigation, useSearchParams, useSubmit } from 'react-router';
import { Button } from '~/components/ui/button';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { cn } from '~/lib/utils';
import { CONVERSION_STATUSES } from './conversion-text';

export const FILTER_KEYS = ['status', 'offerId', 'affiliateId', 'txid', 'clickId', 'from', 'to'] as const;
const MORE_KEYS = ['affiliateId', 'clickId', 'from', 'to'] as const;

/**
 * The list's filters as a GET form: the URL holds them (a view can be shared), selects and dates
 * apply at once, text fields on Enter or when left. Paging restarts with any change.
 */
export function ConversionFilters({
  role,
  offers,
  affiliates,
}: {
  role: 'admin' | 'advertiser' | 'affiliate';
  offers: { id: number; name: string }[];
  affiliates: { id: number; name: string }[];
}) {
  const id = useId();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const navigation = useNavigation();
  const active = FILTER_KEYS.some((key) => params.get(key));
  const apply = () => {
    if (!form.current) return;
    // Empty fields stay out of the URL.
    const data = new FormData(form.current);
    for (const [key, value] of [...data.entries()]) if (value === '') data.delete(key);
    submit(data, { method: 'get', replace: true, preventScrollReset: true });
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    apply();
  };
  const value = (key: string) => params.get(key) ?? '';
  // Remounted when the URL changes, so the fields follow back/forward and "Clear".
  const key = FILTER_KEYS.map((k) => value(k)).join('|');
  // On a phone the less used filters fold away (open when one of them is set).
  const [more, setMore] = useState(() => MORE_KEYS.some((k) => params.get(k)));
  const fold = more ? undefined : 'max-sm:hidden';

  return (
    <Form
      ref={form}
      key={key}
      method="get"
      onSubmit={onSubmit}
      aria-label="Filter conversions"
      aria-busy={navigation.state === 'loading' || undefined}
      className={cn(
        'mb-4 grid grid-cols-2 gap-x-2 gap-y-3 sm:grid-cols-4',
        role === 'affiliate'
          ? 'xl:grid-cols-[repeat(4,minmax(0,1fr))_9.5rem_9.5rem_auto]'
          : 'xl:grid-cols-[repeat(5,minmax(0,1fr))_9.5rem_9.5rem_auto]',
      )}
    >
      <FilterField label="Status" htmlFor={`${id}-status`}>
        <NativeSelect id={`${id}-status`} name="status" defaultValue={value('status')} onChange={apply}>
          <option value="">Any status</option>
          {CONVERSION_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status[0]?.toUpperCase()}
              {status.slice(1)}
            </option>
          ))}
        </NativeSelect>
      </FilterField>
      <FilterField label="Offer" htmlFor={`${id}-offer`}>
        <NativeSelect id={`${id}-offer`} name="offerId" defaultValue={value('offerId')} onChange={apply}>
          <option value="">All offers</option>
          {offers.map((offer) => (
            <option key={offer.id} value={offer.id}>
              #{offer.id} · {offer.name}
            </option>
          ))}
        </NativeSelect>
      </FilterField>
      {role === 'admin' ? (
        <FilterField label="Affiliate" htmlFor={`${id}-affiliate`} className={fold}>
          <NativeSelect
            id={`${id}-affiliate`}
            name="affiliateId"
            defaultValue={value('affiliateId')}
            onChange={apply}
          >
            <option value="">All affiliates</option>
            {affiliates.map((affiliate) => (
              <option key={affiliate.id} value={affiliate.id}>
                #{affiliate.id} · {affiliate.name}
              </option>
            ))}
          </NativeSelect>
        </FilterField>
      ) : role === 'advertiser' ? (
        <FilterField label="Affiliate id" htmlFor={`${id}-affiliate`} className={fold}>
          <Input
            id={`${id}-affiliate`}
            name="affiliateId"
            inputMode="numeric"
            pattern="[1-9][0-9]{0,9}"
            defaultValue={value('affiliateId')}
            placeholder="Any"
            onBlur={(event) => event.currentTarget.value !== value('affiliateId') && apply()}
          />
        </FilterField>
      ) : null}
      <FilterField label="Txid" htmlFor={`${id}-txid`}>
        <Input
          id={`${id}-txid`}
          name="txid"
          type="search"
          maxLength={255}
          defaultValue={value('txid')}
          placeholder="Order id"
          onBlur={(event) => event.currentTarget.value !== value('txid') && apply()}
        />
      </FilterField>
      <FilterField label="Click id" htmlFor={`${id}-click`} className={fold}>
        <Input
          id={`${id}-click`}
          name="clickId"
          type="search"
          maxLength={64}
          spellCheck={false}
          defaultValue={value('clickId')}
          placeholder="Click id"
          onBlur={(event) => event.currentTarget.value !== value('clickId') && apply()}
        />
      </FilterField>
      <FilterField label="From (UTC)" htmlFor={`${id}-from`} className={fold}>
        <Input id={`${id}-from`} name="from" type="date" defaultValue={value('from')} onChange={apply} />
      </FilterField>
      <FilterField label="To (UTC)" htmlFor={`${id}-to`} className={fold}>
        <Input id={`${id}-to`} name="to" type="date" defaultValue={value('to')} onChange={apply} />
      </FilterField>
      <div className="flex items-end gap-2 sm:col-span-full xl:col-span-1">
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="h-9 sm:hidden"
          aria-expanded={more}
          onClick={() => setMore(!more)}
        >
          <SlidersHorizontalIcon aria-hidden /> {more ? 'Fewer filters' : 'More filters'}
        </Button>
        <Button type="submit" variant="outline" className="sr-only focus:not-sr-only">
          Apply filters
        </Button>
        {active ? (
          <Button asChild variant="ghost" size="sm" className="h-9">
            <Link to="/conversions" replace preventScrollReset>
              <XIcon aria-hidden /> Clear
            </Link>
          </Button>
        ) : null}
      </div>
    </Form>
  );
}

function FilterField({
  label,
  htmlFor,
  className,
  children,
}: {
  label: string;
  htmlFor: string;
  className?: string | undefined;
  children: React.ReactNode;
}) {
  return (
    <div className={cn('grid min-w-0 gap-1', className)}>
      <Label htmlFor={htmlFor} className="text-xs font-medium text-muted-foreground">
        {label}
      </Label>
      {children}
    </div>
  );
}
