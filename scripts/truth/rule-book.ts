import type { Reconciliation, RollupFigures } from './reconcile.ts';
import type { RuleRows } from './rule-rows.ts';

/** The conversion-trust rules of decision 018 the harness holds the stack to, and what each says. */
export const RULES = {
  'trusted-takes-order':
    "an authenticated postback takes an order from another click's pixel: approved, the pixel rejected and audited",
  'trusted-holds-order':
    'an order an authenticated postback holds is a duplicate for other clicks: no row for them',
  'untrusted-contest':
    "two clicks' postbacks of one order on an offer without secret: both kept and held for review (pending; the later flagged txid_conflict)",
  'pixel-once': 'a pixel counts once per click and event, reloaded or with another txid',
  'click-not-payable':
    'a conversion on a click sent to the fallback is recorded, rejected (click_not_payable)',
  'pixel-refused': 'an offer with a postback secret takes no pixels (conversion_source_refused)',
  'bot-click': 'a bot is redirected with its click id and sub ids, and its click flagged bot',
  'bot-conversion': "a conversion on a bot's click is held for review (pending, bot_click)",
  'invalid-clicks':
    'blocked and velocity clicks are flagged, and hourly_stats counts invalid, bot, blocked and velocity clicks as the rows',
  'currency-converted': 'a sale in another currency is converted by the network rate, kept as sent',
  'currency-refused': 'a sale in a currency without a rate is refused (422 unsupported_currency), no row',
  'negative-refused': 'a negative sale amount is refused (400 invalid_amount), no row',
} as const;
export type RuleName = keyof typeof RULES;
export const RULE_NAMES = Object.keys(RULES) as RuleName[];

export type RuleResult = {
  rule: RuleName;
  says: string;
  ok: boolean;
  /** Scenarios run (contested orders, bot clicks, pixels reloaded...). */
  cases: number;
  checks: number;
  failed: number;
  /** The first failed checks: what was expected, then what was seen. */
  failures: string[];
};

type RowCheck = { rule: RuleName; what: string; test: (rows: RuleRows) => string | null };

const FAILURES_SHOWN = 4;

/**
 * What the rule scenarios expect: answers, checked as they come, and rows, checked against
 * Postgres once the queue has delivered (and polled while it does: some rows change after they
 * are stored, like a pixel conversion rejected when the advertiser's postback takes its order).
 */
export class RuleBook {
  private readonly cases = new Map<RuleName, number>();
  private readonly answers: { rule: RuleName; failure: string | null }[] = [];
  private readonly rowChecks: RowCheck[] = [];
  /** The clicks whose rows the checks read. */
  readonly clickIds = new Set<string>();

  began(rule: RuleName) {
    this.cases.set(rule, (this.cases.get(rule) ?? 0) + 1);
  }

  /** An answer the edge gave: `seen` says what it was, when it is not what `what` expects. */
  answer(rule: RuleName, what: string, ok: boolean, seen: string) {
    this.answers.push({ rule, failure: ok ? null : `${what}; got ${seen}` });
  }

  /** A check of the rows: `test` answers null when they are as `what` says, else what it saw. */
  rows(rule: RuleName, what: string, test: (rows: RuleRows) => string | null) {
    this.rowChecks.push({ rule, what, test });
  }

  /** Every row check holds: nothing the rules wait for is on its way still. */
  holds(rows: RuleRows): boolean {
    return this.rowChecks.every((check) => this.run(check, rows) === null);
  }

  results(rows: RuleRows, rollup: Reconciliation['rollup']): RuleResult[] {
    const failures = new Map<RuleName, string[]>(RULE_NAMES.map((rule) => [rule, []]));
    const checks = new Map<RuleName, number>(RULE_NAMES.map((rule) => [rule, 0]));
    const count = (rule: RuleName, failure: string | null) => {
      checks.set(rule, checks.get(rule)! + 1);
      if (failure !== null) failures.get(rule)!.push(failure);
    };
    for (const { rule, failure } of this.answers) count(rule, failure);
    for (const check of this.rowChecks) count(check.rule, this.run(check, rows));
    for (const failure of invalidClickRollup(rollup)) count('invalid-clicks', failure);
    return RULE_NAMES.map((rule) => {
      const cases = this.cases.get(rule) ?? 0;
      const failed = failures.get(rule)!;
      if (cases === 0) count(rule, 'not exercised: no scenario ran');
      return {
        rule,
        says: RULES[rule],
        ok: failed.length === 0,
        cases,
        checks: checks.get(rule)!,
        failed: failed.length,
        failures: failed.slice(0, FAILURES_SHOWN),
      };
    });
  }

  private run(check: RowCheck, rows: RuleRows): string | null {
    try {
      const seen = check.test(rows);
      return seen === null ? null : `${check.what}; got ${seen}`;
    } catch (error) {
      return `${check.what}; the check failed: ${String(error)}`;
    }
  }
}

/**
 * hourly_stats against the clicks, key by key, for the invalid-click measures (decision 018):
 * each a check, null when it holds. Bot clicks must be there at all (the stream sends bots).
 */
function invalidClickRollup(rollup: Reconciliation['rollup']): (string | null)[] {
  const measure = (name: string, m: RollupFigures) =>
    m.over === '0' && m.under === '0' && m.rows === m.rolledUp
      ? null
      : `hourly_stats ${name} equal to the click rows key by key; got ${m.rows} rows, ${m.rolledUp} rolled up (+${m.over} -${m.under} by key)`;
  return [
    measure('invalid_clicks', rollup.invalidClicks),
    measure('bot_clicks', rollup.botClicks),
    measure('blocked_clicks', rollup.blockedClicks),
    measure('velocity_clicks', rollup.velocityClicks),
    rollup.botClicks.rows === '0' ? 'bot clicks stored; got none flagged bot' : null,
  ];
}
