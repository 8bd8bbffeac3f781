import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import nodemailer from 'nodemailer';

export type MailMessage = { to: string; subject: string; text: string };

/**
 * Sends email: SMTP (any provider, SES and SendGrid included, through their SMTP endpoints),
 * SendGrid's HTTP API, or an outbox folder in development.
 */
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
 * SendGrid's v3 Mail Send API through its official client. `baseUrl` is for tests (a local server
 * speaking the same API); production leaves it to the client's default, api.sendgrid.com.
 */
export function createSendGridMailer(options: { apiKey: string; from: string; baseUrl?: string }): Mailer {
  const client = new Client();
  client.setApiKey(options.apiKey);
  if (options.baseUrl) client.setDefaultRequest('baseUrl', options.baseUrl);
  const service = new MailService();
  service.setClient(client);
  service.setTimeout(10_000);
  return {
    async send(message) {
      await service.send({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
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
