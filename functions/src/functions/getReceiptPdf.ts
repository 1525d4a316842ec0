import { getReceiptPdf as contract } from '@zhengrowth/model';
import { BUSINESS_ADDRESS, BUSINESS_EMAIL, BUSINESS_NAME, BUSINESS_TAX_ID } from '../core/params.js';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { getReceiptPdf as handler, type ReceiptDeps } from '../receipts/receipt.js';

/** `getReceiptPdf`: a receipt as a PDF, for its owner and admins. */
export const getReceiptPdf = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 60, memory: '512MiB' }, (): ReceiptDeps => ({
  ...defaultDeps(),
  business: { name: BUSINESS_NAME.value(), address: BUSINESS_ADDRESS.value(), taxId: BUSINESS_TAX_ID.value(), email: BUSINESS_EMAIL.value() },
}));
