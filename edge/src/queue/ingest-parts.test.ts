import { MAX_INGEST_BATCH, MAX_INGEST_BYTES } from '@tas/shared/events';
import { describe, expect, it } from 'vitest';
import { type EventParcel, packForIngest, parcel } from './ingest-parts.ts';

const sized = (item: string, events: number, bytes: number): EventParcel<string> => ({
  item,
  events: Array.from({ length: events }, () => ({})),
  bytes,
});

describe('packForIngest', () => {
  it('keeps every request within the ingest limits of events and bytes, in order', () => {
    const parcels = [
      sized('a', 3000, 1000),
      sized('b', 3000, 1000),
      sized('c', 10, 5 * 1024 * 1024),
      sized('d', 10, 5 * 1024 * 1024),
      sized('e', 1, 10),
    ];
    const requests = packForIngest(parcels);
    expect(requests.map((r) => r.map((p) => p.item))).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
    for (const request of requests) {
      expect(request.reduce((n, p) => n + p.events.length, 0)).toBeLessThanOrEqual(MAX_INGEST_BATCH);
      expect(request.reduce((n, p) => n + p.bytes + 1, 64)).toBeLessThanOrEqual(MAX_INGEST_BYTES);
    }
  });

  it('counts a parcel by the exact UTF-8 bytes of its events', () => {
    const p = parcel('x', [{ sub1: '漢字' }, { sub1: '"' }]);
    expect(p.bytes).toBe(new TextEncoder().encode(JSON.stringify(p.events)).length);
  });
});
