import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Mail = { file: string; to: string; subject: string; text: string; links: string[] };

/**
 * Mail the control plane wrote to its outbox folder (`<state dir>/outbox`, one file a message:
 * `To:` and `Subject:` lines, a blank line, the text), as it does outside production without SMTP.
 */
export function readOutbox(stateDir: string): Mail[] {
  const folder = join(stateDir, 'outbox');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.txt'))
    .sort()
    .map((name) => {
      const content = readFileSync(join(folder, name), 'utf8');
      const [head = '', ...rest] = content.split('\n\n');
      const text = rest.join('\n\n');
      const header = (key: string) => head.match(new RegExp(`^${key}: (.*)$`, 'm'))?.[1] ?? '';
      return {
        file: name,
        to: header('To'),
        subject: header('Subject'),
        text,
        links: [...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]),
      };
    });
}

/** Waits for a message to `to` whose subject matches, and returns it (mail is sent in the background). */
export async function waitForMail(
  stateDir: string,
  to: string,
  subject: RegExp = /./,
  timeoutMs = 10_000,
): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = readOutbox(stateDir).find((m) => m.to === to && subject.test(m.subject));
    if (mail) return mail;
    if (Date.now() > deadline)
      throw new Error(
        `no mail to ${to} matching ${subject} within ${timeoutMs} ms; outbox: ${JSON.stringify(
          readOutbox(stateDir).map((m) => `${m.to}: ${m.subject}`),
        )}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The first link in a mail that opens `path` of the dashboard at `baseUrl`. */
export function linkTo(mail: Mail, baseUrl: string, path: string): string {
  const link = mail.links.find((l) => l.startsWith(`${baseUrl}${path}`));
  if (!link) throw new Error(`no ${baseUrl}${path} link in "${mail.subject}": ${mail.links.join(', ')}`);
  return link;
}
