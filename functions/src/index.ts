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
export { createPost } from './functions/createPost.js';
export { addComment } from './functions/addComment.js';
export { toggleLike } from './functions/toggleLike.js';
export { moderateReport } from './functions/moderateReport.js';
export { setCommunityBan } from './functions/setCommunityBan.js';
export { onCommentWritten } from './functions/onCommentWritten.js';
export { onPostLikeWritten } from './functions/onPostLikeWritten.js';
export { onCommentLikeWritten } from './functions/onCommentLikeWritten.js';
export { onPostDeleted } from './functions/onPostDeleted.js';
export { getMyReferralCode } from './functions/getMyReferralCode.js';
export { claimReferral } from './functions/claimReferral.js';
export { claimReferralReward } from './functions/claimReferralReward.js';
export { getAssignments } from './functions/getAssignments.js';
export { track } from './functions/track.js';
export { analyticsDaily } from './functions/analyticsDaily.js';
export { submitLead } from './functions/submitLead.js';
export { onLeadFormCreated } from './functions/onLeadFormCreated.js';
export { onDomainEvent } from './functions/onDomainEvent.js';
export { advanceFunnels } from './functions/advanceFunnels.js';
export { awardBadge } from './functions/awardBadge.js';
