import { useEffect, useRef } from 'react';
import { useRevalidator } from 'react-router';
import { isTimeZone } from './report-view';

/**
 * The viewer's time zone is the browser's: the server cannot know it, so the page writes it to a
 * cookie once and the loaders read it from there (a zone chosen in the URL wins over it).
 */
export const TIME_ZONE_COOKIE = 'tas_tz';

export function browserTimeZone(): string | null {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return tz && isTimeZone(tz) ? tz : null;
  } catch {
    return null;
  }
}

/** The zone in the cookie of a request (or of `document.cookie`), when it is a valid one. */
export function timeZoneFromCookie(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TIME_ZONE_COOKIE) {
      const value = decodeURIComponent(rest.join('='));
      return isTimeZone(value) ? value : null;
    }
  }
  return null;
}

/**
 * Keeps the cookie equal to the browser's zone; when the loader had to guess (`missing`), loads
 * the page again with it.
 */
export function useBrowserTimeZone(missing: boolean) {
  const { revalidate } = useRevalidator();
  const asked = useRef(false);
  useEffect(() => {
    const tz = browserTimeZone() ?? 'UTC';
    if (timeZoneFromCookie(document.cookie) !== tz) {
      // biome-ignore lint/suspicious/noDocumentCookie: a preference the server reads, not a secret
      document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(tz)}; path=/; max-age=31536000; samesite=lax`;
    }
    // Once per page: should the cookie not stick, asking again would loop.
    if (missing && !asked.current) {
      asked.current = true;
      void revalidate();
    }
  }, [missing, revalidate]);
}
