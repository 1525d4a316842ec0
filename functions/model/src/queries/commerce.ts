import { bookings, calBookings, calEventTypes } from '../collections/coaching.js';
import { coupons, orders } from '../collections/commerce.js';
import { eventPrices } from '../collections/events.js';
import { users } from '../collections/users.js';
import { defineQuery } from './spec.js';

/** Queries of checkout, the order callables and the payment and Cal.com webhooks. */

export const couponByCode = defineQuery({
  name: 'commerce.couponByCode',
  collection: coupons,
  where: [{ field: 'code', op: '==' }],
  usedBy: 'functions:createCheckout',
});

export const activeEventPricesByTier = defineQuery({
  name: 'commerce.activeEventPricesByTier',
  collection: eventPrices,
  where: [
    { field: 'active', op: '==' },
    { field: 'tier', op: '==' },
  ],
  usedBy: 'functions:createCheckout',
});

export const ordersByPaymentIntent = defineQuery({
  name: 'commerce.ordersByPaymentIntent',
  collection: orders,
  where: [{ field: 'payment_intent_id', op: '==' }],
  usedBy: 'functions:stripeWebhook',
});

export const ordersByPaymentId = defineQuery({
  name: 'commerce.ordersByPaymentId',
  collection: orders,
  where: [{ field: 'payment_id', op: '==' }],
  usedBy: 'functions:airwallexWebhook',
});

export const ordersRecent = defineQuery({
  name: 'commerce.ordersRecent',
  collection: orders,
  where: [],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'functions:listOrders',
});

export const ordersByStatusRecent = defineQuery({
  name: 'commerce.ordersByStatusRecent',
  collection: orders,
  where: [{ field: 'status', op: '==' }],
  orderBy: [{ field: 'created_at', direction: 'desc' }],
  usedBy: 'functions:listOrders',
});

export const usersByEmail = defineQuery({
  name: 'commerce.usersByEmail',
  collection: users,
  where: [{ field: 'email', op: '==' }],
  usedBy: 'functions:calWebhook',
});

export const bookingsByToken = defineQuery({
  name: 'commerce.bookingsByToken',
  collection: bookings,
  where: [{ field: 'booking_token', op: '==' }],
  usedBy: 'functions:calWebhook',
});

export const calBookingsByCalId = defineQuery({
  name: 'commerce.calBookingsByCalId',
  collection: calBookings,
  where: [{ field: 'cal_booking_id', op: '==' }],
  usedBy: 'functions:calWebhook',
});

/** Every event type (a few dozen at most): the sync compares them with Cal.com's. */
export const calEventTypesAll = defineQuery({
  name: 'commerce.calEventTypesAll',
  collection: calEventTypes,
  where: [],
  usedBy: 'functions:syncCalEventTypes, syncCalEventTypesDaily',
});

export const pendingOrdersExpiredBefore = defineQuery({
  name: 'commerce.pendingOrdersExpiredBefore',
  collection: orders,
  where: [
    { field: 'status', op: '==' },
    { field: 'expires_at', op: '<=' },
  ],
  orderBy: [{ field: 'expires_at', direction: 'asc' }],
  usedBy: 'functions:expireStaleOrders',
});

export const COMMERCE_QUERIES = [
  calEventTypesAll,
  couponByCode,
  activeEventPricesByTier,
  ordersByPaymentIntent,
  ordersByPaymentId,
  ordersRecent,
  ordersByStatusRecent,
  usersByEmail,
  bookingsByToken,
  calBookingsByCalId,
  pendingOrdersExpiredBefore,
] as const;
