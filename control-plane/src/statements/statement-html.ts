import { formatStatementDay, formatStatementMoney, type Statement, statementTitle } from './statement.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Every value in the document comes from accounts and users: escaped, always. */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/**
 * The statement as one self-contained HTML page (inline styles, no scripts, no outside requests),
 * readable on screen and printable on A4 or Letter. The PDF (statement-pdf.ts) shows the same
 * figures in the same order.
 */
export function renderStatementHtml(statement: Statement): string {
  const money = (amountMinor: number) => escapeHtml(formatStatementMoney(amountMinor, statement.currency));
  const period = `${formatStatementDay(statement.periodFrom)} – ${formatStatementDay(statement.periodTo)}`;
  const title = `${statementTitle(statement)} ${statement.number}`;
  const lines = statement.lines
    .map(
      (line) => `<tr>
        <td>${escapeHtml(formatStatementDay(line.date))}</td>
        <td>${escapeHtml(line.description)}</td>
        <td class="num">${line.quantity === null ? '' : line.quantity.toLocaleString('en-US')}</td>
        <td class="num">${money(line.amountMinor)}</td>
      </tr>`,
    )
    .join('\n');
  const summary = statement.summary
    .map(
      (row) =>
        `<tr><th scope="row">${escapeHtml(row.label)}</th><td class="num">${money(row.amountMinor)}</td></tr>`,
    )
    .join('\n');
  const invoices = statement.invoices
    .map(
      (invoice) => `<tr>
        <td>${escapeHtml(invoice.number)}</td>
        <td>${escapeHtml(invoice.period)}</td>
        <td>${escapeHtml(invoice.status)}</td>
        <td>${invoice.dueDate ? escapeHtml(formatStatementDay(invoice.dueDate)) : ''}</td>
        <td class="num">${money(invoice.amountMinor)}</td>
      </tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0f172a; margin: 0; background: #f8fafc; }
  main { max-width: 820px; margin: 32px auto; background: #fff; padding: 40px 48px; border: 1px solid #e2e8f0; border-radius: 12px; }
  header { display: flex; justify-content: space-between; gap: 24px; border-bottom: 2px solid #2f55d4; padding-bottom: 16px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  .muted { color: #475569; }
  .parties { display: flex; justify-content: space-between; gap: 24px; margin: 24px 0; }
  .parties h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #475569; margin: 0 0 4px; }
  table { width: 100%; border-collapse: collapse; }
  .lines th, .lines td { text-align: left; padding: 8px 6px; border-bottom: 1px solid #e2e8f0; }
  .lines thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #475569; }
  .num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .summary { width: 360px; margin: 24px 0 0 auto; }
  .summary th { text-align: left; font-weight: normal; padding: 4px 6px; }
  .summary td { padding: 4px 6px; }
  .total th, .total td { font-weight: 700; font-size: 16px; border-top: 2px solid #0f172a; padding-top: 8px; }
  .notes { margin-top: 32px; white-space: pre-wrap; }
  h2.section { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #475569; margin: 32px 0 4px; }
  @media print { body { background: #fff; } main { border: 0; margin: 0; max-width: none; padding: 0; } }
</style>
</head>
<body>
<main>
  <header>
    <div>
      <h1>${escapeHtml(statementTitle(statement))}</h1>
      <div class="muted">${escapeHtml(period)}</div>
    </div>
    <div class="num">
      <div><strong>${escapeHtml(statement.number)}</strong></div>
      <div class="muted">Issued ${escapeHtml(formatStatementDay(statement.issuedAt.slice(0, 10)))} · ${escapeHtml(statement.currency)}</div>
    </div>
  </header>
  <section class="parties">
    <div>
      <h2>From</h2>
      <div><strong>${escapeHtml(statement.network.name)}</strong></div>
      ${statement.network.address ? `<div class="muted" style="white-space:pre-line">${escapeHtml(statement.network.address)}</div>` : ''}
    </div>
    <div class="num">
      <h2>${statement.party.kind === 'advertiser' ? 'Advertiser' : 'Affiliate'} #${statement.party.id}</h2>
      <div><strong>${escapeHtml(statement.party.name)}</strong></div>
      ${statement.party.email ? `<div class="muted">${escapeHtml(statement.party.email)}</div>` : ''}
    </div>
  </section>
  <table class="lines">
    <thead><tr><th scope="col">Date</th><th scope="col">Description</th><th scope="col" class="num">Quantity</th><th scope="col" class="num">Amount</th></tr></thead>
    <tbody>
${lines || '<tr><td colspan="4" class="muted">Nothing in this period.</td></tr>'}
    </tbody>
  </table>
  <table class="summary">
    <tbody>
${summary}
      <tr class="total"><th scope="row">${escapeHtml(statement.total.label)}</th><td class="num">${money(statement.total.amountMinor)}</td></tr>
    </tbody>
  </table>
  ${
    invoices
      ? `<h2 class="section">Invoices</h2>
  <table class="lines">
    <thead><tr><th scope="col">Invoice</th><th scope="col">Period</th><th scope="col">Status</th><th scope="col">Due</th><th scope="col" class="num">Amount</th></tr></thead>
    <tbody>
${invoices}
    </tbody>
  </table>`
      : ''
  }
  ${statement.notes ? `<p class="notes muted">${escapeHtml(statement.notes)}</p>` : ''}
</main>
</body>
</html>
`;
}
