import {
  LogOutIcon,
  MenuIcon,
  MonitorIcon,
  MoonIcon,
  SearchIcon,
  SettingsIcon,
  SunIcon,
  XIcon,
} from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Form, Link, NavLink, useLocation } from 'react-router';
import { cn } from '~/lib/utils';
import { preloadCommandPalette } from './command-palette';
import { Logo } from './logo';
import { NAVIGATION, type Role } from './nav';
import { Button } from './ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from './ui/dropdown-menu';

export type ShellViewer = {
  email: string;
  role: Role;
  firstName: string | null;
  lastName: string | null;
  companyName: string | null;
};

const ROLE_LABEL: Record<Role, string> = {
  admin: 'Network admin',
  advertiser: 'Advertiser',
  affiliate: 'Affiliate',
};

function Sidebar({ role, onNavigate }: { role: Role; onNavigate?: () => void }) {
  return (
    <nav aria-label="Main" className="flex flex-1 flex-col gap-5 overflow-y-auto px-3 py-4">
      {NAVIGATION[role].map((group) => (
        <div key={group.label ?? 'main'} className="grid gap-0.5">
          {group.label ? (
            <p className="px-2 pb-1 text-[11px] font-semibold uppercase tracking-wider text-muted-foreground">
              {group.label}
            </p>
          ) : null}
          {group.items.map((item) => (
            <NavLink
              key={item.to}
              to={item.to}
              prefetch="intent"
              onClick={onNavigate}
              className={({ isActive }) =>
                cn(
                  'flex items-center gap-2.5 rounded-md px-2 py-1.5 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground',
                  isActive && 'bg-accent text-accent-foreground',
                )
              }
            >
              <item.icon className="size-4" aria-hidden />
              {item.label}
            </NavLink>
          ))}
        </div>
      ))}
    </nav>
  );
}

function initialsOf(viewer: ShellViewer) {
  const name = [viewer.firstName, viewer.lastName].filter(Boolean).join(' ');
  const source = name || viewer.email;
  return source
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

function UserMenu({ viewer, theme }: { viewer: ShellViewer; theme: string }) {
  const location = useLocation();
  const back = `${location.pathname}${location.search}`;
  return (
    // Not modal: a modal menu hides the page from screen readers while its links stay focusable.
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" className="h-9 gap-2 px-2" aria-label="Account menu">
          <span className="flex size-7 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground">
            {initialsOf(viewer)}
          </span>
          <span className="hidden text-left text-xs leading-tight md:block">
            <span className="block font-medium">{viewer.companyName ?? viewer.email}</span>
            <span className="block text-muted-foreground">{ROLE_LABEL[viewer.role]}</span>
          </span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="truncate">{viewer.email}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link to="/settings">
            <SettingsIcon /> Profile, API keys, sessions
          </Link>
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuLabel>Theme</DropdownMenuLabel>
        {(
          [
            ['light', 'Light', SunIcon],
            ['dark', 'Dark', MoonIcon],
            ['system', 'System', MonitorIcon],
          ] as const
        ).map(([value, label, Icon]) => (
          <Form key={value} method="post" action="/theme" navigate={false} reloadDocument>
            <input type="hidden" name="theme" value={value} />
            <input type="hidden" name="back" value={back} />
            <DropdownMenuItem asChild>
              <button type="submit" className="w-full" aria-current={theme === value ? 'true' : undefined}>
                <Icon /> {label}{' '}
                {theme === value ? <span className="ml-auto text-xs text-muted-foreground">on</span> : null}
              </button>
            </DropdownMenuItem>
          </Form>
        ))}
        <DropdownMenuSeparator />
        <Form method="post" action="/logout">
          <DropdownMenuItem asChild>
            <button type="submit" className="w-full">
              <LogOutIcon /> Log out
            </button>
          </DropdownMenuItem>
        </Form>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

/**
 * The frame of every signed-in page: a sidebar for the role (a drawer on phones), a top bar with
 * search (Ctrl-K) and the account menu, and the page.
 */
export function AppShell({
  viewer,
  theme,
  onSearch,
  children,
}: {
  viewer: ShellViewer;
  theme: string;
  onSearch: () => void;
  children: ReactNode;
}) {
  const [drawer, setDrawer] = useState(false);
  return (
    <div className="flex min-h-screen">
      <aside className="sticky top-0 hidden h-screen w-60 shrink-0 flex-col border-r bg-sidebar lg:flex">
        <Link to="/dashboard" className="flex h-14 items-center border-b px-5">
          <Logo />
        </Link>
        <Sidebar role={viewer.role} />
      </aside>
      {drawer ? (
        <div className="fixed inset-0 z-40 lg:hidden">
          <button
            type="button"
            aria-label="Close the menu"
            className="absolute inset-0 bg-black/40"
            onClick={() => setDrawer(false)}
          />
          <aside className="relative flex h-full w-64 flex-col border-r bg-sidebar shadow-xl">
            <div className="flex h-14 items-center justify-between border-b px-4">
              <Logo />
              <Button
                variant="ghost"
                size="icon"
                aria-label="Close the menu"
                onClick={() => setDrawer(false)}
              >
                <XIcon />
              </Button>
            </div>
            <Sidebar role={viewer.role} onNavigate={() => setDrawer(false)} />
          </aside>
        </div>
      ) : null}
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/85 px-4 backdrop-blur lg:px-6">
          <Button
            variant="ghost"
            size="icon"
            className="lg:hidden"
            aria-label="Open the menu"
            onClick={() => setDrawer(true)}
          >
            <MenuIcon />
          </Button>
          <button
            type="button"
            onClick={onSearch}
            onPointerEnter={preloadCommandPalette}
            onFocus={preloadCommandPalette}
            aria-label="Search (Ctrl K)"
            className="flex h-9 min-w-0 flex-1 items-center gap-2 rounded-md border bg-card px-3 text-sm text-muted-foreground shadow-xs hover:bg-accent sm:max-w-md"
          >
            <SearchIcon className="size-4 shrink-0" aria-hidden />
            <span className="truncate">
              <span className="sm:hidden">Search…</span>
              <span className="hidden sm:inline">Search offers, affiliates, click ids, txids…</span>
            </span>
            <kbd className="ml-auto hidden rounded border bg-muted px-1.5 font-mono text-[10px] sm:inline">
              Ctrl K
            </kbd>
          </button>
          <div className="ml-auto shrink-0">
            <UserMenu viewer={viewer} theme={theme} />
          </div>
        </header>
        <main className="mx-auto w-full max-w-[1400px] flex-1 px-4 py-6 lg:px-8">{children}</main>
      </div>
    </div>
  );
}
