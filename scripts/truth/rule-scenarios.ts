import { BROWSER_UA } from './edge-client.ts';
import { DEMO_AFFILIATE_ID } from './offers.ts';
import type { RuleName } from './rule-book.ts';
import { txidContests } from './rule-contests.ts';
import {
  acceptedId,
  clickFlagged,
  noConversion,
  oneConversion,
  rowsSeen,
  ruleKit,
  type Scenario,
  show,
} from './rule-kit.ts';
import { BLOCKED_AGENT, JPY_TO_USD, type RuleDeps, type RuleOffer, type RulePlan } from './rule-plan.ts';

const BOT_AGENTS = [
  'Googlebot/2.1 (+http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
];

/**
 * The conversion-trust rules of decision 018 as a handful of scenarios, each a few requests whose
 * answers and rows are written into the rule book: contested txids (trusted and not, in both
 * orders), pixels once per click, conversions that cannot earn, bots and other invalid clicks,
 * and money in another currency, each with its retries. They go through the edge client, so the
 * general reconciliation counts them too. Every scenario `plan.cases` times, the scenarios of a
 * round at once, beside the stream.
 */
export async function runRules(deps: RuleDeps, plan: RulePlan): Promise<void> {
  const { edge, book, offers, seed } = deps;
  const kit = ruleKit(edge, book);
  const { clickOn, postback, pixel, expectAccepted, expectDuplicate, expectPixel } = kit;

  // Each rule's scenario; rules checked within another's scenario are null here.
  const scenarios: Record<Exclude<RuleName, 'invalid-clicks'>, Scenario | null> = {
    ...txidContests(kit, book, plan, seed),
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
      book.rows(rule, 'the click is flagged bot', clickFlagged(c.clickId, 'bot'));
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
    if (blocked?.clickId)
      book.rows(
        rule,
        "a blocked agent's click is flagged blocked_user_agent",
        clickFlagged(blocked.clickId, 'blocked_user_agent'),
      );
    // Five clicks from an address of this case's own on an offer that allows two a minute: the
    // first two are within the limit whatever minute they fall in, and five cannot all be.
    const ip = `198.51.100.${(seed + i) % 250}`;
    const burst: string[] = [];
    for (let n = 0; n < 5; n++) {
      const c = await clickOn(rule, plan.velocity.id, DEMO_AFFILIATE_ID, {
        headers: { 'cf-connecting-ip': ip },
      });
      if (c?.clickId) burst.push(c.clickId);
    }
    book.rows(
      rule,
      `of five clicks a minute from ${ip} (limit 2), the first two clean, some flagged ip_velocity`,
      (rows) => {
        const clicks = burst.map((id) => rows.click(id));
        const velocity = clicks.map((c) => c?.fraudFlags.includes('ip_velocity') ?? false);
        const ok =
          clicks.length === 5 &&
          clicks.every((c) => c?.ip === ip) &&
          !velocity[0] &&
          !velocity[1] &&
          velocity.some(Boolean);
        return ok ? null : JSON.stringify(clicks.map((c) => c && { ip: c.ip, flags: c.fraudFlags }));
      },
    );
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
