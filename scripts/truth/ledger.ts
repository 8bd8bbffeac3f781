/**
 * What the harness sent and what it was told: every click id the edge handed out, every
 * conversion it said "accepted", every status change it queued, every event injected straight
 * into the ingest. The reconciler holds Postgres against this and nothing else.
 */
export const KINDS = ['click', 'postback', 'pixel', 'status', 'injected'] as const;
export type Kind = (typeof KINDS)[number];

/**
 * What an input was, reported with every loss: `normal`, `bot`, `duplicate`, `poison:<name>`.
 * Only poison may end in quarantine; a clean input in quarantine is a lost count.
 */
export type Input = { label: string; clean: boolean };

export const clean = (label = 'normal'): Input => ({ label, clean: true });
export const poison = (name: string): Input => ({ label: `poison:${name}`, clean: false });

export type InjectedEvent = Input & {
  /** Event id when the event has one the database could key it by. */
  id: string | null;
  type: 'click' | 'conversion' | 'other';
  /** A unique string inside the event, to find it in a quarantine body when it has no usable id. */
  marker: string;
  /** The ingest's final answer to its batch (after retries), null while unanswered. */
  answer: number | null;
};

export class Ledger {
  readonly sent: Record<Kind, number> = { click: 0, postback: 0, pixel: 0, status: 0, injected: 0 };
  /** Answers by kind, e.g. `302 click id`, `accepted`, `duplicate`, `400 invalid_click_id`. */
  readonly answers: Record<Kind, Map<string, number>> = {
    click: new Map(),
    postback: new Map(),
    pixel: new Map(),
    status: new Map(),
    injected: new Map(),
  };
  /** Click ids the edge handed out (302 Location, cookie or /r JSON). */
  readonly clicks = new Map<string, Input>();
  /** Conversion ids the edge answered "accepted" for, from postbacks. */
  readonly postbacks = new Map<string, Input & { clickId: string }>();
  /** Pixels answered "accepted": the pixel answer names no conversion id, so they count by click. */
  readonly pixels: (Input & { clickId: string })[] = [];
  /** Status change ids the edge answered "queued" for (status_update_id in its answer). */
  readonly statusUpdates = new Map<string, Input>();
  /** Events posted straight to the ingest, by marker. */
  readonly injected = new Map<string, InjectedEvent>();
  /**
   * Postbacks answered "accepted" per (offer, event, txid, click): more than one is a doubled
   * count. Two clicks may each hold an order (decision 018: untrusted claims are both kept); the
   * rule checks (rule-book.ts) say when only one may.
   */
  readonly acceptedByOrder = new Map<string, number>();
  /** Requests that got no answer at all (timeouts, resets): their fate is unknown. */
  readonly unanswered: Record<Kind, number> = { click: 0, postback: 0, pixel: 0, status: 0, injected: 0 };

  /** Inputs sent, by label (`normal`, `bot`, `poison:nul-in-sub`...): what the run exercised. */
  readonly inputs = new Map<string, number>();

  tried(input: Input, times = 1) {
    this.inputs.set(input.label, (this.inputs.get(input.label) ?? 0) + times);
  }

  answered(kind: Kind, answer: string, times = 1) {
    const map = this.answers[kind];
    map.set(answer, (map.get(answer) ?? 0) + times);
  }

  orderAccepted(offerId: number, event: string, txid: string, clickId: string) {
    const key = JSON.stringify([offerId, event, txid, clickId]);
    this.acceptedByOrder.set(key, (this.acceptedByOrder.get(key) ?? 0) + 1);
  }
}
