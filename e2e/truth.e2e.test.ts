import { describe, expect, it } from 'vitest';
import { INJECTED_POISONS } from '../scripts/truth/injected-batches.ts';
import { KINDS } from '../scripts/truth/ledger.ts';
import { CLICK_POISONS, CONVERSION_POISONS } from '../scripts/truth/poison.ts';
import { formatReport } from '../scripts/truth/report.ts';
import { RULE_NAMES } from '../scripts/truth/rule-book.ts';
import { runTruth } from '../scripts/truth/run-truth.ts';

/**
 * Counting truth (issue 8), small: a few hundred clicks with postbacks and pixels, every poison
 * input and every fault at least once, and each conversion-trust rule of decision 018 once,
 * against the real stack. Nothing the edge accepted may be lost or doubled, whatever the ingest
 * quarantines must say why, and every rule holds in the answers and the rows. `pnpm truth --clicks 100000`
 * is the same run, large.
 */
describe('counting truth', () => {
  it('loses nothing, doubles nothing, quarantines only with a reason and keeps the trust rules, through poison and faults', {
    timeout: 150_000,
  }, async () => {
    const report = await runTruth({
      clicks: 300,
      concurrency: 8,
      seed: 8,
      faults: true,
      poison: true,
      drainTimeoutMs: 30_000,
      json: false,
      verbose: false,
    });
    // The whole table, so a failure shows where counts went; soft assertions, so one run names
    // every check that fails.
    console.log(formatReport(report));
    const { kinds, totals, rollup, quarantine } = report.reconciliation;

    // The run exercised what it claims: every fault, every poison kind, duplicates and retries.
    const faults = report.faults.map((f) => f.name);
    expect
      .soft(faults)
      .toEqual(
        expect.arrayContaining([
          'queue redelivery',
          'control plane stopped',
          'control plane started',
          'database restarted',
        ]),
      );
    expect.soft(report.faults.filter((f) => f.detail.startsWith('FAILED'))).toEqual([]);
    expect.soft(report.proxy.redeliveriesForced).toBeGreaterThan(0);
    const poisons = [
      ...CLICK_POISONS.map((p) => p.name),
      ...CONVERSION_POISONS.map((p) => p.name),
      ...INJECTED_POISONS.map((p) => p.name),
      'envelope-burst-control',
      'envelope-burst-cjk',
    ];
    expect.soft(poisons.filter((name) => !report.inputs[`poison:${name}`])).toEqual([]);
    for (const label of [
      'normal',
      'bot',
      'retry',
      'concurrent',
      'status',
      'pixel+postback',
      'reload',
      'burst-neighbour',
    ])
      expect.soft(report.inputs[label], label).toBeGreaterThan(0);
    expect.soft(kinds.postback.duplicates).toBeGreaterThan(0);
    expect.soft(report.harnessErrors).toEqual([]);

    // 0 lost, 0 doubled, nothing counted that nobody accepted, per kind (the diff names the kind).
    const per = (pick: (k: (typeof kinds)['click']) => number) =>
      Object.fromEntries(KINDS.map((kind) => [kind, pick(kinds[kind])]));
    const zero = Object.fromEntries(KINDS.map((kind) => [kind, 0]));
    expect
      .soft(
        per((k) => k.lost),
        'lost',
      )
      .toEqual(zero);
    expect
      .soft(
        per((k) => k.doubled),
        'doubled',
      )
      .toEqual(zero);
    expect
      .soft(
        per((k) => k.unexpected),
        'unexpected',
      )
      .toEqual(zero);
    expect
      .soft(
        per((k) => k.unanswered),
        'unanswered',
      )
      .toEqual(zero);

    // The hourly rollup adds up to the rows, key by key (a redelivery rolled up twice shows here).
    expect.soft(rollup.clicks).toMatchObject({ rolledUp: rollup.clicks.rows, over: '0', under: '0' });
    expect
      .soft(rollup.conversions)
      .toMatchObject({ rolledUp: rollup.conversions.rows, over: '0', under: '0' });
    expect.soft(rollup.moneyMatches).toBe(true);
    expect.soft(rollup.keysOff).toBe(0);

    // Each rule of decision 018 ran and held: contested txids, pixels once, conversions that
    // cannot earn, bots, money. A failure names the check and what it saw.
    expect.soft(report.rules.map((r) => r.rule)).toEqual(RULE_NAMES);
    expect
      .soft(
        report.rules.filter((r) => !r.ok || r.cases === 0),
        'rules',
      )
      .toEqual([]);

    // Every quarantined event says why.
    expect.soft(quarantine.withoutReason).toBe(0);
    expect.soft(totals).toMatchObject({ lost: 0, doubled: 0, unexpected: 0, withoutReason: 0 });
    expect.soft(report.verdict).toEqual({ ok: true, failures: [] });
  });
});
