import { BROWSER_UA, type EdgeClient, type PostbackAnswer } from './edge-client.ts';
import { clean } from './ledger.ts';
import { type AdminApi, createOffer, DEMO_AFFILIATE_ID, type OfferCatalog } from './offers.ts';
import type { RuleBook, RuleName } from './rule-book.ts';
import type { RuleConversionRow, RuleRows } from './rule-rows.ts';

/**
 * The conversion-trust rules of decision 018 as a handful of scenarios, each a few requests whose
 * answers and rows are written into the rule book: contested txids (trusted and not, in both
 * orders), pixels once per click, conversions that cannot earn, bots, and money in another
 * currency. They go through the edge client, so the general reconciliation counts them too.
 */
export type RuleDeps = {
  api: AdminApi;
  edge: EdgeClient;
  offers: OfferCatalog;
  book: RuleBook;
  seed: number;
};

/** How many times each scenario runs: once in a small run, mildly more in a larger one. */
export const ruleCasesFor = (clicks: number) => Math.max(1, Math.min(10, Math.round(clicks / 1000)));

type RuleOffer = { id: number; secret: string | null };
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
const BLOCKED_AGENT = 'TruthBlockedAgent/1';
const BOT_AGENTS = [
  'Googlebot/2.1 (+http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
];
const JPY_TO_USD = '0.0067';

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
      clicked?.clickId != null && clicked.location?.startsWith(FALLBACK) === true,
      clicked === null ? 'no answer' : `${clicked.status} ${clicked.location} click id ${clicked.clickId}`,
    );
    if (clicked?.clickId) made.push(clicked.clickId);
    for (const id of made) book.clickIds.add(id);
    fallbackClicks.push(made);
  }
  await api('PATCH', `/offers/${paused.id}`, { status: 'active' });
  return { cases, affiliateB, contest, open, revshare, velocity, paused, fallbackClicks };
}
type Rate = { from: string; to: string; rate: string };

const show = (a: PostbackAnswer | null) =>
  a === null ? 'no answer' : a.status === 200 ? JSON.stringify(a.body) : (a.code ?? String(a.status));
const acceptedId = (a: PostbackAnswer | null): string | null =>
  a?.status === 200 && a.body?.status === 'accepted' && typeof a.body.conversion_id === 'string'
    ? a.body.conversion_id
    : null;
const rowsSeen = (list: RuleConversionRow[]) =>
  list.length === 0
    ? 'no conversion'
    : list
        .map(
          (c) =>
            `${c.source} ${c.status}${c.reason ? ` (${c.reason})` : ''}${c.fraudFlags.length ? ` [${c.fraudFlags.join(', ')}]` : ''}`,
        )
        .join('; ');
/** Null when the click has exactly one conversion and `ok` says it is as expected. */
const oneConversion =
  (clickId: string, ok: (c: RuleConversionRow) => boolean) =>
  (rows: RuleRows): string | null => {
    const list = rows.conversionsOf(clickId);
    return list.length === 1 && ok(list[0]!) ? null : rowsSeen(list);
  };
const noConversion =
  (clickId: string) =>
  (rows: RuleRows): string | null => {
    const list = rows.conversionsOf(clickId);
    return list.length === 0 ? null : rowsSeen(list);
  };

/** Every scenario `plan.cases` times, the scenarios of a round at once, beside the stream. */
export async function runRules(deps: RuleDeps, plan: RulePlan): Promise<void> {
  const { edge, book, offers, seed } = deps;
  const label = (rule: RuleName, retry = false) => clean(`rule:${rule}${retry ? ':retry' : ''}`);

  const clickOn = async (
    rule: RuleName,
    offerId: number,
    affiliateId: number,
    options: { query?: string; userAgent?: string; headers?: Record<string, string> } = {},
  ) => {
    const answer = await edge.visit(
      label(rule),
      offerId,
      options.query ?? `aff_id=${affiliateId}&sub1=rules&sub2=${rule}`,
      {
        ...(options.userAgent ? { userAgent: options.userAgent } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
      },
    );
    if (answer?.clickId) book.clickIds.add(answer.clickId);
    else
      book.answer(
        rule,
        `a click on offer ${offerId} gets a click id`,
        false,
        answer ? String(answer.status) : 'no answer',
      );
    return answer;
  };
  const postback = (
    rule: RuleName,
    offer: RuleOffer,
    clickId: string,
    txid: string | null,
    options: { extra?: string; status?: string; retry?: boolean } = {},
  ) =>
    edge.postback(
      'postback',
      label(rule, options.retry),
      {
        offerId: offer.id,
        event: 'conversion',
        txid,
        clickId,
        ...(options.status ? { status: options.status } : {}),
      },
      {
        query: `click_id=${clickId}${txid === null ? '' : `&txid=${txid}`}${options.extra ?? ''}${options.status ? `&status=${options.status}` : ''}`,
      },
      offer.secret ? { 'x-tas-postback-secret': offer.secret } : {},
    );
  const pixel = (rule: RuleName, offer: RuleOffer, clickId: string, txid: string | null, retry = false) =>
    edge.pixel(
      label(rule, retry),
      { offerId: offer.id, event: 'conversion', txid, clickId },
      `click_id=${clickId}${txid === null ? '' : `&txid=${txid}`}&amount=25.00`,
    );
  const expectAccepted = (rule: RuleName, what: string, answer: PostbackAnswer | null) => {
    const id = acceptedId(answer);
    book.answer(
      rule,
      `${what} is accepted, payable`,
      id !== null && answer?.body?.payable === undefined,
      show(answer),
    );
    return id;
  };
  const expectDuplicate = (rule: RuleName, what: string, answer: PostbackAnswer | null) =>
    book.answer(
      rule,
      `${what} is answered duplicate`,
      answer?.status === 200 && answer.body?.status === 'duplicate',
      show(answer),
    );
  const expectPixel = (rule: RuleName, what: string, answer: string | null, expected: string) =>
    book.answer(rule, `${what} is answered ${expected}`, answer === expected, answer ?? 'no answer');

  const scenarios: Record<Exclude<RuleName, 'invalid-clicks'>, ((i: number) => Promise<void>) | null> = {
    // The advertiser's authenticated postback for B's click takes the order A's pixel claimed first.
    'trusted-takes-order': async (i) => {
      const rule = 'trusted-takes-order';
      const [a, b] = await Promise.all([
        clickOn(rule, plan.contest.id, DEMO_AFFILIATE_ID),
        clickOn(rule, plan.contest.id, plan.affiliateB),
      ]);
      if (!a?.clickId || !b?.clickId) return;
      book.began(rule);
      const txid = `ORDER-${seed}-${i}-take`;
      // Every other case the advertiser says pending: the order is B's, and B's status is its own.
      const status = i % 2 === 1 ? 'pending' : undefined;
      expectPixel(rule, "A's pixel", await pixel(rule, plan.contest, a.clickId, txid), 'accepted');
      const bId = expectAccepted(
        rule,
        "the advertiser's postback for B",
        await postback(rule, plan.contest, b.clickId, txid, {
          extra: '&amount=25.00',
          ...(status ? { status } : {}),
        }),
      );
      expectPixel(
        rule,
        "A's pixel again",
        await pixel(rule, plan.contest, a.clickId, txid, true),
        'duplicate',
      );
      expectDuplicate(
        rule,
        'the postback for B again',
        await postback(rule, plan.contest, b.clickId, txid, {
          extra: '&amount=25.00',
          retry: true,
          ...(status ? { status } : {}),
        }),
      );
      const bStatus = status ?? 'approved';
      book.rows(
        rule,
        `B's conversion is ${bStatus}`,
        oneConversion(b.clickId, (c) => c.id === bId && c.source === 'postback' && c.status === bStatus),
      );
      book.rows(
        rule,
        "A's pixel conversion is rejected",
        oneConversion(a.clickId, (c) => c.source === 'pixel' && c.status === 'rejected'),
      );
      book.rows(rule, "a conversion_changes row audits A's rejection", (rows) => {
        const [conversion] = rows.conversionsOf(a.clickId!);
        if (!conversion) return 'no conversion of A';
        const changes = rows.changesOf(conversion.id);
        return changes.some((c) => c.action === 'reject')
          ? null
          : `changes ${JSON.stringify(changes.map((c) => c.action))}`;
      });
    },

    // The reverse order: the advertiser's postback for B first; A's pixel and A's own
    // authenticated postback for the same order find it taken.
    'trusted-holds-order': async (i) => {
      const rule = 'trusted-holds-order';
      const [a, b] = await Promise.all([
        clickOn(rule, plan.contest.id, DEMO_AFFILIATE_ID),
        clickOn(rule, plan.contest.id, plan.affiliateB),
      ]);
      if (!a?.clickId || !b?.clickId) return;
      book.began(rule);
      const txid = `ORDER-${seed}-${i}-hold`;
      const bId = expectAccepted(
        rule,
        "the advertiser's postback for B",
        await postback(rule, plan.contest, b.clickId, txid, { extra: '&amount=25.00' }),
      );
      expectPixel(
        rule,
        "A's pixel of B's order",
        await pixel(rule, plan.contest, a.clickId, txid),
        'duplicate',
      );
      expectDuplicate(
        rule,
        "an authenticated postback of B's order for A",
        await postback(rule, plan.contest, a.clickId, txid, { extra: '&amount=25.00' }),
      );
      expectDuplicate(
        rule,
        'the postback for B again',
        await postback(rule, plan.contest, b.clickId, txid, { extra: '&amount=25.00', retry: true }),
      );
      expectPixel(
        rule,
        "A's pixel again",
        await pixel(rule, plan.contest, a.clickId, txid, true),
        'duplicate',
      );
      book.rows(
        rule,
        "B's conversion is approved",
        oneConversion(b.clickId, (c) => c.id === bId && c.status === 'approved'),
      );
      book.rows(rule, 'A has no conversion', noConversion(a.clickId));
    },

    'untrusted-contest': async (i) => {
      const rule = 'untrusted-contest';
      const [a, b] = await Promise.all([
        clickOn(rule, plan.open.id, DEMO_AFFILIATE_ID),
        clickOn(rule, plan.open.id, plan.affiliateB),
      ]);
      if (!a?.clickId || !b?.clickId) return;
      book.began(rule);
      const txid = `ORDER-${seed}-${i}-open`;
      const aId = expectAccepted(
        rule,
        'the postback for A',
        await postback(rule, plan.open, a.clickId, txid),
      );
      // Held for review, not refused: the answer says accepted without "payable": false.
      const bId = expectAccepted(
        rule,
        "the postback of A's order for B",
        await postback(rule, plan.open, b.clickId, txid),
      );
      expectDuplicate(
        rule,
        'the postback for A again',
        await postback(rule, plan.open, a.clickId, txid, { retry: true }),
      );
      expectDuplicate(
        rule,
        'the postback for B again',
        await postback(rule, plan.open, b.clickId, txid, { retry: true }),
      );
      book.rows(
        rule,
        "A's conversion is approved, unflagged",
        oneConversion(a.clickId, (c) => c.id === aId && c.status === 'approved' && c.fraudFlags.length === 0),
      );
      book.rows(
        rule,
        "B's conversion is pending, flagged txid_conflict",
        oneConversion(
          b.clickId,
          (c) => c.id === bId && c.status === 'pending' && c.fraudFlags.includes('txid_conflict'),
        ),
      );
    },

    'pixel-once': async (i) => {
      const rule = 'pixel-once';
      const c = await clickOn(rule, plan.open.id, DEMO_AFFILIATE_ID);
      if (!c?.clickId) return;
      book.began(rule);
      const first = await pixel(rule, plan.open, c.clickId, null);
      // Reloads at once, and a script varying the txid: none of them counts again.
      const reloads = await Promise.all([
        ...Array.from({ length: 3 }, () => pixel(rule, plan.open, c.clickId!, null, true)),
        ...Array.from({ length: 2 }, (_, n) =>
          pixel(rule, plan.open, c.clickId!, `VARY-${seed}-${i}-${n}`, true),
        ),
      ]);
      const answers = [first, ...reloads];
      const accepted = answers.filter((a) => a === 'accepted').length;
      const duplicate = answers.filter((a) => a === 'duplicate').length;
      book.answer(
        rule,
        `of ${answers.length} loads of one pixel, 1 accepted and ${answers.length - 1} duplicate`,
        accepted === 1 && duplicate === answers.length - 1,
        answers.join(', '),
      );
      book.rows(
        rule,
        'one pixel conversion for the click',
        oneConversion(c.clickId, (row) => row.source === 'pixel'),
      );
    },

    'click-not-payable': async (i) => {
      const rule = 'click-not-payable';
      for (const [n, id] of (plan.fallbackClicks[i] ?? []).entries()) {
        book.began(rule);
        const txid = `NP-${seed}-${i}-${n}`;
        const answer = await postback(rule, plan.paused, id, txid, { extra: '&amount=10.00' });
        book.answer(
          rule,
          'a postback on a fallback click is accepted, payable false, click_not_payable',
          acceptedId(answer) !== null &&
            answer?.body?.payable === false &&
            answer.body.reason === 'click_not_payable',
          show(answer),
        );
        expectDuplicate(
          rule,
          'the postback again',
          await postback(rule, plan.paused, id, txid, { extra: '&amount=10.00', retry: true }),
        );
        book.rows(
          rule,
          'the conversion is rejected, click_not_payable',
          oneConversion(id, (c) => c.status === 'rejected' && c.reason === 'click_not_payable'),
        );
      }
    },

    'pixel-refused': async (i) => {
      const rule = 'pixel-refused';
      const secret: RuleOffer = { id: offers.secret.id, secret: offers.secret.secret };
      const c = await clickOn(rule, secret.id, DEMO_AFFILIATE_ID);
      if (!c?.clickId) return;
      book.began(rule);
      expectPixel(
        rule,
        'a pixel on an offer with a postback secret',
        await pixel(rule, secret, c.clickId, `PX-${seed}-${i}`),
        'conversion_source_refused',
      );
      book.rows(rule, 'no conversion for the click', noConversion(c.clickId));
    },

    'bot-click': async (i) => {
      const rule = 'bot-click';
      const sub2 = `bot${seed}x${i}`;
      const c = await clickOn(rule, plan.open.id, DEMO_AFFILIATE_ID, {
        query: `aff_id=${DEMO_AFFILIATE_ID}&sub1=botsub&sub2=${sub2}`,
        userAgent: BOT_AGENTS[i % BOT_AGENTS.length]!,
      });
      if (!c?.clickId) return;
      book.began(rule);
      const params = c.location ? new URL(c.location).searchParams : null;
      book.answer(
        rule,
        "a bot's click is a 302 whose Location carries its click id and sub ids",
        c.status === 302 &&
          params?.get('click_id') === c.clickId &&
          params.get('sub1') === 'botsub' &&
          params.get('sub2') === sub2,
        `${c.status} ${c.location}`,
      );
      book.rows(rule, 'the click is flagged bot', (rows) => {
        const row = rows.click(c.clickId!);
        return row?.fraudFlags.includes('bot')
          ? null
          : row
            ? `flags [${row.fraudFlags.join(', ')}]`
            : 'no click';
      });
      // The conversion on it: held for review.
      const conversionRule = 'bot-conversion';
      book.began(conversionRule);
      const txid = `BOT-${seed}-${i}`;
      const id = expectAccepted(
        conversionRule,
        "a postback on a bot's click",
        await postback(conversionRule, plan.open, c.clickId, txid),
      );
      expectDuplicate(
        conversionRule,
        'the postback again',
        await postback(conversionRule, plan.open, c.clickId, txid, { retry: true }),
      );
      book.rows(
        conversionRule,
        'the conversion is pending, flagged bot_click',
        oneConversion(
          c.clickId,
          (row) => row.id === id && row.status === 'pending' && row.fraudFlags.includes('bot_click'),
        ),
      );
    },
    'bot-conversion': null,

    'currency-converted': async (i) => {
      const rule = 'currency-converted';
      const c = await clickOn(rule, plan.revshare.id, DEMO_AFFILIATE_ID);
      const refusedClick = await clickOn('currency-refused', plan.revshare.id, DEMO_AFFILIATE_ID);
      if (!c?.clickId || !refusedClick?.clickId) return;
      book.began(rule);
      const txid = `JPY-${seed}-${i}`;
      const id = expectAccepted(
        rule,
        'a revenue share postback of 10000 JPY on a USD offer',
        await postback(rule, plan.revshare, c.clickId, txid, { extra: '&amount=10000&currency=JPY' }),
      );
      expectDuplicate(
        rule,
        'the postback again',
        await postback(rule, plan.revshare, c.clickId, txid, {
          extra: '&amount=10000&currency=JPY',
          retry: true,
        }),
      );
      book.rows(
        rule,
        'stored as 6700 USD (payout 670, revenue 1005), sent as 10000 JPY at 0.0067',
        (rows) => {
          const list = rows.conversionsOf(c.clickId!);
          const row = list[0];
          const money = row
            ? `${row.amountMinor} ${row.currency}, payout ${row.payoutMinor}, revenue ${row.revenueMinor}, sent ${row.sentAmountMinor} ${row.sentCurrency} at ${row.exchangeRate}`
            : rowsSeen(list);
          return list.length === 1 &&
            row?.id === id &&
            row.amountMinor === '6700' &&
            row.currency === 'USD' &&
            row.sentAmountMinor === '10000' &&
            row.sentCurrency === 'JPY' &&
            row.exchangeRate === JPY_TO_USD &&
            row.payoutMinor === '670' &&
            row.revenueMinor === '1005'
            ? null
            : money;
        },
      );

      const refused = refusedClick.clickId;
      book.began('currency-refused');
      const gbp = await postback('currency-refused', plan.revshare, refused, `GBP-${seed}-${i}`, {
        extra: '&amount=10.00&currency=GBP',
      });
      book.answer(
        'currency-refused',
        'a sale in GBP (no rate) is answered 422 unsupported_currency',
        gbp?.code === '422 unsupported_currency',
        show(gbp),
      );
      book.began('negative-refused');
      const negative = await postback('negative-refused', plan.revshare, refused, `NEG-${seed}-${i}`, {
        extra: '&amount=-5.00',
      });
      book.answer(
        'negative-refused',
        'a negative amount is answered 400 invalid_amount',
        negative?.code === '400 invalid_amount',
        show(negative),
      );
      book.rows('currency-refused', 'no conversion for the refused sales', noConversion(refused));
      book.rows('negative-refused', 'no conversion for the refused sales', noConversion(refused));
    },
    'currency-refused': null,
    'negative-refused': null,
  };

  // Invalid clicks beside the bots: a blocked agent's, and clicks beyond an ip's minute limit.
  const invalid = async (i: number) => {
    const rule = 'invalid-clicks';
    book.began(rule);
    const blocked = await clickOn(rule, plan.open.id, DEMO_AFFILIATE_ID, {
      userAgent: `${BROWSER_UA} ${BLOCKED_AGENT}`,
    });
    if (blocked?.clickId) {
      const id = blocked.clickId;
      book.rows(rule, "a blocked agent's click is flagged blocked_user_agent", (rows) => {
        const row = rows.click(id);
        return row?.fraudFlags.includes('blocked_user_agent')
          ? null
          : row
            ? `flags [${row.fraudFlags.join(', ')}]`
            : 'no click';
      });
    }
    // Five clicks from one address on an offer that allows two a minute: some are over.
    const address = { 'cf-connecting-ip': `198.51.100.${(seed + i) % 250}` };
    const burst: string[] = [];
    for (let n = 0; n < 5; n++) {
      const c = await clickOn(rule, plan.velocity.id, DEMO_AFFILIATE_ID, { headers: address });
      if (c?.clickId) burst.push(c.clickId);
    }
    book.rows(rule, 'of five clicks a minute from one ip (limit 2), some flagged ip_velocity', (rows) => {
      const flags = burst.map((id) => rows.click(id)?.fraudFlags ?? ['(no click)']);
      return flags.some((f) => f.includes('ip_velocity')) ? null : JSON.stringify(flags);
    });
  };

  for (let i = 0; i < plan.cases; i++) {
    const round = Object.entries(scenarios).flatMap(([rule, run]) =>
      run
        ? [
            run(i).catch((error: unknown) =>
              book.answer(rule as RuleName, 'the scenario runs to its end', false, String(error)),
            ),
          ]
        : [],
    );
    round.push(
      invalid(i).catch((error: unknown) =>
        book.answer('invalid-clicks', 'the scenario runs to its end', false, String(error)),
      ),
    );
    await Promise.all(round);
  }
}
