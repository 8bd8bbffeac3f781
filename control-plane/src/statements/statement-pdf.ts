import PDFDocument from 'pdfkit';
import { formatStatementDay, formatStatementMoney, type Statement, statementTitle } from './statement.ts';

const MARGIN = 50;
const INK = '#0f172a';
const MUTED = '#475569';
const RULE = '#e2e8f0';
const ACCENT = '#2f55d4';

/**
 * pdfkit's built-in Helvetica covers Windows-1252 only; other characters (a Cyrillic or CJK
 * company name) would print as garbage, so they are shown as "?" instead. Embedding a Unicode
 * font is the fix when statements need them.
 */
const printable = (text: string) => text.replace(/[^\n\x20-\x7e\xa0-\xff€‘’“”–—•…]/gu, '?');

/**
 * The statement as a PDF (A4, Helvetica, page numbers), the same figures in the same order as
 * the HTML. `compress: false` leaves the page streams readable, for tests.
 */
export async function renderStatementPdf(
  statement: Statement,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    info: {
      Title: printable(`${statementTitle(statement)} ${statement.number}`),
      Author: printable(statement.network.name),
      Subject: printable(`${statement.party.name}, ${statement.periodFrom} to ${statement.periodTo}`),
      CreationDate: new Date(statement.issuedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const money = (amountMinor: number) => printable(formatStatementMoney(amountMinor, statement.currency));
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - 20;
  const left = MARGIN;

  // Header: title and period on the left, number and issue date on the right.
  const top = doc.y;
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(18).text(statementTitle(statement), left, top);
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(MUTED)
    .text(`${formatStatementDay(statement.periodFrom)} - ${formatStatementDay(statement.periodTo)}`);
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor(INK)
    .text(printable(statement.number), left, top, { width, align: 'right' });
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(MUTED)
    .text(`Issued ${formatStatementDay(statement.issuedAt.slice(0, 10))} - ${statement.currency}`, {
      width,
      align: 'right',
    });
  const ruleY = Math.max(doc.y, top + 40) + 8;
  doc
    .moveTo(left, ruleY)
    .lineTo(left + width, ruleY)
    .lineWidth(2)
    .strokeColor(ACCENT)
    .stroke();

  // Parties.
  const partiesY = ruleY + 16;
  const half = width / 2 - 12;
  doc.font('Helvetica-Bold').fontSize(8).fillColor(MUTED).text('FROM', left, partiesY, { width: half });
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor(INK)
    .text(printable(statement.network.name), { width: half });
  if (statement.network.address)
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(MUTED)
      .text(printable(statement.network.address), { width: half });
  const fromBottom = doc.y;
  const partyLabel = `${statement.party.kind === 'advertiser' ? 'ADVERTISER' : 'AFFILIATE'} #${statement.party.id}`;
  doc
    .font('Helvetica-Bold')
    .fontSize(8)
    .fillColor(MUTED)
    .text(partyLabel, left + width / 2, partiesY, { width: width / 2, align: 'right' });
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor(INK)
    .text(printable(statement.party.name), { width: width / 2, align: 'right' });
  if (statement.party.email)
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(MUTED)
      .text(printable(statement.party.email), { width: width / 2, align: 'right' });
  doc.y = Math.max(fromBottom, doc.y) + 20;

  // Lines, with the column heads repeated on every page.
  const columns = [
    { title: 'DATE', x: left, width: 70, align: 'left' as const },
    { title: 'DESCRIPTION', x: left + 76, width: width - 76 - 176, align: 'left' as const },
    { title: 'QUANTITY', x: left + width - 170, width: 64, align: 'right' as const },
    { title: 'AMOUNT', x: left + width - 100, width: 100, align: 'right' as const },
  ];
  const heads = () => {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(8).fillColor(MUTED);
    for (const column of columns)
      doc.text(column.title, column.x, y, { width: column.width, align: column.align });
    const below = y + 14;
    doc
      .moveTo(left, below)
      .lineTo(left + width, below)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.y = below + 6;
  };
  heads();
  doc.font('Helvetica').fontSize(9).fillColor(INK);
  if (statement.lines.length === 0) {
    doc.fillColor(MUTED).text('Nothing in this period.', left, doc.y, { width });
    doc.moveDown();
  }
  for (const line of statement.lines) {
    const cells = [
      formatStatementDay(line.date),
      printable(line.description),
      line.quantity === null ? '' : line.quantity.toLocaleString('en-US'),
      money(line.amountMinor),
    ];
    doc.font('Helvetica').fontSize(9);
    const height =
      Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: columns[i]!.width }))) + 8;
    if (doc.y + height > bottom()) {
      doc.addPage();
      heads();
    }
    const y = doc.y;
    doc.fillColor(INK);
    cells.forEach((cell, i) => {
      const column = columns[i]!;
      doc.text(cell, column.x, y, { width: column.width, align: column.align });
    });
    const below = y + height - 4;
    doc
      .moveTo(left, below)
      .lineTo(left + width, below)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.y = below + 4;
  }

  // Summary and total, right-aligned.
  const summaryRows = statement.summary.length + 1;
  if (doc.y + 20 + summaryRows * 18 > bottom()) doc.addPage();
  doc.y += 14;
  const labelX = left + width - 300;
  for (const row of statement.summary) {
    const y = doc.y;
    doc.font('Helvetica').fontSize(10).fillColor(INK).text(printable(row.label), labelX, y, { width: 190 });
    doc.text(money(row.amountMinor), left + width - 110, y, { width: 110, align: 'right' });
    doc.y = Math.max(doc.y, y + 16);
  }
  const totalY = doc.y + 4;
  doc
    .moveTo(labelX, totalY)
    .lineTo(left + width, totalY)
    .lineWidth(1.5)
    .strokeColor(INK)
    .stroke();
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .fillColor(INK)
    .text(printable(statement.total.label), labelX, totalY + 6, { width: 190 });
  doc.text(money(statement.total.amountMinor), left + width - 110, totalY + 6, {
    width: 110,
    align: 'right',
  });

  if (statement.invoices.length > 0) {
    const invoiceColumns = [
      { title: 'INVOICE', x: left, width: 130, align: 'left' as const },
      { title: 'PERIOD', x: left + 136, width: 80, align: 'left' as const },
      { title: 'STATUS', x: left + 222, width: 90, align: 'left' as const },
      { title: 'DUE', x: left + 318, width: 80, align: 'left' as const },
      { title: 'AMOUNT', x: left + width - 100, width: 100, align: 'right' as const },
    ];
    doc.y = totalY + 40;
    if (doc.y + 40 > bottom()) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(8).fillColor(MUTED).text('INVOICES', left, doc.y, { width });
    doc.moveDown(0.5);
    const headY = doc.y;
    for (const column of invoiceColumns)
      doc.text(column.title, column.x, headY, { width: column.width, align: column.align });
    doc.y = headY + 14;
    for (const invoice of statement.invoices) {
      if (doc.y + 16 > bottom()) doc.addPage();
      const y = doc.y;
      const cells = [
        printable(invoice.number),
        printable(invoice.period),
        printable(invoice.status),
        invoice.dueDate ? formatStatementDay(invoice.dueDate) : '',
        money(invoice.amountMinor),
      ];
      doc.font('Helvetica').fontSize(9).fillColor(INK);
      cells.forEach((cell, i) => {
        const column = invoiceColumns[i]!;
        doc.text(cell, column.x, y, { width: column.width, align: column.align, lineBreak: false });
      });
      doc.y = y + 16;
    }
  }

  if (statement.notes) {
    doc.moveDown(2);
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(MUTED)
      .text(printable(statement.notes), left, doc.y, { width });
  }

  // Page numbers, once every page exists.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin: without this, pdfkit would break to a new page.
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        `${printable(statement.number)} - page ${i + 1} of ${range.count}`,
        left,
        doc.page.height - MARGIN,
        {
          width,
          align: 'center',
          lineBreak: false,
        },
      );
  }
  doc.end();
  return done;
}
