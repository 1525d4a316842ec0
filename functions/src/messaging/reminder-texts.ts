/** The reminders' inbox notices (and the queue items' readable subject and text), per language. */
import type { AppLang } from '@zhengrowth/model';

type Notice = { title: string; message: string };
type Texts<A extends unknown[]> = Record<AppLang, (...args: A) => Notice>;

export const REMINDER_NOTICES: {
  session24: Texts<[when: string]>;
  session1: Texts<[when: string]>;
  event24: Texts<[when: string, title: string]>;
} = {
  session24: {
    en: (when) => ({ title: 'Your coaching session is tomorrow', message: `Your coaching session is on ${when}.` }),
    'zh-CN': (when) => ({ title: '您的辅导在明天', message: `您的辅导时间为 ${when}。` }),
    'zh-TW': (when) => ({ title: '您的輔導在明天', message: `您的輔導時間為 ${when}。` }),
  },
  session1: {
    en: (when) => ({ title: 'Your coaching session starts in an hour', message: `Your coaching session starts at ${when}.` }),
    'zh-CN': (when) => ({ title: '您的辅导将在一小时后开始', message: `您的辅导将于 ${when} 开始。` }),
    'zh-TW': (when) => ({ title: '您的輔導將在一小時後開始', message: `您的輔導將於 ${when} 開始。` }),
  },
  event24: {
    en: (when, title) => ({ title: `Tomorrow: ${title}`, message: `${title} starts on ${when}.` }),
    'zh-CN': (when, title) => ({ title: `明天：${title}`, message: `${title} 将于 ${when} 开始。` }),
    'zh-TW': (when, title) => ({ title: `明天：${title}`, message: `${title} 將於 ${when} 開始。` }),
  },
};
