import { defineString } from 'firebase-functions/params';
import { getReceiptPdf as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { getReceiptPdf as handler, type ReceiptDeps } from '../receipts/receipt.js';

const BUSINESS_NAME = defineString('BUSINESS_NAME', { default: 'ZhenGrowth', description: 'The seller on receipts' });
const BUSINESS_ADDRESS = defineString('BUSINESS_ADDRESS', { default: '', description: 'The postal address on receipts' });
const BUSINESS_TAX_ID = defineString('BUSINESS_TAX_ID', { default: '', description: 'The tax / VAT id on receipts (empty: not shown)' });
const BUSINESS_EMAIL = defineString('BUSINESS_EMAIL', { default: 'support@zhengrowth.com', description: 'The contact address on receipts' });

/** `getReceiptPdf`: a receipt as a PDF, for its owner and admins. */
export const getReceiptPdf = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 60, memory: '512MiB' }, (): ReceiptDeps => ({
  ...defaultDeps(),
  business: { name: BUSINESS_NAME.value(), address: BUSINESS_ADDRESS.value(), taxId: BUSINESS_TAX_ID.value(), email: BUSINESS_EMAIL.value() },
}));
