/**
 * A receipt as a PDF, drawn with pdfkit. Text is set in Noto Sans (the CJK "Hans" cut of
 * @embedpdf/fonts-sc, SIL Open Font License 1.1), which also covers Latin, traditional characters
 * and currency signs, so Chinese names render; pdfkit embeds only the glyphs used (a receipt is a
 * few tens of KB).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);

/** The font file (resolved from the package, so it ships with the functions' node_modules). */
export function receiptFontPath(): string {
  return path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');
}

export interface BusinessDetails {
  name: string;
  address: string;
  taxId: string;
  email: string;
}

export interface ReceiptContent {
  title: string;
  orderNumber: string;
  issuedAt: string;
  customer: { name: string | null; email: string };
  /** Amounts already formatted in the currency's format. */
  lines: Array<{ title: string; quantity: string; unit: string; amount: string }>;
  totals: Array<{ label: string; amount: string; strong?: boolean }>;
  paymentMethod: string;
  business: BusinessDetails;
}

export function renderReceiptPdf(r: ReceiptContent): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `${r.title} ${r.orderNumber}`, Author: r.business.name } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('body', receiptFontPath());
    doc.font('body');

    doc.fontSize(18).text(r.business.name);
    doc.fontSize(9).fillColor('#555').text(r.business.address);
    if (r.business.taxId) doc.text(`Tax ID: ${r.business.taxId}`);
    if (r.business.email) doc.text(r.business.email);
    doc.moveDown(1.5).fillColor('#000').fontSize(16).text(r.title);
    doc.fontSize(10).text(`Order ${r.orderNumber}`).text(`Date: ${r.issuedAt}`);
    doc.moveDown().text(`Billed to: ${r.customer.name ? `${r.customer.name} <${r.customer.email}>` : r.customer.email}`);
    doc.moveDown();

    const left = 50;
    const cols = { qty: 330, unit: 380, amount: 470 };
    const row = (cells: [string, string, string, string]) => {
      const y = doc.y;
      doc.text(cells[0], left, y, { width: cols.qty - left - 10 });
      const after = doc.y;
      doc.text(cells[1], cols.qty, y, { width: 40, align: 'right' });
      doc.text(cells[2], cols.unit, y, { width: 80, align: 'right' });
      doc.text(cells[3], cols.amount, y, { width: 75, align: 'right' });
      doc.x = left;
      doc.y = Math.max(after, doc.y) + 4;
    };
    doc.fontSize(10).fillColor('#555');
    row(['Item', 'Qty', 'Unit price', 'Amount']);
    doc.fillColor('#000');
    for (const l of r.lines) row([l.title, l.quantity, l.unit, l.amount]);
    doc.moveDown();
    for (const t of r.totals) {
      const y = doc.y;
      doc.fontSize(t.strong ? 12 : 10).text(t.label, cols.unit - 80, y, { width: 160, align: 'right' });
      doc.text(t.amount, cols.amount, y, { width: 75, align: 'right' });
      doc.x = left;
    }
    doc.moveDown(2).fontSize(10).text(`Paid with: ${r.paymentMethod}`, left);
    doc.end();
  });
}
