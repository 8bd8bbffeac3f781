import { data } from 'react-router';
import { parseMoneyText } from '~/components/offers/amounts';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { flashToast } from '~/lib/session.server';

export type BillingTerms = Schemas['BillingTerms'];

/** What the Billing terms form answers: errors beside their fields, or the API's refusal. */
export type BillingTermsAnswer = {
  intent: 'billing';
  ok: boolean;
  fieldErrors: Record<string, string>;
  formError: string | null;
};

const CURRENCY = /^[A-Z]{3}$/;
const AMOUNT_FIELD = /^(creditLimit|lowBalance)\.([A-Z]{3})$/;

/**
 * Reads the Billing terms form, as the API's rules (control-plane/src/billing/billing-settings.ts)
 * with messages for people. Amounts are typed as decimals in their currency and sent in minor
 * units; an empty amount means none (no credit limit, no low-balance email). Field names:
 * `creditLimit.USD`, `lowBalance.USD`, and a row for another currency (`extra.*`).
 */
export function parseBillingTermsForm(
  form: FormData,
): { ok: true; terms: BillingTerms } | { ok: false; fieldErrors: Record<string, string> } {
  const fieldErrors: Record<string, string> = {};
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const mode = text('mode');
  if (mode !== 'prepaid' && mode !== 'postpaid') fieldErrors.mode = 'Choose prepaid or postpaid.';
  const invoicePeriod = text('invoicePeriod');
  if (invoicePeriod !== 'weekly' && invoicePeriod !== 'monthly')
    fieldErrors.invoicePeriod = 'Choose weekly or monthly.';
  const netTerms = text('netTermsDays');
  const netTermsDays = /^\d{1,3}$/.test(netTerms) ? Number(netTerms) : Number.NaN;
  if (!(netTermsDays >= 0 && netTermsDays <= 120)) fieldErrors.netTermsDays = 'Enter 0 to 120 days.';

  const creditLimitByCurrency: Record<string, number> = {};
  const lowBalanceByCurrency: Record<string, number> = {};
  const put = (kind: 'creditLimit' | 'lowBalance', currency: string, value: string, field: string) => {
    if (value === '') return;
    const parsed = parseMoneyText(value, currency);
    if (!parsed.ok) fieldErrors[field] = parsed.message;
    else (kind === 'creditLimit' ? creditLimitByCurrency : lowBalanceByCurrency)[currency] = parsed.value;
  };
  for (const [name, value] of form.entries()) {
    const match = AMOUNT_FIELD.exec(name);
    if (match) put(match[1] as 'creditLimit' | 'lowBalance', match[2]!, String(value).trim(), name);
  }
  const extra = text('extra.currency').toUpperCase();
  if (extra !== '' || text('extra.creditLimit') !== '' || text('extra.lowBalance') !== '') {
    if (!CURRENCY.test(extra)) fieldErrors['extra.currency'] = 'A three-letter currency code, e.g. CAD.';
    else {
      put('creditLimit', extra, text('extra.creditLimit'), 'extra.creditLimit');
      put('lowBalance', extra, text('extra.lowBalance'), 'extra.lowBalance');
    }
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return {
    ok: true,
    terms: {
      mode: mode as BillingTerms['mode'],
      creditLimitByCurrency,
      lowBalanceByCurrency,
      invoicePeriod: invoicePeriod as BillingTerms['invoicePeriod'],
      netTermsDays,
    },
  };
}

/**
 * Saves an advertiser's billing terms (admins). The API stops or restarts the advertiser's offers
 * at the edge as its funds under the new terms say, in the same change.
 */
export async function saveBillingTerms(
  api: ApiClient,
  advertiserId: string,
  form: FormData,
  request: Request,
) {
  const parsed = parseBillingTermsForm(form);
  if (!parsed.ok)
    return data<BillingTermsAnswer>(
      { intent: 'billing', ok: false, fieldErrors: parsed.fieldErrors, formError: null },
      { status: 400 },
    );
  const {
    data: saved,
    error,
    response,
  } = await api.PUT('/api/v1/advertisers/{advertiserId}/billing', {
    params: { path: { advertiserId } },
    body: parsed.terms,
  });
  if (!saved)
    return data<BillingTermsAnswer>(
      {
        intent: 'billing',
        ok: false,
        fieldErrors: {},
        formError: apiMessage(error, 'The billing terms could not be saved.'),
      },
      { status: response.status },
    );
  const stopped = saved.funds.filter((f) => f.state === 'exhausted').map((f) => f.currency);
  const message =
    stopped.length > 0
      ? `Billing terms saved. Offers in ${stopped.join(', ')} are stopped until funds come in.`
      : 'Billing terms saved.';
  return data<BillingTermsAnswer>(
    { intent: 'billing', ok: true, fieldErrors: {}, formError: null },
    { headers: { 'set-cookie': await flashToast(request, { kind: 'success', message }) } },
  );
}
