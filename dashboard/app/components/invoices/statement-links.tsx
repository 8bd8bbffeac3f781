import { ExternalLinkIcon, FileDownIcon } from 'lucide-react';
import { statementHref } from './labels';

/** A period's statement: opened in a tab as HTML, or downloaded as PDF. */
export function StatementLinks({
  statement,
}: {
  statement: { advertiserId: number; period: string; currency: string };
}) {
  return (
    <span className="flex items-center gap-3 whitespace-nowrap">
      <a
        href={statementHref(statement, 'html')}
        target="_blank"
        rel="noopener"
        className="inline-flex items-center gap-1 text-sm font-medium text-primary hover:underline"
      >
        View <ExternalLinkIcon className="size-3.5" aria-hidden />
        <span className="sr-only">the {statement.period} statement (opens in a new tab)</span>
      </a>
      <a
        href={statementHref(statement, 'pdf')}
        download
        className="inline-flex items-center gap-1 text-sm font-medium text-primary hover:underline"
      >
        <FileDownIcon className="size-3.5" aria-hidden /> PDF
        <span className="sr-only"> of the {statement.period} statement</span>
      </a>
    </span>
  );
}
