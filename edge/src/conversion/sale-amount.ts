import {
  type Currency,
  convertMinorUnits,
  currencySchema,
  MAX_SALE_AMOUNT_MINOR,
  parseDecimalAmount,
} from '@tas/shared/money';
import type { NetworkConfig } from '@tas/shared/network-config';
import { ApiError } from '../http/api-error.ts';

export type SaleAmount = {
  /** In the offer's currency: what revenue share and budgets are computed from. */
  amountMinor: number | null;
  currency: Currency | null;
  /** As sent, when it was in another currency and converted by a configured rate. */
  sentAmountMinor: number | null;
  sentCurrency: Currency | null;
  exchangeRate: string | null;
};

const NO_AMOUNT: SaleAmount = {
  amountMinor: null,
  currency: null,
  sentAmountMinor: null,
  sentCurrency: null,
  exchangeRate: null,
};

/**
 * The sale amount of a conversion in the offer's currency. An amount in another currency is
 * converted by the network's configured rate, or refused (`unsupported_currency`): paying a
 * revenue share of 10,000 JPY as if it were 10,000 USD cents is the bug this prevents. Negative
 * amounts are refused; only an operator adjusts money down (through the API).
 */
export function saleAmount(
  amount: string | null,
  currencyText: string | null,
  offerCurrency: Currency,
  network: NetworkConfig | null,
): SaleAmount {
  const parsed = currencySchema.safeParse(currencyText?.toUpperCase() ?? offerCurrency);
  if (!parsed.success) throw new ApiError('invalid_parameter', 'currency must be an ISO 4217 code.');
  const currency = parsed.data;
  if (amount === null) return NO_AMOUNT;
  const value = parseDecimalAmount(amount, currency);
  if (!value.ok)
    throw new ApiError('invalid_amount', `amount "${amount}" is not a valid ${currency} amount.`);
  if (value.amountMinor < 0) throw new ApiError('invalid_amount', 'amount must not be negative.');
  if (value.amountMinor > MAX_SALE_AMOUNT_MINOR)
    throw new ApiError('invalid_amount', `amount "${amount}" is larger than any sale TAS accepts.`);
  if (currency === offerCurrency) return { ...NO_AMOUNT, amountMinor: value.amountMinor, currency };

  const rate = network?.exchangeRates.find((r) => r.from === currency && r.to === offerCurrency);
  if (!rate) {
    throw new ApiError(
      'unsupported_currency',
      `This offer is in ${offerCurrency} and no ${currency} to ${offerCurrency} rate is configured; send the amount in ${offerCurrency}.`,
    );
  }
  const converted = convertMinorUnits(value.amountMinor, currency, offerCurrency, rate.rate);
  if (converted === null)
    throw new ApiError('invalid_amount', `amount "${amount}" is larger than any sale TAS accepts.`);
  return {
    amountMinor: converted,
    currency: offerCurrency,
    sentAmountMinor: value.amountMinor,
    sentCurrency: currency,
    exchangeRate: rate.rate,
  };
}
