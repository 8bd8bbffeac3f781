import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/test-databases.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { PERSONAL_COLUMN_PATTERN, PERSONAL_FIELDS } from './personal-fields.ts';

describe.each(testDatabases)('the personal fields on $name', ({ open }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(() => handle.close());

  const columns = async () =>
    (
      await queryRows<{ t: string; c: string }>(
        handle.db,
        // Tables, not their partitions (clicks' days share its columns).
        sql`SELECT cl.relname AS t, a.attname AS c
            FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = cl.relnamespace
            WHERE n.nspname = 'public' AND cl.relkind IN ('r', 'p') AND NOT cl.relispartition
              AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY 1, 2`,
      )
    ).map((r) => `${r.t}.${r.c}`);

  it('are all listed with what an erasure and the retention do to them', async () => {
    const pattern = new RegExp(PERSONAL_COLUMN_PATTERN);
    const listed = new Set(PERSONAL_FIELDS.map((f) => `${f.table}.${f.column}`));
    const looksPersonal = (await columns()).filter((name) => pattern.test(name.split('.')[1] ?? ''));
    // A new column named like personal data must say what happens to it (personal-fields.ts).
    expect(looksPersonal.filter((name) => !listed.has(name))).toEqual([]);
    expect(looksPersonal.length).toBeGreaterThan(20);
  });

  it('name only columns that exist', async () => {
    const all = new Set(await columns());
    expect(PERSONAL_FIELDS.map((f) => `${f.table}.${f.column}`).filter((name) => !all.has(name))).toEqual([]);
    for (const field of PERSONAL_FIELDS) {
      if (field.onErase === 'keep') expect(field.why, `${field.table}.${field.column}`).toBeTruthy();
    }
  });
});
