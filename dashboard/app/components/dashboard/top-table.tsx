import type { LucideIcon } from 'lucide-react';
import { Link } from 'react-router';
import { Card, CardContent, CardHeader, CardTitle } from '~/components/ui/card';
import { formatCount, formatMoney, formatPercent } from '~/lib/format';

export type TopItem = {
  key: string;
  name: string;
  /** Where the item's own report is. */
  to: string;
  clicks: number;
  conversions: number;
  cr: number | null;
  /** Per currency, the largest first: money is never summed across currencies. */
  money: { currency: string; minor: number }[];
};

/**
 * The few offers (or affiliates, or sub ids) that brought the most, with a bar of their share
 * of the clicks. Each leads to its own report.
 */
export function TopTable({
  title,
  icon: Icon,
  items,
  moneyLabel,
  nameLabel,
  empty,
  moreTo,
}: {
  title: string;
  icon: LucideIcon;
  items: TopItem[];
  moneyLabel: string | null;
  nameLabel: string;
  empty: string;
  moreTo: string;
}) {
  const most = Math.max(1, ...items.map((i) => i.clicks));
  return (
    <Card className="min-w-0">
      <CardHeader className="flex-row items-center justify-between gap-2 space-y-0 pb-2">
        <CardTitle className="flex items-center gap-2 text-sm">
          <Icon className="size-4 text-muted-foreground" aria-hidden />
          {title}
        </CardTitle>
        <Link to={moreTo} className="text-xs font-medium text-primary hover:underline">
          Full report<span className="sr-only">: {title}</span>
        </Link>
      </CardHeader>
      <CardContent className="px-0 pb-2">
        {items.length === 0 ? (
          <p className="px-5 py-8 text-center text-sm text-muted-foreground">{empty}</p>
        ) : (
          <table className="w-full text-sm">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr className="text-xs text-muted-foreground">
                <th scope="col" className="px-5 py-1.5 text-left font-medium">
                  {nameLabel}
                </th>
                <th scope="col" className="w-px px-2 py-1.5 text-right font-medium">
                  Clicks
                </th>
                <th scope="col" className="hidden w-px px-2 py-1.5 text-right font-medium sm:table-cell">
                  Conv.
                </th>
                <th scope="col" className="hidden w-px px-2 py-1.5 text-right font-medium md:table-cell">
                  CR
                </th>
                {moneyLabel ? (
                  <th scope="col" className="w-px whitespace-nowrap px-5 py-1.5 text-right font-medium">
                    {moneyLabel}
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.key} className="group border-t border-border/60">
                  <td className="relative w-full max-w-0 px-5 py-2">
                    <span
                      aria-hidden
                      className="absolute inset-y-1 left-2 rounded bg-chart-1/10 transition-colors group-hover:bg-chart-1/15"
                      style={{ width: `calc(${(item.clicks / most) * 100}% - 0.5rem)` }}
                    />
                    <Link
                      to={item.to}
                      className="relative block truncate font-medium hover:underline"
                      title={item.name}
                    >
                      {item.name}
                    </Link>
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatCount(item.clicks)}</td>
                  <td className="hidden px-2 py-2 text-right tabular-nums sm:table-cell">
                    {formatCount(item.conversions)}
                  </td>
                  <td className="hidden px-2 py-2 text-right tabular-nums text-muted-foreground md:table-cell">
                    {formatPercent(item.cr)}
                  </td>
                  {moneyLabel ? (
                    <td className="px-5 py-2 text-right font-medium tabular-nums">
                      {item.money.length === 0 ? (
                        '–'
                      ) : (
                        <span className="inline-flex flex-col items-end">
                          {item.money.map((m) => (
                            <span key={m.currency}>{formatMoney(m.minor, m.currency)}</span>
                          ))}
                        </span>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </CardContent>
    </Card>
  );
}
