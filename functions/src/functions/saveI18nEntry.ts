import { saveI18nEntry as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { saveI18nEntry as handler } from '../catalog/save.js';

/** `saveI18nEntry` (admins): create or edit, keeping its unique value unique (a uniqueness index entry in the same transaction). */
export const saveI18nEntry = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30 }, defaultDeps);
