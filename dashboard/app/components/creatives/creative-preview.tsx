import { CodeIcon, FilmIcon, ImageIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { cn } from '~/lib/utils';
import type { Creative } from './creative-snippet';

/**
 * A small look at the creative: the image itself (from where it is hosted), or the kind of
 * creative when it cannot be shown inline (video, HTML5, an image that does not load).
 */
export function CreativePreview({ creative, className }: { creative: Creative; className?: string }) {
  const [failed, setFailed] = useState(false);
  const image = useRef<HTMLImageElement>(null);
  // An image that failed before the page hydrated fired its error event unheard.
  useEffect(() => {
    const element = image.current;
    if (element?.complete && element.naturalWidth === 0) setFailed(true);
  }, []);
  const Icon = creative.type === 'video' ? FilmIcon : creative.type === 'html' ? CodeIcon : ImageIcon;
  return (
    <div
      className={cn(
        'flex shrink-0 items-center justify-center overflow-hidden rounded-md border bg-muted/60 text-muted-foreground',
        className ?? 'size-12',
      )}
    >
      {creative.type === 'image' && !failed ? (
        <img
          ref={image}
          src={creative.url}
          alt=""
          loading="lazy"
          referrerPolicy="no-referrer"
          onError={() => setFailed(true)}
          className="size-full object-contain"
        />
      ) : (
        <Icon className="size-5" aria-hidden />
      )}
    </div>
  );
}
