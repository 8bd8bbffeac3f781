import { decideByConfiguration } from './decide-click.ts';
import type { ClickTarget } from './track-click.ts';

/**
 * Where a link preview (a HEAD request) is told the link goes: the destination only when a click
 * would be sent there by configuration, else the fallback, so a preview of a paused or private
 * offer does not reveal its destination. Macros are emptied: a preview gets no click id.
 */
export function previewLocation(target: ClickTarget, defaultFallbackUrl: string): string {
  const { offer, affiliate, params, client, device } = target;
  const decision = decideByConfiguration(
    offer,
    affiliate,
    { country: client.country, ...device },
    params.creativeId,
    new Date(),
  );
  const template =
    decision.outcome === 'fallback' ? (offer.fallbackUrl ?? defaultFallbackUrl) : offer.destinationUrl;
  return template.replace(/\{[a-z0-9_]+\}/g, '');
}
