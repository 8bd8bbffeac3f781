import { DownloadIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Textarea } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { formatCount } from '~/lib/format';
import { downloadBlob } from './download';
import type { LinkOffer } from './link-builder';
import { BULK_MAX_ROWS, bulkLinks, type LinkParams, parseBulkInput } from './tracking-link';

/**
 * Many links at once: sub1 values one a line (or a CSV with sub1..sub5, source_id, creative_id,
 * url columns), each over the parameters filled above, downloaded as a CSV of links.
 */
export function BulkLinks({ offer, defaults }: { offer: LinkOffer; defaults: LinkParams }) {
  const id = useId();
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const rows = text.trim() === '' ? [] : parseBulkInput(text);

  const download = () => {
    const result = bulkLinks(
      offer.trackingLink,
      defaults,
      rows,
      offer.deepLinksAllowed ? offer.deepLinkHosts : null,
    );
    setErrors(result.errors);
    if (result.count === 0) {
      setDone(null);
      return;
    }
    downloadBlob(new Blob([result.csv], { type: 'text/csv;charset=utf-8' }), `offer-${offer.id}-links.csv`);
    setDone(`${formatCount(result.count)} ${result.count === 1 ? 'link' : 'links'} downloaded.`);
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Bulk links</CardTitle>
        <CardDescription>
          Paste sub1 values, one a line, or a CSV whose first row names its columns (sub1…sub5, source_id,
          creative_id, url). Each row gets the parameters above for what it leaves out.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <Label htmlFor={`${id}-input`} className="sr-only">
          Sub1 values or CSV
        </Label>
        <Textarea
          id={`${id}-input`}
          value={text}
          rows={6}
          spellCheck={false}
          placeholder={'spring-sale\nnewsletter-12\nyoutube-review'}
          className="font-mono text-[12.5px]"
          aria-describedby={`${id}-count`}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setDone(null);
            setErrors([]);
          }}
        />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="button" onClick={download} disabled={rows.length === 0}>
            <DownloadIcon aria-hidden /> Download CSV
          </Button>
          <p id={`${id}-count`} className="text-sm text-muted-foreground" aria-live="polite">
            {done ??
              (rows.length === 0
                ? `Up to ${formatCount(BULK_MAX_ROWS)} rows.`
                : `${formatCount(Math.min(rows.length, BULK_MAX_ROWS))} ${rows.length === 1 ? 'link' : 'links'} to make.`)}
          </p>
        </div>
        {errors.length > 0 ? (
          <div role="alert" className="rounded-md border border-warning/40 bg-warning/8 px-3 py-2 text-sm">
            <p className="font-medium">
              {errors.length === 1
                ? 'One row was left out:'
                : `${formatCount(errors.length)} rows were left out:`}
            </p>
            <ul className="mt-1 list-disc pl-5 text-muted-foreground">
              {errors.slice(0, 10).map((error) => (
                <li key={error}>{error}</li>
              ))}
              {errors.length > 10 ? <li>and {formatCount(errors.length - 10)} more</li> : null}
            </ul>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
