import { formatDecimalAmount } from '@tas/shared/minor-units';
import { OctagonXIcon, TriangleAlertIcon } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Form } from 'react-router';
import { FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { StatusBadge } from '~/components/status-badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import type { Schemas } from '~/lib/api.server';
import { formatMoney } from '~/lib/format';
import type { BillingTermsAnswer } from './billing-terms.server';

type Billing = Schemas['AdvertiserBilling'];
type Funds = Billing['funds'][number];

const STATE_LABELS: Record<Funds['state'], { tone: string; label: string }> = {
  available: { tone: 'active', label: 'serving' },
  low: { tone: 'pending', label: 'low balance' },
  exhausted: { tone: 'suspended', label: 'offers stopped' },
};

/** The terms in words: how the advertiser pays, and what stops its offers. */
export function termsSummary(
  billing: Pick<Billing, 'mode' | 'invoicePeriod' | 'netTermsDays' | 'termsSaved'>,
): string {
  if (!billing.termsSaved)
    return 'No terms set: billed outside TAS, never invoiced here, and offers never stop for money.';
  return billing.mode === 'prepaid'
    ? 'Prepaid: you add funds; conversions are paid from the balance, and offers stop when it runs out.'
    : `Postpaid: invoiced ${billing.invoicePeriod}, due ${billing.netTermsDays} days after the invoice.`;
}

/**
 * The billing terms and, per currency, what is left to spend: a banner above all when offers are
 * stopped for want of money, with the way to restart them.
 */
export function FundsPanel({ billing, canTopUp }: { billing: Billing; canTopUp: boolean }) {
  const stopped = billing.funds.filter((f) => f.state === 'exhausted');
  const low = billing.funds.filter((f) => f.state === 'low');
  return (
    <section aria-label="Billing terms and funds" className="mb-6 grid gap-4">
      {stopped.map((funds) => (
        <Alert key={funds.currency} variant="destructive" className="flex items-start gap-3" role="alert">
          <OctagonXIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>
            <span className="font-semibold">
              Offers stopped:{' '}
              {funds.creditLimitMinor === null
                ? `${funds.currency} balance exhausted`
                : `${funds.currency} credit limit reached`}
            </span>
            {' — '}
            {funds.creditLimitMinor === null ? (
              canTopUp ? (
                <>
                  <a href="#top-up-amount" className="underline underline-offset-2">
                    add funds
                  </a>{' '}
                  to send clicks to your {funds.currency} offers again.
                </>
              ) : (
                <>the advertiser must add funds before its {funds.currency} offers serve again.</>
              )
            ) : (
              <>they serve again once an invoice is paid or the limit is raised.</>
            )}{' '}
            Conversions of visitors sent before the stop still count.
          </span>
        </Alert>
      ))}
      {low.map((funds) => (
        <Alert key={funds.currency} variant="warning" className="flex items-start gap-3" role="status">
          <TriangleAlertIcon className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
          <span>
            <span className="font-medium">Low {funds.currency} balance:</span>{' '}
            {formatMoney(funds.availableMinor, funds.currency)} left, below{' '}
            {formatMoney(funds.lowBalanceMinor, funds.currency)}. Offers stop when it runs out.
          </span>
        </Alert>
      ))}
      <Card>
        <CardHeader>
          <CardTitle>Billing terms</CardTitle>
          <CardDescription>{termsSummary(billing)}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            <Term label="Mode">
              {!billing.termsSaved ? 'Not set' : billing.mode === 'prepaid' ? 'Prepaid' : 'Postpaid'}
            </Term>
            <Term label="Invoice period">{billing.invoicePeriod === 'weekly' ? 'Weekly' : 'Monthly'}</Term>
            <Term label="Net terms">{billing.netTermsDays} days</Term>
            <Term label={billing.mode === 'prepaid' ? 'Low-balance alert' : 'Credit limit'}>
              {amountsText(
                billing.mode === 'prepaid' ? billing.lowBalanceByCurrency : billing.creditLimitByCurrency,
              )}
            </Term>
          </dl>
          {billing.funds.length > 0 ? (
            <table className="w-full text-sm">
              <caption className="sr-only">Funds per currency</caption>
              <thead className="text-left text-xs text-muted-foreground">
                <tr>
                  <th scope="col" className="py-1.5 font-medium">
                    Currency
                  </th>
                  <th scope="col" className="py-1.5 text-right font-medium">
                    Balance
                  </th>
                  <th scope="col" className="py-1.5 text-right font-medium">
                    Held by pending
                  </th>
                  <th scope="col" className="py-1.5 text-right font-medium">
                    Available
                  </th>
                  <th scope="col" className="py-1.5 text-right font-medium">
                    Offers
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y">
                {billing.funds.map((funds) => (
                  <tr key={funds.currency}>
                    <th scope="row" className="py-2 text-left font-medium">
                      {funds.currency}
                    </th>
                    <td className="py-2 text-right tabular-nums">
                      {formatMoney(funds.balanceMinor, funds.currency)}
                    </td>
                    <td className="py-2 text-right tabular-nums text-muted-foreground">
                      {formatMoney(funds.pendingHoldsMinor, funds.currency)}
                    </td>
                    <td className="py-2 text-right tabular-nums">
                      {funds.availableMinor === null
                        ? 'No limit'
                        : formatMoney(funds.availableMinor, funds.currency)}
                    </td>
                    <td className="py-2 text-right">
                      <StatusBadge
                        status={STATE_LABELS[funds.state].tone}
                        label={STATE_LABELS[funds.state].label}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </CardContent>
      </Card>
    </section>
  );
}

function Term({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="font-medium">{children}</dd>
    </div>
  );
}

function amountsText(amounts: Record<string, number>): string {
  const entries = Object.entries(amounts);
  return entries.length === 0
    ? 'None'
    : entries.map(([currency, minor]) => formatMoney(minor, currency)).join(', ');
}

const DEFAULT_CURRENCIES = ['USD'];

/**
 * An admin sets an advertiser's terms: prepaid or postpaid, per currency a credit limit (postpaid)
 * and a low-balance alert (prepaid), the invoice period and net terms. Validated on the server.
 */
export function BillingTermsForm({
  billing,
  answer,
}: {
  billing: Billing;
  answer: BillingTermsAnswer | null;
}) {
  const [mode, setMode] = useState<string>(billing.mode);
  const errors = answer && !answer.ok ? answer : null;
  const error = (name: string) => errors?.fieldErrors[name];
  const currencies = [
    ...new Set([
      ...billing.funds.map((f) => f.currency),
      ...Object.keys(billing.creditLimitByCurrency),
      ...Object.keys(billing.lowBalanceByCurrency),
      ...(billing.funds.length === 0 ? DEFAULT_CURRENCIES : []),
    ]),
  ].sort();
  const money = (amounts: Record<string, number>, currency: string) =>
    amounts[currency] === undefined ? '' : formatDecimalAmount(amounts[currency], currency);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Billing terms</CardTitle>
        <CardDescription>
          Prepaid advertisers’ offers stop at the edge when their balance runs out; postpaid ones when what
          they owe reaches the credit limit. Saving applies at once.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Form method="post" noValidate className="grid gap-5">
          <div className="grid gap-4 sm:grid-cols-3">
            <Row id="billing-mode" label="Mode" error={error('mode')}>
              {(described) => (
                <NativeSelect
                  id="billing-mode"
                  name="mode"
                  value={mode}
                  onChange={(event) => setMode(event.target.value)}
                  aria-describedby={described}
                >
                  <option value="prepaid">Prepaid (tops up)</option>
                  <option value="postpaid">Postpaid (invoiced)</option>
                </NativeSelect>
              )}
            </Row>
            <Row id="billing-period" label="Invoice period" error={error('invoicePeriod')}>
              {(described) => (
                <NativeSelect
                  id="billing-period"
                  name="invoicePeriod"
                  defaultValue={billing.invoicePeriod}
                  aria-describedby={described}
                >
                  <option value="weekly">Weekly</option>
                  <option value="monthly">Monthly</option>
                </NativeSelect>
              )}
            </Row>
            <Row id="billing-net-terms" label="Net terms (days)" error={error('netTermsDays')}>
              {(described) => (
                <Input
                  id="billing-net-terms"
                  name="netTermsDays"
                  inputMode="numeric"
                  defaultValue={String(billing.netTermsDays)}
                  aria-describedby={described}
                  aria-invalid={error('netTermsDays') ? true : undefined}
                />
              )}
            </Row>
          </div>
          <fieldset className="grid gap-3">
            <legend className="mb-2 text-sm font-medium">Per currency</legend>
            <p className="text-xs text-muted-foreground">
              {mode === 'prepaid'
                ? 'Prepaid: the advertiser is emailed once when what is left falls below the alert. The credit limit applies if it is switched to postpaid.'
                : 'Postpaid: offers stop when what is owed, pending conversions included, reaches the limit; empty: no limit. The alert applies if it is switched to prepaid.'}
            </p>
            {currencies.map((currency) => (
              <div key={currency} className="grid items-start gap-3 sm:grid-cols-[4rem_1fr_1fr]">
                <span className="pt-2 text-sm font-medium">{currency}</span>
                <AmountInput
                  name={`creditLimit.${currency}`}
                  label={`Credit limit (${currency})`}
                  defaultValue={money(billing.creditLimitByCurrency, currency)}
                  error={error(`creditLimit.${currency}`)}
                />
                <AmountInput
                  name={`lowBalance.${currency}`}
                  label={`Low-balance alert (${currency})`}
                  defaultValue={money(billing.lowBalanceByCurrency, currency)}
                  error={error(`lowBalance.${currency}`)}
                />
              </div>
            ))}
            <div className="grid items-start gap-3 sm:grid-cols-[4rem_1fr_1fr]">
              <div className="grid gap-1">
                <Label htmlFor="billing-extra-currency" className="sr-only">
                  Another currency
                </Label>
                <Input
                  id="billing-extra-currency"
                  name="extra.currency"
                  placeholder="CAD"
                  maxLength={3}
                  aria-invalid={error('extra.currency') ? true : undefined}
                  aria-describedby={error('extra.currency') ? 'billing-extra-currency-error' : undefined}
                />
                <FieldErrors
                  id="billing-extra-currency-error"
                  errors={error('extra.currency') ? [error('extra.currency') as string] : undefined}
                />
              </div>
              <AmountInput
                name="extra.creditLimit"
                label="Credit limit (another currency)"
                defaultValue=""
                error={error('extra.creditLimit')}
              />
              <AmountInput
                name="extra.lowBalance"
                label="Low-balance alert (another currency)"
                defaultValue=""
                error={error('extra.lowBalance')}
              />
            </div>
          </fieldset>
          <FormErrors errors={errors?.formError ? [errors.formError] : undefined} />
          <div className="flex justify-end">
            <SubmitButton intent="billing" size="sm">
              Save billing terms
            </SubmitButton>
          </div>
        </Form>
        {billing.funds.length > 0 ? (
          <ul aria-label="Funds per currency" className="mt-5 grid gap-1 border-t pt-4 text-sm">
            {billing.funds.map((funds) => (
              <li key={funds.currency} className="flex items-center justify-between gap-3">
                <span>
                  <span className="font-medium">{funds.currency}</span>{' '}
                  <span className="text-muted-foreground">
                    balance {formatMoney(funds.balanceMinor, funds.currency)}, held{' '}
                    {formatMoney(funds.pendingHoldsMinor, funds.currency)}, available{' '}
                    {funds.availableMinor === null
                      ? 'without limit'
                      : formatMoney(funds.availableMinor, funds.currency)}
                  </span>
                </span>
                <StatusBadge
                  status={STATE_LABELS[funds.state].tone}
                  label={STATE_LABELS[funds.state].label}
                />
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-5 border-t pt-4 text-sm text-muted-foreground">
            No money has moved yet and no offer is live: currencies appear here with them.
          </p>
        )}
      </CardContent>
    </Card>
  );
}

function AmountInput({
  name,
  label,
  defaultValue,
  error,
}: {
  name: string;
  label: string;
  defaultValue: string;
  error: string | undefined;
}) {
  const id = `billing-${name.replace('.', '-')}`;
  return (
    <div className="grid gap-1">
      <Label htmlFor={id} className="text-xs text-muted-foreground">
        {label}
      </Label>
      <Input
        id={id}
        name={name}
        inputMode="decimal"
        placeholder="None"
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <FieldErrors id={`${id}-error`} errors={error ? [error] : undefined} />
    </div>
  );
}

function Row({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error?: string | undefined;
  children: (described: string | undefined) => ReactNode;
}) {
  return (
    <div className="grid content-start gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children(error ? `${id}-error` : undefined)}
      <FieldErrors id={`${id}-error`} errors={error ? [error] : undefined} />
    </div>
  );
}
