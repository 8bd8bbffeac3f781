import { type ClickIdCodec, createClickIdCodec, parseClickIdKeys } from '@tas/shared/click-id';
import { httpUrlSchema } from '@tas/shared/offer-config';
import { z } from 'zod';

/**
 * Secrets and variables, validated once per isolate. Bindings (KV, Queue) are typed by the
 * generated `Env`; the secrets below are not in wrangler.toml, so their shape lives here.
 */
export const settingsSchema = z.object({
  CLICK_ID_KEYS: z.string().min(1).describe('JSON array of click id keys, signing key first'),
  INGEST_SIGNING_SECRET: z.string().min(32).describe('Signs event batches posted to the control plane'),
  CONFIG_SIGNING_SECRET: z.string().min(32).describe('Verifies configuration published by the control plane'),
  CONTROL_PLANE_URL: z.url({ protocol: /^https?$/ }),
  DEFAULT_FALLBACK_URL: httpUrlSchema,
});
export type SecretBindings = z.input<typeof settingsSchema>;
export type Bindings = Env;

export type Settings = {
  clickIds: ClickIdCodec;
  ingestSigningSecret: string;
  configSigningSecret: string;
  controlPlaneUrl: string;
  defaultFallbackUrl: string;
};

// The env object is stable for an isolate's life; key import and parsing happen once, not per request.
const cache = new WeakMap<object, Settings>();

export function settingsOf(env: Bindings): Settings {
  let settings = cache.get(env);
  if (!settings) {
    const parsed = settingsSchema.parse(env);
    settings = {
      clickIds: createClickIdCodec(parseClickIdKeys(parsed.CLICK_ID_KEYS)),
      ingestSigningSecret: parsed.INGEST_SIGNING_SECRET,
      configSigningSecret: parsed.CONFIG_SIGNING_SECRET,
      controlPlaneUrl: parsed.CONTROL_PLANE_URL.replace(/\/+$/, ''),
      defaultFallbackUrl: parsed.DEFAULT_FALLBACK_URL,
    };
    cache.set(env, settings);
  }
  return settings;
}
