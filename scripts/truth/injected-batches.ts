import { createClickIdCodec, parseClickIdKeys } from '@tas/shared/click-id';
import { conversionIdFor } from '@tas/shared/conversion-id';
import { SIGNATURE_HEADER, signBody } from '@tas/shared/signature';
import type { DevSecrets } from '../dev-secrets.ts';
import { clean, type InjectedEvent, type Input, type Ledger, poison } from './ledger.ts';
import type { Random } from './random.ts';

type Event = Record<string, unknown>;

/**
 * Events the edge really sent, as templates for injected ones: an injected good event is a real
 * one with a new id, so it stays valid whatever fields the event schema gains; a poison event is
 * a real one with one field broken, as a buggy or older edge would send it.
 */
export class EventTemplates {
  click: Event | null = null;
  conversion: Event | null = null;

  /** Keeps the first plain click and conversion of the batches the edge sends. */
  readonly sample = (body: string) => {
    if (this.click && this.conversion) return;
    let events: unknown;
    try {
      events = (JSON.parse(body) as { events?: unknown }).events;
    } catch {
      return;
    }
    if (!Array.isArray(events)) return;
    for (const event of events as Event[]) {
      if (!plain(event)) continue;
      if (event.type === 'click' && !this.click && event.creativeId === null) this.click = event;
      if (event.type === 'conversion' && !this.conversion && event.reason === null) this.conversion = event;
    }
  };
}

// Printable ASCII only: a template must not carry a poison input of the run itself.
const plain = (event: Event) =>
  Object.values(event).every((v) => typeof v !== 'string' || /^[\x20-\x7e]*$/.test(v));

type PoisonEvent = { name: string; build: (kit: Kit, marker: string) => Promise<Event[]> };
type Kit = {
  click: (offerId: number, marker: string) => Promise<Event>;
  conversion: (offerId: number, marker: string, clickId?: string) => Promise<Event>;
};

/** One broken field each, or a broken event altogether. */
export const INJECTED_POISONS: PoisonEvent[] = [
  { name: 'nul-in-sub', build: async (k, m) => [{ ...(await k.click(1, m)), sub1: 'a\u0000b' }] },
  {
    name: 'creative-id-out-of-range',
    build: async (k, m) => [{ ...(await k.click(1, m)), creativeId: 4_000_000_000 }],
  },
  { name: 'sub-300-chars', build: async (k, m) => [{ ...(await k.click(1, m)), sub2: 's'.repeat(300) }] },
  { name: 'lone-surrogate', build: async (k, m) => [{ ...(await k.click(1, m)), sub3: '\ud800x' }] },
  {
    name: 'user-agent-5000-chars',
    build: async (k, m) => [{ ...(await k.click(1, m)), userAgent: 'U'.repeat(5000) }],
  },
  {
    name: 'amount-overflow',
    build: async (k, m) => [{ ...(await k.conversion(2, m)), amountMinor: 1e20, currency: 'USD' }],
  },
  {
    name: 'amount-at-max-safe-integer',
    build: async (k, m) => [
      { ...(await k.conversion(2, m)), amountMinor: Number.MAX_SAFE_INTEGER, currency: 'USD' },
    ],
  },
  {
    name: 'negative-amount',
    build: async (k, m) => [{ ...(await k.conversion(2, m)), amountMinor: -500, currency: 'USD' }],
  },
  {
    name: 'nul-in-txid',
    build: async (k, m) => {
      const event = await k.conversion(1, m);
      return [
        {
          ...event,
          txid: `\u0000${m}`,
          id: await conversionIdFor({ offerId: 1, event: 'conversion', txid: `\u0000${m}` }),
        },
      ];
    },
  },
  {
    name: 'foreign-currency',
    build: async (k, m) => [{ ...(await k.conversion(1, m)), amountMinor: 1234, currency: 'EUR' }],
  },
  {
    name: 'unknown-event-type',
    build: async (_k, m) => [{ type: 'refund', id: m, occurredAt: new Date().toISOString() }],
  },
  {
    name: 'fields-missing',
    build: async (k, m) => {
      const { id } = await k.click(1, m);
      return [{ type: 'click', id, note: m }];
    },
  },
  { name: 'malformed-click-id', build: async (k, m) => [{ ...(await k.click(1, m)), id: `bad-${m}` }] },
  {
    name: 'bad-timestamp',
    build: async (k, m) => [{ ...(await k.click(1, m)), occurredAt: `yesterday ${m}` }],
  },
  { name: 'offer-unknown', build: async (k, m) => [{ ...(await k.click(1, m)), offerId: 999_999 }] },
  { name: 'not-an-object', build: async (_k, m) => [m as unknown as Event] },
];

const GOOD_CLICKS = 8;

/**
 * Signed batches posted straight to the control plane's ingest, as the edge's consumer does:
 * good events with poison ones among them (and one good click twice in the same batch). Each
 * batch is retried like a Queue message on 5xx or no answer; a 4xx is final, as a batch the
 * ingest refuses would only cycle to the dead letters.
 */
export function batchInjector(deps: {
  apiUrl: () => string;
  secrets: DevSecrets;
  ledger: Ledger;
  templates: EventTemplates;
  random: Random;
  poison: boolean;
}) {
  const codec = createClickIdCodec(parseClickIdKeys(deps.secrets.CLICK_ID_KEYS));
  const deliveries: Promise<void>[] = [];
  let batchNo = 0;
  let poisonNo = 0;

  const kit: Kit = {
    async click(offerId, marker) {
      const now = new Date();
      return {
        ...(deps.templates.click ?? FALLBACK_CLICK),
        id: await codec.sign({ offerId, affiliateId: 1, clickedAt: now }),
        occurredAt: now.toISOString(),
        offerId,
        affiliateId: 1,
        sub5: marker,
      };
    },
    async conversion(offerId, marker, clickId) {
      const now = new Date();
      return {
        ...(deps.templates.conversion ?? FALLBACK_CONVERSION),
        id: await conversionIdFor({ offerId, event: 'conversion', txid: marker }),
        occurredAt: now.toISOString(),
        clickId: clickId ?? (await codec.sign({ offerId, affiliateId: 1, clickedAt: now })),
        clickedAt: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString(),
        offerId,
        affiliateId: 1,
        event: 'conversion',
        amountMinor: 2500,
        currency: 'USD',
        txid: marker,
        advertiserStatus: null,
        reason: null,
      };
    },
  };

  const record = (marker: string, input: Input, event: Event | string, id: string | null) => {
    const type =
      typeof event === 'object' && (event.type === 'click' || event.type === 'conversion')
        ? event.type
        : 'other';
    const entry: InjectedEvent = { ...input, id, type, marker, answer: null };
    deps.ledger.tried(input);
    deps.ledger.injected.set(marker, entry);
    return entry;
  };

  const build = async () => {
    const n = ++batchNo;
    const marker = (what: string) => `truth-m-${n}-${what}-${deps.random.token(6)}`;
    const events: Event[] = [];
    const entries: InjectedEvent[] = [];
    const clicks: Event[] = [];
    for (let i = 0; i < GOOD_CLICKS; i++) {
      const m = marker(`c${i}`);
      const click = await kit.click(1, m);
      clicks.push(click);
      events.push(click);
      entries.push(record(m, clean(), click, click.id as string));
    }
    for (let i = 0; i < 2; i++) {
      const m = marker(`v${i}`);
      const conversion = await kit.conversion(1, m, clicks[i]!.id as string);
      events.push(conversion);
      entries.push(record(m, clean(), conversion, conversion.id as string));
    }
    // The same event twice in one batch (a consumer that merged a redelivered message): one row.
    events.push(clicks[0]!);
    if (deps.poison) {
      // The first batch is all poison but one good click; the others carry two poison events.
      const count = n === 1 ? INJECTED_POISONS.length : 2;
      for (let i = 0; i < count; i++) {
        const spec = INJECTED_POISONS[poisonNo++ % INJECTED_POISONS.length]!;
        const m = marker(`p-${spec.name}`);
        for (const event of await spec.build(kit, m)) {
          const id = typeof event === 'object' && typeof event.id === 'string' ? event.id : null;
          events.push(event);
          entries.push(record(m, poison(spec.name), event, id));
        }
      }
    }
    deps.ledger.sent.injected += entries.length;
    return { body: JSON.stringify({ events: shuffle(events, deps.random) }), entries };
  };

  const deliver = async ({ body, entries }: { body: string; entries: InjectedEvent[] }) => {
    const delays = [1000, 2000, 4000, 8000, 8000, 8000];
    let answer: string;
    for (let attempt = 0; ; attempt++) {
      let status: number | null = null;
      try {
        const response = await fetch(`${deps.apiUrl()}/internal/ingest`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: await signBody(deps.secrets.INGEST_SIGNING_SECRET, '/internal/ingest', body),
          },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        status = response.status;
        answer = `${status} ${(await response.text()).slice(0, 60)}`;
      } catch (error) {
        answer = `no answer (${error instanceof Error ? error.name : 'error'})`;
      }
      const retry = status === null || status >= 500;
      if (!retry || attempt >= delays.length) {
        for (const entry of entries) entry.answer = status;
        deps.ledger.answered('injected', status === 200 ? '200 stored' : `final ${answer}`, entries.length);
        if (status === null) deps.ledger.unanswered.injected += entries.length;
        return;
      }
      deps.ledger.answered('injected', `retried after ${status ?? 'no answer'}`, entries.length);
      await new Promise((r) => setTimeout(r, delays[attempt]));
    }
  };

  return {
    /** Builds the next batch and delivers it in the background (with retries). */
    async inject() {
      const batch = await build();
      deliveries.push(deliver(batch));
    },
    /** Waits until every injected batch got its final answer. */
    settle: () => Promise.all(deliveries).then(() => undefined),
  };
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

// Used only when no real event has reached the proxy yet (the edge's first batches were slow).
const FALLBACK_CLICK: Event = {
  type: 'click',
  sub1: null,
  sub2: null,
  sub3: null,
  sub4: null,
  sub5: null,
  sourceId: null,
  creativeId: null,
  landingPageId: null,
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36',
  country: null,
  device: 'desktop',
  os: 'linux',
  referrer: null,
  gclid: null,
  fbclid: null,
  msclkid: null,
  ttclid: null,
  gbraid: null,
  wbraid: null,
  consent: null,
  outcome: 'redirect',
  reason: null,
  fraudFlags: [],
  unique: true,
  source: 'redirect',
};
const FALLBACK_CONVERSION: Event = {
  type: 'conversion',
  source: 'postback',
  fraudFlags: [],
  ip: '203.0.113.7',
  userAgent: null,
};
