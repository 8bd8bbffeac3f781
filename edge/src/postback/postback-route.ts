import { Hono } from 'hono';
import { recordConversion } from '../conversion/record-conversion.ts';
import { clientInfo } from '../http/client-info.ts';
import { type Bindings, settingsOf } from '../settings.ts';
import { readPostbackParams } from './postback-params.ts';

/** `GET|POST /postback`: server-to-server conversions from advertisers (tracking contract, section 3). */
export const postbackRoute = new Hono<{ Bindings: Bindings }>();

postbackRoute.on(['GET', 'POST'], '/', async (c) => {
  const params = await readPostbackParams(c.req.raw);
  const outcome = await recordConversion(c.env, settingsOf(c.env), clientInfo(c.req.raw), {
    ...params,
    secret: params.secret ?? c.req.header('x-tas-postback-secret') ?? null,
    source: 'postback',
  });
  if (outcome.status === 'duplicate') {
    return c.json(
      outcome.statusUpdateId !== null
        ? {
            status: 'duplicate',
            conversion_id: outcome.conversionId,
            status_update: 'queued',
            status_update_id: outcome.statusUpdateId,
          }
        : { status: 'duplicate' },
    );
  }
  // Recorded but unable to earn (over a cap, a fallback click, an affiliate no longer allowed):
  // the advertiser is told, so nobody wonders later why it was not paid.
  return c.json(
    outcome.rejection === null
      ? { status: 'accepted', conversion_id: outcome.conversionId }
      : {
          status: 'accepted',
          conversion_id: outcome.conversionId,
          payable: false,
          reason: outcome.rejection,
        },
  );
});
