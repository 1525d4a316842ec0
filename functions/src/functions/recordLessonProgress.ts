import { recordLessonProgress as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { recordLessonProgress as handler } from '../entitlements/lessons.js';

/** `recordLessonProgress`: progress on a lesson the caller may play; completion once, with the lesson_completed event. */
export const recordLessonProgress = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 20 }, defaultDeps);
