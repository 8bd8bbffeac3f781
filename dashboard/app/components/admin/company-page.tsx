import type { LucideIcon } from 'lucide-react';
import { ArrowRightIcon, ChevronLeftIcon, UserPlusIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import type { Schemas } from '~/lib/api.server';
import { formatDate } from '~/lib/format';

/** A tile leading to a filtered list elsewhere (its offers, conversions, reports). */
export function JumpTile({
  to,
  icon: Icon,
  label,
  value,
  hint,
}: {
  to: string;
  icon: LucideIcon;
  label: string;
  value?: ReactNode;
  hint?: ReactNode;
}) {
  return (
    <Link
      to={to}
      prefetch="intent"
      className="group flex items-center gap-3 rounded-xl border bg-card p-4 shadow-xs transition-colors hover:bg-accent/50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
    >
      <div className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-primary/10 text-primary">
        <Icon className="size-4" aria-hidden />
      </div>
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium">{label}</p>
        <p className="truncate text-xs text-muted-foreground">
          {value !== undefined ? (
            <span className="font-medium text-foreground tabular-nums">{value} </span>
          ) : null}
          {hint}
        </p>
      </div>
      <ArrowRightIcon
        className="size-4 text-muted-foreground transition-transform group-hover:translate-x-0.5"
        aria-hidden
      />
    </Link>
  );
}

/** The users who log in for a company, and a way to add one. */
export function LoginsCard({ users, addTo }: { users: Schemas['User'][]; addTo: string }) {
  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-3">
        <div className="grid gap-1.5">
          <CardTitle>Logins</CardTitle>
          <CardDescription>Who signs in for this company.</CardDescription>
        </div>
        <Button asChild variant="outline" size="sm">
          <Link to={addTo}>
            <UserPlusIcon /> Add
          </Link>
        </Button>
      </CardHeader>
      <CardContent>
        {users.length === 0 ? (
          <p className="rounded-lg border border-dashed px-4 py-5 text-center text-sm text-muted-foreground">
            Nobody can sign in for it yet.
          </p>
        ) : (
          <ul className="divide-y rounded-lg border">
            {users.map((user) => {
              const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
              return (
                <li key={user.id} className="flex items-center justify-between gap-3 px-3 py-2.5">
                  <div className="min-w-0">
                    <p className="truncate text-sm font-medium">{name || user.email}</p>
                    <p className="truncate text-xs text-muted-foreground">
                      {name ? `${user.email} · ` : ''}since {formatDate(user.createdAt)}
                    </p>
                  </div>
                  <StatusBadge
                    status={user.isActive ? 'active' : 'disabled'}
                    label={user.isActive ? 'enabled' : 'disabled'}
                  />
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

/** The way back to the list a detail page belongs to. */
export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link
      to={to}
      className="mb-2 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
    >
      <ChevronLeftIcon className="size-4" aria-hidden />
      {children}
    </Link>
  );
}
