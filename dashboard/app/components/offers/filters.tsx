import { SearchIcon, XIcon } from 'lucide-react';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { cn } from '~/lib/utils';
import { Button } from '../ui/button';
import { Input } from '../ui/input';
import { Label } from '../ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '../ui/select';

// Paging restarts whenever a filter changes.
const PAGING = ['after', 'page'];

/** Sets (or, with null, removes) URL parameters, keeping the others and replacing history. */
export function useParamSetter() {
  const [params, setParams] = useSearchParams();
  return {
    params,
    set(changes: Record<string, string | null>) {
      const next = new URLSearchParams(params);
      for (const key of PAGING) next.delete(key);
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
      }
      setParams(next, { replace: true, preventScrollReset: true });
    },
  };
}

/** A search box bound to a URL parameter, applied as one types (after a pause). */
export function SearchFilter({
  param = 'q',
  label,
  placeholder,
  className,
}: {
  param?: string;
  label: string;
  placeholder?: string;
  className?: string;
}) {
  const { params, set } = useParamSetter();
  const current = params.get(param) ?? '';
  const [text, setText] = useState(current);
  const id = useId();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Back/forward or a cleared filter changes the URL: the box follows it.
  useEffect(() => setText(current), [current]);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <div className={cn('relative', className)}>
      <Label htmlFor={id} className="sr-only">
        {label}
      </Label>
      <SearchIcon
        className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
        aria-hidden
      />
      <Input
        id={id}
        type="search"
        value={text}
        placeholder={placeholder ?? label}
        className="pl-8"
        onChange={(event) => {
          const value = event.target.value;
          setText(value);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => set({ [param]: value.trim() || null }), 250);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            clearTimeout(timer.current);
            set({ [param]: text.trim() || null });
          }
        }}
      />
    </div>
  );
}

/** A select bound to a URL parameter; "all" removes it. */
export function SelectFilter({
  param,
  label,
  options,
  allLabel,
  className,
}: {
  param: string;
  label: string;
  options: readonly { value: string; label: ReactNode }[];
  allLabel: string;
  className?: string;
}) {
  const { params, set } = useParamSetter();
  const id = useId();
  const value = params.get(param) ?? 'all';
  // Given as children, the label is in the server's HTML too (Radix fills it in only once its
  // items have mounted in the browser, so the box rendered blank until then).
  const selected =
    value === 'all' ? allLabel : (options.find((option) => option.value === value)?.label ?? value);
  return (
    <div className={cn('grid gap-1', className)}>
      <Label htmlFor={id} className="sr-only">
        {label}
      </Label>
      <Select value={value} onValueChange={(next) => set({ [param]: next === 'all' ? null : next })}>
        <SelectTrigger id={id} aria-label={label} className="min-w-36">
          <SelectValue>{selected}</SelectValue>
        </SelectTrigger>
        <SelectContent>
          <SelectItem value="all">{allLabel}</SelectItem>
          {options.map((option) => (
            <SelectItem key={option.value} value={option.value}>
              {option.label}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}

/** "Clear filters" when any of the given parameters is set. */
export function ClearFilters({ params: keys }: { params: string[] }) {
  const { params, set } = useParamSetter();
  if (!keys.some((key) => params.has(key))) return null;
  return (
    <Button
      type="button"
      variant="ghost"
      size="sm"
      onClick={() => set(Object.fromEntries(keys.map((key) => [key, null])))}
    >
      <XIcon aria-hidden />
      Clear
    </Button>
  );
}

/** The row of filters above a list. */
export function FilterBar({ children }: { children: ReactNode }) {
  return (
    <search className="mb-4 flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">{children}</search>
  );
}
