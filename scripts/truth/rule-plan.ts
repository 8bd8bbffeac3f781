import type { EdgeClient } from './edge-client.ts';
import { clean } from './ledger.ts';
import { type AdminApi, createOffer, DEMO_AFFILIATE_ID, type OfferCatalog } from './offers.ts';
import type { RuleBook, RuleName } from './rule-book.ts';

/** What the rule scenarios drive and write into. */
export type RuleDeps = {
  api: AdminApi;
  edge: EdgeClient;
  offers: OfferCatalog;
  book: RuleBook;
  seed: number;
};

/** How many times each scenario runs: once in a small run, mildly more in a larger one. */
export const ruleCasesFor = (clicks: number) => Math.max(1, Math.min(10, Math.round(clicks / 1000)));

export type RuleOffer = { id: number; secret: string | null };
type Rate = { from: string; to: string; rate: string };
export type RulePlan = {
  cases: number;
  affiliateB: number;
  /** Secret, and `conversionSources: 'postback_and_pixel'`: pixels and trusted postbacks contest orders. */
  contest: RuleOffer;
  /** No secret: every source untrusted; its destination carries sub1 and sub2. */
  open: RuleOffer;
  revshare: RuleOffer;
  velocity: RuleOffer;
  /** Active again after `fallbackClicks` were made on it while it was paused. */
  paused: RuleOffer;
  /** Per case, the clicks (/r and /c) made while their offer was paused: sent to the fallback. */
  fallbackClicks: string[][];
};

const RULE_SECRET = 'truth-rule-secret';
const FALLBACK = 'https://shop.example.com/full';
/** A network-wide blocked user agent substring (set here; clicks with it are flagged). */
export const BLOCKED_AGENT = 'TruthBlockedAgent/1';
export const JPY_TO_USD = '0.0067';

/**
 * The offers, the second affiliate and the network settings the rules need, made through the
 * admin API; and the clicks on a paused offer, which is then made active again, so a conversion
 * on them comes after the offer could earn again. Runs before the stream: the control plane is
 * up for it.
 */
export async function prepareRules(deps: RuleDeps, cases: number): Promise<RulePlan> {
  const { api, edge, book } = deps;
  const affiliateB = (
    await api<{ id: number }>('POST', '/affiliates', { companyName: 'Truth - affiliate B', status: 'active' })
  ).id;
  const offer = async (name: string, fields: Record<string, unknown>): Promise<RuleOffer> => ({
    id: (await createOffer(api, `Truth rules - ${name}`, fields)).id,
    secret: typeof fields.postbackSecret === 'string' ? fields.postbackSecret : null,
  });
  const contest = await offer('secret, pixels too', {
    payoutType: 'cpa',
    payoutMinor: 500,
    revenueMinor: 800,
    postbackSecret: RULE_SECRET,
    conversionSources: 'postback_and_pixel',
  });
  const open = await offer('no secret', {
    payoutType: 'cpa',
    payoutMinor: 200,
    revenueMinor: 300,
    destinationUrl: 'https://shop.example.com/rules?click_id={click_id}&sub1={sub1}&sub2={sub2}',
  });
  const revshare = await offer('revenue share', {
    payoutType: 'revshare',
    payoutBps: 1000,
    revenueBps: 1500,
  });
  const velocity = await offer('ip velocity', {
    payoutType: 'cpa',
    payoutMinor: 100,
    fraudRules: { maxClicksPerIpPerMinute: 2 },
  });
  const paused = await offer('paused', { payoutType: 'cpa', payoutMinor: 100, status: 'paused' });

  const network = await api<{ blockedIps: string[]; blockedUserAgents: string[]; exchangeRates: Rate[] }>(
    'GET',
    '/network-settings',
  );
  await api('PUT', '/network-settings', {
    blockedIps: network.blockedIps,
    blockedUserAgents: [...new Set([...network.blockedUserAgents, BLOCKED_AGENT])],
    exchangeRates: [
      ...network.exchangeRates.filter((r) => !(r.from === 'JPY' && r.to === 'USD')),
      { from: 'JPY', to: 'USD', rate: JPY_TO_USD },
    ],
  });

  const fallbackClicks: string[][] = [];
  const rule: RuleName = 'click-not-payable';
  for (let i = 0; i < cases; i++) {
    const made: string[] = [];
    const registered = await edge.register(
      clean(`rule:${rule}`),
      paused.id,
      `aff_id=${DEMO_AFFILIATE_ID}&sub1=rules`,
    );
    book.answer(rule, `/r on a paused offer hands out a click id`, registered !== null, 'none');
    if (registered) made.push(registered);
    const clicked = await edge.visit(
      clean(`rule:${rule}`),
      paused.id,
      `aff_id=${DEMO_AFFILIATE_ID}&sub1=rules`,
    );
    book.answer(
      rule,
      `/c on a paused offer goes to the fallback with a click id (cookie)`,
      Boolean(clicked?.clickId) && clicked?.location?.startsWith(FALLBACK) === true,
      clicked === null ? 'no answer' : `${clicked.status} ${clicked.location} click id ${clicked.clickId}`,
    );
    if (clicked?.clickId) made.push(clicked.clickId);
    for (const id of made) book.clickIds.add(id);
    fallbackClicks.push(made);
  }
  await api('PATCH', `/offers/${paused.id}`, { status: 'active' });
  return { cases, affiliateB, contest, open, revshare, velocity, paused, fallbackClicks };
}
