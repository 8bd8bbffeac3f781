import { ArrowRightIcon, BriefcaseIcon, Building2Icon, HashIcon, ReceiptIcon, UsersIcon } from 'lucide-react';
import { Dialog as DialogPrimitive } from 'radix-ui';
import { useEffect, useRef, useState } from 'react';
import { useFetcher, useNavigate } from 'react-router';
import type { SearchResult } from './command-palette';
import { NAVIGATION, type Role } from './nav';
import { Command, CommandEmpty, CommandGroup, CommandInput, CommandItem, CommandList } from './ui/command';

const ICONS = {
  offer: BriefcaseIcon,
  affiliate: UsersIcon,
  advertiser: Building2Icon,
  click: HashIcon,
  txid: ReceiptIcon,
} as const;

/** The dialog of `CommandPalette`, in a chunk of its own: the browser loads it on first use. */
export function CommandPaletteDialog({
  role,
  open,
  onOpenChange,
}: {
  role: Role;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const navigate = useNavigate();
  const search = useFetcher<{ results: SearchResult[] }>();
  const [query, setQuery] = useState('');

  // The latest load function, without making the debounce below restart whenever it changes.
  const load = useRef(search.load);
  load.current = search.load;
  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) return;
    const timer = setTimeout(() => load.current(`/search?q=${encodeURIComponent(q)}`), 150);
    return () => clearTimeout(timer);
  }, [query]);

  const go = (to: string) => {
    onOpenChange(false);
    setQuery('');
    navigate(to);
  };
  const pages = NAVIGATION[role].flatMap((group) => group.items);
  const results = query.trim().length >= 2 ? (search.data?.results ?? []) : [];

  return (
    <DialogPrimitive.Root open={open} onOpenChange={onOpenChange}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          className="fixed top-[15%] left-1/2 z-50 w-[calc(100%-2rem)] max-w-xl -translate-x-1/2 overflow-hidden rounded-xl border shadow-2xl"
        >
          <DialogPrimitive.Title className="sr-only">Search</DialogPrimitive.Title>
          <Command shouldFilter={false}>
            <CommandInput
              value={query}
              onValueChange={setQuery}
              placeholder="Search offers, affiliates, click ids, txids, pages…"
              aria-label="Search"
            />
            <CommandList>
              <CommandEmpty>{search.state === 'loading' ? 'Searching…' : 'Nothing found.'}</CommandEmpty>
              {results.length > 0 ? (
                <CommandGroup heading="Results">
                  {results.map((result) => {
                    const Icon = ICONS[result.kind];
                    return (
                      <CommandItem
                        key={`${result.kind}:${result.to}`}
                        value={`${result.kind}:${result.to}`}
                        onSelect={() => go(result.to)}
                      >
                        <Icon aria-hidden />
                        <span className="truncate">{result.label}</span>
                        <span className="ml-auto truncate text-xs text-muted-foreground">
                          {result.detail}
                        </span>
                      </CommandItem>
                    );
                  })}
                </CommandGroup>
              ) : null}
              <CommandGroup heading="Go to">
                {pages
                  .filter((page) => page.label.toLowerCase().includes(query.trim().toLowerCase()))
                  .map((page) => (
                    <CommandItem key={page.to} value={`page:${page.to}`} onSelect={() => go(page.to)}>
                      <page.icon aria-hidden />
                      {page.label}
                      <ArrowRightIcon className="ml-auto opacity-40" aria-hidden />
                    </CommandItem>
                  ))}
              </CommandGroup>
            </CommandList>
          </Command>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
