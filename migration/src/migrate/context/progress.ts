/**
 * Progress of long work: one bar per unit (rows, rows/s, ETA) on a terminal, periodic plain lines
 * otherwise (CI logs, pipes). Both go to stderr; summaries go to stdout.
 */
import cliProgress from 'cli-progress';

export interface ProgressTask {
  add(rows: number): void;
  finish(): void;
}

export interface Progress {
  task(phase: string, unit: string, total: number, startAt?: number): ProgressTask;
  /** A line that must not be torn by the bars. */
  log(line: string): void;
  stop(): void;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en');

function eta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

class BarProgress implements Progress {
  private readonly bars = new cliProgress.MultiBar(
    {
      format: '{phase} {unit} |{bar}| {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 24,
      fps: 5,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );

  task(phase: string, unit: string, total: number, startAt = 0): ProgressTask {
    const started = Date.now();
    let value = startAt;
    const bar = this.bars.create(Math.max(total, 1), startAt, { phase: phase.padEnd(10), unit: unit.padEnd(24), rate: '0' });
    return {
      add: (rows) => {
        value += rows;
        const secs = (Date.now() - started) / 1000;
        bar.update(value, { rate: fmt(secs > 0 ? (value - startAt) / secs : 0) });
      },
      finish: () => {
        bar.update(Math.max(total, 1));
        bar.stop();
      },
    };
  }

  log(line: string): void {
    this.bars.log(`${line}\n`);
  }

  stop(): void {
    this.bars.stop();
  }
}

interface LineTask {
  phase: string;
  unit: string;
  total: number;
  value: number;
  startAt: number;
  started: number;
  finished: boolean;
}

class LineProgress implements Progress {
  private readonly tasks = new Set<LineTask>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly write: (line: string) => void,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.report(), intervalMs);
    this.timer.unref();
  }

  private line(t: LineTask): string {
    const secs = (Date.now() - t.started) / 1000;
    const rate = secs > 0 ? (t.value - t.startAt) / secs : 0;
    const left = rate > 0 ? (t.total - t.value) / rate : Number.POSITIVE_INFINITY;
    return `[${t.phase}] ${t.unit}: ${fmt(t.value)}/${fmt(t.total)} rows, ${fmt(rate)} rows/s, ETA ${eta(left)}`;
  }

  private report(): void {
    for (const t of this.tasks) if (!t.finished) this.write(this.line(t));
  }

  task(phase: string, unit: string, total: number, startAt = 0): ProgressTask {
    const t: LineTask = { phase, unit, total, value: startAt, startAt, started: Date.now(), finished: false };
    this.tasks.add(t);
    return {
      add: (rows) => {
        t.value += rows;
      },
      finish: () => {
        t.finished = true;
        this.tasks.delete(t);
        const secs = (Date.now() - t.started) / 1000;
        this.write(`[${phase}] ${unit}: done, ${fmt(t.value - t.startAt)} rows in ${secs.toFixed(1)} s`);
      },
    };
  }

  log(line: string): void {
    this.write(line);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export function makeProgress(options: { tty: boolean; write: (line: string) => void; intervalMs?: number }): Progress {
  return options.tty ? new BarProgress() : new LineProgress(options.write, options.intervalMs ?? 5000);
}

/** For library callers that want no output. */
export const silentProgress: Progress = {
  task: () => ({ add: () => undefined, finish: () => undefined }),
  log: () => undefined,
  stop: () => undefined,
};
