import { saveSocialTemplate as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { saveSocialTemplate as handler } from '../catalog/save.js';

/** `saveSocialTemplate` (admins): create or edit, keeping its unique value unique (a uniqueness index entry in the same transaction). */
export const saveSocialTemplate = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30 }, defaultDeps);
