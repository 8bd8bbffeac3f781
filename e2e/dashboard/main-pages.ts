import type { Page } from 'playwright-core';
import { NAVIGATION } from '../../dashboard/app/components/nav.ts';
import type { Role } from './session.ts';

export type MainPage = { path: string; label: string };

/** A role's main pages: its sidebar, in order, and its settings (the account menu). */
export function mainPages(role: Role): MainPage[] {
  return [
    ...NAVIGATION[role].flatMap((group) => group.items.map(({ to, label }) => ({ path: to, label }))),
    { path: '/settings', label: 'Settings' },
  ];
}

/**
 * Whether a signed-in page exists in the dashboard being served (flat routes:
 * `routes/_app.offers._index` is /offers, `routes/_app.offers.$id` is /offers/$id, and
 * `routes/_app.reports_.roi` is /reports/roi outside the reports layout), given the route ids of its
 * build. Pages of other engineers land while this runs: a page not in the build is reported as not
 * landed, one in it must answer.
 */
export function pageLanded(routeIds: readonly string[], path: string): boolean {
  const name = `routes/_app.${path.replace(/^\//, '').replaceAll('/', '.')}`;
  // A segment's trailing `_` only leaves its parent's layout: the URL is the same without it.
  const urlOf = (id: string) =>
    id
      .replace(/\/route$/, '')
      .replace(/\._index$/, '')
      .split('.')
      .map((segment, i) => (i === 0 ? segment : segment.replace(/_$/, '')))
      .join('.');
  return routeIds.some((id) => urlOf(id) === name);
}

export type Visit = { status: number; ms: number };

/** Opens a page by its URL and waits until it is hydrated and its router is idle. */
export async function openPage(page: Page, url: string): Promise<Visit> {
  const started = performance.now();
  const response = await page.goto(url, { waitUntil: 'load' });
  // HydratedRouter sets it as it hydrates: before, a click may reach a button with no handler yet.
  await page.waitForFunction(() => '__reactRouterDataRouter' in window);
  // Streamed (deferred) data is in once the document has loaded; wait for any revalidation.
  await page.waitForFunction(() => {
    const router = (
      window as {
        __reactRouterDataRouter?: { state: { navigation: { state: string }; revalidation: string } };
      }
    ).__reactRouterDataRouter;
    return router?.state.navigation.state === 'idle' && router.state.revalidation === 'idle';
  });
  return { status: response?.status() ?? 0, ms: performance.now() - started };
}

/** Above this many nodes added or removed a second, an idle page is re-rendering without end. */
export const CHURN_LIMIT = 50;

/** Nodes added or removed a second on the page, over `ms`. */
function churnOver(page: Page, ms: number): Promise<number> {
  return page.evaluate(
    (span) =>
      new Promise<number>((resolve) => {
        let count = 0;
        const observer = new MutationObserver((list) => {
          // A chart draws its entry animation in SVG: that is not the page re-rendering.
          for (const change of list)
            if (!(change.target instanceof SVGElement))
              count += change.addedNodes.length + change.removedNodes.length;
        });
        observer.observe(document.body, { subtree: true, childList: true });
        setTimeout(() => {
          observer.disconnect();
          resolve(Math.round((count * 1000) / span));
        }, span);
      }),
    ms,
  );
}

/**
 * Nodes added or removed a second on a page left alone: about 0 once it has settled. A page that
 * keeps re-rendering (a state update in every render, table cells remounted each time) burns the
 * visitor's CPU and detaches what they try to click. A busy first look (a chart's entry
 * animation) is looked at again two seconds later: only what is still busy then counts.
 */
export async function renderChurn(page: Page): Promise<number> {
  const first = await churnOver(page, 400);
  if (first < CHURN_LIMIT) return first;
  await page.waitForTimeout(2000);
  return churnOver(page, 600);
}
