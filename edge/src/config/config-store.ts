import {
  type AffiliateConfig,
  affiliateConfigKey,
  affiliateConfigSchema,
} from '@tas/shared/affiliate-config';
import { type OfferConfig, offerConfigKey, offerConfigSchema } from '@tas/shared/offer-config';

/**
 * Reads the configuration the control plane published to KV. A value that fails validation is
 * treated as absent (and logged): a bad write must not turn into 500s on every click.
 */
export async function readOffer(kv: KVNamespace, offerId: number): Promise<OfferConfig | null> {
  return readValidated(kv, offerConfigKey(offerId), offerConfigSchema.safeParse);
}

export async function readAffiliate(kv: KVNamespace, affiliateId: number): Promise<AffiliateConfig | null> {
  return readValidated(kv, affiliateConfigKey(affiliateId), affiliateConfigSchema.safeParse);
}

async function readValidated<T>(
  kv: KVNamespace,
  key: string,
  parse: (value: unknown) => { success: true; data: T } | { success: false },
): Promise<T | null> {
  const raw = await kv.get(key, { type: 'json', cacheTtl: 60 }).catch((error: unknown) => {
    console.error(JSON.stringify({ msg: 'kv read failed', key, error: String(error) }));
    return null;
  });
  if (raw === null) return null;
  const parsed = parse(raw);
  if (!parsed.success) {
    console.error(JSON.stringify({ msg: 'invalid config in kv', key }));
    return null;
  }
  return parsed.data;
}
