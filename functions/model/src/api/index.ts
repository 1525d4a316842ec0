import * as accounts from './accounts.js';
import * as ai from './ai.js';
import * as catalog from './catalog.js';
import * as coaching from './coaching.js';
import * as commerce from './commerce.js';
import * as events from './events.js';
import * as learning from './learning.js';
import * as community from './community.js';
import * as growth from './growth.js';
import type { CallableContract } from './contract.js';
import * as health from './health.js';
import * as messaging from './messaging.js';
import * as social from './social.js';

export * from './contract.js';
export * from './common.js';
export * from './health.js';
export * from './commerce.js';
export * from './ai.js';
export * from './social.js';
export * from './messaging.js';
export * from './accounts.js';
export * from './events.js';
export * from './learning.js';
export * from './catalog.js';
export * from './community.js';
export * from './growth.js';
export * from './coaching.js';

function contractsOf(...mods: Array<Record<string, unknown>>): CallableContract[] {
  return mods
    .flatMap((m) => Object.values(m))
    .filter((v): v is CallableContract => typeof v === 'object' && v !== null && 'name' in v && 'input' in v && 'output' in v && 'access' in v);
}

/** Every callable the functions export, by name (a test holds this equal to functions/src/index.ts). */
export const API = {
  health: health.health,
  createCheckout: commerce.createCheckout,
  getOrder: commerce.getOrder,
  listOrders: commerce.listOrders,
  refundOrder: commerce.refundOrder,
  getSuggestions: ai.getSuggestions,
  getClientBrief: ai.getClientBrief,
  generateSocialDrafts: ai.generateSocialDrafts,
  startSocialConnect: social.startSocialConnect,
  completeSocialConnect: social.completeSocialConnect,
  scheduleSocialPost: social.scheduleSocialPost,
  cancelSocialPost: social.cancelSocialPost,
  disconnectSocialAccount: social.disconnectSocialAccount,
  getSocialAnalytics: social.getSocialAnalytics,
  subscribePush: messaging.subscribePush,
  unsubscribePush: messaging.unsubscribePush,
  subscribeAnonymousPush: messaging.subscribeAnonymousPush,
  broadcastPush: messaging.broadcastPush,
  markInboxRead: messaging.markInboxRead,
  ensureProfile: accounts.ensureProfile,
  requestPasswordReset: accounts.requestPasswordReset,
  setUserRoles: accounts.setUserRoles,
  assignCoach: accounts.assignCoach,
  listUsers: accounts.listUsers,
  exportMyData: accounts.exportMyData,
  deleteMyAccount: accounts.deleteMyAccount,
  deleteUser: accounts.deleteUser,
  quoteCheckout: commerce.quoteCheckout,
  getReceiptPdf: commerce.getReceiptPdf,
  listMyEntitlements: learning.listMyEntitlements,
  recordLessonProgress: learning.recordLessonProgress,
  registerForEvent: events.registerForEvent,
  cancelRegistration: events.cancelRegistration,
  manageBooking: events.manageBooking,
  checkIn: events.checkIn,
  listAttendees: events.listAttendees,
  saveCoupon: catalog.saveCoupon,
  saveExperiment: catalog.saveExperiment,
  saveI18nEntry: catalog.saveI18nEntry,
  saveSocialTemplate: catalog.saveSocialTemplate,
  syncCalEventTypes: catalog.syncCalEventTypes,
  createPost: community.createPost,
  addComment: community.addComment,
  toggleLike: community.toggleLike,
  moderateReport: community.moderateReport,
  setCommunityBan: community.setCommunityBan,
  getMyReferralCode: growth.getMyReferralCode,
  claimReferral: growth.claimReferral,
  claimReferralReward: growth.claimReferralReward,
  getAssignments: growth.getAssignments,
  track: growth.track,
  submitLead: growth.submitLead,
  confirmLeadEmail: growth.confirmLeadEmail,
  awardBadge: growth.awardBadge,
  listMyClients: coaching.listMyClients,
  nudgeClient: coaching.nudgeClient,
  moveLead: coaching.moveLead,
  addLead: coaching.addLead,
} as const;
export type Api = typeof API;
export type CallableName = keyof Api;

/** The contracts found in the api modules: a contract left out of API fails its test. */
export const DECLARED_CONTRACTS: readonly CallableContract[] = contractsOf(
  health,
  commerce,
  messaging,
  accounts,
  events,
  learning,
  catalog,
  community,
  growth,
  coaching,
  ai,
  social,
);
