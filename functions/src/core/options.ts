/**
 * Options every function shares: its region (a param), 256 MiB unless it asks for more (a cold load
 * is ~90–130 MB resident: bench:coldstart), and the triggers' instance cap (core/instances.ts; the
 * other kinds set their own).
 */
import { setGlobalOptions } from 'firebase-functions/v2/options';
import { MAX_INSTANCES } from './instances.js';
import { FUNCTIONS_REGION } from './params.js';

setGlobalOptions({ region: FUNCTIONS_REGION, memory: '256MiB', maxInstances: MAX_INSTANCES.trigger });
