import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPostgresDatabase } from '../../test/test-databases.ts';

const HOUR = '2026-11-30T10:00:00Z';
const insertRow = (offer: number, sub1: string) =>
  `INSERT INTO hourly_stats (hour, offer_id, affiliate_id, sub1, country, device, clicks)
   VALUES ('${HOUR}', ${offer}, 1, '${sub1}', '', '', 1)`;
const updateRow = (offer: number, sub1: string) =>
  `UPDATE hourly_stats SET clicks = clicks + 1 WHERE offer_id = ${offer} AND sub1 = '${sub1}'`;

/** Whether `client` is waiting on a lock, seen from another connection. */
async function waitsOnLock(observer: pg.Client, client: pg.Client): Promise<boolean> {
  const pid = (client as unknown as { processID: number }).processID;
  for (let i = 0; i < 100; i++) {
    const { rows } = await observer.query('SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1', [
      pid,
    ]);
    if (rows[0]?.wait_event_type === 'Lock') return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

// Two sessions on a real server (PGlite has one connection, so it cannot deadlock).
describe('the coarse rollups under concurrent writers', () => {
  const clients: pg.Client[] = [];
  let url: string;
  beforeAll(async () => {
    url = await createTestPostgresDatabase();
  });
  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => undefined);
  });
  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    clients.push(client);
    return client;
  };

  it('orders two writers that insert and update hourly rows of each other’s offers, instead of deadlocking', async () => {
    const [a, b, observer] = [await connect(), await connect(), await connect()];
    await observer.query(`${insertRow(1, 'old')}; ${insertRow(2, 'old')}`);

    await a.query('BEGIN');
    await b.query('BEGIN');
    // A's insert trigger writes offer 1's coarse rows; B's would write offer 2's. Each then updates
    // an hourly row of the other offer: without one lock for the coarse rollups, A would wait for
    // B's offer-2 rows and B for A's offer-1 rows.
    await a.query(insertRow(1, 'a'));
    const bInsert = b.query(insertRow(2, 'b'));
    expect(await waitsOnLock(observer, b)).toBe(true);
    await a.query(updateRow(2, 'old'));
    await a.query('COMMIT');
    await bInsert;
    await b.query(updateRow(1, 'old'));
    await b.query('COMMIT');

    const coarse = async (table: string) =>
      (await observer.query(`SELECT offer_id, clicks::int FROM ${table} ORDER BY offer_id`)).rows;
    // offer 1: old + a + B's update; offer 2: old + b + A's update.
    const expected = [
      { offer_id: 1, clicks: 3 },
      { offer_id: 2, clicks: 3 },
    ];
    expect(await coarse('hourly_offer_stats')).toEqual(expected);
    expect(await coarse('daily_offer_stats')).toEqual(expected);
  });
});
