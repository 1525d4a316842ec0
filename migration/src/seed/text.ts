import type { Random } from './random.js';

/**
 * Word banks for the three languages of the platform. zh-CN is Simplified and zh-TW Traditional
 * Chinese (different characters for the same words), so an encoding or collation slip shows up.
 */
export const LANGS = ['en', 'zh-CN', 'zh-TW'] as const;
export type Lang = (typeof LANGS)[number];

export function pickLang(rng: Random): Lang {
  return rng.weighted<Lang>([
    ['en', 55],
    ['zh-CN', 25],
    ['zh-TW', 20],
  ]);
}

type Triple = Readonly<Record<Lang, string>>;

const TOPICS: readonly Triple[] = [
  { en: 'career growth', 'zh-CN': '职业成长', 'zh-TW': '職業成長' },
  { en: 'mindfulness', 'zh-CN': '正念练习', 'zh-TW': '正念練習' },
  { en: 'leadership', 'zh-CN': '领导力', 'zh-TW': '領導力' },
  { en: 'work-life balance', 'zh-CN': '工作与生活的平衡', 'zh-TW': '工作與生活的平衡' },
  { en: 'self-confidence', 'zh-CN': '自信心', 'zh-TW': '自信心' },
  { en: 'communication', 'zh-CN': '沟通技巧', 'zh-TW': '溝通技巧' },
  { en: 'healthy habits', 'zh-CN': '健康习惯', 'zh-TW': '健康習慣' },
  { en: 'goal setting', 'zh-CN': '目标设定', 'zh-TW': '目標設定' },
  { en: 'stress management', 'zh-CN': '压力管理', 'zh-TW': '壓力管理' },
  { en: 'relationships', 'zh-CN': '人际关系', 'zh-TW': '人際關係' },
  { en: 'time management', 'zh-CN': '时间管理', 'zh-TW': '時間管理' },
  { en: 'emotional resilience', 'zh-CN': '情绪韧性', 'zh-TW': '情緒韌性' },
];

const TITLES: Readonly<Record<Lang, readonly string[]>> = {
  en: ['How to improve your {t}', '{n} lessons on {t}', "A beginner's guide to {t}", 'Why {t} matters more than you think', 'The {t} workbook'],
  'zh-CN': ['如何提升你的{t}', '关于{t}的{n}个心得', '{t}入门指南', '为什么{t}比你想象的更重要', '{t}练习手册'],
  'zh-TW': ['如何提升你的{t}', '關於{t}的{n}個心得', '{t}入門指南', '為什麼{t}比你想像的更重要', '{t}練習手冊'],
};

const SENTENCES: Readonly<Record<Lang, readonly string[]>> = {
  en: [
    'Small steps, taken every day, add up to real change.',
    'Write down one thing you are grateful for before you sleep.',
    'Clarity comes from action, not from thinking alone.',
    'Ask for feedback early and listen without defending yourself.',
    'Your calendar shows your real priorities; review it every Sunday.',
    'Rest is part of the work, not a reward for finishing it.',
    'Name the feeling, then choose the response.',
    'Progress is rarely a straight line — keep going.',
  ],
  'zh-CN': [
    '每天迈出一小步，日积月累就是真正的改变。',
    '睡前写下一件让你感恩的事。',
    '清晰来自行动，而不只是思考。',
    '尽早寻求反馈，并且不带防御地倾听。',
    '你的日程表反映了你真正的优先事项，每周日回顾一次。',
    '休息是工作的一部分，而不是完成工作后的奖励。',
    '先说出你的感受，再选择如何回应。',
    '进步很少是一条直线——继续前进。',
  ],
  'zh-TW': [
    '每天邁出一小步，日積月累就是真正的改變。',
    '睡前寫下一件讓你感恩的事。',
    '清晰來自行動，而不只是思考。',
    '儘早尋求回饋，並且不帶防衛地傾聽。',
    '你的行事曆反映了你真正的優先事項，每週日回顧一次。',
    '休息是工作的一部分，而不是完成工作後的獎勵。',
    '先說出你的感受，再選擇如何回應。',
    '進步很少是一條直線——繼續前進。',
  ],
};

const EN_FIRST = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Ethan', 'Sophia', 'Mason', 'Mia', 'Lucas', 'Chloe', 'Daniel', 'Grace', 'Ryan', 'Siobhán', 'José'];
const EN_LAST = ['Smith', 'Johnson', 'Brown', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Clark', "O'Connor", 'Nguyen', 'Müller'];
const ZH_FAMILY: Readonly<Record<'zh-CN' | 'zh-TW', readonly string[]>> = {
  'zh-CN': ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '欧阳'],
  'zh-TW': ['陳', '林', '黃', '張', '李', '王', '吳', '劉', '蔡', '楊', '歐陽'],
};
const ZH_GIVEN: Readonly<Record<'zh-CN' | 'zh-TW', readonly string[]>> = {
  'zh-CN': ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '俊杰', '晓东', '雨涵', '子轩'],
  'zh-TW': ['怡君', '志明', '淑芬', '家豪', '雅婷', '冠宇', '佳穎', '俊傑', '詩涵', '宗翰', '美玲', '建宏'],
};
/** Romanised family names for e-mail addresses of Chinese-speaking users. */
const PINYIN = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'lin', 'wu', 'tsai', 'chou'];

export function personName(rng: Random, lang: Lang): string {
  if (lang === 'en') return `${rng.pick(EN_FIRST)} ${rng.pick(EN_LAST)}`;
  return `${rng.pick(ZH_FAMILY[lang])}${rng.pick(ZH_GIVEN[lang])}`;
}

/** A local part for an e-mail address that suits the person's language. */
export function emailLocal(rng: Random, lang: Lang): string {
  if (lang === 'en')
    return `${rng
      .pick(EN_FIRST)
      .toLowerCase()
      .replace(/[^a-z]/g, '')}.${rng
      .pick(EN_LAST)
      .toLowerCase()
      .replace(/[^a-z]/g, '')}`;
  return `${rng.pick(PINYIN)}${rng.token(3, 'abcdefghijklmnopqrstuvwxyz')}`;
}

export function topic(rng: Random, lang: Lang): string {
  return rng.pick(TOPICS)[lang];
}

/** A topic in all three languages (for rows that carry translations side by side). */
export function topicTriple(rng: Random): Triple {
  return rng.pick(TOPICS);
}

export function title(rng: Random, lang: Lang): string {
  return rng
    .pick(TITLES[lang])
    .replace('{t}', topic(rng, lang))
    .replace('{n}', String(rng.int(3, 12)));
}

export function sentence(rng: Random, lang: Lang): string {
  return rng.pick(SENTENCES[lang]);
}

/** A paragraph of 2–5 sentences; now and then an emoji, i.e. a 4-byte UTF-8 character. */
export function paragraph(rng: Random, lang: Lang): string {
  const parts = Array.from({ length: rng.int(2, 5) }, () => sentence(rng, lang));
  if (rng.chance(0.1)) parts.push(rng.pick(['🌱', '✨', '🙏', '💪', '🎯']));
  return parts.join(lang === 'en' ? ' ' : '');
}

/** Markdown with headings, a list and line breaks (which COPY must escape). */
export function markdown(rng: Random, lang: Lang, heading: string): string {
  const sections = rng.int(2, 4);
  const out = [`# ${heading}`, ''];
  for (let i = 0; i < sections; i++) {
    out.push(`## ${title(rng, lang)}`, '', paragraph(rng, lang), '');
    if (rng.chance(0.5)) out.push(`- ${sentence(rng, lang)}`, `- ${sentence(rng, lang)}`, '');
  }
  return out.join('\n');
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
