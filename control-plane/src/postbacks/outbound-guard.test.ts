import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAffiliateEndpoint } from '../../test/affiliate-endpoint.ts';
import { PUBLIC_ADDRESS, scriptedResolver } from '../../test/postback-resolver.ts';
import { isPublicAddress, type OutboundPolicy } from './outbound-guard.ts';
import type { RenderedPostback } from './render-postback.ts';
import { sendPostback } from './send-postback.ts';

const get = (url: string): RenderedPostback => ({ url, method: 'GET', headers: {}, body: null });

describe('outbound guard', () => {
  let endpoint: Awaited<ReturnType<typeof startAffiliateEndpoint>>;
  // On '::' the endpoint takes IPv4 and IPv6 loopback alike: whatever slips through reaches it.
  beforeAll(async () => {
    endpoint = await startAffiliateEndpoint([200], { host: '::' });
  });
  afterAll(() => endpoint.close());

  it('tells public addresses from loopback, private, mapped and translated ones', () => {
    for (const address of ['8.8.8.8', PUBLIC_ADDRESS, '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      'fe80::1',
      'fe80::1%eth0',
      'fd00::1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
      // IPv4-compatible (deprecated, ::/96): refused whatever IPv4 address it carries.
      '::127.0.0.1',
      '::7f00:1',
      '::a9fe:a9fe',
      '::10.0.0.1',
      '::8.8.8.8',
      '0:0:0:0:0:0:7f00:1',
      'not an address',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it('refuses literal loopback and private addresses in every spelling, which would reach the server', async () => {
    const urls = [
      `http://127.0.0.1:${endpoint.port}/v4`,
      `http://127.1:${endpoint.port}/short`,
      `http://0x7f000001:${endpoint.port}/hex`,
      `http://0.0.0.0:${endpoint.port}/any`,
      `http://[::1]:${endpoint.port}/v6`,
      `http://[::ffff:127.0.0.1]:${endpoint.port}/mapped`,
      `http://[0:0:0:0:0:ffff:7f00:1]:${endpoint.port}/mapped-hex`,
      `http://localhost:${endpoint.port}/name`,
    ];
    endpoint.received.length = 0;
    for (const url of urls) {
      const result = await sendPostback(get(url), { allowPrivateNetworks: false });
      expect(result, url).toMatchObject({ ok: false, statusCode: null });
      expect(result.error, url).toMatch(
        /^OutboundAddressError: Refused to connect to .*not a public address/,
      );
    }
    expect(endpoint.received).toEqual([]);

    // The same requests do arrive when private networks are allowed (development, tests).
    for (const url of urls) {
      expect((await sendPostback(get(url), { allowPrivateNetworks: true })).ok, url).toBe(true);
    }
    expect(endpoint.received).toHaveLength(urls.length);
  });

  it('refuses IPv4-compatible IPv6 literals (::a.b.c.d), which may reach the IPv4 address', async () => {
    endpoint.received.length = 0;
    for (const url of [
      `http://[::127.0.0.1]:${endpoint.port}/compat`,
      `http://[::7f00:1]:${endpoint.port}/compat-hex`,
      `http://[::a9fe:a9fe]:${endpoint.port}/metadata`,
    ]) {
      const result = await sendPostback(get(url), { allowPrivateNetworks: false });
      expect(result.error, url).toMatch(
        /^OutboundAddressError: Refused to connect to .*not a public address/,
      );
    }
    expect(endpoint.received).toEqual([]);
  });

  it('checks the address it connects to, not an earlier answer (DNS rebinding)', async () => {
    // A zero-TTL name: public to the first query, loopback to the next.
    const dns = scriptedResolver({ 'rebind.test': [[PUBLIC_ADDRESS], ['127.0.0.1']] });
    // What a check before the request (the old assertPublicDestination) would have seen:
    expect(await dns.resolve('rebind.test')).toEqual([{ address: PUBLIC_ADDRESS, family: 4 }]);
    endpoint.received.length = 0;
    const result = await sendPostback(get(`http://rebind.test:${endpoint.port}/x`), {
      allowPrivateNetworks: false,
      resolve: dns.resolve,
    });
    expect(result).toMatchObject({
      ok: false,
      statusCode: null,
      error: 'OutboundAddressError: Refused to connect to rebind.test at 127.0.0.1: not a public address.',
    });
    expect(dns.queries).toEqual(['rebind.test', 'rebind.test']);
    expect(endpoint.received).toEqual([]);
  });

  it('refuses a name when any of its addresses is not public, and says when it does not resolve', async () => {
    const dns = scriptedResolver({
      'mixed.test': [[PUBLIC_ADDRESS, '127.0.0.1']],
      'v6.test': [['::ffff:127.0.0.1']],
      'metadata.test': [['169.254.169.254']],
    });
    const policy: OutboundPolicy = { allowPrivateNetworks: false, resolve: dns.resolve };
    for (const [host, address] of [
      ['mixed.test', '127.0.0.1'],
      ['v6.test', '::ffff:127.0.0.1'],
      ['metadata.test', '169.254.169.254'],
    ]) {
      const result = await sendPostback(get(`http://${host}:${endpoint.port}/x`), policy);
      expect(result.error, host).toBe(
        `OutboundAddressError: Refused to connect to ${host} at ${address}: not a public address.`,
      );
    }
    const unknown = await sendPostback(get(`http://nowhere.test:${endpoint.port}/x`), policy);
    expect(unknown).toMatchObject({ ok: false, error: expect.stringContaining('ENOTFOUND nowhere.test') });
    expect(endpoint.received).toEqual([]);
  });

  it('delivers to a name whose address the policy lets through, on that address', async () => {
    // The test name stands for a public host: it resolves to the local endpoint, which this policy
    // trusts as an operator would trust a peered network.
    const dns = scriptedResolver({ 'affiliate.test': [['127.0.0.1']], 'other.test': [['10.0.0.1']] });
    const policy: OutboundPolicy = {
      allowPrivateNetworks: false,
      trustedNetworks: ['127.0.0.1/32'],
      resolve: dns.resolve,
    };
    endpoint.received.length = 0;
    const result = await sendPostback(get(`http://affiliate.test:${endpoint.port}/ok?a=1`), policy);
    expect(result).toMatchObject({ ok: true, statusCode: 200, bodyExcerpt: 'OK recorded', error: null });
    expect(endpoint.received).toEqual([
      expect.objectContaining({
        url: '/ok?a=1',
        headers: expect.objectContaining({ host: `affiliate.test:${endpoint.port}` }),
      }),
    ]);
    // Trust is per range: other private addresses stay refused, literal or named.
    for (const url of [`http://other.test:${endpoint.port}/`, `http://[::1]:${endpoint.port}/`]) {
      expect((await sendPostback(get(url), policy)).error, url).toMatch(/^OutboundAddressError/);
    }
    expect(endpoint.received).toHaveLength(1);
  });
});
