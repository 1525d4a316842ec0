/**
 * Row counts per scale. Scale 1 matches the schema document's "Database Statistics" (about 1,000
 * users and profiles, 50+ blog posts, 100+ lessons, 500+ cal bookings, 2,000+ leads, 100,000
 * analytics events, 200+ community posts, 5–10 offers); the tables it does not mention get volumes
 * in proportion. Catalogues (badges, flags, templates…) do not grow with the scale. Minimums keep
 * a tiny scale (0.01) meaningful: every table has at least two rows, every role a holder.
 */
export interface DemoCounts {
  users: number;
  extraAdmins: number;
  extraCoaches: number;
  offers: number;
  calBookings: number;
  meSessions: number;
  meGoals: number;
  blogPosts: number;
  lessons: number;
  lessonProgress: number;
  bookings: number;
  expressOrders: number;
  events: number;
  eventRegs: number;
  leads: number;
  userFunnelProgress: number;
  referrals: number;
  analyticsEvents: number;
  experimentAssignments: number;
  aiLogs: number;
  aiSuggestions: number;
  communityPosts: number;
  communityComments: number;
  communityReports: number;
  socialAccounts: number;
  socialPosts: number;
  emailQueue: number;
  userBadges: number;
  nudges: number;
  pushSubscriptions: number;
}

export function demoCounts(scale: number): DemoCounts {
  const n = (atScaleOne: number, min: number): number => Math.max(min, Math.round(atScaleOne * scale));
  return {
    users: n(1030, 16),
    extraAdmins: n(4, 1),
    extraCoaches: n(18, 2),
    offers: Math.min(10, n(8, 5)),
    calBookings: n(600, 6),
    meSessions: n(800, 4),
    meGoals: n(1200, 4),
    blogPosts: n(60, 4),
    lessons: n(120, 6),
    lessonProgress: n(3000, 6),
    bookings: n(400, 4),
    expressOrders: n(300, 6),
    events: n(30, 3),
    eventRegs: n(800, 6),
    leads: n(2200, 6),
    userFunnelProgress: n(500, 4),
    referrals: n(150, 4),
    analyticsEvents: n(100_000, 40),
    experimentAssignments: n(2000, 6),
    aiLogs: n(1500, 4),
    aiSuggestions: n(400, 4),
    communityPosts: n(240, 4),
    communityComments: n(900, 8),
    communityReports: n(40, 4),
    socialAccounts: n(60, 3),
    socialPosts: n(300, 6),
    emailQueue: n(1000, 6),
    userBadges: n(1500, 6),
    nudges: n(3000, 8),
    pushSubscriptions: n(400, 6),
  };
}
