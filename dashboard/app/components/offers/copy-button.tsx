import { CheckIcon, CopyIcon } from 'lucide-react';
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import { Button } from '../ui/button';

/** Copies a text to the clipboard and says so (a check for a moment, and a toast). */
export function CopyButton({
  text,
  label = 'Copy',
  what = 'Copied',
  variant = 'outline',
}: {
  text: string;
  label?: string;
  what?: string;
  variant?: 'outline' | 'default' | 'secondary' | 'ghost';
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <Button
      type="button"
      variant={variant}
      size="sm"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          toast.success(what);
        } catch {
          toast.error('The browser did not allow copying: select the text and copy it.');
        }
      }}
    >
      {copied ? <CheckIcon aria-hidden /> : <CopyIcon aria-hidden />}
      {copied ? 'Copied' : label}
    </Button>
  );
}
