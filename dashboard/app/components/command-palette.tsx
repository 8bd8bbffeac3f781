import { lazy, Suspense, useEffect, useState } from 'react';
import type { Role } from './nav';

export type SearchResult = {
  kind: 'offer' | 'affiliate' | 'advertiser' | 'click' | 'txid';
  label: string;
  detail: string;
  to: string;
};

const loadDialog = () => import('./command-palette-dialog');
const CommandPaletteDialog = lazy(() => loadDialog().then((m) => ({ default: m.CommandPaletteDialog })));

/** Starts loading the palette before it is opened (the search button, hovered or focused). */
export function preloadCommandPalette() {
  void loadDialog();
}

/**
 * Ctrl-K (Cmd-K) anywhere: jump to a page, or find an offer, an affiliate, an advertiser, a click
 * id or a txid (searched on the server with the viewer's own rights: `/search`). Only the shortcut
 * is in every page's JavaScript: the dialog (cmdk, Radix Dialog) is loaded when first opened, and
 * stays mounted after, so it keeps what was typed as before.
 */
export function CommandPalette({
  role,
  open,
  onOpenChange,
}: {
  role: Role;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const [used, setUsed] = useState(open);
  if (open && !used) setUsed(true);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        onOpenChange(!open);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, onOpenChange]);

  if (!used) return null;
  return (
    <Suspense fallback={null}>
      <CommandPaletteDialog role={role} open={open} onOpenChange={onOpenChange} />
    </Suspense>
  );
}
