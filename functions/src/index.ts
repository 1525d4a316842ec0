/**
 * The deployed functions. Each export lives in its own wiring file under ./functions (trigger,
 * secrets, params); the handlers they call are plain async functions in the domain folders.
 */
import './core/options.js';

export { health } from './functions/health.js';
