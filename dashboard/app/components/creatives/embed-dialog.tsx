import { CodeIcon, Loader2Icon } from 'lucide-react';
import { useState } from 'react';
import { useFetcher } from 'react-router';
import { Button } from '~/components/ui/button';
import { CopyField } from '~/components/ui/copy-button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '~/components/ui/dialog';
import type { Creative } from './creative-snippet';

export type EmbedAnswer = { snippet: string } | { error: string };

/**
 * An affiliate's ready-to-paste HTML for a creative, asked of the API when the dialog opens: the
 * snippet carries the affiliate's own tracking link with creative_id.
 */
export function EmbedDialog({ creative, compact = false }: { creative: Creative; compact?: boolean }) {
  const fetcher = useFetcher<EmbedAnswer>();
  const [open, setOpen] = useState(false);
  const answer = fetcher.data;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next && !fetcher.data && fetcher.state === 'idle')
          void fetcher.load(`/creatives/${creative.id}/embed`);
      }}
    >
      <DialogTrigger asChild>
        <Button
          variant="outline"
          size="sm"
          aria-label={compact ? `Get embed code of ${creative.name}` : undefined}
        >
          <CodeIcon aria-hidden />
          {compact ? null : 'Get embed code'}
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-xl">
        <DialogHeader>
          <DialogTitle>Embed “{creative.name}”</DialogTitle>
          <DialogDescription>
            Paste this HTML where the ad should show. It links through your tracking link with this creative’s
            id, so its clicks and conversions are yours and reports split by creative.
          </DialogDescription>
        </DialogHeader>
        {answer && 'snippet' in answer ? (
          <CopyField value={answer.snippet} label="embed code" multiline />
        ) : answer && 'error' in answer ? (
          <p role="alert" className="text-sm text-destructive">
            {answer.error}
          </p>
        ) : (
          <p className="flex items-center gap-2 text-sm text-muted-foreground">
            <Loader2Icon className="size-4 animate-spin" aria-hidden />
            Getting your embed code…
          </p>
        )}
      </DialogContent>
    </Dialog>
  );
}
