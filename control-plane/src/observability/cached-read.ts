/**
 * A read shared by everyone who asks while it is under way, and for `ttlMs` after it ends:
 * prom-client collects all gauges of a scrape at once, so the gauges fed by one query cost one
 * query a scrape; a `ttlMs` also spares a slow source from several Prometheus servers. A failed
 * read is not kept.
 */
export function cachedRead<T>(ttlMs: number, read: () => Promise<T>, now: () => number = Date.now) {
  let last: { endedAt: number | null; value: Promise<T> } | null = null;
  return (): Promise<T> => {
    if (last && (last.endedAt === null || now() - last.endedAt < ttlMs)) return last.value;
    const entry: { endedAt: number | null; value: Promise<T> } = { endedAt: null, value: read() };
    last = entry;
    entry.value.then(
      () => {
        entry.endedAt = now();
      },
      () => {
        if (last === entry) last = null;
      },
    );
    return entry.value;
  };
}
