import { ingestResultSchema } from '@tas/shared/events';
import { SIGNATURE_HEADER, signBody } from '@tas/shared/signature';
import type { Settings } from '../settings.ts';

export type IngestOutcome =
  | {
      ok: true;
      /** Conversions the ingest held back for their click: to be sent again later (canDefer). */
      deferred: string[];
    }
  | {
      ok: false;
      /**
       * The control plane answered, and the failure may come from what was sent (a 4xx, a 500):
       * sending the events in parts can deliver the good ones. Not when it is down or says so
       * (unreachable, 502-504, 429) or refuses the signature (401): no part would fare better.
       */
      splittable: boolean;
      failure: string;
    };

const NOT_SPLITTABLE = new Set([401, 429, 502, 503, 504]);

/**
 * Posts events (as they came from the Queue, each judged by the ingest) to the control plane,
 * signed, with `x-request-id` so the ingest's log line of this request can be found from the
 * edge's (the id is not signed: it only correlates logs). `canDefer` says the caller sends again
 * what the ingest answers `deferred` (only the Queue consumer can: it re-queues them with a delay).
 */
export async function postIngest(
  settings: Settings,
  events: readonly unknown[],
  { requestId = crypto.randomUUID(), canDefer = false }: { requestId?: string; canDefer?: boolean } = {},
): Promise<IngestOutcome> {
  // Said only when true, so a request that defers nothing is what it always was.
  const body = JSON.stringify(canDefer ? { events, canDefer } : { events });
  try {
    const response = await fetch(`${settings.controlPlaneUrl}/internal/ingest`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        [SIGNATURE_HEADER]: await signBody(settings.ingestSigningSecret, '/internal/ingest', body),
      },
      body,
    });
    if (response.ok) {
      // An older control plane answers no `deferred`: it stored everything.
      const answer = ingestResultSchema.partial().safeParse(await response.json().catch(() => null));
      return { ok: true, deferred: canDefer && answer.success ? (answer.data.deferred ?? []) : [] };
    }
    return {
      ok: false,
      splittable: !NOT_SPLITTABLE.has(response.status),
      failure: `status ${response.status}: ${(await response.text()).slice(0, 300)}`,
    };
  } catch (error) {
    return { ok: false, splittable: false, failure: String(error) };
  }
}
