import { setGlobalOptions } from 'firebase-functions/v2';
import { defineString } from 'firebase-functions/params';

/** Deploy region of every function (one place; functions do not set their own). */
export const region = defineString('FUNCTIONS_REGION', { default: 'us-central1', description: 'Cloud Functions region' });

setGlobalOptions({ region, maxInstances: 20 });
