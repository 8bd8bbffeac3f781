import { statusUpdateIdFor } from '@tas/shared/conversion-id';
import type { ConversionStatusEvent, EventEnvelope } from '@tas/shared/events';
import { ApiError } from '../http/api-error.ts';
import type { Bindings } from '../settings.ts';

/**
 * Queues an advertiser's status change for a conversion already counted (pending -> approved, a
 * chargeback -> rejected). Its id comes from (conversion, status), so retries are one event.
 */
export async function queueStatusUpdate(
  env: Bindings,
  update: {
    conversionId: string;
    clickId: string;
    offerId: number;
    status: ConversionStatusEvent['status'];
    now: Date;
  },
): Promise<true> {
  const event: ConversionStatusEvent = {
    type: 'conversion_status',
    id: await statusUpdateIdFor(update.conversionId, update.status),
    occurredAt: update.now.toISOString(),
    conversionId: update.conversionId,
    clickId: update.clickId,
    offerId: update.offerId,
    status: update.status,
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
  return true;
}
