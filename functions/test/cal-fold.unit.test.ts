/**
 * The Cal.com booking fold, pure: status never moves back, the newest delivery's data wins, a
 * reschedule retires the original towards its successor with the credit moved, and the session
 * follows the live booking.
 */
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import type { CalBookingDoc } from '@zhengrowth/model';
import { calEvent, type BookingEvent } from '../src/webhooks/cal-events.js';
import { foldBookingEvent, type BookingState } from '../src/webhooks/cal-fold.js';

const now = Timestamp.fromDate(new Date('2026-06-01T12:00:00Z'));

function event(trigger: BookingEvent['triggerEvent'], createdAt: string, payload: Record<string, unknown> = {}): BookingEvent {
  return calEvent.parse({
    triggerEvent: trigger,
    createdAt,
    payload: { uid: 'b-new', bookingId: 42, startTime: '2026-06-10T09:00:00Z', attendees: [{ email: 'Ann@Example.com', name: 'Ann' }], ...payload },
  }) as BookingEvent;
}

function state(prev?: Partial<CalBookingDoc>, extra: Partial<BookingState> = {}): BookingState {
  const doc = prev ? { ...base(), ...prev } : undefined;
  return {
    target: { id: 'cal-b-new', doc },
    original: null,
    paid: null,
    userId: 'u1',
    sessionId: 'cal-b-new',
    session: undefined,
    sessionWritable: true,
    coachId: 'c1',
    ...extra,
  };
}

function base(): CalBookingDoc {
  return {
    cal_booking_id: 42,
    event_id: null,
    user_id: 'u1',
    attendee_email: 'ann@example.com',
    attendee_name: 'Ann',
    start_time: Timestamp.fromDate(new Date('2026-06-12T09:00:00Z')),
    end_time: null,
    status: 'confirmed',
    meeting_url: null,
    metadata: null,
    created_at: now,
    updated_at: now,
    cal_uid: 'b-new',
    rescheduled_from: null,
    rescheduled_to: null,
    booking_id: null,
    session_id: null,
    no_show: null,
    last_event_at: Timestamp.fromDate(new Date('2026-06-01T10:00:00Z')),
    credit_state: null,
    credit_entitlement_id: null,
    attention: null,
  };
}

describe('the Cal.com booking fold', () => {
  it('a new confirmed booking: the booking, its session, a notice and the confirmation e-mail', () => {
    const plan = foldBookingEvent(event('BOOKING_CREATED', '2026-06-01T10:00:00Z'), state(), now);
    expect(plan.booking).toMatchObject({ status: 'confirmed', attendee_email: 'ann@example.com', session_id: 'cal-b-new', user_id: 'u1' });
    expect(plan.session).toMatchObject({ status: 'scheduled', coach_id: 'c1', booking_id: 'cal-b-new', user_id: 'u1' });
    expect(plan.notice?.title).toBe('Session confirmed');
    expect(plan.confirm).toBe(true);
  });

  it('a late delivery raises the status but keeps the newer data; the status never moves back', () => {
    const late = foldBookingEvent(event('BOOKING_CANCELLED', '2026-06-01T09:00:00Z', { startTime: '2026-06-05T09:00:00Z' }), state({}), now);
    expect(late.booking.status).toBe('cancelled');
    expect(late.booking.start_time.toDate().toISOString()).toBe('2026-06-12T09:00:00.000Z');
    const back = foldBookingEvent(event('BOOKING_CREATED', '2026-06-02T09:00:00Z'), state({ status: 'completed' }), now);
    expect(back.booking.status).toBe('completed');
    expect(back.booking.start_time.toDate().toISOString()).toBe('2026-06-10T09:00:00.000Z');
    // Nothing changed for the client: no notice, no second confirmation.
    expect(back.notice).toBeNull();
    expect(back.confirm).toBe(false);
  });

  it('a pending request opens no session; a session a model cannot read is left alone', () => {
    expect(foldBookingEvent(event('BOOKING_REQUESTED', '2026-06-01T10:00:00Z'), state(), now).session).toBeNull();
    expect(foldBookingEvent(event('BOOKING_CREATED', '2026-06-01T10:00:00Z'), state(undefined, { sessionWritable: false }), now).session).toBeNull();
  });

  it("a reschedule retires the original towards its successor, moving the original's credit", () => {
    const original = {
      id: 'cal-b-old',
      doc: { ...base(), cal_uid: 'b-old', credit_state: 'used' as const, credit_entitlement_id: 'e1', session_id: 'cal-b-old' },
    };
    const plan = foldBookingEvent(
      event('BOOKING_RESCHEDULED', '2026-06-01T11:00:00Z', { rescheduleUid: 'b-old' }),
      state(undefined, { original, sessionId: 'cal-b-old' }),
      now,
    );
    expect(plan.isReschedule).toBe(true);
    expect(plan.booking).toMatchObject({ status: 'confirmed', rescheduled_from: 'cal-b-old', session_id: 'cal-b-old' });
    expect(plan.original).toMatchObject({ status: 'rescheduled', rescheduled_to: 'cal-b-new', credit_state: 'moved', credit_entitlement_id: 'e1' });
    expect(plan.session).toMatchObject({ booking_id: 'cal-b-new', status: 'scheduled' });
    expect(plan.notice?.title).toBe('Session moved');
  });
});
