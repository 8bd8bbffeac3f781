import type { DeviceType, OperatingSystem } from '@tas/shared/targeting';
import { isbot } from 'isbot';
import UAParser from 'ua-parser-js';

export type DeviceInfo = {
  device: DeviceType;
  os: OperatingSystem;
  bot: boolean;
  /** Browser family (`Chrome`, `Mobile Safari`), kept when the user agent itself may not be. */
  browser: string | null;
};

// Parsing a user agent costs tens of microseconds; the same few agents make most traffic.
const cache = new Map<string, DeviceInfo>();
const MAX_ENTRIES = 2000;

const OS_NAMES: Record<string, OperatingSystem> = {
  android: 'android',
  ios: 'ios',
  ipados: 'ios',
  windows: 'windows',
  'mac os': 'macos',
  macos: 'macos',
  'chromium os': 'chromeos',
  'chrome os': 'chromeos',
  linux: 'linux',
  ubuntu: 'linux',
  debian: 'linux',
  fedora: 'linux',
};

const UNKNOWN: DeviceInfo = { device: 'other', os: 'other', bot: false, browser: null };

/**
 * Device class, operating system and whether the agent is a bot (isbot: crawlers, link
 * previews, HTTP libraries), worked out once per distinct user agent.
 */
export function deviceInfo(userAgent: string | null): DeviceInfo {
  if (!userAgent) return UNKNOWN;
  const hit = cache.get(userAgent);
  if (hit) return hit;
  const result = new UAParser(userAgent).getResult();
  const type = result.device.type;
  const device: DeviceType =
    type === 'mobile' ? 'mobile' : type === 'tablet' ? 'tablet' : type === undefined ? 'desktop' : 'other';
  const os = OS_NAMES[(result.os.name ?? '').toLowerCase()] ?? 'other';
  // The family only (letters, digits, spaces): never a version or a fingerprintable detail.
  const browser = (result.browser.name ?? '').replace(/[^A-Za-z0-9 ]/g, '').slice(0, 32) || null;
  const info = { device, os, bot: isbot(userAgent), browser };
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(userAgent, info);
  return info;
}
