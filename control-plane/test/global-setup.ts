import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectPglite, connectPostgres } from '../src/db/database.ts';
import { ensureClickPartitions } from '../src/partitions/click-partitions.ts';
import { startEphemeralPostgres } from './ephemeral-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    pgliteTemplate: string;
  }
}

export const TEMPLATE_DATABASE = 'tas_template';

/**
 * One Postgres server for the whole run, with a migrated template database; each test file
 * clones the template into a database of its own (test/test-databases.ts).
 */
export default async function setup(project: TestProject) {
  const server = await startEphemeralPostgres();
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const template = connectPostgres(server.url(TEMPLATE_DATABASE), { driver: 'pg' });
  await template.migrate();
  await ensureClickPartitions(template.db, { now: new Date(), aheadDays: 7 });
  await template.close();
  project.provide('postgresUrl', server.url());

  // PGlite takes ~2 s to initialise a data folder and ~0.4 s to load a dump: test files start
  // from a dump of a migrated database.
  const dir = mkdtempSync(join(tmpdir(), 'tas-pglite-'));
  const embedded = await connectPglite('memory://');
  await embedded.migrate();
  await ensureClickPartitions(embedded.db, { now: new Date(), aheadDays: 7 });
  const dump = await (embedded.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');
  writeFileSync(join(dir, 'template.tar'), Buffer.from(await dump.arrayBuffer()));
  await embedded.close();
  project.provide('pgliteTemplate', join(dir, 'template.tar'));
  return () => {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
