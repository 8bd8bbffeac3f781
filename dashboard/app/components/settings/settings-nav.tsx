import { NavLink } from 'react-router';
import { cn } from '~/lib/utils';

export type SettingsTab = { to: string; label: string; end?: boolean };

/** The settings' sections as tabs that are links (each section its own URL), scrolling on a phone. */
export function SettingsNav({ tabs }: { tabs: SettingsTab[] }) {
  return (
    <nav aria-label="Settings" className="-mx-4 mb-6 overflow-x-auto border-b px-4 lg:mx-0 lg:px-0">
      <ul className="flex min-w-max gap-1">
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink
              to={tab.to}
              end={tab.end}
              prefetch="intent"
              className={({ isActive }) =>
                cn(
                  '-mb-px inline-flex h-10 items-center border-b-2 border-transparent px-3 text-sm font-medium text-muted-foreground transition-colors hover:text-foreground',
                  isActive && 'border-primary text-foreground',
                )
              }
            >
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
