import {
  type FieldMetadata,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { currencyExponent } from '@tas/shared/minor-units';
import { AlertTriangleIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { Form } from 'react-router';
import { Field, FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { Button } from '~/components/ui/button';
import { Input, Textarea } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import { cn } from '~/lib/utils';
import { CAMPAIGN_STATUS_LABEL, CAMPAIGN_STATUSES } from './campaign-labels';
import { campaignFormSchema } from './campaign-schema';

export type OfferChoice = { id: number; name: string; currency: string; advertiserId: number };
export type AdvertiserChoice = { id: number; name: string };

export type CampaignFormDefaults = {
  name?: string;
  description?: string;
  offerId?: string;
  advertiserId?: string;
  status?: string;
  startDate?: string;
  endDate?: string;
  budget?: string;
  dailyBudget?: string;
  currency?: string;
};

function example(currency: string): string {
  const digits = /^[A-Z]{3}$/.test(currency) ? currencyExponent(currency) : 2;
  return digits === 0 ? '5000' : `5000.${'5'.padEnd(digits, '0')}`;
}

/** A labelled control with its hint and errors, for controls that are not a plain input. */
function Control({
  id,
  label,
  hint,
  errorId,
  errors,
  className,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  errorId: string;
  errors: string[] | undefined;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={cn('grid content-start gap-1.5', className)}>
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

function MoneyField({
  meta,
  label,
  currency,
  hint,
}: {
  meta: FieldMetadata<string | undefined>;
  label: string;
  currency: string;
  hint: ReactNode;
}) {
  return (
    <Control id={meta.id} label={label} hint={hint} errorId={meta.errorId} errors={meta.errors}>
      <div className="relative">
        <Input
          {...getInputProps(meta, { type: 'text', ariaDescribedBy: `${meta.id}-hint` })}
          inputMode="decimal"
          autoComplete="off"
          placeholder="No limit"
          className="pr-14 tabular-nums"
        />
        <span className="pointer-events-none absolute top-1/2 right-3 -translate-y-1/2 text-xs font-medium text-muted-foreground">
          {currency || '—'}
        </span>
      </div>
    </Control>
  );
}

/**
 * Creating or changing a campaign. Money is typed as decimals in the campaign's currency and sent
 * as exact minor units; the currency follows the chosen offer (budgets are counted in the offer's
 * currency, and the API refuses another with currency_mismatch).
 */
export function CampaignForm({
  lastResult,
  defaultValue,
  offers,
  advertisers,
  submitLabel,
  mode,
}: {
  lastResult: SubmissionResult<string[]> | null | undefined;
  defaultValue: CampaignFormDefaults;
  offers: OfferChoice[];
  /** Admins creating a campaign without an offer choose its advertiser; null: not asked. */
  advertisers: AdvertiserChoice[] | null;
  submitLabel: string;
  mode: 'create' | 'edit';
}) {
  const [form, fields] = useForm({
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: campaignFormSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const offer = offers.find((o) => String(o.id) === fields.offerId.value);
  const currency = (fields.currency.value ?? '').toUpperCase();
  const mismatch = offer !== undefined && /^[A-Z]{3}$/.test(currency) && currency !== offer.currency;
  const advertiserName = new Map(advertisers?.map((a) => [a.id, a.name]) ?? []);
  const grouped = advertisers
    ? [...new Set(offers.map((o) => o.advertiserId))].map((id) => ({
        label: advertiserName.get(id) ?? `Advertiser ${id}`,
        list: offers.filter((o) => o.advertiserId === id),
      }))
    : [{ label: null, list: offers }];

  return (
    <Form method="post" className="grid gap-6" {...getFormProps(form)}>
      <section aria-labelledby="campaign-basics" className="grid gap-4">
        <h2 id="campaign-basics" className="text-sm font-semibold">
          Basics
        </h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            meta={fields.name}
            label="Name"
            className="content-start"
            inputProps={{ autoComplete: 'off', maxLength: 200 }}
          />
          <Control
            id={fields.offerId.id}
            label="Offer"
            hint={
              offer
                ? `Priced in ${offer.currency}. Clicks on this campaign’s creatives go to this offer.`
                : 'Without an offer the budgets are reported but not enforced at the edge.'
            }
            errorId={fields.offerId.errorId}
            errors={fields.offerId.errors}
          >
            <NativeSelect
              {...getSelectProps(fields.offerId, { ariaDescribedBy: `${fields.offerId.id}-hint` })}
              onChange={(event) => {
                const next = offers.find((o) => String(o.id) === event.target.value);
                form.update({ name: fields.offerId.name, value: event.target.value });
                // The budget's currency is the offer's: follow it, so a new choice is never refused.
                if (next) form.update({ name: fields.currency.name, value: next.currency });
              }}
            >
              <option value="">No offer</option>
              {grouped.map((group) =>
                group.label === null ? (
                  group.list.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name} · {o.currency}
                    </option>
                  ))
                ) : (
                  <optgroup key={group.label} label={group.label}>
                    {group.list.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name} · {o.currency}
                      </option>
                    ))}
                  </optgroup>
                ),
              )}
            </NativeSelect>
          </Control>
          {advertisers && mode === 'create' && !offer ? (
            <Control
              id={fields.advertiserId.id}
              label="Advertiser"
              hint="Whose campaign this is (with an offer, the offer’s advertiser)."
              errorId={fields.advertiserId.errorId}
              errors={fields.advertiserId.errors}
            >
              <NativeSelect {...getSelectProps(fields.advertiserId)}>
                <option value="">Choose an advertiser</option>
                {advertisers.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </NativeSelect>
            </Control>
          ) : null}
          <Control
            id={fields.status.id}
            label="Status"
            hint="Only an active campaign serves, within its dates."
            errorId={fields.status.errorId}
            errors={fields.status.errors}
          >
            <NativeSelect {...getSelectProps(fields.status, { ariaDescribedBy: `${fields.status.id}-hint` })}>
              {CAMPAIGN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {CAMPAIGN_STATUS_LABEL[s]}
                </option>
              ))}
            </NativeSelect>
          </Control>
          <Control
            id={fields.description.id}
            label="Description"
            className="sm:col-span-2"
            hint="Optional: a note for your team."
            errorId={fields.description.errorId}
            errors={fields.description.errors}
          >
            <Textarea
              {...getTextareaProps(fields.description, { ariaDescribedBy: `${fields.description.id}-hint` })}
              rows={2}
            />
          </Control>
        </div>
      </section>

      <section aria-labelledby="campaign-schedule" className="grid gap-4 border-t pt-6">
        <div>
          <h2 id="campaign-schedule" className="text-sm font-semibold">
            Schedule
          </h2>
          <p className="text-xs text-muted-foreground">
            Calendar days in UTC, both included. Leave empty to run without a start or an end.
          </p>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field meta={fields.startDate} label="Start date" type="date" />
          <Field meta={fields.endDate} label="End date" type="date" />
        </div>
      </section>

      <section aria-labelledby="campaign-budget" className="grid gap-4 border-t pt-6">
        <div>
          <h2 id="campaign-budget" className="text-sm font-semibold">
            Budget
          </h2>
          <p className="text-xs text-muted-foreground">
            Spend is the revenue of approved conversions. When a budget is spent, clicks on this campaign’s
            creatives go to the offer’s fallback; the daily budget starts again at 00:00 UTC.
          </p>
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <Field
            meta={fields.currency}
            label="Currency"
            className="content-start"
            hint={offer ? `The offer’s: ${offer.currency}` : 'Without an offer, USD by default'}
            inputProps={{
              autoComplete: 'off',
              maxLength: 3,
              className: cn('uppercase', mismatch && 'border-warning'),
            }}
          />
          <MoneyField
            meta={fields.budget}
            label="Total budget"
            currency={currency}
            hint={`Leave empty for no limit, e.g. ${example(currency)}`}
          />
          <MoneyField
            meta={fields.dailyBudget}
            label="Daily budget"
            currency={currency}
            hint={`Per UTC day; empty for no limit`}
          />
        </div>
        {mismatch ? (
          <Alert variant="warning">
            <AlertTriangleIcon aria-hidden className="text-warning" />
            <p className="font-medium">
              {currency} is not the offer’s currency ({offer.currency}).
            </p>
            <p className="text-muted-foreground">
              Budgets are counted against the offer’s revenue, which is in {offer.currency}; a budget in{' '}
              {currency} cannot be enforced and will be refused.
            </p>
            <Button
              type="button"
              size="sm"
              variant="outline"
              className="mt-2"
              onClick={() => form.update({ name: fields.currency.name, value: offer.currency })}
            >
              Use {offer.currency}
            </Button>
          </Alert>
        ) : null}
      </section>

      <FormErrors errors={form.errors} />
      <div className="flex flex-col-reverse gap-2 border-t pt-4 sm:flex-row sm:justify-end">
        <SubmitButton>{submitLabel}</SubmitButton>
      </div>
    </Form>
  );
}
