/**
 * The functions' logs as they happen, one line each, from the Emulator Suite's logging emulator:
 * a websocket that sends every log entry of firebase-tools as JSON, with the function's name and
 * the function's own structured entry (firebase-functions/logger) already parsed. firebase-tools'
 * console output lacks the function name, which is why npm start reads this stream instead.
 */

/** One entry of the logging emulator's stream (the fields read here). */
export interface LogBundle {
  level?: string;
  timestamp?: number;
  message?: string;
  data?: {
    metadata?: { emulator?: { name?: string }; function?: { name?: string } };
    /** The function's own structured log entry, when its line was JSON. */
    user?: unknown;
  };
}

const LEVELS: Readonly<Record<string, string>> = {
  DEFAULT: 'INFO',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  NOTICE: 'INFO',
  WARNING: 'WARN',
  ERROR: 'ERROR',
  CRITICAL: 'ERROR',
  ALERT: 'ERROR',
  EMERGENCY: 'ERROR',
};

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * The terminal line for one bundle, or null for what is not a function's log (other emulators,
 * the functions emulator's routine "Beginning execution"/"Finished" notes). Kept: everything a
 * function logged, and the functions emulator's warnings and errors (a crashed worker, a timeout).
 */
export function formatFunctionLog(bundle: LogBundle, maxLength = 400): string | null {
  const meta = bundle.data?.metadata;
  if (meta?.emulator?.name !== 'functions') return null;
  // "us-central1-createCheckout" → "createCheckout".
  const fn = (meta.function?.name ?? 'functions').replace(/^[a-z]+-[a-z]+\d+-/, '');
  const time = new Date(bundle.timestamp ?? Date.now()).toTimeString().slice(0, 8);
  const user = bundle.data?.user;
  if (user && typeof user === 'object' && !Array.isArray(user)) {
    const { severity, message, ...fields } = user as Record<string, unknown>;
    const named = typeof severity === 'string' ? severity.toUpperCase() : 'INFO';
    const level = LEVELS[named] ?? named;
    const extra = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    return `${time} ${level.padEnd(5)} ${fn}: ${oneLine(`${typeof message === 'string' ? message : JSON.stringify(message ?? '')}${extra}`, maxLength)}`;
  }
  const text = (bundle.message ?? '').replace(/^>\s*/, '');
  const isUserText = /^>/.test(bundle.message ?? '');
  const level = (bundle.level ?? 'info').toLowerCase();
  if (!isUserText && level !== 'warn' && level !== 'error') return null;
  const shown = level === 'warn' ? 'WARN' : level === 'error' ? 'ERROR' : 'INFO';
  return `${time} ${shown.padEnd(5)} ${fn}: ${oneLine(text, maxLength)}`;
}

export interface LogFollower {
  stop(): void;
}

/**
 * Follows the logging emulator at host:port and hands each function log line (entries from
 * `since` on: the stream first replays its history) to `print`. Needs Node 22's WebSocket; on an
 * older Node it says so once through `print` and follows nothing.
 */
export function followFunctionLogs(loggingHost: string, print: (line: string) => void, since = Date.now()): LogFollower {
  if (typeof WebSocket !== 'function') {
    print('(function logs are not streamed here: this Node has no WebSocket; run through npm, which uses Node 22)');
    return { stop: () => undefined };
  }
  const ws = new WebSocket(`ws://${loggingHost}`);
  ws.addEventListener('message', (event: MessageEvent) => {
    let bundle: LogBundle;
    try {
      bundle = JSON.parse(String(event.data)) as LogBundle;
    } catch {
      return;
    }
    if ((bundle.timestamp ?? since) < since) return;
    const line = formatFunctionLog(bundle);
    if (line !== null) print(line);
  });
  // The stream ends with the emulators; nothing to report.
  ws.addEventListener('error', () => undefined);
  return { stop: () => ws.close() };
}
