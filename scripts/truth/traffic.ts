import type { Conversion, EdgeClient } from './edge-client.ts';
import type { faultInjector } from './faults.ts';
import type { batchInjector } from './injected-batches.ts';
import { clean, poison } from './ledger.ts';
import type { OfferCatalog, TruthOffer } from './offers.ts';
import {
  CLICK_POISONS,
  CONVERSION_POISONS,
  type ConversionRequest,
  encodeAll,
  envelopeFillerQuery,
} from './poison.ts';
import { type Random, seededRandom } from './random.ts';

export type TrafficDeps = {
  edge: EdgeClient;
  offers: OfferCatalog;
  faults: ReturnType<typeof faultInjector>;
  injector: ReturnType<typeof batchInjector>;
  clicks: number;
  concurrency: number;
  seed: number;
  poison: boolean;
};

const BOT_AGENTS = [
  'curl/8.5.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
];
// Clean values a real affiliate sends, non-ASCII included: only poison may be refused or quarantined.
const CLEAN_SUBS = ['fb-feed', 'café-ü', 'summer_sale', '12345', 'ads+search', 'naïve-kw', 'a b c', 'tränen'];
const POSTBACK_VARIANTS = ['get', 'json', 'form', 'concurrent', 'status', 'pixel+postback'] as const;
type PostbackVariant = (typeof POSTBACK_VARIANTS)[number];
const weighted = (r: Random): PostbackVariant => {
  const roll = r.next();
  if (roll < 0.6) return 'get';
  if (roll < 0.7) return 'json';
  if (roll < 0.78) return 'form';
  if (roll < 0.85) return 'concurrent';
  if (roll < 0.93) return 'status';
  return 'pixel+postback';
};
const OFFER_WEIGHTS: [TruthOffer['role'], number][] = [
  ['cpa', 35],
  ['revshare', 25],
  ['cpc', 15],
  ['secret', 15],
  ['capped', 10],
];

/**
 * The mixed stream: `clicks` steps, each a click (a visitor, a bot, or poison) and what may follow
 * it (postbacks, pixels, their duplicates, concurrent repeats and later retries, status changes),
 * with poison conversions, injected ingest batches and an envelope burst interleaved. Each step
 * draws from its own seeded random source, so the plan does not depend on timing.
 */
export async function runTraffic(deps: TrafficDeps): Promise<{ errors: string[] }> {
  const { edge, offers, clicks: steps } = deps;
  const errors: string[] = [];
  // Follow-ups held back to be sent later in the stream (retries, status changes, re-fired pixels).
  let deferred: (() => Promise<void>)[] = [];
  const ready: (() => Promise<void>)[] = [];
  const releaseDeferred = () => {
    ready.push(...deferred);
    deferred = [];
  };
  const clickPoisonEvery = Math.max(3, Math.min(25, Math.floor(steps / (2 * CLICK_POISONS.length))));
  const conversionPoisonEvery = Math.max(
    3,
    Math.min(25, Math.floor(steps / (2 * CONVERSION_POISONS.length))),
  );
  // A dozen injected batches in a small run, one every 250 steps in a large one.
  const injectEvery = Math.max(10, Math.min(250, Math.floor(steps / 12)));
  const bursts = new Set(
    (steps >= 5000 ? [0.15, 0.45, 0.65, 0.85] : [0.45]).map((at) => Math.floor(steps * at)),
  );
  const releaseEvery = Math.max(1, Math.floor(steps / 5));

  const pickOffer = (r: Random) => {
    let roll = r.int(1, 100);
    for (const [role, weight] of OFFER_WEIGHTS) {
      roll -= weight;
      if (roll <= 0) return offers[role];
    }
    return offers.cpa;
  };

  const visit = async (r: Random, offer: TruthOffer, label = 'normal'): Promise<string | null> => {
    const subs = `sub1=${encodeAll(r.pick(CLEAN_SUBS))}&sub2=${r.token(8)}${r.chance(0.3) ? `&source_id=${r.token(5)}` : ''}`;
    const roll = r.next();
    if (roll < 0.03) return edge.register(clean(label), offer.id, `aff_id=1&${subs}`);
    if (roll < 0.1) return edge.click(clean(label), offer.id, subs, { path: `/c/${offer.id}/1` });
    return edge.click(clean(label), offer.id, `aff_id=1&${subs}`);
  };

  const secretPart = (offer: TruthOffer, r: Random) =>
    offer.secret && r.chance(0.5) ? `&secret=${offer.secret}` : '';
  const secretHeader = (offer: TruthOffer): Record<string, string> =>
    offer.secret ? { 'x-tas-postback-secret': offer.secret } : {};

  let scenarioNo = 0;
  const postbacks = async (r: Random, i: number, offer: TruthOffer, clickId: string) => {
    const txid = `T${deps.seed}-${i}`;
    const amount = (r.int(100, 20_000) / 100).toFixed(2);
    const event = offer.events.includes('lead') && r.chance(0.2) ? 'lead' : 'conversion';
    const conversion: Conversion = { offerId: offer.id, event, txid, clickId };
    const query = `click_id=${clickId}&txid=${txid}&amount=${amount}${event === 'lead' ? '&event=lead' : ''}${secretPart(offer, r)}`;
    const headers = secretHeader(offer);
    // The first scenarios go through every variant once, so even a small run has each of them.
    const variant = scenarioNo < POSTBACK_VARIANTS.length ? POSTBACK_VARIANTS[scenarioNo] : weighted(r);
    const first = scenarioNo++ < POSTBACK_VARIANTS.length;
    if (variant === 'get') {
      await edge.postback('postback', clean(), conversion, { query }, headers);
      // The advertiser retries later (a timeout on their side): the answer must be "duplicate".
      if (first || r.chance(0.25))
        deferred.push(() =>
          edge.postback('postback', clean('retry'), conversion, { query }, headers).then(() => {}),
        );
    } else if (variant === 'json') {
      const json: Record<string, string> = { click_id: clickId, txid, amount, event };
      await edge.postback('postback', clean(), conversion, { json }, headers);
    } else if (variant === 'form') {
      await edge.postback('postback', clean(), conversion, { form: query }, headers);
    } else if (variant === 'concurrent') {
      // The same postback five times at once: one "accepted", the others "duplicate".
      await Promise.all(
        Array.from({ length: 5 }, (_, n) =>
          edge.postback('postback', clean(n === 0 ? 'normal' : 'concurrent'), conversion, { query }, headers),
        ),
      );
    } else if (variant === 'status') {
      await edge.postback(
        'postback',
        clean(),
        { ...conversion, status: 'pending' },
        { query: `${query}&status=pending` },
        headers,
      );
      // Later the advertiser approves it, or charges it back: a status change, not a new count.
      const status = r.chance(0.3) ? 'rejected' : 'approved';
      deferred.push(() =>
        edge
          .postback(
            'status',
            clean('status'),
            { ...conversion, status },
            { query: `${query}&status=${status}` },
            headers,
          )
          .then(() => {}),
      );
    } else {
      // Pixel and postback for the same order, at the same time.
      await Promise.all([
        edge.pixel(
          clean('pixel+postback'),
          conversion,
          `click_id=${clickId}&txid=${txid}&amount=${amount}&event=${event}`,
        ),
        edge.postback('postback', clean('pixel+postback'), conversion, { query }, headers),
      ]);
    }
  };

  let pixelNo = 0;
  const pixel = async (r: Random, i: number, offer: TruthOffer, clickId: string) => {
    const txid = `P${deps.seed}-${i}`;
    const conversion: Conversion = { offerId: offer.id, event: 'conversion', txid, clickId };
    const query = `click_id=${clickId}&txid=${txid}&amount=${(r.int(100, 9_000) / 100).toFixed(2)}`;
    await edge.pixel(clean(), conversion, query);
    // A reloaded thank-you page fires the pixel again.
    if (pixelNo++ === 0 || r.chance(0.15))
      deferred.push(() => edge.pixel(clean('reload'), conversion, query).then(() => {}));
  };

  const normal = async (r: Random, i: number) => {
    const offer = pickOffer(r);
    const clickId = await visit(r, offer);
    if (!clickId) return;
    const roll = r.next();
    if (roll < 0.1) await postbacks(r, i, offer, clickId);
    else if (roll < 0.16) await pixel(r, i, offer, clickId);
    else if (roll < 0.17) {
      // No txid: nothing to dedupe on, every accepted one is a conversion of its own.
      const conversion: Conversion = { offerId: offer.id, event: 'conversion', txid: null, clickId };
      await edge.postback(
        'postback',
        clean('no-txid'),
        conversion,
        { query: `click_id=${clickId}&amount=3.50${secretPart(offer, r)}` },
        secretHeader(offer),
      );
    }
  };

  const bot = async (r: Random) => {
    const offer = pickOffer(r);
    const userAgent = r.pick(BOT_AGENTS);
    if (r.chance(0.2)) await edge.register(clean('bot'), offer.id, 'aff_id=1&sub1=bot', userAgent);
    else await edge.click(clean('bot'), offer.id, `aff_id=1&sub1=bot`, { userAgent });
  };

  let clickPoisonNo = 0;
  let conversionPoisonNo = 0;
  const poisonClick = async (r: Random) => {
    const spec = CLICK_POISONS[clickPoisonNo++ % CLICK_POISONS.length]!;
    const offer = offers[spec.offer];
    await edge.click(poison(spec.name), offer.id, spec.query(r), {
      ...(spec.userAgent ? { userAgent: spec.userAgent } : {}),
      ...(spec.path ? { path: spec.path } : {}),
    });
  };
  const poisonConversion = async (r: Random, i: number) => {
    const spec = CONVERSION_POISONS[conversionPoisonNo++ % CONVERSION_POISONS.length]!;
    const offer = offers[spec.offer];
    const clickId = await visit(r, offer);
    if (!clickId) return;
    const base = `X${deps.seed}-${i}`;
    const request: ConversionRequest = spec.build(clickId, base);
    const conversion: Conversion = {
      offerId: offer.id,
      event: spec.event ?? 'conversion',
      txid: spec.txid(base),
      clickId,
    };
    const input = poison(spec.name);
    if (request.via === 'pixel') await edge.pixel(input, conversion, request.query);
    // No secret header: the only poison on the secret offer is about a missing or wrong secret.
    else await edge.postback('postback', input, conversion, request);
  };

  // Clicks whose every text field is full of characters that take more bytes than the edge
  // budgets, sent at once with visitors' clicks so they share envelopes: an envelope over the
  // Queue's limit must not take the visitors' clicks down with it.
  const envelopeBurst = async (r: Random) => {
    await Promise.all([
      ...Array.from({ length: 24 }, (_, n) =>
        edge.click(
          poison(n % 2 ? 'envelope-burst-cjk' : 'envelope-burst-control'),
          offers.cpa.id,
          envelopeFillerQuery(n % 2 ? 'cjk' : 'control'),
        ),
      ),
      ...Array.from({ length: 16 }, () => visit(r, offers.cpa, 'burst-neighbour')),
    ]);
  };

  const step = async (i: number) => {
    const r = seededRandom(deps.seed * 1_000_003 + i);
    if (i > 0 && i % injectEvery === 0) await deps.injector.inject();
    if (deps.poison && bursts.has(i)) return envelopeBurst(r);
    if (deps.poison && i % clickPoisonEvery === 1) return poisonClick(r);
    if (deps.poison && i % conversionPoisonEvery === 2) return poisonConversion(r, i);
    if (r.chance(0.05)) return bot(r);
    return normal(r, i);
  };

  let nextStep = 0;
  const worker = async () => {
    for (;;) {
      const task = ready.shift();
      if (task) {
        await task().catch((error: unknown) => errors.push(String(error)));
        continue;
      }
      if (nextStep >= steps) return;
      const i = nextStep++;
      await deps.faults.reach(i / steps);
      if (i > 0 && i % releaseEvery === 0) releaseDeferred();
      await step(i).catch((error: unknown) => errors.push(`step ${i}: ${String(error)}`));
    }
  };
  await Promise.all(Array.from({ length: deps.concurrency }, worker));
  await deps.faults.reach(1);
  // What was held back goes out now; it may hold back more (never more than one round).
  for (let round = 0; round < 2; round++) {
    releaseDeferred();
    await Promise.all(Array.from({ length: deps.concurrency }, worker));
  }
  return { errors };
}
