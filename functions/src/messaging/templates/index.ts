/**
 * The e-mail templates the platform ships, in every app language, and their loader: `npm start`
 * loads them into the emulator, a deploy script (or an admin) into production. Each language
 * version is the document `email_templates/{slug}.{lang}` (emailTemplateId): loading twice
 * rewrites the same documents.
 */
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getFirestore, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { APP_LANGS, emailTemplateId, emailTemplates } from '@zhengrowth/model';
import { leadConfirmation } from './consent.js';
import { eventReminder, sessionReminder } from './reminders.js';
import { bookingConfirmation, orderConfirmation, passwordReset, welcome } from './transactional.js';
import type { ShippedTemplate } from './types.js';
import { batchSet } from '../../core/firestore.js';

export type { ShippedTemplate, TemplateText } from './types.js';

export const SHIPPED_TEMPLATES: readonly ShippedTemplate[] = [
  orderConfirmation,
  bookingConfirmation,
  passwordReset,
  welcome,
  sessionReminder,
  eventReminder,
  leadConfirmation,
];

/** Writes every shipped template version (an existing document keeps its created_at); returns how many documents. */
export async function loadEmailTemplates(db: Firestore, now: Date = new Date()): Promise<number> {
  const at = Timestamp.fromDate(now);
  const versions = SHIPPED_TEMPLATES.flatMap((t) =>
    APP_LANGS.map((lang) => ({
      t,
      lang,
      ref: db.doc(emailTemplates.docPath({ templateId: emailTemplateId(t.slug, lang) })).withConverter(emailTemplates.converter),
    })),
  );
  const existing = await db.getAll(...versions.map((v) => v.ref));
  const batch = db.batch();
  versions.forEach(({ t, lang, ref }, i) => {
    const v = t.versions[lang];
    batchSet(batch, ref, {
      slug: t.slug,
      name: `${t.name} (${lang})`,
      subject: v.subject,
      body_html: v.html,
      body_text: v.text,
      variables: Object.fromEntries(Object.entries(t.defaults).map(([k, d]) => [k, { default: d }])),
      active: true,
      created_at: (existing[i]?.get('created_at') as Timestamp | undefined) ?? at,
      updated_at: at,
      lang,
      category: t.category,
    });
  });
  await batch.commit();
  return versions.length;
}

/** For tools (`npm start`): loads the templates into a project (the emulator's, with FIRESTORE_EMULATOR_HOST set). */
export async function loadEmailTemplatesInto(projectId: string): Promise<string> {
  const app = initializeApp({ projectId }, `email-templates-${projectId}-${Date.now()}`);
  try {
    const n = await loadEmailTemplates(getFirestore(app));
    return `${n} e-mail template versions (${SHIPPED_TEMPLATES.map((t) => t.slug).join(', ')} in ${APP_LANGS.join(', ')})`;
  } finally {
    await deleteApp(app);
  }
}
