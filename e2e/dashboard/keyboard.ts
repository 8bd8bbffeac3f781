import type { Page } from 'playwright-core';

/** Where keyboard focus is: enough to say what a keyboard user is on, and whether they can see it. */
export type Focus = {
  tag: string;
  role: string | null;
  /** aria-label, else its label, placeholder or text, shortened. */
  name: string;
  href: string | null;
  /** Inside `<nav aria-label="Main">`. */
  inMainNav: boolean;
  /** An outline or a ring (box-shadow) shows where focus is. */
  indicated: boolean;
};

export async function focused(page: Page): Promise<Focus | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
    return {
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute('role'),
      // Roughly the accessible name: enough to recognise the element in a report.
      name: (
        el.getAttribute('aria-label') ??
        (el as HTMLInputElement).labels?.[0]?.textContent ??
        el.getAttribute('placeholder') ??
        el.textContent ??
        ''
      )
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 60),
      href: el.getAttribute('href'),
      inMainNav: Boolean(el.closest('nav[aria-label="Main"]')),
      indicated: outline || style.boxShadow !== 'none',
    };
  });
}

export function describeFocus(focus: Focus | null): string {
  if (!focus) return '(nothing: the page body)';
  return `<${focus.tag}${focus.role ? ` role=${focus.role}` : ''}${focus.href ? ` href=${focus.href}` : ''}> "${focus.name}"`;
}

/**
 * Presses Tab until focus lands on what `wanted` accepts, and returns every stop on the way
 * (the last one the wanted one); fails with the path taken when `max` presses do not reach it.
 */
export async function tabUntil(
  page: Page,
  wanted: (focus: Focus) => boolean,
  what: string,
  max = 40,
): Promise<Focus[]> {
  const stops: Focus[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focus = await focused(page);
    if (focus) stops.push(focus);
    if (focus && wanted(focus)) return stops;
  }
  throw new Error(
    `${what}: not reached in ${max} presses of Tab; focus went ${stops.map(describeFocus).join(' -> ')}`,
  );
}
