import { join } from 'node:path';
import { mailTransportOf, type Settings } from '../settings.ts';
import { createOutboxMailer, createSendGridMailer, createSmtpMailer, type Mailer } from './mailer.ts';

/** The mailer the settings ask for: SMTP, SendGrid, or (outside production) files in the outbox folder. */
export function mailerOf(settings: Settings, secretsDir: string): Mailer {
  // The settings schema guarantees the credentials of the transport it resolves to.
  const transport = mailTransportOf(settings);
  if (transport === 'smtp' && settings.SMTP_URL)
    return createSmtpMailer({ url: settings.SMTP_URL, from: settings.MAIL_FROM });
  if (transport === 'sendgrid' && settings.SENDGRID_API_KEY)
    return createSendGridMailer({ apiKey: settings.SENDGRID_API_KEY, from: settings.MAIL_FROM });
  return createOutboxMailer(join(secretsDir, 'outbox'));
}
