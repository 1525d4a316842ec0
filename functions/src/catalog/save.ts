/** The admin callables of the documents with unique values (unique.ts does the claiming). */
import { Timestamp } from 'firebase-admin/firestore';
import {
  blogTemplates,
  couponByCode,
  coupons,
  experiments,
  experimentsByKey,
  i18nDict,
  i18nEntriesByKey,
  socialTemplatesByName,
  type CallableContract,
  type saveCoupon as saveCouponContract,
  type saveExperiment as saveExperimentContract,
  type saveI18nEntry as saveI18nEntryContract,
  type saveSocialTemplate as saveSocialTemplateContract,
} from '@zhengrowth/model';
import type { CallableHandler } from '../core/callable.js';
import type { Deps } from '../core/deps.js';
import { buildQuery } from '../core/query.js';
import { saveUnique } from './unique.js';

const ts = (iso: string | null): Timestamp | null => (iso ? Timestamp.fromDate(new Date(iso)) : null);

type Handler<C extends CallableContract> = CallableHandler<C, Deps>;

export const saveCoupon: Handler<typeof saveCouponContract> = async (input, caller, deps) => {
  const { id, ...c } = input;
  return saveUnique<typeof coupons>(
    deps,
    {
      kind: 'coupon_code',
      collection: coupons,
      keyOf: (d) => [d.code],
      holders: (db, [code]) => buildQuery(db, couponByCode, [code]),
      label: ([code]) => `coupon code ${code}`,
    },
    id,
    (prev, now) => ({
      code: c.code,
      discount_type: c.discount_type,
      discount_percent: c.discount_type === 'percent' ? c.discount_percent : null,
      discount_amount_minor: c.discount_type === 'fixed' ? c.discount_amount_minor : null,
      currency: c.currency,
      max_uses: c.max_uses,
      valid_from: ts(c.valid_from),
      valid_until: ts(c.valid_until),
      active: c.active,
      metadata: c.metadata,
      created_at: prev?.created_at ?? now,
      // The counters are checkout's: an edit never touches them.
      uses_count: prev?.uses_count ?? 0,
      reserved_count: prev?.reserved_count ?? 0,
    }),
  );
};

export const saveExperiment: Handler<typeof saveExperimentContract> = async (input, caller, deps) => {
  const { id, ...e } = input;
  return saveUnique(
    deps,
    {
      kind: 'experiment_key',
      collection: experiments,
      keyOf: (d) => [d.key],
      holders: (db, [key]) => buildQuery(db, experimentsByKey, [[key]]),
      label: ([key]) => `experiment key ${key}`,
    },
    id,
    (prev, now) => ({ key: e.key, name: e.name, enabled: e.enabled, config: e.config, created_at: prev?.created_at ?? now, updated_at: now }),
  );
};

export const saveI18nEntry: Handler<typeof saveI18nEntryContract> = async (input, caller, deps) => {
  const { id, ...e } = input;
  return saveUnique(
    deps,
    {
      kind: 'i18n_entry',
      collection: i18nDict,
      keyOf: (d) => [d.lang, d.ns, d.key],
      holders: (db, key) => buildQuery(db, i18nEntriesByKey, key),
      label: ([lang, ns, key]) => `translation ${lang}/${ns}/${key}`,
    },
    id,
    (_prev, now) => ({ lang: e.lang, ns: e.ns, key: e.key, value: e.value, updated_at: now }),
  );
};

export const saveSocialTemplate: Handler<typeof saveSocialTemplateContract> = async (input, caller, deps) => {
  const { id, ...t } = input;
  return saveUnique(
    deps,
    {
      kind: 'social_template',
      collection: blogTemplates,
      keyOf: (d) => [d.platform, d.locale, d.name],
      holders: (db, key) => buildQuery(db, socialTemplatesByName, key),
      label: ([platform, locale, name]) => `template ${platform}/${locale ?? '(no locale)'}/${name}`,
    },
    id,
    (prev, now) => ({
      platform: t.platform,
      locale: t.locale,
      name: t.name,
      template: t.template,
      variables: t.variables,
      active: t.active,
      created_at: prev?.created_at ?? now,
    }),
  );
};
