// `benchBaseline`: a callable that answers at once, the baseline `npm run bench:callables` compares
// ensureProfile and health with. A codebase of the benchmark's own emulator run (startEmulators'
// extraCodebases), so our deployed entry exports nothing for it.
import { onCall } from 'firebase-functions/v2/https';

export const benchBaseline = onCall({ cors: true }, () => ({ ok: true }));
