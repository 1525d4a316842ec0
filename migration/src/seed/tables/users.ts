import type { AppRole } from '@zhengrowth/model';
import type { DemoCounts } from '../counts.js';
import { DEMO_ACCOUNTS, demoPasswords } from '../passwords.js';
import type { Random } from '../random.js';
import { keepComplete, type Json, type Row, type TableRows } from '../rows.js';
import { emailLocal, personName, pickLang, type Lang } from '../text.js';
import { after, MICROS_PER_DAY, randomTime, timestamptz, type Micros, type Timeline } from '../time.js';

export interface DemoUser {
  id: string;
  /** null for anonymous users. */
  email: string | null;
  name: string;
  lang: Lang;
  roles: AppRole[];
  /** zg_profiles.id, or null for the few users without a profile row. */
  profileId: string | null;
  createdAt: Micros;
  anonymous: boolean;
}

/** A signed-up user with an e-mail address. */
export type Member = DemoUser & { email: string };

export interface People {
  tables: TableRows[];
  users: DemoUser[];
  /** Signed-up people with an e-mail: the ones who book, buy, post and get mail. */
  members: Member[];
  /** Users with a profile row (ai_suggestions_cache hangs off profiles). */
  withProfile: Array<DemoUser & { profileId: string }>;
  coaches: DemoUser[];
  admins: DemoUser[];
  /** Coaches and admins. */
  staff: DemoUser[];
}

export const TIMEZONES: Readonly<Record<Lang, readonly string[]>> = {
  en: ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Australia/Sydney'],
  'zh-CN': ['Asia/Shanghai', 'Asia/Singapore'],
  'zh-TW': ['Asia/Taipei', 'Asia/Hong_Kong'],
};
const DOMAINS: Readonly<Record<Lang, readonly string[]>> = {
  en: ['example.com', 'example.org', 'example.net'],
  'zh-CN': ['example.cn', 'example.com'],
  'zh-TW': ['example.com.tw', 'example.com'],
};

interface Draft {
  lang: Lang;
  roles: AppRole[];
  email: string | null;
  anonymous: boolean;
  profile: boolean;
  confirmed: boolean;
  oauth: boolean;
  phone: boolean;
  banned: boolean;
  deleted: boolean;
  passwordHash: string | null;
}

/**
 * auth.users, zg_profiles and user_roles. The first users are the demo accounts and the staff;
 * the last few are the awkward cases every migration meets (anonymous, no profile, no role,
 * unconfirmed, OAuth-only), placed there so that even the smallest scale has each of them.
 */
export function generateUsers(rng: Random, counts: DemoCounts, time: Timeline): People {
  const pw = demoPasswords();
  const r = rng.fork('auth.users');
  const drafts: Draft[] = [];
  const total = counts.users;
  const staffCount = DEMO_ACCOUNTS.length + counts.extraAdmins + counts.extraCoaches;

  for (let i = 0; i < total; i++) {
    const demo = DEMO_ACCOUNTS[i];
    const lang: Lang = demo ? ((['en', 'zh-CN', 'zh-TW'] as const)[i] ?? 'en') : pickLang(r);
    let roles: AppRole[];
    if (demo) roles = [...demo.roles];
    else if (i < DEMO_ACCOUNTS.length + counts.extraAdmins) roles = ['admin'];
    else if (i < staffCount) roles = r.chance(0.2) ? ['coach', 'client'] : ['coach'];
    else roles = ['client'];
    const fromEnd = total - 1 - i;
    const d: Draft = {
      lang,
      roles,
      email: null,
      anonymous: fromEnd === 0 || (!demo && i >= staffCount && r.chance(0.01)),
      profile: fromEnd !== 1 && !(i >= staffCount && r.chance(0.01)),
      confirmed: fromEnd !== 2 && !(i >= staffCount && r.chance(0.04)),
      oauth: fromEnd === 3 || (i >= staffCount && r.chance(0.03)),
      phone: fromEnd === 3 || r.chance(0.08),
      banned: i >= staffCount && r.chance(0.01),
      deleted: i >= staffCount && r.chance(0.005),
      passwordHash: null,
    };
    if (fromEnd === 2 || (i >= staffCount && r.chance(0.015))) d.roles = [];
    if (d.anonymous) {
      d.roles = [];
      d.oauth = false;
      d.phone = false;
    }
    if (demo) {
      d.email = demo.email;
      d.passwordHash = pw.accounts[i]?.hash ?? null;
    } else if (!d.anonymous) {
      const local = `${emailLocal(r, lang)}.${i}`;
      const domain = r.pick(DOMAINS[lang]);
      // A few addresses in mixed case: Firebase Auth lower-cases e-mails, Supabase does not.
      const email = `${local}@${domain}`;
      d.email = r.chance(0.02) ? email.replace(/^./, (c) => c.toUpperCase()).replace('@example', '@Example') : email;
      d.passwordHash = d.oauth ? null : r.pick(pw.generic).hash;
    }
    drafts.push(d);
  }

  const users: DemoUser[] = [];
  const authRows: Row[] = [];
  const profileRows: Row[] = [];
  const roleRows: Row[] = [];
  const pr = rng.fork('zg_profiles');
  const rr = rng.fork('user_roles');

  for (const [i, d] of drafts.entries()) {
    const id = r.uuid();
    const createdAt = randomTime(r, time.historyStart, time.now - MICROS_PER_DAY);
    const name = personName(r, d.lang);
    const confirmedAt = d.confirmed && !d.anonymous && d.email ? after(r, createdAt, 30, 86_400) : null;
    const lastSignIn = d.anonymous || r.chance(0.1) ? null : randomTime(r, createdAt, time.now);
    const provider = d.anonymous ? 'anonymous' : d.oauth ? r.pick(['google', 'apple']) : 'email';
    const appMeta: Json = { provider, providers: d.oauth && r.chance(0.3) ? [provider, 'email'] : [provider] };
    const userMeta: Json = d.anonymous
      ? {}
      : {
          full_name: name,
          lang: d.lang,
          ...(r.chance(0.3) ? { signup: { source: r.pick(['web', 'ios', 'android']), referral: r.chance(0.5) ? r.token(8) : null } } : {}),
        };
    // E.164 digits without "+", as GoTrue stores them; the user's index keeps them unique.
    const serial = String(i).padStart(8, '0');
    const phone = d.phone ? (d.lang === 'en' ? `1415${serial.slice(1)}` : d.lang === 'zh-CN' ? `86138${serial}` : `8869${serial}`) : null;
    authRows.push({
      instance_id: '00000000-0000-0000-0000-000000000000',
      id,
      aud: 'authenticated',
      role: 'authenticated',
      email: d.email,
      encrypted_password: d.passwordHash,
      email_confirmed_at: confirmedAt === null ? null : timestamptz(confirmedAt),
      invited_at: null,
      confirmation_token: '',
      confirmation_sent_at: d.email ? timestamptz(createdAt) : null,
      recovery_token: '',
      recovery_sent_at: null,
      email_change_token_new: '',
      email_change: '',
      email_change_sent_at: null,
      last_sign_in_at: lastSignIn === null ? null : timestamptz(lastSignIn),
      raw_app_meta_data: appMeta,
      raw_user_meta_data: userMeta,
      is_super_admin: null,
      created_at: timestamptz(createdAt),
      updated_at: timestamptz(lastSignIn ?? createdAt),
      phone,
      phone_confirmed_at: phone && r.chance(0.7) ? timestamptz(after(r, createdAt, 60, 3600)) : null,
      phone_change: '',
      phone_change_token: '',
      phone_change_sent_at: null,
      email_change_token_current: '',
      email_change_confirm_status: 0,
      banned_until: d.banned ? timestamptz(randomTime(r, time.now, time.now + 365 * MICROS_PER_DAY)) : null,
      reauthentication_token: '',
      reauthentication_sent_at: null,
      is_sso_user: false,
      deleted_at: d.deleted ? timestamptz(randomTime(r, createdAt, time.now)) : null,
      is_anonymous: d.anonymous,
    });

    let profileId: string | null = null;
    if (d.profile) {
      profileId = pr.uuid();
      const profileCreated = after(pr, createdAt, 0, 5);
      const avatar = pr.maybe(0.4, () => `https://cdn.zhengrowth.demo/avatars/${pr.token(16)}.png`);
      const lang = pr.maybe(0.02, () => d.lang);
      const timezone = pr.maybe(0.03, () => pr.pick(TIMEZONES[d.lang]));
      // The accounts a developer signs in with have every profile field (drawn all the same, so
      // that the other users' rows stay as they were).
      const complete = i < DEMO_ACCOUNTS.length;
      // Every admin and coach shows a person on the staff screens: a name, an e-mail and a language.
      const staff = i < staffCount;
      const profile: Row = {
        id: profileId,
        user_id: id,
        email: d.email,
        name: d.anonymous ? null : name,
        avatar_url: complete ? `https://cdn.zhengrowth.demo/avatars/demo-${i + 1}.png` : avatar,
        lang: complete || staff ? d.lang : lang,
        timezone: complete ? (TIMEZONES[d.lang][0] ?? 'UTC') : timezone,
        created_at: timestamptz(profileCreated),
        updated_at: timestamptz(randomTime(pr, profileCreated, time.now)),
        metadata: {
          onboarding: { completed: pr.chance(0.7), steps: pr.sample(['profile', 'goals', 'first_lesson', 'booking'], pr.int(0, 4)) },
          preferences: { theme: pr.pick(['light', 'dark', 'system']), notifications: { email: pr.chance(0.8), push: pr.chance(0.4) } },
          ...(pr.chance(0.3)
            ? {
                marketing: {
                  utm: { source: pr.pick(['google', 'wechat', 'instagram', 'newsletter']), campaign: pr.pick(['spring_2025', '双十一', 'launch']) },
                },
              }
            : {}),
        },
      };
      profileRows.push(complete ? keepComplete(profile) : profile);
    }
    for (const role of d.roles) {
      roleRows.push({ id: rr.uuid(), user_id: id, role, created_at: timestamptz(after(rr, createdAt, 1, 86_400 * 30)) });
    }
    users.push({ id, email: d.email, name, lang: d.lang, roles: d.roles, profileId, createdAt, anonymous: d.anonymous });
  }

  const members = users.filter((u): u is Member => !u.anonymous && u.email !== null);
  const coaches = users.filter((u) => u.roles.includes('coach'));
  const admins = users.filter((u) => u.roles.includes('admin'));
  return {
    tables: [
      { table: 'auth.users', rows: authRows },
      { table: 'public.zg_profiles', rows: profileRows },
      { table: 'public.user_roles', rows: roleRows },
    ],
    users,
    members,
    withProfile: users.filter((u): u is DemoUser & { profileId: string } => u.profileId !== null),
    coaches,
    admins,
    staff: users.filter((u) => u.roles.includes('coach') || u.roles.includes('admin')),
  };
}
