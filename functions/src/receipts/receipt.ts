/**
 * getReceiptPdf: a receipt of the caller (admins: anyone's) as a PDF, amounts in the currency's
 * format (Intl, in the owner's language), with the business details of the parameters.
 */
import { HttpsError } from 'firebase-functions/v2/https';
import { fromMinorUnits, receipts, users, type getReceiptPdf as contract, type OrderDoc } from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import { hasRole } from '../core/context.js';
import type { Deps } from '../core/deps.js';
import { orderLines, orderRef } from '../shared/orders.js';
import { renderReceiptPdf, type BusinessDetails, type ReceiptContent } from './pdf.js';

export interface ReceiptDeps extends Deps {
  business: BusinessDetails;
}

const LOCALES: Record<string, string> = { en: 'en-US', 'zh-CN': 'zh-CN', 'zh-TW': 'zh-TW' };

/** An amount in minor units in the currency's own format ("$1,234.50", "¥1,235", "KWD 1.500"), exactly (no float). */
export function formatMoney(minor: number, currency: string, locale = 'en-US'): string {
  const text = fromMinorUnits(minor, currency) as `${number}`;
  return new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'symbol' }).format(text);
}

const METHODS: Record<string, string> = { stripe: 'card (Stripe)', airwallex: 'Airwallex', free: 'nothing to pay (100 % discount)' };

export function receiptContent(
  orderNumber: string,
  issuedAt: Date,
  order: OrderDoc | undefined,
  amountMinor: number,
  currency: string,
  locale: string,
  business: BusinessDetails,
): ReceiptContent {
  const money = (m: number | null) => (m === null ? '' : formatMoney(m, currency, locale));
  const lines = order
    ? orderLines(order).map((l) => ({
        title: l.title ?? '(item)',
        quantity: String(l.quantity ?? ''),
        unit: money(l.unit_amount_minor),
        amount: money(l.amount_minor),
      }))
    : [{ title: 'Payment', quantity: '1', unit: money(amountMinor), amount: money(amountMinor) }];
  const totals: ReceiptContent['totals'] = [];
  if (order) {
    totals.push({ label: 'Subtotal', amount: money(order.subtotal_minor) });
    if (order.discount_minor) totals.push({ label: 'Discount', amount: `−${money(order.discount_minor)}` });
    totals.push({ label: 'Tax', amount: money(order.tax_minor ?? 0) });
  }
  totals.push({ label: 'Total paid', amount: money(amountMinor), strong: true });
  if (order?.refunded_minor) totals.push({ label: 'Refunded', amount: `−${money(order.refunded_minor)}` });
  return {
    title: 'Receipt',
    orderNumber,
    issuedAt: issuedAt.toISOString().slice(0, 10),
    customer: { name: order?.customer_name ?? null, email: order?.customer_email ?? '' },
    lines,
    totals,
    paymentMethod: METHODS[order?.payment_provider ?? ''] ?? order?.payment_provider ?? 'unknown',
    business,
  };
}

export const getReceiptPdf: CallableHandler<typeof contract, ReceiptDeps> = async (input, caller, deps) => {
  const uid = input.user_id ?? caller.uid;
  // Someone else's receipt is "not found", not "forbidden".
  if (uid !== caller.uid && !hasRole(caller, 'admin')) throw new HttpsError('not-found', 'no such receipt');
  const receipt = (
    await deps.db
      .doc(receipts.docPath({ uid, receiptId: input.receipt_id }))
      .withConverter(receipts.converter)
      .get()
  ).data();
  if (!receipt) throw new HttpsError('not-found', 'no such receipt');
  const [order, owner] = await Promise.all([
    receipt.order_id
      ? orderRef(deps.db, receipt.order_id)
          .get()
          .then((s) => s.data())
      : Promise.resolve(undefined),
    deps.db
      .doc(users.docPath({ uid }))
      .withConverter(users.converter)
      .get()
      .then((s) => s.data()),
  ]);
  const meta = receipt.metadata !== null && typeof receipt.metadata === 'object' && !Array.isArray(receipt.metadata) ? receipt.metadata : {};
  const orderNumber = order?.order_number ?? (typeof meta.order_number === 'string' ? meta.order_number : input.receipt_id);
  const content = receiptContent(
    orderNumber,
    receipt.issued_at?.toDate() ?? deps.now(),
    order,
    receipt.amount_minor,
    receipt.currency,
    LOCALES[owner?.lang ?? 'en'] ?? 'en-US',
    deps.business,
  );
  const pdf = await renderReceiptPdf(content);
  return { filename: `receipt-${orderNumber}.pdf`, content_type: 'application/pdf' as const, pdf_base64: pdf.toString('base64') };
};
