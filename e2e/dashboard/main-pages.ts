import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { NAVIGATION } from '../../dashboard/app/components/nav.ts';
import type { Role } from './session.ts';

const ROUTES = resolve(import.meta.dirname, '../../dashboard/app/routes');

export type MainPage = { path: string; label: string };

/** A role's main pages: its sidebar, in order, and its settings (the account menu). */
export function mainPages(role: Role): MainPage[] {
  return [
    ...NAVIGATION[role].flatMap((group) => group.items.map(({ to, label }) => ({ path: to, label }))),
    { path: '/settings', label: 'Settings' },
  ];
}

/** Whether a route module for a signed-in path exists yet (flat routes: `_app.offers._index.tsx` is /offers). */
export function pageLanded(path: string): boolean {
  const name = `_app.${path.replace(/^\//, '').replaceAll('/', '.')}`;
  return [
    `${name}.tsx`,
    `${name}._index.tsx`,
    join(name, 'route.tsx'),
    join(`${name}._index`, 'route.tsx'),
  ].some((file) => existsSync(join(ROUTES, file)));
}

export type Visit = { status: number; ms: number };

/**
 * Opens a page by its URL and waits until it is hydrated and its requests have settled (a live
 * feed's stream never settles: the wait gives up after a while rather than failing).
 */
export async function openPage(page: Page, url: string): Promise<Visit> {
  const started = performance.now();
  const response = await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => '__reactRouterRouteModules' in window);
  await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {});
  return { status: response?.status() ?? 0, ms: performance.now() - started };
}
