import { saveCoupon as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { saveCoupon as handler } from '../catalog/save.js';

/** `saveCoupon` (admins): create or edit, keeping its unique value unique (a uniqueness index entry in the same transaction). */
export const saveCoupon = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30 }, defaultDeps);
