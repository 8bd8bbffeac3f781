import { statusUpdateIdFor } from '@tas/shared/conversion-id';
import type { ConversionStatusEvent, EventEnvelope } from '@tas/shared/events';
import { ApiError } from '../http/api-error.ts';
import type { Bindings } from '../settings.ts';

/**
 * Queues an advertiser's status change for a conversion already counted (pending -> approved, a
 * chargeback -> rejected). Whether it came from a trusted postback travels with it: only those
 * may approve a conversion held for review. Returns the change's id.
 */
export async function queueStatusUpdate(
  env: Bindings,
  update: {
    conversionId: string;
    clickId: string;
    offerId: number;
    status: ConversionStatusEvent['status'];
    trusted: boolean;
    now: Date;
  },
): Promise<string> {
  const occurredAt = update.now.toISOString();
  const event: ConversionStatusEvent = {
    type: 'conversion_status',
    id: await statusUpdateIdFor({ ...update, occurredAt }),
    occurredAt,
    conversionId: update.conversionId,
    clickId: update.clickId,
    offerId: update.offerId,
    status: update.status,
    trusted: update.trusted,
  };
  try {
    await env.EVENTS.send({ events: [event] } satisfies EventEnvelope);
  } catch (error) {
    console.error(
      JSON.stringify({
        msg: 'status update not recorded',
        conversionId: update.conversionId,
        error: String(error),
      }),
    );
    throw new ApiError('service_unavailable', 'The status update could not be recorded; retry later.');
  }
  return event.id;
}
