/** Options every function shares: its region (a param) and an instance cap unless it sets its own. */
import { setGlobalOptions } from 'firebase-functions/v2';
import { FUNCTIONS_REGION } from './params.js';

setGlobalOptions({ region: FUNCTIONS_REGION, maxInstances: 20 });
