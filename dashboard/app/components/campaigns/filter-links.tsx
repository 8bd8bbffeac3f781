import { Link, useSearchParams } from 'react-router';
import { cn } from '~/lib/utils';

/**
 * A row of filters held in the URL (so a filtered view can be shared): each a link that sets one
 * search parameter, the current one marked for screen readers with aria-current.
 */
export function FilterLinks({
  param,
  options,
  label,
}: {
  param: string;
  options: { value: string | null; label: string; count?: number }[];
  label: string;
}) {
  const [params] = useSearchParams();
  const current = params.get(param);
  return (
    <nav aria-label={label} className="-mx-1 overflow-x-auto px-1">
      <ul className="inline-flex h-9 items-center gap-0.5 rounded-lg bg-muted p-1 text-sm">
        {options.map((option) => {
          const next = new URLSearchParams(params);
          if (option.value === null) next.delete(param);
          else next.set(param, option.value);
          next.delete('after');
          const active = current === option.value;
          const query = next.toString();
          return (
            <li key={option.value ?? 'all'}>
              <Link
                to={query ? `?${query}` : '?'}
                aria-current={active ? 'page' : undefined}
                preventScrollReset
                className={cn(
                  'inline-flex items-center gap-1.5 whitespace-nowrap rounded-md px-3 py-1 font-medium text-muted-foreground transition-colors hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
                  active && 'bg-card text-foreground shadow-sm',
                )}
              >
                {option.label}
                {option.count !== undefined ? (
                  <span className="text-xs tabular-nums text-muted-foreground">{option.count}</span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
