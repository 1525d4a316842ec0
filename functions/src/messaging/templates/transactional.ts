/**
 * The templates the functions queue: order and booking confirmations (payments/state.ts,
 * webhooks/cal.ts), password reset and welcome (accounts). Variables are those the callers put on
 * the queue item; the subject and text are what a reader sees, so every language says the same.
 */
import { layout, type ShippedTemplate } from './types.js';

export const orderConfirmation: ShippedTemplate = {
  slug: 'order_confirmation',
  name: 'Order confirmation',
  category: 'transactional',
  defaults: { name: null },
  versions: {
    en: {
      subject: 'Your ZhenGrowth order {{order_number}}',
      html: layout(
        'en',
        `<h1 style="font-size:20px">Thank you{{#name}}, {{name}}{{/name}}!</h1>
<p>We received <strong>{{total}}</strong> for order <strong>{{order_number}}</strong>.</p>
<p>{{lines}}</p>
<p>Keep this e-mail as your receipt.</p>`,
      ),
      text: 'Thank you{{#name}}, {{name}}{{/name}}!\n\nWe received {{total}} for order {{order_number}}.\n\n{{lines}}\n\nKeep this e-mail as your receipt.',
    },
    'zh-CN': {
      subject: '您的 ZhenGrowth 订单 {{order_number}}',
      html: layout(
        'zh-CN',
        `<h1 style="font-size:20px">{{#name}}{{name}}，{{/name}}感谢您的购买！</h1>
<p>我们已收到订单 <strong>{{order_number}}</strong> 的付款 <strong>{{total}}</strong>。</p>
<p>{{lines}}</p>
<p>请保留此邮件作为收据。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}感谢您的购买！\n\n我们已收到订单 {{order_number}} 的付款 {{total}}。\n\n{{lines}}\n\n请保留此邮件作为收据。',
    },
    'zh-TW': {
      subject: '您的 ZhenGrowth 訂單 {{order_number}}',
      html: layout(
        'zh-TW',
        `<h1 style="font-size:20px">{{#name}}{{name}}，{{/name}}感謝您的購買！</h1>
<p>我們已收到訂單 <strong>{{order_number}}</strong> 的付款 <strong>{{total}}</strong>。</p>
<p>{{lines}}</p>
<p>請保留此郵件作為收據。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}感謝您的購買！\n\n我們已收到訂單 {{order_number}} 的付款 {{total}}。\n\n{{lines}}\n\n請保留此郵件作為收據。',
    },
  },
};

export const bookingConfirmation: ShippedTemplate = {
  slug: 'booking_confirmation',
  name: 'Booking confirmation',
  category: 'transactional',
  defaults: { name: null, meeting_url: null, moved: false },
  versions: {
    en: {
      subject: '{{#moved}}Your ZhenGrowth session has moved{{/moved}}{{^moved}}Your ZhenGrowth session is confirmed{{/moved}}',
      html: layout(
        'en',
        `<h1 style="font-size:20px">{{#moved}}Your session has moved{{/moved}}{{^moved}}Your session is confirmed{{/moved}}</h1>
<p>Hi{{#name}} {{name}}{{/name}}, your coaching session is {{#moved}}now {{/moved}}on <strong>{{when}}</strong>.</p>
{{#meeting_url}}<p><a href="{{meeting_url}}" style="color:#0b6bcb">Join the session</a></p>{{/meeting_url}}
<p>We will remind you the day before and an hour before it starts.</p>`,
      ),
      text: 'Hi{{#name}} {{name}}{{/name}}, your coaching session is {{#moved}}now {{/moved}}on {{when}}.\n{{#meeting_url}}\nJoin: {{meeting_url}}\n{{/meeting_url}}\nWe will remind you the day before and an hour before it starts.',
    },
    'zh-CN': {
      subject: '{{#moved}}您的 ZhenGrowth 辅导时间已更改{{/moved}}{{^moved}}您的 ZhenGrowth 辅导已确认{{/moved}}',
      html: layout(
        'zh-CN',
        `<h1 style="font-size:20px">{{#moved}}辅导时间已更改{{/moved}}{{^moved}}辅导已确认{{/moved}}</h1>
<p>{{#name}}{{name}}，{{/name}}您的辅导{{#moved}}已改到{{/moved}}{{^moved}}时间为{{/moved}} <strong>{{when}}</strong>。</p>
{{#meeting_url}}<p><a href="{{meeting_url}}" style="color:#0b6bcb">进入会议</a></p>{{/meeting_url}}
<p>我们会在前一天和开始前一小时提醒您。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}您的辅导{{#moved}}已改到{{/moved}}{{^moved}}时间为{{/moved}} {{when}}。\n{{#meeting_url}}\n会议链接：{{meeting_url}}\n{{/meeting_url}}\n我们会在前一天和开始前一小时提醒您。',
    },
    'zh-TW': {
      subject: '{{#moved}}您的 ZhenGrowth 輔導時間已更改{{/moved}}{{^moved}}您的 ZhenGrowth 輔導已確認{{/moved}}',
      html: layout(
        'zh-TW',
        `<h1 style="font-size:20px">{{#moved}}輔導時間已更改{{/moved}}{{^moved}}輔導已確認{{/moved}}</h1>
<p>{{#name}}{{name}}，{{/name}}您的輔導{{#moved}}已改到{{/moved}}{{^moved}}時間為{{/moved}} <strong>{{when}}</strong>。</p>
{{#meeting_url}}<p><a href="{{meeting_url}}" style="color:#0b6bcb">進入會議</a></p>{{/meeting_url}}
<p>我們會在前一天和開始前一小時提醒您。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}您的輔導{{#moved}}已改到{{/moved}}{{^moved}}時間為{{/moved}} {{when}}。\n{{#meeting_url}}\n會議連結：{{meeting_url}}\n{{/meeting_url}}\n我們會在前一天和開始前一小時提醒您。',
    },
  },
};

export const passwordReset: ShippedTemplate = {
  slug: 'password_reset',
  name: 'Password reset',
  category: 'transactional',
  defaults: { name: null },
  versions: {
    en: {
      subject: 'Reset your ZhenGrowth password',
      html: layout(
        'en',
        `<h1 style="font-size:20px">Reset your password</h1>
<p>Hi{{#name}} {{name}}{{/name}}, we received a request to reset your password.</p>
<p><a href="{{link}}" style="display:inline-block;background:#0b6bcb;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none">Choose a new password</a></p>
<p>If you did not ask for this, ignore this e-mail: your password stays as it is.</p>`,
      ),
      text: 'Hi{{#name}} {{name}}{{/name}}, we received a request to reset your password.\n\nChoose a new password: {{link}}\n\nIf you did not ask for this, ignore this e-mail: your password stays as it is.',
    },
    'zh-CN': {
      subject: '重置您的 ZhenGrowth 密码',
      html: layout(
        'zh-CN',
        `<h1 style="font-size:20px">重置密码</h1>
<p>{{#name}}{{name}}，{{/name}}我们收到了重置您密码的请求。</p>
<p><a href="{{link}}" style="display:inline-block;background:#0b6bcb;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none">设置新密码</a></p>
<p>如果这不是您本人的操作，请忽略此邮件，您的密码不会改变。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}我们收到了重置您密码的请求。\n\n设置新密码：{{link}}\n\n如果这不是您本人的操作，请忽略此邮件，您的密码不会改变。',
    },
    'zh-TW': {
      subject: '重設您的 ZhenGrowth 密碼',
      html: layout(
        'zh-TW',
        `<h1 style="font-size:20px">重設密碼</h1>
<p>{{#name}}{{name}}，{{/name}}我們收到了重設您密碼的請求。</p>
<p><a href="{{link}}" style="display:inline-block;background:#0b6bcb;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none">設定新密碼</a></p>
<p>如果這不是您本人的操作，請忽略此郵件，您的密碼不會改變。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}我們收到了重設您密碼的請求。\n\n設定新密碼：{{link}}\n\n如果這不是您本人的操作，請忽略此郵件，您的密碼不會改變。',
    },
  },
};

export const welcome: ShippedTemplate = {
  slug: 'welcome',
  name: 'Welcome',
  category: 'transactional',
  defaults: { name: null },
  versions: {
    en: {
      subject: 'Welcome to ZhenGrowth',
      html: layout(
        'en',
        `<h1 style="font-size:20px">Welcome{{#name}}, {{name}}{{/name}}!</h1>
<p>Your ZhenGrowth account is ready. Set your first goal, explore the lessons, and book a session with a coach whenever you are ready.</p>`,
      ),
      text: 'Welcome{{#name}}, {{name}}{{/name}}!\n\nYour ZhenGrowth account is ready. Set your first goal, explore the lessons, and book a session with a coach whenever you are ready.',
    },
    'zh-CN': {
      subject: '欢迎加入 ZhenGrowth',
      html: layout(
        'zh-CN',
        `<h1 style="font-size:20px">{{#name}}{{name}}，{{/name}}欢迎加入！</h1>
<p>您的 ZhenGrowth 账户已经创建。设定第一个目标、浏览课程，准备好后即可预约教练辅导。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}欢迎加入！\n\n您的 ZhenGrowth 账户已经创建。设定第一个目标、浏览课程，准备好后即可预约教练辅导。',
    },
    'zh-TW': {
      subject: '歡迎加入 ZhenGrowth',
      html: layout(
        'zh-TW',
        `<h1 style="font-size:20px">{{#name}}{{name}}，{{/name}}歡迎加入！</h1>
<p>您的 ZhenGrowth 帳戶已經建立。設定第一個目標、瀏覽課程，準備好後即可預約教練輔導。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}歡迎加入！\n\n您的 ZhenGrowth 帳戶已經建立。設定第一個目標、瀏覽課程，準備好後即可預約教練輔導。',
    },
  },
};
