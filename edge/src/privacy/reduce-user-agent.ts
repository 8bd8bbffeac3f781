import type { UserAgentMode } from '@tas/shared/privacy';
import type { DeviceInfo } from '../visitor/device.ts';

/**
 * The user agent as the offer's mode lets it leave the isolate. `parsed` keeps what reports and
 * targeting use (browser family, OS, device class) as `Chrome (android; mobile)`; bot detection
 * and blocklists have already run on the raw string.
 */
export function reduceUserAgent(
  userAgent: string | null,
  mode: UserAgentMode,
  device: DeviceInfo,
): string | null {
  if (userAgent === null || mode === 'full') return userAgent;
  return `${device.browser ?? 'other'} (${device.os}; ${device.device})`;
}
