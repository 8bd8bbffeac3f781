import type { DatabaseSnapshot, QuarantineRow } from './database-snapshot.ts';
import { type Input, KINDS, type Kind, type Ledger } from './ledger.ts';

export type KindResult = {
  /** Requests sent (events, for injected). */
  sent: number;
  /** What the edge (or the ingest, for injected) took: click ids handed out, "accepted", 200. */
  accepted: number;
  /** Answered "duplicate": must add no row. */
  duplicates: number;
  /** What Postgres is expected to hold: accepted, and for injected every event (a Queue never drops one). */
  expected: number;
  stored: number;
  quarantined: number;
  /** Expected but neither stored nor quarantined; or clean (not poison) and quarantined. */
  lost: number;
  /** Rows beyond one per accepted event, or an order accepted twice. */
  doubled: number;
  /** Rows nobody was told were accepted. */
  unexpected: number;
  unanswered: number;
  answers: Record<string, number>;
  lostBy: Record<string, number>;
  doubledBy: Record<string, number>;
  quarantinedBy: Record<string, number>;
  lostExamples: string[];
};

export type Reconciliation = {
  kinds: Record<Kind, KindResult>;
  rollup: {
    clicks: RollupFigures;
    uniqueClicks: RollupFigures;
    invalidClicks: RollupFigures;
    botClicks: RollupFigures;
    blockedClicks: RollupFigures;
    velocityClicks: RollupFigures;
    conversions: RollupFigures;
    approvedConversions: RollupFigures;
    pendingConversions: RollupFigures;
    rejectedConversions: RollupFigures;
    payout: RollupFigures;
    revenue: RollupFigures;
    keysOff: number;
    moneyMatches: boolean;
    /** Clicks and conversions the rows hold and hourly_stats misses, summed key by key. */
    lost: number;
    /** Clicks and conversions hourly_stats holds beyond the rows, summed key by key. */
    doubled: number;
  };
  quarantine: {
    tableExists: boolean;
    rows: number;
    withoutReason: number;
    byReason: Record<string, number>;
    /** Rows none of the harness's events account for (e.g. events the edge made of refused input). */
    unmatched: number;
    /** Rows beyond the first for the same event (quarantined again on redelivery). */
    repeated: number;
  };
  totals: { lost: number; doubled: number; unexpected: number; quarantined: number; withoutReason: number };
};

/** Money can pass 2^53 in a sum: kept as decimal strings. */
export type RollupFigures = { rows: string; rolledUp: string; over: string; under: string };

const CLICK_TOKEN = /"([A-Za-z0-9_-]{44})"/g;
const UUID_TOKEN = /"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/g;
const MARKER_TOKEN = /truth-m-[a-z0-9-]+/g;

type IndexedRow = QuarantineRow & { type: string | null; claimed: boolean; key: string };

/** Finds quarantined events by event id, or by a click id, uuid or marker inside their body. */
function indexQuarantine(rows: QuarantineRow[]) {
  const byToken = new Map<string, IndexedRow[]>();
  const add = (token: string, row: IndexedRow) => {
    const list = byToken.get(token) ?? [];
    if (!list.includes(row)) list.push(row);
    byToken.set(token, list);
  };
  const indexed = rows.map((row): IndexedRow => {
    const type = row.eventType ?? /"type":"([a-z_]+)"/.exec(row.body)?.[1] ?? null;
    const entry: IndexedRow = { ...row, type, claimed: false, key: row.eventId ?? row.body };
    if (row.eventId) add(row.eventId, entry);
    for (const pattern of [CLICK_TOKEN, UUID_TOKEN])
      for (const m of row.body.matchAll(pattern)) add(m[1]!, entry);
    for (const m of row.body.matchAll(MARKER_TOKEN)) add(m[0], entry);
    return entry;
  });
  return {
    rows: indexed,
    /** Rows naming `token`, of `type` when given (a conversion's body names its click id too). */
    find(token: string | null, type?: string): IndexedRow[] {
      if (!token) return [];
      const found = (byToken.get(token) ?? []).filter((r) => !type || r.type === null || r.type === type);
      for (const row of found) row.claimed = true;
      return found;
    },
  };
}

const emptyKind = (ledger: Ledger, kind: Kind): KindResult => {
  const answers = Object.fromEntries(ledger.answers[kind]);
  return {
    sent: ledger.sent[kind],
    accepted: 0,
    duplicates: Object.entries(answers)
      .filter(([answer]) => answer.startsWith('duplicate'))
      .reduce((sum, [, n]) => sum + n, 0),
    expected: 0,
    stored: 0,
    quarantined: 0,
    lost: 0,
    doubled: 0,
    unexpected: 0,
    unanswered: ledger.unanswered[kind],
    answers,
    lostBy: {},
    doubledBy: {},
    quarantinedBy: {},
    lostExamples: [],
  };
};

const bump = (map: Record<string, number>, key: string, by = 1) => {
  map[key] = (map[key] ?? 0) + by;
};

/**
 * Holds Postgres against the ledger. An expected event is stored (one row), quarantined with a
 * reason (poison only: a clean event in quarantine is a count lost), or lost. Rows beyond what
 * was accepted are doubled; rows nobody accepted are unexpected; the hourly rollup must add up to
 * the rows it summarises (more is a doubled count, less a lost one).
 */
export function reconcile(ledger: Ledger, db: DatabaseSnapshot): Reconciliation {
  const kinds = Object.fromEntries(KINDS.map((k) => [k, emptyKind(ledger, k)])) as Record<Kind, KindResult>;
  const quarantine = indexQuarantine(db.quarantine ?? []);
  const conversionIds = new Set(db.conversions.map((c) => c.id));

  /** Settles one expected event: stored, else quarantined (by any of `tokens`), else lost. */
  const settle = (
    kind: Kind,
    input: Input,
    stored: boolean,
    tokens: (string | null)[],
    type: string | undefined,
    what: string,
  ) => {
    const result = kinds[kind];
    result.expected++;
    if (stored) {
      result.stored++;
      return;
    }
    const rows = tokens.flatMap((t) => quarantine.find(t, type));
    const reason = rows[0]?.reasonCode ?? null;
    if (rows.length > 0 && !input.clean) {
      result.quarantined++;
      bump(result.quarantinedBy, reason ?? '(no reason)');
      return;
    }
    result.lost++;
    const label = rows.length > 0 ? `${input.label} (quarantined: ${reason ?? 'no reason'})` : input.label;
    bump(result.lostBy, label);
    if (result.lostExamples.length < 5) result.lostExamples.push(`${what} [${label}]`);
  };

  for (const [clickId, input] of ledger.clicks) {
    kinds.click.accepted++;
    settle('click', input, db.clickIds.has(clickId), [clickId], 'click', clickId);
  }

  for (const [conversionId, input] of ledger.postbacks) {
    kinds.postback.accepted++;
    settle('postback', input, conversionIds.has(conversionId), [conversionId], 'conversion', conversionId);
  }

  // Pixels name no conversion id: per click, as many pixel rows as "accepted" answers.
  const rowsByClick = new Map<string, { postback: number; pixel: number }>();
  for (const c of db.conversions) {
    const counts = rowsByClick.get(c.clickId) ?? { postback: 0, pixel: 0 };
    if (c.source === 'pixel') counts.pixel++;
    else counts.postback++;
    rowsByClick.set(c.clickId, counts);
  }
  const pixelsByClick = new Map<string, Input[]>();
  for (const pixel of ledger.pixels)
    pixelsByClick.set(pixel.clickId, [...(pixelsByClick.get(pixel.clickId) ?? []), pixel]);
  for (const [clickId, inputs] of pixelsByClick) {
    const rows = rowsByClick.get(clickId)?.pixel ?? 0;
    inputs.forEach((input, n) => {
      kinds.pixel.accepted++;
      settle('pixel', input, n < rows, n < rows ? [] : [clickId], 'conversion', `pixel of click ${clickId}`);
    });
    if (rows > inputs.length) {
      kinds.pixel.doubled += rows - inputs.length;
      bump(kinds.pixel.doubledBy, 'rows beyond the accepted pixels of a click', rows - inputs.length);
    }
  }

  // Postback rows per click beyond the postbacks accepted for it. Two clicks may each hold an
  // order (decision 018), so this bounds the rows of an order per click; an order answered
  // "accepted" twice for one click is counted below from the answers themselves, and the rule
  // checks (rule-book.ts) say which orders only one click may hold.
  const postbacksByClick = new Map<string, number>();
  for (const { clickId } of ledger.postbacks.values())
    postbacksByClick.set(clickId, (postbacksByClick.get(clickId) ?? 0) + 1);
  const injectedIds = new Set([...ledger.injected.values()].flatMap((e) => (e.id ? [e.id] : [])));
  for (const [clickId, counts] of rowsByClick) {
    const accepted = postbacksByClick.get(clickId) ?? 0;
    if (!ledger.clicks.has(clickId)) continue;
    if (counts.postback > accepted) {
      const extra = counts.postback - accepted;
      if (accepted > 0) {
        kinds.postback.doubled += extra;
        bump(kinds.postback.doubledBy, 'rows beyond the accepted postbacks of a click', extra);
      } else {
        kinds.postback.unexpected += extra;
      }
    }
    if (counts.pixel > 0 && !pixelsByClick.has(clickId)) kinds.pixel.unexpected += counts.pixel;
  }
  for (const [order, accepted] of ledger.acceptedByOrder) {
    if (accepted > 1) {
      kinds.postback.doubled += accepted - 1;
      bump(kinds.postback.doubledBy, 'order answered "accepted" more than once for a click', accepted - 1);
      if (kinds.postback.lostExamples.length < 5)
        kinds.postback.lostExamples.push(`accepted twice: ${order}`);
    }
  }

  for (const [id, input] of ledger.statusUpdates) {
    kinds.status.accepted++;
    settle('status', input, db.statusUpdateIds.has(id), [id], 'conversion_status', id);
  }

  for (const event of ledger.injected.values()) {
    if (event.answer !== null && event.answer >= 200 && event.answer < 300) kinds.injected.accepted++;
    const stored =
      event.id !== null &&
      ((event.type === 'click' && db.clickIds.has(event.id)) ||
        (event.type === 'conversion' && conversionIds.has(event.id)));
    settle(
      'injected',
      event,
      stored,
      [event.id, event.marker],
      undefined,
      `${event.type} ${event.id ?? event.marker}`,
    );
  }

  // Rows that no answer accounts for.
  for (const id of db.clickIds) if (!ledger.clicks.has(id) && !injectedIds.has(id)) kinds.click.unexpected++;
  for (const c of db.conversions) {
    if (ledger.clicks.has(c.clickId) || injectedIds.has(c.id) || ledger.postbacks.has(c.id)) continue;
    kinds[c.source === 'pixel' ? 'pixel' : 'postback'].unexpected++;
  }

  const r = db.rollup;
  const figures = (m: DatabaseSnapshot['rollup']['clicks']): RollupFigures => ({
    rows: String(m.rows),
    rolledUp: String(m.rolledUp),
    over: String(m.over),
    under: String(m.under),
  });
  const rollupLost = Number(r.clicks.under + r.conversions.under);
  const rollupDoubled = Number(r.clicks.over + r.conversions.over);

  const rows = quarantine.rows;
  const keys = new Set(rows.map((row) => row.key));
  const byReason: Record<string, number> = {};
  for (const row of rows) bump(byReason, row.reasonCode?.trim() ? row.reasonCode : '(no reason)');
  const withoutReason = rows.filter((row) => !row.reasonCode?.trim() || !row.reason?.trim()).length;

  const sum = (pick: (k: KindResult) => number) => KINDS.reduce((total, k) => total + pick(kinds[k]), 0);
  return {
    kinds,
    rollup: {
      clicks: figures(r.clicks),
      uniqueClicks: figures(r.uniqueClicks),
      invalidClicks: figures(r.invalidClicks),
      botClicks: figures(r.botClicks),
      blockedClicks: figures(r.blockedClicks),
      velocityClicks: figures(r.velocityClicks),
      conversions: figures(r.conversions),
      approvedConversions: figures(r.approvedConversions),
      pendingConversions: figures(r.pendingConversions),
      rejectedConversions: figures(r.rejectedConversions),
      payout: figures(r.payout),
      revenue: figures(r.revenue),
      keysOff: r.keysOff,
      moneyMatches: [r.payout, r.revenue].every((m) => m.over === 0n && m.under === 0n),
      lost: rollupLost,
      doubled: rollupDoubled,
    },
    quarantine: {
      tableExists: db.quarantine !== null,
      rows: rows.length,
      withoutReason,
      byReason,
      unmatched: rows.filter((row) => !row.claimed).length,
      repeated: rows.length - keys.size,
    },
    totals: {
      lost: sum((k) => k.lost) + rollupLost,
      doubled: sum((k) => k.doubled) + rollupDoubled,
      unexpected: sum((k) => k.unexpected),
      quarantined: sum((k) => k.quarantined),
      withoutReason,
    },
  };
}
