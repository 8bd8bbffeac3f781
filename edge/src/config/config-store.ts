import {
  type AffiliateConfig,
  affiliateConfigKey,
  affiliateConfigSchema,
} from '@tas/shared/affiliate-config';
import { NETWORK_CONFIG_KEY, type NetworkConfig, networkConfigSchema } from '@tas/shared/network-config';
import { type OfferConfig, offerConfigKey, offerConfigSchema } from '@tas/shared/offer-config';
import type { z } from 'zod';

/**
 * Reads the configuration the control plane published to KV, in two tiers: a small in-isolate
 * cache (TTL from CONFIG_CACHE_TTL_MS, a few seconds, well inside KV's own propagation time) in
 * front of KV. A value that fails validation is treated as absent (and logged): a bad write must
 * not turn into 500s on every click. Absent values are cached too, so floods of unknown ids do
 * not each cost a KV read.
 */
type Entry = { value: unknown; expiresAt: number };
const cache = new Map<string, Entry>();
const MAX_ENTRIES = 5000;

export function forgetCachedConfig(keys: string[]) {
  for (const key of keys) cache.delete(key);
}

async function read<S extends z.ZodType>(
  kv: KVNamespace,
  key: string,
  schema: S,
  ttlMs: number,
): Promise<z.infer<S> | null> {
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expiresAt > now) return hit.value as z.infer<S> | null;
  const raw = await kv.get(key, { type: 'json', cacheTtl: 60 }).catch((error: unknown) => {
    console.error(JSON.stringify({ msg: 'kv read failed', key, error: String(error) }));
    return null;
  });
  let value: z.infer<S> | null = null;
  if (raw !== null) {
    const parsed = schema.safeParse(raw);
    if (parsed.success) value = parsed.data;
    else console.error(JSON.stringify({ msg: 'invalid config in kv', key }));
  }
  if (ttlMs > 0) {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, { value, expiresAt: now + ttlMs });
  }
  return value;
}

type Maybe<T> = T | null | Promise<T | null>;
export type ConfigStore = {
  offer(id: number): Maybe<OfferConfig>;
  affiliate(id: number): Maybe<AffiliateConfig>;
  network(): Maybe<NetworkConfig>;
};

export function configStore(kv: KVNamespace, ttlMs: number): ConfigStore {
  return {
    offer: (id) => read(kv, offerConfigKey(id), offerConfigSchema, ttlMs),
    affiliate: (id) => read(kv, affiliateConfigKey(id), affiliateConfigSchema, ttlMs),
    network: () => read(kv, NETWORK_CONFIG_KEY, networkConfigSchema, ttlMs),
  };
}
