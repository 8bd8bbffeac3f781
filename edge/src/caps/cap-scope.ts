import { affiliateCapLimits, type CapLimits } from '@tas/shared/caps';
import type { OfferConfig } from '@tas/shared/offer-config';
import type { CapCounter } from './cap-counter.ts';
import { type CapLeaseCache, capLeases, type LeaseScope } from './cap-lease.ts';

export type CapKind = 'clicks' | 'conversions';

function limitsFor(limits: CapLimits, kind: CapKind) {
  return kind === 'clicks'
    ? { dailyLimit: limits.dailyClicks, monthlyLimit: limits.monthlyClicks }
    : { dailyLimit: limits.dailyConversions, monthlyLimit: limits.monthlyConversions };
}

export function periods(now: Date) {
  const iso = now.toISOString();
  return { day: iso.slice(0, 10), month: iso.slice(0, 7) };
}

/** Durable Object names of the counters of an offer, and of one affiliate on it. */
export const offerCapScope = (offerId: number) => `cap:${offerId}`;
export const affiliateCapScope = (offerId: number, affiliateId: number) => `cap:${offerId}:${affiliateId}`;

/** The cap scopes that apply to a click or conversion, and whether there are any. */
function scopes(offer: OfferConfig, affiliateId: number, kind: CapKind) {
  const result: { name: string; dailyLimit: number | null; monthlyLimit: number | null }[] = [];
  const offerLimits = limitsFor(offer.caps.offer, kind);
  if (offerLimits.dailyLimit !== null || offerLimits.monthlyLimit !== null) {
    result.push({ name: offerCapScope(offer.id), ...offerLimits });
  }
  const affiliateLimits = limitsFor(affiliateCapLimits(offer.caps, affiliateId), kind);
  if (affiliateLimits.dailyLimit !== null || affiliateLimits.monthlyLimit !== null) {
    result.push({ name: affiliateCapScope(offer.id, affiliateId), ...affiliateLimits });
  }
  return result;
}

export function hasCaps(offer: OfferConfig, affiliateId: number, kind: CapKind): boolean {
  return scopes(offer, affiliateId, kind).length > 0;
}

/**
 * Takes one click from every cap scope that applies, from the isolate's leases (decision 031):
 * per affiliate first, then the offer; a refusal by a later scope puts the earlier tokens back
 * into their leases. False when a cap is used up (or its last tokens are lent to other isolates
 * for up to a lease's life).
 */
export async function leaseClickCaps(
  namespace: DurableObjectNamespace<CapCounter>,
  offer: OfferConfig,
  affiliateId: number,
  now: Date,
  waitUntil: (promise: Promise<unknown>) => void,
  leases: CapLeaseCache = capLeases,
): Promise<boolean> {
  const { day, month } = periods(now);
  const wanted: LeaseScope[] = scopes(offer, affiliateId, 'clicks')
    .reverse()
    .map((scope) => ({ ...scope, kind: 'clicks', day, month }));
  if (leases.takeNow(wanted)) return true;
  // A scope known to be full refuses before any other is spent.
  if (wanted.some((scope) => leases.knownFull(scope))) return false;
  const taken: LeaseScope[] = [];
  // Rare (a later scope refused): if the way back fails, the token stays counted as used.
  const putBack = () =>
    Promise.all(taken.map((earlier) => leases.putBack(namespace, earlier))).catch((error: unknown) => {
      console.error(
        JSON.stringify({ msg: 'cap token not put back', offerId: offer.id, error: String(error) }),
      );
    });
  for (const scope of wanted) {
    let ok: boolean;
    try {
      ok = await leases.take(namespace, scope, waitUntil);
    } catch (error) {
      await putBack();
      throw error;
    }
    if (!ok) {
      await putBack();
      return false;
    }
    taken.push(scope);
  }
  return true;
}

/**
 * Reserves one unit in every cap scope that applies (per affiliate first, then the offer). If a
 * later scope is full, the reservations already made are given back, so a click refused by the
 * offer cap does not use up the affiliate's cap. UTC days and months.
 */
export async function reserveCaps(
  namespace: DurableObjectNamespace<CapCounter>,
  offer: OfferConfig,
  affiliateId: number,
  kind: CapKind,
  now: Date,
): Promise<{ ok: boolean; release: () => Promise<void> }> {
  const { day, month } = periods(now);
  const taken: string[] = [];
  const release = async () => {
    await Promise.all(
      taken.map((name) => namespace.get(namespace.idFromName(name)).release({ kind, day, month })),
    );
  };
  for (const scope of scopes(offer, affiliateId, kind).reverse()) {
    const stub = namespace.get(namespace.idFromName(scope.name));
    const result = await stub.reserve({
      kind,
      day,
      month,
      dailyLimit: scope.dailyLimit,
      monthlyLimit: scope.monthlyLimit,
    });
    if (!result.ok) {
      await release();
      return { ok: false, release: async () => {} };
    }
    taken.push(scope.name);
  }
  return { ok: true, release };
}

/**
 * Whether any cap that applies is full, reserving nothing: a bot is sent where a person would
 * be, but must not use up what people may still take.
 */
export async function capsFull(
  namespace: DurableObjectNamespace<CapCounter>,
  offer: OfferConfig,
  affiliateId: number,
  kind: CapKind,
  now: Date,
): Promise<boolean> {
  const { day, month } = periods(now);
  const applying = scopes(offer, affiliateId, kind);
  // What this isolate knows answers without a round trip: a scope the ledger lately said is full,
  // or tokens lent to this isolate in every scope (the ledger would say full once all are lent).
  const leaseScopes = applying.map((scope): LeaseScope => ({ ...scope, kind, day, month }));
  if (leaseScopes.some((scope) => capLeases.knownFull(scope))) return true;
  if (leaseScopes.every((scope) => capLeases.holds(scope))) return false;
  const answers = await Promise.all(
    applying.map((scope) =>
      namespace.get(namespace.idFromName(scope.name)).full({
        kind,
        day,
        month,
        dailyLimit: scope.dailyLimit,
        monthlyLimit: scope.monthlyLimit,
      }),
    ),
  );
  return answers.some(Boolean);
}
