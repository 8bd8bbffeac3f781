import { hasControlCharacters } from '@tas/shared/clean-text';
import { type ConsentSignals, readConsentSignals } from '@tas/shared/consent';
import { ApiError } from '../http/api-error.ts';

const ALIASES = {
  clickId: ['click_id', 'transaction_id'],
  event: ['event'],
  amount: ['amount', 'sale_amount'],
  currency: ['currency'],
  txid: ['txid', 'order_id', 'adv_sub'],
  status: ['status'],
  secret: ['secret'],
  // Hashed at the edge for ad platforms (record-conversion.ts); the raw value goes no further.
  email: ['email'],
  phone: ['phone'],
} as const;

export type PostbackParams = { [K in keyof typeof ALIASES]: string | null } & {
  /** consent, gdpr, gdpr_consent, ad_user_data, ad_personalization: malformed values are dropped. */
  consent: ConsentSignals;
};

const MAX_BODY_BYTES = 16 * 1024;
const MAX_VALUE_LENGTH = 1024;

/**
 * Reads postback parameters from the query string and, for POST, from a form or JSON body
 * (body values win). Aliases follow TUNE and Everflow (tracking contract, section 3).
 */
export async function readPostbackParams(request: Request): Promise<PostbackParams> {
  const values = new Map<string, string>();
  for (const [k, v] of new URL(request.url).searchParams) if (!values.has(k)) values.set(k, v);
  if (request.method === 'POST') for (const [k, v] of await readBody(request)) values.set(k, v);

  const pick = (names: readonly string[]) => {
    for (const name of names) {
      const value = values.get(name);
      if (value === undefined || value === '') continue;
      if (value.length > MAX_VALUE_LENGTH) {
        throw new ApiError('invalid_parameter', `${name} is longer than ${MAX_VALUE_LENGTH} characters.`);
      }
      // Refused, not cleaned: a txid is an order's identity, and two orders must not merge
      // because a control character was dropped from one of them.
      if (hasControlCharacters(value)) {
        throw new ApiError('invalid_parameter', `${name} contains control characters.`);
      }
      // A lone surrogate (possible in a JSON body) would be stored as U+FFFD, merging two txids.
      if (!value.isWellFormed())
        throw new ApiError('invalid_parameter', `${name} is not valid Unicode text.`);
      return value;
    }
    return null;
  };
  return {
    clickId: pick(ALIASES.clickId),
    event: pick(ALIASES.event),
    amount: pick(ALIASES.amount),
    currency: pick(ALIASES.currency),
    txid: pick(ALIASES.txid),
    status: pick(ALIASES.status),
    secret: pick(ALIASES.secret),
    email: pick(ALIASES.email),
    phone: pick(ALIASES.phone),
    // A TC string may be longer than other values and a bad one is dropped, never a refusal.
    consent: readConsentSignals((name) => values.get(name)),
  };
}

async function readBody(request: Request): Promise<Iterable<[string, string]>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES)
    throw new ApiError('payload_too_large', `The body is over ${MAX_BODY_BYTES} bytes.`);
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES)
    throw new ApiError('payload_too_large', `The body is over ${MAX_BODY_BYTES} bytes.`);
  if (text.trim() === '') return [];
  const type = request.headers.get('content-type') ?? '';
  if (type.includes('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError('invalid_body', 'The body is not valid JSON.');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new ApiError('invalid_body', 'The JSON body must be an object of parameters.');
    }
    return Object.entries(json).flatMap(([k, v]): [string, string][] =>
      typeof v === 'string' || typeof v === 'number' ? [[k, String(v)]] : [],
    );
  }
  return new URLSearchParams(text);
}
