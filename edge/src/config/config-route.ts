import { affiliateConfigKey } from '@tas/shared/affiliate-config';
import { configPublishRequestSchema } from '@tas/shared/config-publish';
import { offerConfigKey } from '@tas/shared/offer-config';
import { SIGNATURE_HEADER, verifyBody } from '@tas/shared/signature';
import { Hono } from 'hono';
import { ApiError } from '../http/api-error.ts';
import { type Bindings, settingsOf } from '../settings.ts';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * `POST /internal/config`: the control plane publishes offer and affiliate configuration to KV.
 * Only requests signed with CONFIG_SIGNING_SECRET are accepted.
 */
export const configRoute = new Hono<{ Bindings: Bindings }>();

configRoute.post('/', async (c) => {
  const settings = settingsOf(c.env);
  const body = await c.req.text();
  if (body.length > MAX_BODY_BYTES)
    throw new ApiError('payload_too_large', 'The configuration batch is too large.');
  const check = await verifyBody(settings.configSigningSecret, body, c.req.header(SIGNATURE_HEADER));
  if (!check.ok) throw new ApiError('unauthorized', `Signature ${check.reason}.`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ApiError('invalid_body', 'The body is not valid JSON.');
  }
  const parsed = configPublishRequestSchema.safeParse(json);
  if (!parsed.success)
    throw new ApiError(
      'invalid_body',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  const { upsert, remove } = parsed.data;
  const kv = c.env.CONFIG;
  await Promise.all([
    ...upsert.offers.map((o) => kv.put(offerConfigKey(o.id), JSON.stringify(o))),
    ...upsert.affiliates.map((a) => kv.put(affiliateConfigKey(a.id), JSON.stringify(a))),
    ...remove.offers.map((id) => kv.delete(offerConfigKey(id))),
    ...remove.affiliates.map((id) => kv.delete(affiliateConfigKey(id))),
  ]);
  return c.json({
    upserted: { offers: upsert.offers.length, affiliates: upsert.affiliates.length },
    removed: { offers: remove.offers.length, affiliates: remove.affiliates.length },
  });
});
