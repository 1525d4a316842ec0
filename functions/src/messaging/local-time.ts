import { isIanaTimeZone, type AppLang } from '@zhengrowth/model';

const LOCALE: Record<AppLang, string> = { en: 'en-GB', 'zh-CN': 'zh-CN', 'zh-TW': 'zh-TW' };

/** A time as its reader says it, in their time zone: "Tuesday 3 March 2026 at 09:30 GMT+8", "2026年3月3日星期二 09:30 [GMT+8]". */
export function localTime(at: Date, lang: AppLang, timeZone: string | null | undefined): string {
  const zone = timeZone && isIanaTimeZone(timeZone) ? timeZone : 'UTC';
  return new Intl.DateTimeFormat(LOCALE[lang], {
    timeZone: zone,
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(at);
}
