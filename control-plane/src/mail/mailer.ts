import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export type MailMessage = { to: string; subject: string; text: string };

/** Sends email. SMTP in production; an outbox folder in development; SES/SendGrid fit behind it too. */
export type Mailer = { send(message: MailMessage): Promise<void> };

export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport(options.url);
  return {
    async send(message) {
      await transport.sendMail({ from: options.from, ...message });
    },
  };
}

/**
 * Development mail: each message is written as a file, and only the file name is logged, since
 * messages carry one-time links that must not end up in logs.
 */
export function createOutboxMailer(folder: string): Mailer {
  return {
    async send(message) {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      const file = join(
        folder,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomUUID()}.txt`,
      );
      writeFileSync(file, `To: ${message.to}\nSubject: ${message.subject}\n\n${message.text}\n`, {
        mode: 0o600,
      });
      console.log(JSON.stringify({ msg: 'mail written to outbox', file }));
    },
  };
}

/**
 * Starts sending without waiting for it, so an HTTP answer neither waits on the mail service nor
 * shows its timing. A failure is logged without the message, which may hold a one-time link.
 * Returns the sending, for tests and shutdown to wait on; it never rejects.
 */
export function sendInBackground(mailer: Mailer, message: MailMessage, what: string): Promise<void> {
  // The executor runs at once, so the send starts now and a synchronous throw is caught too.
  return new Promise<void>((resolve) => resolve(mailer.send(message))).catch((error: unknown) => {
    console.error(JSON.stringify({ msg: `${what} mail failed`, error: String(error).slice(0, 200) }));
  });
}
