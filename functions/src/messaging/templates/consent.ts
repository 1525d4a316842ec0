/**
 * The double opt-in e-mail of a lead's address (shared/email-consent.ts): one link that confirms,
 * and a plain word that doing nothing means no more e-mail. Variables: name (or null) and link.
 */
import { layout, type ShippedTemplate } from './types.js';

const button = (label: string): string =>
  `<p><a href="{{link}}" style="display:inline-block;background:#0b6bcb;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none">${label}</a></p>`;

export const leadConfirmation: ShippedTemplate = {
  slug: 'lead_confirmation',
  name: 'Lead address confirmation',
  category: 'transactional',
  defaults: { name: null },
  versions: {
    en: {
      subject: 'Please confirm your e-mail address for ZhenGrowth',
      html: layout(
        'en',
        `<h1 style="font-size:20px">One click to confirm</h1>
<p>Hi{{#name}} {{name}}{{/name}}, someone (we hope you) gave this address on a ZhenGrowth form.</p>
${button('Yes, send me ZhenGrowth e-mail')}
<p>If it was not you, ignore this e-mail: we will not write to you again.</p>`,
      ),
      text: 'Hi{{#name}} {{name}}{{/name}}, someone (we hope you) gave this address on a ZhenGrowth form.\n\nConfirm that you want our e-mail: {{link}}\n\nIf it was not you, ignore this e-mail: we will not write to you again.',
    },
    'zh-CN': {
      subject: '请确认您在 ZhenGrowth 的邮箱地址',
      html: layout(
        'zh-CN',
        `<h1 style="font-size:20px">一键确认</h1>
<p>{{#name}}{{name}}，{{/name}}有人（希望是您）在 ZhenGrowth 的表单中填写了这个邮箱地址。</p>
${button('是的，我愿意接收 ZhenGrowth 的邮件')}
<p>如果不是您本人，请忽略此邮件，我们不会再给您发信。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}有人（希望是您）在 ZhenGrowth 的表单中填写了这个邮箱地址。\n\n确认接收我们的邮件：{{link}}\n\n如果不是您本人，请忽略此邮件，我们不会再给您发信。',
    },
    'zh-TW': {
      subject: '請確認您在 ZhenGrowth 的電子郵件地址',
      html: layout(
        'zh-TW',
        `<h1 style="font-size:20px">一鍵確認</h1>
<p>{{#name}}{{name}}，{{/name}}有人（希望是您）在 ZhenGrowth 的表單中填寫了這個電子郵件地址。</p>
${button('是的，我願意接收 ZhenGrowth 的郵件')}
<p>如果不是您本人，請忽略此郵件，我們不會再寫信給您。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}有人（希望是您）在 ZhenGrowth 的表單中填寫了這個電子郵件地址。\n\n確認接收我們的郵件：{{link}}\n\n如果不是您本人，請忽略此郵件，我們不會再寫信給您。',
    },
  },
};
