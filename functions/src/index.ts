/**
 * The deployed functions. Each export lives in its own wiring file under ./functions (trigger,
 * secrets, params); the handlers they call are plain async functions in the domain folders.
 */
import './core/options.js';

export { health } from './functions/health.js';
export { createCheckout } from './functions/createCheckout.js';
export { getOrder } from './functions/getOrder.js';
export { listOrders } from './functions/listOrders.js';
export { refundOrder } from './functions/refundOrder.js';
export { stripeWebhook } from './functions/stripeWebhook.js';
export { airwallexWebhook } from './functions/airwallexWebhook.js';
export { calWebhook } from './functions/calWebhook.js';
export { expireStaleOrders } from './functions/expireStaleOrders.js';
export { quoteCheckout } from './functions/quoteCheckout.js';
export { registerForEvent } from './functions/registerForEvent.js';
export { cancelRegistration } from './functions/cancelRegistration.js';
export { manageBooking } from './functions/manageBooking.js';
export { checkIn } from './functions/checkIn.js';
export { listAttendees } from './functions/listAttendees.js';
export { listMyEntitlements } from './functions/listMyEntitlements.js';
export { recordLessonProgress } from './functions/recordLessonProgress.js';
export { getReceiptPdf } from './functions/getReceiptPdf.js';
export { saveCoupon } from './functions/saveCoupon.js';
export { saveExperiment } from './functions/saveExperiment.js';
export { saveI18nEntry } from './functions/saveI18nEntry.js';
export { saveSocialTemplate } from './functions/saveSocialTemplate.js';
