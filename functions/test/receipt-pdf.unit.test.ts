/** The receipt PDF parsed back: order number, total in the currency's format, Chinese names, business details. */
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderReceiptPdf } from '../src/receipts/pdf.js';
import { formatMoney, receiptContent } from '../src/receipts/receipt.js';
import type { OrderDoc } from '@zhengrowth/model';

async function textOf(pdf: Buffer): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(doc, { mergePages: true });
  return text;
}

const business = { name: 'ZhenGrowth Ltd', address: '1 Harbour Road, Hong Kong', taxId: 'HK-1234', email: 'billing@zhengrowth.test' };

function order(over: Partial<OrderDoc>): OrderDoc {
  return {
    order_number: 'ZG-7KQ2-MX9D-4TPA',
    user_id: 'u1',
    customer_email: 'zhang@example.com',
    customer_name: '張偉 (Zhang Wei)',
    items: [{ kind: 'offer', ref_id: 'o1', title: '成长计划 Growth 8 weeks', quantity: 1, unit_amount_minor: 123450, amount_minor: 123450, currency: 'USD' }],
    subtotal_minor: 123450,
    tax_minor: 0,
    total_minor: 111105,
    discount_minor: 12345,
    currency: 'USD',
    payment_provider: 'stripe',
    payment_id: 'cs_1',
    status: 'paid',
    metadata: null,
    created_at: null,
    updated_at: null,
    ...over,
  };
}

describe('receipt PDF', () => {
  it('formats amounts in the currency’s own format, exactly', () => {
    expect(formatMoney(123450, 'USD')).toBe('$1,234.50');
    expect(formatMoney(1235, 'JPY')).toBe('¥1,235');
    expect(formatMoney(1500, 'KWD')).toMatch(/KWD\s1\.500/);
    expect(formatMoney(9_007_199_254_740_991, 'USD')).toBe('$90,071,992,547,409.91');
    expect(formatMoney(123450, 'EUR', 'zh-CN')).toBe('€1,234.50');
  });

  it('renders order number, items, totals, payment method, business details and a Chinese name, parsed back as text', async () => {
    const pdf = await renderReceiptPdf(receiptContent('ZG-7KQ2-MX9D-4TPA', new Date('2026-11-30T10:00:00Z'), order({}), 111105, 'USD', 'en-US', business));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await textOf(pdf);
    for (const want of [
      'ZG-7KQ2-MX9D-4TPA',
      '$1,111.05',
      '$1,234.50',
      '−$123.45',
      '張偉',
      '成长计划',
      'card (Stripe)',
      'ZhenGrowth Ltd',
      'HK-1234',
      '2026-11-30',
    ]) {
      expect(text, want).toContain(want);
    }
  });

  it('a migrated receipt without its order still renders its amount', async () => {
    const pdf = await renderReceiptPdf(receiptContent('ZG-2025-000001', new Date('2025-03-01T00:00:00Z'), undefined, 500000, 'JPY', 'zh-TW', business));
    const text = await textOf(pdf);
    expect(text).toContain('ZG-2025-000001');
    expect(text).toMatch(/¥\s?500,000/);
  });
});
