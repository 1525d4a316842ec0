import { saveExperiment as contract } from '@zhengrowth/model';
import { validatedOnCall } from '../core/callable.js';
import { defaultDeps } from '../core/deps.js';
import { saveExperiment as handler } from '../catalog/save.js';

/** `saveExperiment` (admins): create or edit, keeping its unique value unique (a uniqueness index entry in the same transaction). */
export const saveExperiment = validatedOnCall(contract, handler, { cors: true, timeoutSeconds: 30 }, defaultDeps);
