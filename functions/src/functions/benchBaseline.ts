import { onCall } from 'firebase-functions/v2/https';

/**
 * `benchBaseline`: a callable that answers at once, the baseline `npm run bench:callables` compares
 * ensureProfile and health with. Only the benchmark's emulator sets ZG_BENCHMARK_BASELINE=1; without
 * it this export is undefined, which the Functions runtime skips: it is never deployed nor served.
 */
export const benchBaseline = process.env.ZG_BENCHMARK_BASELINE === '1' ? onCall({ cors: true }, () => ({ ok: true })) : undefined;
