import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip.ts';

/** What clientIp makes of a request with these headers, as the app is configured. */
async function seen(headers: Record<string, string>, header: string | undefined, proxyHops?: number) {
  const app = new Hono();
  app.get('/', (c) => c.text(String(clientIp(c, header, proxyHops))));
  return (await app.request('/', { headers })).text();
}

describe('clientIp', () => {
  it('takes the address the trusted proxy appended, not what the client wrote before it', async () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the address it saw.
    expect(await seen({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9' }, 'x-forwarded-for')).toBe('203.0.113.9');
    expect(await seen({ 'x-forwarded-for': '203.0.113.9' }, 'x-forwarded-for')).toBe('203.0.113.9');
    expect(await seen({ 'x-forwarded-for': ' 2001:db8::1 ' }, 'x-forwarded-for')).toBe('2001:db8::1');
  });

  it('counts back as many entries as there are trusted proxies', async () => {
    const chain = { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.2' };
    expect(await seen(chain, 'x-forwarded-for', 2)).toBe('203.0.113.9');
    expect(await seen(chain, 'x-forwarded-for', 1)).toBe('10.0.0.2');
    // Fewer entries than proxies: the first one is the one the outermost proxy added.
    expect(await seen({ 'x-forwarded-for': '203.0.113.9' }, 'x-forwarded-for', 2)).toBe('203.0.113.9');
  });

  it('ignores the header when not configured, and a value that is no address', async () => {
    expect(await seen({ 'x-forwarded-for': '6.6.6.6' }, undefined)).toBe('null');
    expect(await seen({ 'x-forwarded-for': '6.6.6.6, not-an-ip' }, 'x-forwarded-for')).toBe('null');
    expect(await seen({ 'x-forwarded-for': '6.6.6.6,' }, 'x-forwarded-for')).toBe('null');
    expect(await seen({}, 'x-forwarded-for')).toBe('null');
  });
});
