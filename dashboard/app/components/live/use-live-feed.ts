import { useCallback, useEffect, useRef, useState } from 'react';

/** An event of the live feed as GET /api/v1/live sends it (money only as the role may see it). */
export type LiveEvent =
  | {
      type: 'click';
      id: string;
      receivedAt: number;
      data: {
        id: string;
        occurredAt: string;
        offerId: number;
        affiliateId: number;
        sub1: string | null;
        country: string | null;
        device: string | null;
        outcome: string;
        unique: boolean;
      };
    }
  | {
      type: 'conversion';
      id: string;
      receivedAt: number;
      data: {
        id: string;
        occurredAt: string;
        offerId: number;
        affiliateId: number;
        event: string;
        status: string;
        currency: string;
        payoutMinor?: number;
        revenueMinor?: number;
      };
    };

export type FeedStatus =
  | { state: 'connecting' }
  | { state: 'live'; since: number }
  | { state: 'reconnecting'; attempt: number }
  | { state: 'limited'; message: string; retryAfter: number }
  | { state: 'ended'; reason: string }
  | { state: 'failed'; message: string };

/** The most rows kept: a feed is for watching, the conversions page is the record. */
export const MAX_EVENTS = 300;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function parse(type: 'click' | 'conversion', text: string, receivedAt: number): LiveEvent | null {
  try {
    const data: unknown = JSON.parse(text);
    if (!isObject(data) || typeof data.id !== 'string' || typeof data.offerId !== 'number') return null;
    return { type, id: data.id, receivedAt, data } as LiveEvent;
  } catch {
    return null;
  }
}

/**
 * The live feed through the dashboard's stream route (/live/stream), newest first, at most
 * MAX_EVENTS. Events are applied once per animation frame, so a burst renders once. While
 * paused, events keep arriving and wait (still capped) until resumed. A dropped connection is
 * opened again with backoff, from a little before the last event (ids already shown are
 * skipped); `limited` (too many feeds open) and `end` (the session is over) are final.
 */
export function useLiveFeed({ paused }: { paused: boolean }) {
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [waiting, setWaiting] = useState(0);
  const [status, setStatus] = useState<FeedStatus>({ state: 'connecting' });
  const [counts, setCounts] = useState({ clicks: 0, conversions: 0 });
  const pausedRef = useRef(paused);
  const queue = useRef<LiveEvent[]>([]);
  const held = useRef<LiveEvent[]>([]);
  const seen = useRef(new Set<string>());
  const frame = useRef<number | null>(null);
  const lastAt = useRef<number | null>(null);
  const [generation, setGeneration] = useState(0);

  const flush = useCallback(() => {
    frame.current = null;
    const fresh = queue.current;
    queue.current = [];
    if (fresh.length === 0) return;
    setCounts((c) => ({
      clicks: c.clicks + fresh.filter((e) => e.type === 'click').length,
      conversions: c.conversions + fresh.filter((e) => e.type === 'conversion').length,
    }));
    const newestFirst = fresh.reverse();
    if (pausedRef.current) {
      held.current = [...newestFirst, ...held.current].slice(0, MAX_EVENTS);
      setWaiting(held.current.length);
      return;
    }
    setEvents((list) => [...newestFirst, ...list].slice(0, MAX_EVENTS));
  }, []);

  useEffect(() => {
    pausedRef.current = paused;
    if (!paused && held.current.length) {
      const release = held.current;
      held.current = [];
      setWaiting(0);
      setEvents((list) => [...release, ...list].slice(0, MAX_EVENTS));
    }
  }, [paused]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` opens the feed again on demand
  useEffect(() => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    let closed = false;
    const open = () => {
      // Re-read a little before the last event after a drop: the API replays up to an hour back.
      const since =
        lastAt.current === null
          ? ''
          : `?since=${encodeURIComponent(new Date(lastAt.current - 10_000).toISOString())}`;
      source = new EventSource(`/live/stream${since}`);
      const take = (type: 'click' | 'conversion') => (message: MessageEvent<string>) => {
        const event = parse(type, message.data, Date.now());
        if (!event || seen.current.has(event.id)) return;
        seen.current.add(event.id);
        if (seen.current.size > 5_000) seen.current = new Set([...seen.current].slice(-2_000));
        lastAt.current = Date.now();
        queue.current.push(event);
        frame.current ??= requestAnimationFrame(flush);
      };
      source.addEventListener('ready', () => {
        attempt = 0;
        if (lastAt.current === null) lastAt.current = Date.now();
        setStatus({ state: 'live', since: Date.now() });
      });
      source.addEventListener('click', take('click'));
      source.addEventListener('conversion', take('conversion'));
      source.addEventListener('end', (message: MessageEvent<string>) => {
        let reason = 'unauthorized';
        try {
          const body: unknown = JSON.parse(message.data);
          if (isObject(body) && typeof body.reason === 'string') reason = body.reason;
        } catch {}
        stop();
        setStatus({ state: 'ended', reason });
      });
      source.addEventListener('limited', (message: MessageEvent<string>) => {
        let body: unknown = null;
        try {
          body = JSON.parse(message.data);
        } catch {}
        stop();
        setStatus({
          state: 'limited',
          message:
            isObject(body) && typeof body.message === 'string'
              ? body.message
              : 'Too many live feeds are open.',
          retryAfter: isObject(body) && typeof body.retryAfter === 'number' ? body.retryAfter : 30,
        });
      });
      source.addEventListener('failure', (message: MessageEvent<string>) => {
        let body: unknown = null;
        try {
          body = JSON.parse(message.data);
        } catch {}
        stop();
        setStatus({
          state: 'failed',
          message:
            isObject(body) && typeof body.message === 'string'
              ? body.message
              : 'The live feed could not be opened.',
        });
      });
      source.onerror = () => {
        if (closed) return;
        source?.close();
        attempt += 1;
        setStatus({ state: 'reconnecting', attempt });
        timer = setTimeout(open, Math.min(30_000, 1_000 * 2 ** Math.min(attempt - 1, 5)));
      };
    };
    const stop = () => {
      closed = true;
      source?.close();
      if (timer) clearTimeout(timer);
    };
    setStatus({ state: 'connecting' });
    open();
    return () => {
      stop();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
    };
  }, [flush, generation]);

  const reconnect = useCallback(() => setGeneration((g) => g + 1), []);
  const clear = useCallback(() => {
    setEvents([]);
    held.current = [];
    setWaiting(0);
    setCounts({ clicks: 0, conversions: 0 });
  }, []);
  return { events, waiting, status, counts, reconnect, clear };
}
