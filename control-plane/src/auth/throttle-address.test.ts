import { describe, expect, it } from 'vitest';
import { throttleAddress } from './throttle-address.ts';

describe('throttleAddress', () => {
  it('counts IPv4 addresses as themselves and IPv6 addresses by their /64', () => {
    expect(throttleAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(throttleAddress('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:db8:1:2:ffff:eeee:dddd:cccc')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
  });

  it('counts an IPv4-mapped address as its IPv4 address, and keeps what does not parse as it is', () => {
    expect(throttleAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(throttleAddress('unknown')).toBe('unknown');
  });
});
