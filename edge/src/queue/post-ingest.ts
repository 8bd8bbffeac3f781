import type { TrackingEvent } from '@tas/shared/events';
import { SIGNATURE_HEADER, signBody } from '@tas/shared/signature';
import type { Settings } from '../settings.ts';

/** Posts events to the control plane's ingest, signed. Returns null on success, else why not. */
export async function postIngest(settings: Settings, events: TrackingEvent[]): Promise<string | null> {
  const body = JSON.stringify({ events });
  try {
    const response = await fetch(`${settings.controlPlaneUrl}/internal/ingest`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: await signBody(settings.ingestSigningSecret, '/internal/ingest', body),
      },
      body,
    });
    if (response.ok) return null;
    return `status ${response.status}: ${(await response.text()).slice(0, 300)}`;
  } catch (error) {
    return String(error);
  }
}
