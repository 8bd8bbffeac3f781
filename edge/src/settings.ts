import { type ClickIdCodec, createClickIdCodec, parseClickIdKeys } from '@tas/shared/click-id';
import { httpUrlSchema } from '@tas/shared/offer-config';
import { z } from 'zod';
import { importIpHashKey } from './privacy/minimise-ip.ts';

/**
 * Secrets and variables, validated once per isolate. Bindings (KV, Queue, Durable Objects) are
 * typed by the generated `Env`; the secrets below are not in wrangler.toml, so their shape lives
 * here and is merged into `Env` by secret-bindings.d.ts.
 */
export const settingsSchema = z.object({
  CLICK_ID_KEYS: z.string().min(1).describe('JSON array of click id keys, signing key first'),
  INGEST_SIGNING_SECRET: z.string().min(32).describe('Signs event batches posted to the control plane'),
  CONFIG_SIGNING_SECRET: z.string().min(32).describe('Verifies configuration published by the control plane'),
  CONTROL_PLANE_URL: z.url({ protocol: /^https?$/ }),
  DEFAULT_FALLBACK_URL: httpUrlSchema,
  CONFIG_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
  IP_HASH_SECRET: z
    .string()
    .min(32)
    .optional()
    .describe(
      'Keys hashed ips (ip mode `hashed`); known to the edge only. Absent: derived from INGEST_SIGNING_SECRET',
    ),
});
export type SecretBindings = Pick<
  z.input<typeof settingsSchema>,
  'CLICK_ID_KEYS' | 'INGEST_SIGNING_SECRET' | 'CONFIG_SIGNING_SECRET' | 'IP_HASH_SECRET'
>;
export type Bindings = Env;

export type Settings = {
  clickIds: ClickIdCodec;
  ingestSigningSecret: string;
  configSigningSecret: string;
  controlPlaneUrl: string;
  defaultFallbackUrl: string;
  configCacheTtlMs: number;
  /** HMAC key of hashed ips (privacy/minimise-ip.ts), imported on first use. */
  ipHashKey: () => Promise<CryptoKey>;
};

// Parsing and key import happen once per isolate, not per request. The cache is keyed by the
// raw values, so a new deployment's secrets are never served from an old parse.
let cached: { env: Bindings; source: string; settings: Settings } | null = null;

export function settingsOf(env: Bindings): Settings {
  // The same env object comes back request after request in an isolate: skip even the key build.
  if (cached?.env === env) return cached.settings;
  const source = [
    env.CLICK_ID_KEYS,
    env.INGEST_SIGNING_SECRET,
    env.CONFIG_SIGNING_SECRET,
    env.CONTROL_PLANE_URL,
    env.DEFAULT_FALLBACK_URL,
    env.CONFIG_CACHE_TTL_MS,
    env.IP_HASH_SECRET,
  ].join('\u0000');
  if (cached?.source === source) {
    cached = { ...cached, env };
    return cached.settings;
  }
  const parsed = settingsSchema.parse(env);
  const settings: Settings = {
    clickIds: createClickIdCodec(parseClickIdKeys(parsed.CLICK_ID_KEYS)),
    ingestSigningSecret: parsed.INGEST_SIGNING_SECRET,
    configSigningSecret: parsed.CONFIG_SIGNING_SECRET,
    controlPlaneUrl: parsed.CONTROL_PLANE_URL.replace(/\/+$/, ''),
    defaultFallbackUrl: parsed.DEFAULT_FALLBACK_URL,
    configCacheTtlMs: parsed.CONFIG_CACHE_TTL_MS,
    ipHashKey: once(() =>
      // Without its own secret the key is derived from the ingest secret under a label of its own.
      importIpHashKey(parsed.IP_HASH_SECRET ?? `tas-ip-hash\u0000${parsed.INGEST_SIGNING_SECRET}`),
    ),
  };
  cached = { env, source, settings };
  return settings;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | null = null;
  return () => {
    value ??= make();
    return value;
  };
}
