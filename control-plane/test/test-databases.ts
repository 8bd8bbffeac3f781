import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { connectPglite, connectPostgres, type DatabaseHandle } from '../src/db/database.ts';

/**
 * The two databases every control-plane test runs against: a real PostgreSQL 15 server and the
 * embedded PGlite (Postgres 18 in WASM) that the local stack uses.
 */
export const testDatabases: { name: string; open: () => Promise<DatabaseHandle> }[] = [
  { name: 'postgres', open: openTestPostgres },
  { name: 'pglite', open: openTestPglite },
];

let counter = 0;

/** URL of a fresh database cloned from the migrated template, on the run's Postgres server. */
export async function createTestPostgresDatabase(): Promise<string> {
  const serverUrl = inject('postgresUrl');
  const name = `t_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE tas_template`);
  await admin.end();
  return serverUrl.replace(/\/postgres$/, `/${name}`);
}

export async function openTestPostgres(): Promise<DatabaseHandle> {
  return connectPostgres(await createTestPostgresDatabase(), { driver: 'pg' });
}

export async function openTestPglite(): Promise<DatabaseHandle> {
  const template = await readFile(inject('pgliteTemplate'));
  return connectPglite('memory://', { loadDataDir: new Blob([template]) });
}
