/** The reminders' e-mails (messaging/reminders.ts): a coaching session (24 h and 1 h before) and an event (24 h before). */
import { layout, type ShippedTemplate } from './types.js';

export const sessionReminder: ShippedTemplate = {
  slug: 'session_reminder',
  name: 'Session reminder',
  category: 'transactional',
  defaults: { name: null, meeting_url: null },
  versions: {
    en: {
      subject: '{{#soon}}Your coaching session starts in an hour{{/soon}}{{^soon}}Reminder: your coaching session is tomorrow{{/soon}}',
      html: layout(
        'en',
        `<h1 style="font-size:20px">{{#soon}}Starting in an hour{{/soon}}{{^soon}}See you tomorrow{{/soon}}</h1>
<p>Hi{{#name}} {{name}}{{/name}}, your coaching session is on <strong>{{when}}</strong>.</p>
{{#meeting_url}}<p><a href="{{meeting_url}}" style="color:#0b6bcb">Join the session</a></p>{{/meeting_url}}`,
      ),
      text: 'Hi{{#name}} {{name}}{{/name}}, your coaching session is on {{when}}.{{#meeting_url}}\n\nJoin: {{meeting_url}}{{/meeting_url}}',
    },
    'zh-CN': {
      subject: '{{#soon}}您的辅导将在一小时后开始{{/soon}}{{^soon}}提醒：您的辅导在明天{{/soon}}',
      html: layout(
        'zh-CN',
        `<h1 style="font-size:20px">{{#soon}}一小时后开始{{/soon}}{{^soon}}明天见{{/soon}}</h1>
<p>{{#name}}{{name}}，{{/name}}您的辅导时间为 <strong>{{when}}</strong>。</p>
{{#meeting_url}}<p><a href="{{meeting_url}}" style="color:#0b6bcb">进入会议</a></p>{{/meeting_url}}`,
      ),
      text: '{{#name}}{{name}}，{{/name}}您的辅导时间为 {{when}}。{{#meeting_url}}\n\n会议链接：{{meeting_url}}{{/meeting_url}}',
    },
    'zh-TW': {
      subject: '{{#soon}}您的輔導將在一小時後開始{{/soon}}{{^soon}}提醒：您的輔導在明天{{/soon}}',
      html: layout(
        'zh-TW',
        `<h1 style="font-size:20px">{{#soon}}一小時後開始{{/soon}}{{^soon}}明天見{{/soon}}</h1>
<p>{{#name}}{{name}}，{{/name}}您的輔導時間為 <strong>{{when}}</strong>。</p>
{{#meeting_url}}<p><a href="{{meeting_url}}" style="color:#0b6bcb">進入會議</a></p>{{/meeting_url}}`,
      ),
      text: '{{#name}}{{name}}，{{/name}}您的輔導時間為 {{when}}。{{#meeting_url}}\n\n會議連結：{{meeting_url}}{{/meeting_url}}',
    },
  },
};

export const eventReminder: ShippedTemplate = {
  slug: 'event_reminder',
  name: 'Event reminder',
  category: 'transactional',
  defaults: { name: null, location: null },
  versions: {
    en: {
      subject: 'Tomorrow: {{event_title}}',
      html: layout(
        'en',
        `<h1 style="font-size:20px">{{event_title}} is tomorrow</h1>
<p>Hi{{#name}} {{name}}{{/name}}, a reminder that <strong>{{event_title}}</strong> starts on <strong>{{when}}</strong>{{#location}} ({{location}}){{/location}}.</p>`,
      ),
      text: 'Hi{{#name}} {{name}}{{/name}}, a reminder that {{event_title}} starts on {{when}}{{#location}} ({{location}}){{/location}}.',
    },
    'zh-CN': {
      subject: '明天：{{event_title}}',
      html: layout(
        'zh-CN',
        `<h1 style="font-size:20px">{{event_title}} 明天举行</h1>
<p>{{#name}}{{name}}，{{/name}}提醒您：<strong>{{event_title}}</strong> 将于 <strong>{{when}}</strong> 开始{{#location}}（{{location}}）{{/location}}。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}提醒您：{{event_title}} 将于 {{when}} 开始{{#location}}（{{location}}）{{/location}}。',
    },
    'zh-TW': {
      subject: '明天：{{event_title}}',
      html: layout(
        'zh-TW',
        `<h1 style="font-size:20px">{{event_title}} 明天舉行</h1>
<p>{{#name}}{{name}}，{{/name}}提醒您：<strong>{{event_title}}</strong> 將於 <strong>{{when}}</strong> 開始{{#location}}（{{location}}）{{/location}}。</p>`,
      ),
      text: '{{#name}}{{name}}，{{/name}}提醒您：{{event_title}} 將於 {{when}} 開始{{#location}}（{{location}}）{{/location}}。',
    },
  },
};
