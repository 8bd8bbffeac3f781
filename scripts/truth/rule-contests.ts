import { DEMO_AFFILIATE_ID } from './offers.ts';
import type { RuleBook } from './rule-book.ts';
import { noConversion, oneConversion, type RuleKit, type Scenario } from './rule-kit.ts';
import type { RulePlan } from './rule-plan.ts';

/**
 * Two clicks, A (the demo affiliate's) and B (affiliate B's), claim one order (offer, event,
 * txid): with the advertiser's authenticated postback in either order, and with untrusted
 * postbacks only (decision 018, "Txid claims").
 */
export function txidContests(
  kit: RuleKit,
  book: RuleBook,
  plan: RulePlan,
  seed: number,
): Record<'trusted-takes-order' | 'trusted-holds-order' | 'untrusted-contest', Scenario> {
  const { clickOn, postback, pixel, expectAccepted, expectDuplicate, expectPixel } = kit;
  const takeOrder = async (i: number, status: 'pending' | undefined) => {
    const rule = 'trusted-takes-order';
    const [a, b] = await Promise.all([
      clickOn(rule, plan.contest.id, DEMO_AFFILIATE_ID),
      clickOn(rule, plan.contest.id, plan.affiliateB),
    ]);
    if (!a?.clickId || !b?.clickId) return;
    book.began(rule);
    const txid = `ORDER-${seed}-${i}-take-${status ?? 'plain'}`;
    expectPixel(rule, "A's pixel", await pixel(rule, plan.contest, a.clickId, txid), 'accepted');
    const bId = expectAccepted(
      rule,
      "the advertiser's postback for B",
      await postback(rule, plan.contest, b.clickId, txid, {
        extra: '&amount=25.00',
        ...(status ? { status } : {}),
      }),
    );
    expectPixel(rule, "A's pixel again", await pixel(rule, plan.contest, a.clickId, txid, true), 'duplicate');
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
  };

  return {
    // The advertiser's authenticated postback for B's click takes the order A's pixel claimed
    // first: twice, once saying nothing of the status and once "pending" (B's status is its own).
    'trusted-takes-order': (i) =>
      Promise.all([takeOrder(i, undefined), takeOrder(i, 'pending')]).then(() => {}),

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
      // Nobody can tell the guess from the real order: the earlier claim is held for review too.
      book.rows(
        rule,
        "A's conversion is held for review (pending)",
        oneConversion(a.clickId, (c) => c.id === aId && c.status === 'pending'),
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
  };
}
