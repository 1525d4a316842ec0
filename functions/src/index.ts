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
export { sendQueuedEmail } from './functions/sendQueuedEmail.js';
export { processEmailQueue } from './functions/processEmailQueue.js';
export { resendWebhook } from './functions/resendWebhook.js';
export { unsubscribe } from './functions/unsubscribe.js';
export { pushInboxItem } from './functions/pushInboxItem.js';
export { subscribePush } from './functions/subscribePush.js';
export { unsubscribePush } from './functions/unsubscribePush.js';
export { subscribeAnonymousPush } from './functions/subscribeAnonymousPush.js';
export { broadcastPush } from './functions/broadcastPush.js';
export { markInboxRead } from './functions/markInboxRead.js';
export { sendReminders } from './functions/sendReminders.js';
export { expireInboxItems } from './functions/expireInboxItems.js';
export { ensureProfile } from './functions/ensureProfile.js';
export { requestPasswordReset } from './functions/requestPasswordReset.js';
export { setUserRoles } from './functions/setUserRoles.js';
export { assignCoach } from './functions/assignCoach.js';
export { listUsers } from './functions/listUsers.js';
export { exportMyData } from './functions/exportMyData.js';
export { deleteMyAccount } from './functions/deleteMyAccount.js';
export { deleteUser } from './functions/deleteUser.js';
export { onAuthUserCreated } from './functions/onAuthUserCreated.js';
export { onAuthUserDeleted } from './functions/onAuthUserDeleted.js';
export { benchBaseline } from './functions/benchBaseline.js';
