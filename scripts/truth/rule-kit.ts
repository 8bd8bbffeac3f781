import type { EdgeClient, PostbackAnswer } from './edge-client.ts';
import { clean } from './ledger.ts';
import type { RuleBook, RuleName } from './rule-book.ts';
import type { RuleOffer } from './rule-plan.ts';
import type { RuleConversionRow, RuleRows } from './rule-rows.ts';

/** One case of a rule's scenario: the `i`th of the run. */
export type Scenario = (i: number) => Promise<void>;

export const show = (a: PostbackAnswer | null) =>
  a === null ? 'no answer' : a.status === 200 ? JSON.stringify(a.body) : (a.code ?? String(a.status));
export const acceptedId = (a: PostbackAnswer | null): string | null =>
  a?.status === 200 && a.body?.status === 'accepted' && typeof a.body.conversion_id === 'string'
    ? a.body.conversion_id
    : null;
export const rowsSeen = (list: RuleConversionRow[]) =>
  list.length === 0
    ? 'no conversion'
    : list
        .map(
          (c) =>
            `${c.source} ${c.status}${c.reason ? ` (${c.reason})` : ''}${c.fraudFlags.length ? ` [${c.fraudFlags.join(', ')}]` : ''}`,
        )
        .join('; ');
/** Null when the click has exactly one conversion and `ok` says it is as expected. */
export const oneConversion =
  (clickId: string, ok: (c: RuleConversionRow) => boolean) =>
  (rows: RuleRows): string | null => {
    const list = rows.conversionsOf(clickId);
    return list.length === 1 && ok(list[0]!) ? null : rowsSeen(list);
  };
export const noConversion =
  (clickId: string) =>
  (rows: RuleRows): string | null => {
    const list = rows.conversionsOf(clickId);
    return list.length === 0 ? null : rowsSeen(list);
  };

/** Null when the click is stored with `flag` among its fraud flags. */
export const clickFlagged =
  (clickId: string, flag: string) =>
  (rows: RuleRows): string | null => {
    const row = rows.click(clickId);
    if (!row) return 'no click';
    return row.fraudFlags.includes(flag) ? null : `flags [${row.fraudFlags.join(', ')}]`;
  };

/**
 * The requests of the rule scenarios, each written into the rule book: clicks (a click without a
 * click id is a failed check), postbacks and pixels labelled by rule, and the answers they expect.
 */
export function ruleKit(edge: EdgeClient, book: RuleBook) {
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
      // A retry that carries a status is a status change of the counted conversion.
      options.retry && options.status ? 'status' : 'postback',
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

  return { label, clickOn, postback, pixel, expectAccepted, expectDuplicate, expectPixel };
}
export type RuleKit = ReturnType<typeof ruleKit>;
