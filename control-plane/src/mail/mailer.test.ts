import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSendGridFake } from '../../test/sendgrid-fake.ts';
import { createSendGridMailer, sendInBackground } from './mailer.ts';

const KEY = 'SG.test-key-0123456789';

describe('the SendGrid mailer', () => {
  let sendgrid: Awaited<ReturnType<typeof startSendGridFake>>;
  beforeAll(async () => {
    sendgrid = await startSendGridFake(KEY);
  });
  afterAll(() => sendgrid.close());

  it('sends a plain-text message through the v3 Mail Send API', async () => {
    const mailer = createSendGridMailer({
      apiKey: KEY,
      from: 'TAS <no-reply@tas.test>',
      baseUrl: sendgrid.url,
    });
    await mailer.send({
      to: 'owner@example.test',
      subject: 'Verify your email',
      text: 'Open https://app.test/v?t=1',
    });
    expect(sendgrid.received).toEqual([
      expect.objectContaining({
        personalizations: [
          expect.objectContaining({ to: [expect.objectContaining({ email: 'owner@example.test' })] }),
        ],
        from: expect.objectContaining({ email: 'no-reply@tas.test', name: 'TAS' }),
        subject: 'Verify your email',
        content: [{ type: 'text/plain', value: 'Open https://app.test/v?t=1' }],
      }),
    ]);
  });

  it('fails on a refused key, and the background sender logs it without the key or the message', async () => {
    const mailer = createSendGridMailer({
      apiKey: 'SG.wrong',
      from: 'no-reply@tas.test',
      baseUrl: sendgrid.url,
    });
    await expect(mailer.send({ to: 'a@example.test', subject: 's', text: 'secret-link' })).rejects.toThrow();
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await sendInBackground(mailer, { to: 'a@example.test', subject: 's', text: 'secret-link' }, 'test');
      expect(log).toHaveBeenCalledTimes(1);
      const line = String(log.mock.calls[0]?.[0]);
      expect(line).toContain('test mail failed');
      expect(line).not.toContain('SG.wrong');
      expect(line).not.toContain('secret-link');
    } finally {
      log.mockRestore();
    }
  });
});
