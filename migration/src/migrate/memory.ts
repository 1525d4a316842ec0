/**
 * Keeps the process's memory flat. What the migration holds at any time is bounded (a page of rows
 * per reader, the batches in flight), but V8 lets garbage pile up in the old generation until a
 * limit that grows with the machine's RAM, so RSS would climb to several hundred MB on a long run.
 * When the heap grows past a threshold, at most once a second, a full collection brings it back to
 * what is live. The collector is reached through V8's own --expose-gc flag, set at run time; where
 * that is not possible nothing happens (V8's own schedule then applies).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn: unknown = vm.runInNewContext('gc');
    collect = typeof fn === 'function' ? (fn as () => void) : null;
  } catch {
    collect = null;
  }
  return collect;
}

export class MemoryKeeper {
  private last = 0;

  constructor(
    private readonly thresholdBytes = Number(process.env.ZG_MIGRATE_GC_MB ?? 192) * 1024 * 1024,
    private readonly intervalMs = 2000,
  ) {}

  /** Call between pages; cheap when there is nothing to do. */
  check(): void {
    const now = Date.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    if (process.memoryUsage().heapTotal < this.thresholdBytes) return;
    collector()?.();
  }
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
