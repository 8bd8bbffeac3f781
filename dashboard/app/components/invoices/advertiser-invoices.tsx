import { FileTextIcon } from 'lucide-react';
import { DataTable, Pager } from '~/components/data-table';
import { EmptyState, PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { invoiceColumns } from './invoice-columns';
import type { Invoice } from './labels';

/** An advertiser's invoices, each with its Stripe page and statement, and any period's statement. */
export function AdvertiserInvoices({
  advertiserId,
  invoices,
  next,
  currencies,
  lastMonth,
}: {
  advertiserId: number;
  invoices: Invoice[];
  next: string | null;
  currencies: string[];
  lastMonth: string;
}) {
  return (
    <>
      <PageHeader
        title="Invoices"
        description="What you are invoiced each period for approved conversions, net of reversals. Pay on Stripe's page."
      />
      <div className="grid gap-6 2xl:grid-cols-[minmax(0,1fr)_24rem]">
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>Your invoices</CardTitle>
            <CardDescription>
              Newest first. Each period's statement lists every movement behind it.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <DataTable
              columns={invoiceColumns({ admin: false })}
              data={invoices}
              caption="Your invoices"
              empty={
                <EmptyState
                  icon={FileTextIcon}
                  title="No invoice yet"
                  description="Postpaid accounts get an invoice after each period in which conversions were approved."
                />
              }
            />
            <Pager next={next} />
          </CardContent>
        </Card>
        <Card className="h-fit">
          <CardHeader>
            <CardTitle>Statements</CardTitle>
            <CardDescription>
              Any month: opening balance, conversions, reversals, top-ups, payments and closing balance (UTC).
            </CardDescription>
          </CardHeader>
          <CardContent>
            {currencies.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                Statements appear once money has moved on your account.
              </p>
            ) : (
              <form
                method="get"
                action="/invoices/statement"
                target="_blank"
                className="grid max-w-md gap-4"
                rel="noopener"
              >
                <input type="hidden" name="advertiserId" value={advertiserId} />
                <div className="grid gap-1.5">
                  <Label htmlFor="statement-period">Month</Label>
                  <Input
                    id="statement-period"
                    name="period"
                    type="month"
                    required
                    defaultValue={lastMonth}
                    pattern="\d{4}-\d{2}"
                  />
                </div>
                <div className="grid gap-1.5">
                  <Label htmlFor="statement-currency">Currency</Label>
                  <NativeSelect id="statement-currency" name="currency" defaultValue={currencies[0]}>
                    {currencies.map((currency) => (
                      <option key={currency} value={currency}>
                        {currency}
                      </option>
                    ))}
                  </NativeSelect>
                </div>
                <div className="flex gap-2">
                  <Button type="submit" name="format" value="html" variant="outline">
                    View
                  </Button>
                  <Button type="submit" name="format" value="pdf" variant="outline">
                    Download PDF
                  </Button>
                </div>
              </form>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
