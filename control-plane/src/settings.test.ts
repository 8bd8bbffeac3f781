import { describe, expect, it } from 'vitest';
import { loadSettings, mailTransportOf } from './settings.ts';

const base = { INGEST_SIGNING_SECRET: 'i'.repeat(40), CONFIG_SIGNING_SECRET: 'c'.repeat(40) };
const production = {
  ...base,
  NODE_ENV: 'production',
  JWT_SECRET: 'j'.repeat(40),
  PAYMENT_DETAILS_KEY: Buffer.alloc(32, 1).toString('base64'),
};
const transport = (env: Record<string, string>) => mailTransportOf(loadSettings(env));

describe('mail transport settings', () => {
  it('picks the transport whose credentials are set, SMTP first, the outbox otherwise', () => {
    expect(transport(base)).toBe('outbox');
    expect(transport({ ...base, SENDGRID_API_KEY: 'SG.k' })).toBe('sendgrid');
    expect(transport({ ...base, SENDGRID_API_KEY: 'SG.k', SMTP_URL: 'smtp://mail.test:25' })).toBe('smtp');
    expect(transport({ ...base, MAIL_TRANSPORT: 'outbox', SMTP_URL: 'smtp://mail.test:25' })).toBe('outbox');
  });

  it('refuses a named transport without its credentials, and production without any', () => {
    expect(() => loadSettings({ ...base, MAIL_TRANSPORT: 'sendgrid' })).toThrow(/SENDGRID_API_KEY/);
    expect(() => loadSettings({ ...base, MAIL_TRANSPORT: 'smtp' })).toThrow(/SMTP_URL/);
    expect(() => loadSettings(production)).toThrow(/SMTP_URL or SENDGRID_API_KEY/);
    expect(transport({ ...production, SENDGRID_API_KEY: 'SG.k' })).toBe('sendgrid');
  });

  it('takes trusted postback networks as CIDR ranges and refuses anything else', () => {
    expect(
      loadSettings({ ...base, POSTBACK_TRUSTED_NETWORKS: '10.1.0.0/16, fd00::/8' }).POSTBACK_TRUSTED_NETWORKS,
    ).toEqual(['10.1.0.0/16', 'fd00::/8']);
    expect(() => loadSettings({ ...base, POSTBACK_TRUSTED_NETWORKS: '10.1.0.0/16,not-a-range' })).toThrow(
      /POSTBACK_TRUSTED_NETWORKS/,
    );
  });
});

describe('demo data settings', () => {
  it('refuses to start production with SEED_DEMO, whose users have a published password', () => {
    const configured = { ...production, SENDGRID_API_KEY: 'SG.k' };
    expect(() => loadSettings({ ...configured, SEED_DEMO: '1' })).toThrow(/SEED_DEMO: .*NODE_ENV=production/);
    expect(() => loadSettings({ ...configured, SEED_DEMO: 'true' })).toThrow(/SEED_DEMO/);
    expect(loadSettings({ ...configured, SEED_DEMO: '0' }).SEED_DEMO).toBe(false);
    expect(loadSettings({ ...base, SEED_DEMO: '1' }).SEED_DEMO).toBe(true);
  });
});

describe('client address settings', () => {
  it('counts one trusted proxy unless told more, and refuses a count that is no count', () => {
    expect(loadSettings(base).TRUSTED_PROXY_HOPS).toBe(1);
    expect(loadSettings({ ...base, TRUSTED_PROXY_HOPS: '2' }).TRUSTED_PROXY_HOPS).toBe(2);
    for (const bad of ['0', '-1', '1.5', 'two']) {
      expect(() => loadSettings({ ...base, TRUSTED_PROXY_HOPS: bad }), bad).toThrow(/TRUSTED_PROXY_HOPS/);
    }
  });
});

describe('API rate limit settings', () => {
  it('defaults to generous limits, takes 0 as off, and refuses what is no count', () => {
    const s = loadSettings(base);
    expect([
      s.RATE_LIMIT_API_KEY_PER_MINUTE,
      s.RATE_LIMIT_USER_PER_MINUTE,
      s.RATE_LIMIT_IP_PER_MINUTE,
    ]).toEqual([600, 300, 60]);
    expect(loadSettings({ ...base, RATE_LIMIT_IP_PER_MINUTE: '0' }).RATE_LIMIT_IP_PER_MINUTE).toBe(0);
    expect(loadSettings({ ...base, RATE_LIMIT_USER_PER_MINUTE: '1200' }).RATE_LIMIT_USER_PER_MINUTE).toBe(
      1200,
    );
    for (const bad of ['-1', '1.5', 'lots']) {
      expect(() => loadSettings({ ...base, RATE_LIMIT_API_KEY_PER_MINUTE: bad }), bad).toThrow(
        /RATE_LIMIT_API_KEY_PER_MINUTE/,
      );
    }
  });
});
