/**
 * The write governor. Against a real project Firestore wants traffic to a new collection to start at
 * 500 writes per second and grow by at most 50 % every 5 minutes ("500/50/5"); RESOURCE_EXHAUSTED
 * means slow down. The emulator has no such limit and runs unthrottled unless a rate is given.
 */

export interface Governor {
  /** Waits until `writes` more writes may be sent. */
  acquire(writes: number): Promise<void>;
  /** Firestore answered RESOURCE_EXHAUSTED: slow down. */
  exhausted(): void;
  /** Current allowed rate in writes per second (Infinity when unthrottled). */
  rate(): number;
  describe(): string;
}

export const RAMP_START = 500;
export const RAMP_FACTOR = 1.5;
export const RAMP_STEP_MS = 5 * 60_000;
const MIN_RATE = 20;

class Unthrottled implements Governor {
  async acquire(): Promise<void> {}
  exhausted(): void {}
  rate(): number {
    return Number.POSITIVE_INFINITY;
  }
  describe(): string {
    return 'unthrottled (emulator)';
  }
}

class RateGovernor implements Governor {
  private base: number;
  private since: number;
  private next = 0;

  constructor(
    start: number,
    private readonly ramp: boolean,
    private readonly cap: number,
    private readonly now: () => number = Date.now,
  ) {
    this.base = start;
    this.since = now();
  }

  rate(): number {
    if (!this.ramp) return Math.min(this.base, this.cap);
    const steps = Math.floor((this.now() - this.since) / RAMP_STEP_MS);
    return Math.min(this.cap, this.base * RAMP_FACTOR ** steps);
  }

  async acquire(writes: number): Promise<void> {
    const now = this.now();
    // A leaky bucket with one second of burst.
    const start = Math.max(this.next, now - 1000);
    this.next = start + (writes / this.rate()) * 1000;
    const wait = start - now;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  exhausted(): void {
    // Halve, and ramp again from there.
    this.base = Math.max(MIN_RATE, this.rate() / 2);
    this.since = this.now();
  }

  describe(): string {
    return this.ramp
      ? `500/50/5 ramp: ${Math.round(this.rate())} writes/s now, +50 % every 5 minutes${Number.isFinite(this.cap) ? ` up to ${this.cap}` : ''}, halved on RESOURCE_EXHAUSTED`
      : `at most ${this.cap} writes/s, halved on RESOURCE_EXHAUSTED`;
  }
}

export interface GovernorOptions {
  /** --max-ops-per-second */
  maxOpsPerSecond?: number;
  /** True when FIRESTORE_EMULATOR_HOST is set. */
  emulator: boolean;
}

export function makeGovernor(options: GovernorOptions, now?: () => number): Governor {
  if (options.maxOpsPerSecond !== undefined) return new RateGovernor(options.maxOpsPerSecond, false, options.maxOpsPerSecond, now);
  if (options.emulator) return new Unthrottled();
  return new RateGovernor(RAMP_START, true, Number.POSITIVE_INFINITY, now);
}

/** Seconds to write `docs` documents at the governor's schedule (ramp or fixed rate); null when unthrottled. */
export function estimateSeconds(docs: number, options: GovernorOptions): number | null {
  if (options.maxOpsPerSecond !== undefined) return docs / options.maxOpsPerSecond;
  if (options.emulator) return null;
  let left = docs;
  let seconds = 0;
  let rate = RAMP_START;
  const step = RAMP_STEP_MS / 1000;
  while (left > rate * step) {
    left -= rate * step;
    seconds += step;
    rate *= RAMP_FACTOR;
  }
  return seconds + left / rate;
}
