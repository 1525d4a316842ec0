/** Options every function shares: its region (a param) and the triggers' instance cap (core/instances.ts; the other kinds set their own). */
import { setGlobalOptions } from 'firebase-functions/v2';
import { MAX_INSTANCES } from './instances.js';
import { FUNCTIONS_REGION } from './params.js';

setGlobalOptions({ region: FUNCTIONS_REGION, maxInstances: MAX_INSTANCES.trigger });
