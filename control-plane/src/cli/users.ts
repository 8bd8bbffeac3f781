import { ZodError } from 'zod';
import { createAdminFromCommandLine } from '../accounts/create-admin.ts';
import { openDatabase } from '../db/open-database.ts';
import { ApiError } from '../http/api-error.ts';
import { loadSettings } from '../settings.ts';

/**
 * `pnpm --filter @tas/control-plane users create-admin <email> [first name]` (`node dist/users.js`
 * in production): makes an admin, the first of a new install (docs/deploy.md). The password comes
 * on standard input, or from TAS_ADMIN_PASSWORD, never as an argument (arguments are visible to
 * every user of the machine and kept in shell history).
 */
const [command, email, firstName] = process.argv.slice(2);
if (command !== 'create-admin' || !email) {
  console.error(
    'usage: users create-admin <email> [first name]   (password on stdin, or TAS_ADMIN_PASSWORD)',
  );
  process.exit(2);
}
const password = process.env.TAS_ADMIN_PASSWORD ?? (await passwordFromStdin());
const settings = loadSettings(process.env);
const database = await openDatabase(settings);
try {
  const user = await createAdminFromCommandLine(database.db, { email, password, firstName });
  console.log(`Admin ${user.email} created (${user.id}): sign in on the dashboard.`);
} catch (error) {
  if (error instanceof ZodError) {
    console.error(error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    process.exitCode = 2;
  } else if (error instanceof ApiError) {
    console.error(error.message);
    process.exitCode = 1;
  } else throw error;
} finally {
  await database.close();
}

async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    console.error(
      'Pipe the password on standard input (or set TAS_ADMIN_PASSWORD): it is not read from the terminal.',
    );
    process.exit(2);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline is the pipe's (echo, a file), not the password's.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
