import { openDatabase } from '../db/open-database.ts';
import { dataSubjectSchema } from '../privacy/data-subject.ts';
import { eraseSubject, exportSubject } from '../privacy/subject-requests.ts';
import { loadSettings } from '../settings.ts';

/**
 * `pnpm --filter @tas/control-plane privacy export|erase <email|click_id|txid|ip> <value> [note]`:
 * a data subject request from the command line (docs/privacy.md), logged like the API's with no
 * requesting user. An export is printed as JSON on stdout.
 */
const [command, type, value, note] = process.argv.slice(2);
const subject = dataSubjectSchema.safeParse({ type, value });
if ((command !== 'export' && command !== 'erase') || !subject.success) {
  console.error('usage: privacy export|erase email|click_id|txid|ip <value> [note]');
  if (!subject.success && type) console.error(subject.error.issues.map((i) => i.message).join('; '));
  process.exit(2);
}
const settings = loadSettings(process.env);
const database = await openDatabase(settings);
try {
  const by = { principal: null, note: note ?? 'command line' };
  const result =
    command === 'export'
      ? await exportSubject(database.db, subject.data, by)
      : await eraseSubject(database.db, subject.data, by);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await database.close();
}
