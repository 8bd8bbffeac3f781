import { FileTextIcon, ListChecksIcon } from 'lucide-react';
import { Form } from 'react-router';
import { DataTable, Pager } from '~/components/data-table';
import { SubmitButton } from '~/components/form';
import { EmptyState, PageHeader } from '~/components/page';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { invoiceColumns } from './invoice-columns';
import type { PreviewAnswer } from './invoices-actions.server';
import type { Invoice } from './labels';
import { RunPanel } from './run-panel';

/** An admin's invoices: preview and run invoicing, and every advertiser's invoices. */
export function AdminInvoices({
  invoices,
  next,
  preview,
}: {
  invoices: Invoice[];
  next: string | null;
  preview: PreviewAnswer | null;
}) {
  return (
    <>
      <PageHeader
        title="Invoices"
        description="Postpaid advertisers are invoiced through Stripe for each period once it ends: every hour by the control plane, or now from here."
      />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Run invoicing</CardTitle>
          <CardDescription>
            A dry run first: who would be invoiced what, and who owes nothing and why. Nothing is sent until
            you confirm.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <Form method="post">
            <SubmitButton intent="preview" variant={preview?.ok ? 'outline' : 'default'}>
              <ListChecksIcon aria-hidden /> {preview?.ok ? 'Preview again' : 'Preview invoicing'}
            </SubmitButton>
          </Form>
          {preview ? <RunPanel preview={preview} /> : null}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Invoices</CardTitle>
          <CardDescription>
            Newest first, every advertiser. Payments reach the ledger when Stripe says so.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <DataTable
            columns={invoiceColumns({ admin: true })}
            data={invoices}
            caption="Invoices"
            empty={
              <EmptyState
                icon={FileTextIcon}
                title="No invoice yet"
                description="The first invoices go out when a postpaid advertiser's period ends."
              />
            }
          />
          <Pager next={next} />
        </CardContent>
      </Card>
    </>
  );
}
