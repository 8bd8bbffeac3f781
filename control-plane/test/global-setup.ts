import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectPostgres } from '../src/db/database.ts';
import { startEphemeralPostgres } from './ephemeral-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
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
  await template.close();
  project.provide('postgresUrl', server.url());
  return () => server.stop();
}
