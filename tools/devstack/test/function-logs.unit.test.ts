/** The lines npm start prints for the logging emulator's entries. */
import { describe, expect, it } from 'vitest';
import { formatFunctionLog, type LogBundle } from '../src/function-logs.js';

const at = Date.UTC(2026, 10, 30, 9, 15, 2);
const fn = (name: string) => ({ emulator: { name: 'functions' }, function: { name } });
const time = new Date(at).toTimeString().slice(0, 8);

describe('function log lines', () => {
  it('a structured entry: time, level, function name, message and fields on one line', () => {
    const bundle: LogBundle = {
      level: 'info',
      timestamp: at,
      message: '>  {"severity":"WARNING",...}',
      data: {
        metadata: fn('us-central1-createCheckout'),
        user: { severity: 'WARNING', message: 'checkout provider call failed;\nreleasing the order', order_id: 'o1', provider: 'stripe' },
      },
    };
    expect(formatFunctionLog(bundle)).toBe(
      `${time} WARN  createCheckout: checkout provider call failed; ⏎ releasing the order {"order_id":"o1","provider":"stripe"}`,
    );
    expect(formatFunctionLog({ ...bundle, data: { ...bundle.data, user: { severity: 'ERROR', message: 'boom' } } })).toBe(`${time} ERROR createCheckout: boom`);
    expect(formatFunctionLog({ ...bundle, data: { ...bundle.data, user: { message: 'plain' } } })).toBe(`${time} INFO  createCheckout: plain`);
  });

  it('a plain console line of a function, and the emulator’s own warnings; not its routine notes nor other emulators', () => {
    expect(formatFunctionLog({ level: 'info', timestamp: at, message: '>  hello there', data: { metadata: fn('us-central1-health') } })).toBe(
      `${time} INFO  health: hello there`,
    );
    expect(
      formatFunctionLog({ level: 'warn', timestamp: at, message: 'Your function timed out after ~60s.', data: { metadata: fn('us-central1-calWebhook') } }),
    ).toBe(`${time} WARN  calWebhook: Your function timed out after ~60s.`);
    expect(
      formatFunctionLog({ level: 'info', timestamp: at, message: 'Beginning execution of "us-central1-health"', data: { metadata: fn('us-central1-health') } }),
    ).toBeNull();
    expect(formatFunctionLog({ level: 'warn', timestamp: at, message: 'rules issue', data: { metadata: { emulator: { name: 'firestore' } } } })).toBeNull();
  });

  it('cuts a long entry', () => {
    const line = formatFunctionLog({ timestamp: at, data: { metadata: fn('us-central1-health'), user: { severity: 'INFO', message: 'x'.repeat(1000) } } }, 100);
    expect(line?.length).toBeLessThan(140);
    expect(line?.endsWith('…')).toBe(true);
  });
});
