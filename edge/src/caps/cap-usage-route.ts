import { type CapUsageResponse, capUsageRequestSchema } from '@tas/shared/cap-usage';
import { Hono } from 'hono';
import { ApiError } from '../http/api-error.ts';
import { requireSignedRequest } from '../http/signed-request.ts';
import type { Bindings } from '../settings.ts';
import { affiliateCapScope, offerCapScope, periods } from './cap-scope.ts';

/**
 * `POST /internal/caps`: the cap counters of an offer and of some of its affiliates, for the
 * control plane's view of cap usage. Signed like configuration publishing; reads only.
 */
export const capUsageRoute = new Hono<{ Bindings: Bindings; Variables: { signedBody: string } }>();

capUsageRoute.use(requireSignedRequest);

capUsageRoute.post('/', async (c) => {
  let json: unknown;
  try {
    json = JSON.parse(c.var.signedBody);
  } catch {
    throw new ApiError('invalid_body', 'The body is not valid JSON.');
  }
  const parsed = capUsageRequestSchema.safeParse(json);
  if (!parsed.success)
    throw new ApiError('invalid_body', `Invalid request: ${parsed.error.issues[0]?.message}`);
  const { offerId, affiliateIds, at } = parsed.data;
  const { day, month } = periods(at ? new Date(at) : new Date());
  const read = (scope: string) => c.env.CAPS.get(c.env.CAPS.idFromName(scope)).usage({ day, month });
  const [offer, ...affiliates] = await Promise.all([
    read(offerCapScope(offerId)),
    ...affiliateIds.map((id) => read(affiliateCapScope(offerId, id))),
  ]);
  const body: CapUsageResponse = {
    offerId,
    day,
    month,
    // Promise.all over at least one read: the offer's is always there.
    offer: offer!,
    affiliates: affiliateIds.map((affiliateId, i) => ({ affiliateId, used: affiliates[i]! })),
  };
  return c.json(body);
});
