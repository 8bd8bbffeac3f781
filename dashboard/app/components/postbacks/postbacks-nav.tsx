import { Link, useLocation } from 'react-router';
import { cn } from '~/lib/utils';

const TABS = [
  {
    to: '/postbacks',
    label: 'Configurations',
    match: (path: string) => path === '/postbacks' || /^\/postbacks\/(new|\d+)$/.test(path),
  },
  {
    to: '/postbacks/deliveries',
    label: 'Delivery log',
    match: (path: string, state: string | null) => path === '/postbacks/deliveries' && state !== 'failures',
  },
  {
    to: '/postbacks/deliveries?state=failures',
    label: 'Failures',
    match: (path: string, state: string | null) => path === '/postbacks/deliveries' && state === 'failures',
  },
] as const;

/** The postback pages' tabs, as links (each view has its URL). */
export function PostbacksNav() {
  const location = useLocation();
  const state = new URLSearchParams(location.search).get('state');
  return (
    <nav aria-label="Postbacks" className="mb-5 flex gap-1 overflow-x-auto border-b">
      {TABS.map((tab) => {
        const active = tab.match(location.pathname, state);
        return (
          <Link
            key={tab.to}
            to={tab.to}
            aria-current={active ? 'page' : undefined}
            className={cn(
              '-mb-px border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors',
              active
                ? 'border-primary text-foreground'
                : 'border-transparent text-muted-foreground hover:border-border hover:text-foreground',
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
