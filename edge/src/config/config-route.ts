import { affiliateConfigKey } from '@tas/shared/affiliate-config';
import { configPublishRequestSchema } from '@tas/shared/config-publish';
import { NETWORK_CONFIG_KEY } from '@tas/shared/network-config';
import { offerConfigKey } from '@tas/shared/offer-config';
import { Hono } from 'hono';
import { ApiError } from '../http/api-error.ts';
import { requireSignedRequest } from '../http/signed-request.ts';
import type { Bindings } from '../settings.ts';
import { forgetCachedConfig } from './config-store.ts';

/**
 * `POST /internal/config`: the control plane publishes offer, affiliate and network
 * configuration to KV. Only requests signed with CONFIG_SIGNING_SECRET are accepted, and a batch
 * is validated whole before anything is written.
 */
export const configRoute = new Hono<{ Bindings: Bindings; Variables: { signedBody: string } }>();

configRoute.post('/', requireSignedRequest, async (c) => {
  let json: unknown;
  try {
    json = JSON.parse(c.get('signedBody'));
  } catch {
    throw new ApiError('invalid_body', 'The body is not valid JSON.');
  }
  const parsed = configPublishRequestSchema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(
      'invalid_body',
      parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; '),
    );
  }
  const { upsert, remove, network } = parsed.data;
  const kv = c.env.CONFIG;
  const writes: [string, string | null][] = [
    ...upsert.offers.map((o): [string, string] => [offerConfigKey(o.id), JSON.stringify(o)]),
    ...upsert.affiliates.map((a): [string, string] => [affiliateConfigKey(a.id), JSON.stringify(a)]),
    ...remove.offers.map((id): [string, null] => [offerConfigKey(id), null]),
    ...remove.affiliates.map((id): [string, null] => [affiliateConfigKey(id), null]),
    ...(network ? [[NETWORK_CONFIG_KEY, JSON.stringify(network)] as [string, string]] : []),
  ];
  await Promise.all(writes.map(([key, value]) => (value === null ? kv.delete(key) : kv.put(key, value))));
  forgetCachedConfig(writes.map(([key]) => key));
  return c.json({
    upserted: {
      offers: upsert.offers.length,
      affiliates: upsert.affiliates.length,
      network: network ? 1 : 0,
    },
    removed: { offers: remove.offers.length, affiliates: remove.affiliates.length },
  });
});
