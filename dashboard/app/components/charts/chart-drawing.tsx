import { type ReactNode, Suspense, useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/** False on the server and while hydrating, true after: what only the browser can draw waits for it. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/**
 * The drawing of a chart, hidden from screen readers (the chart's figure says what it shows in
 * words). Recharts is a large download and draws nothing useful on the server (it measures its
 * box in the browser first), so the drawing is a lazily loaded component rendered only after
 * hydration: the page's own JavaScript stays small, and a placeholder of the same size holds the
 * place until the chart code arrives, so nothing moves when it does.
 */
export function ChartDrawing({ children }: { children: ReactNode }) {
  const hydrated = useHydrated();
  const placeholder = <div className="size-full rounded-md bg-muted/40 motion-safe:animate-pulse" />;
  return (
    <div aria-hidden className="size-full">
      {hydrated ? <Suspense fallback={placeholder}>{children}</Suspense> : placeholder}
    </div>
  );
}
