import type { AppLang, EmailCategory, JsonValue } from '@zhengrowth/model';

/** One language version of a shipped template (see render.ts for the placeholder syntax). */
export interface TemplateText {
  subject: string;
  html: string;
  text: string;
}

export interface ShippedTemplate {
  slug: string;
  name: string;
  category: EmailCategory;
  /** Variables with a default: an item may leave them out (null makes a section disappear). */
  defaults: { [variable: string]: JsonValue };
  versions: Record<AppLang, TemplateText>;
}

const HTML_LANG: Record<AppLang, string> = { en: 'en', 'zh-CN': 'zh-Hans', 'zh-TW': 'zh-Hant' };

/** The frame every shipped e-mail shares: one column, system fonts, the brand line at the bottom. */
export function layout(lang: AppLang, body: string): string {
  return `<!doctype html>
<html lang="${HTML_LANG[lang]}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="margin:0;padding:24px;background:#f6f7f9;font-family:-apple-system,'Segoe UI',Roboto,'PingFang SC','Microsoft JhengHei',sans-serif;color:#1f2933;line-height:1.6">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
${body}
</div>
<p style="max-width:560px;margin:16px auto 0;font-size:12px;color:#7b8794;text-align:center">ZhenGrowth</p>
</body>
</html>`;
}
