import {
  type AffiliateConfig,
  affiliateConfigKey,
  affiliateConfigSchema,
} from '@tas/shared/affiliate-config';
import { NETWORK_CONFIG_KEY, type NetworkConfig, networkConfigSchema } from '@tas/shared/network-config';
import { type OfferConfig, offerConfigKey, offerConfigSchema } from '@tas/shared/offer-config';
import type { z } from 'zod';
import { ApiError } from '../http/api-error.ts';

/**
 * Reads the configuration the control plane published to KV, in two tiers: a small in-isolate
 * cache (TTL from CONFIG_CACHE_TTL_MS, a few seconds, well inside KV's own propagation time) in
 * front of KV. Absent values are cached too, so floods of unknown ids do not each cost a KV read.
 * A failed KV read, or a value that fails validation (a newer control plane's, during a deploy),
 * is not an absent value: it is never cached, the last good value read is used if there is one,
 * and otherwise the caller gets a 503 to retry, never an "unknown offer" 404 that an advertiser
 * would not retry (and never a 500).
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
  let text: string | null;
  try {
    text = await kv.get(key, { type: 'text', cacheTtl: 60 });
  } catch (error) {
    console.error(
      JSON.stringify({ msg: 'kv read failed', key, stale: hit !== undefined, error: String(error) }),
    );
    if (hit) return hit.value as z.infer<S> | null;
    throw new ApiError('service_unavailable', 'Configuration could not be read right now; retry shortly.');
  }
  let value: z.infer<S> | null = null;
  if (text !== null) {
    const parsed = schema.safeParse(parseJson(text));
    if (!parsed.success) {
      // Written by a newer control plane than this edge knows (a deploy under way), or damaged:
      // not "no such offer", which advertisers would not retry.
      console.error(JSON.stringify({ msg: 'invalid config in kv', key, stale: hit !== undefined }));
      if (hit) return hit.value as z.infer<S> | null;
      throw new ApiError('service_unavailable', 'Configuration could not be read right now; retry shortly.');
    }
    value = parsed.data;
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
