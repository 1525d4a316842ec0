import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { sessions } from '@zhengrowth/model';
import { onSessionWritten as handler } from '../coaching/attendance.js';
import { defaultDeps } from '../core/deps.js';
import { modelData } from '../core/trigger.js';

/** `onSessionWritten`: a coaching session that became completed is a session_attended domain event, once. */
export const onSessionWritten = onDocumentWritten({ document: sessions.template, retry: true, timeoutSeconds: 60 }, async (event) => {
  await handler(defaultDeps(), {
    uid: event.params.uid,
    sessionId: event.params.sessionId,
    before: modelData(sessions, event.data?.before, 'onSessionWritten'),
    after: modelData(sessions, event.data?.after, 'onSessionWritten'),
  });
});
