/**
 * docs/functions.md and docs/configuration.md, generated from the code: the deployed exports (each
 * function's endpoint, as `firebase deploy` reads it), the callable contracts of the model, what
 * each callable was wired with (rate limits), the wiring files' doc comments, and every parameter
 * and secret the functions declare. `npm run docs:functions` writes them; a test fails when stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FUNCTIONS_DOC = path.join(REPO, 'docs', 'functions.md');
export const CONFIGURATION_DOC = path.join(REPO, 'docs', 'configuration.md');

interface Endpoint {
  platform?: string;
  availableMemoryMb?: unknown;
  timeoutSeconds?: unknown;
  maxInstances?: unknown;
  labels?: Record<string, string>;
  secretEnvironmentVariables?: Array<{ key: string }>;
  callableTrigger?: object;
  httpsTrigger?: object;
  eventTrigger?: { eventType: string; eventFilterPathPatterns?: Record<string, string>; retry?: boolean };
  scheduleTrigger?: { schedule: string; timeZone?: string; retryConfig?: { retryCount?: number } };
}

interface Limit {
  max: number;
  per_seconds: number;
}
interface Loaded {
  exports: Record<string, unknown>;
  contracts: Record<string, { access: string; description: string; input: z.ZodType; output: z.ZodType }>;
  wiring: (fn: unknown) => { rateLimit?: { ip?: Limit; uid?: Limit } } | undefined;
  params: Array<{ name: string; constructor: { name: string }; options?: { default?: unknown; description?: string } }>;
  rules: Record<string, { rule: string }>;
}

/** Loads the functions as the deploy does (every export) and what describes them. */
export async function loadFunctions(): Promise<Loaded> {
  process.env.GCLOUD_PROJECT ??= 'demo-zhengrowth';
  const exports = (await import('@zhengrowth/functions')) as Record<string, unknown>;
  const { callableWiring } = await import('@zhengrowth/functions/wiring');
  const { API } = await import('@zhengrowth/model');
  const { declaredParams } = (await import('firebase-functions/params')) as unknown as { declaredParams: Loaded['params'] };
  const { PARAM_RULES } = await import('@zhengrowth/functions/param-rules');
  return { exports, contracts: API as unknown as Loaded['contracts'], wiring: callableWiring, params: declaredParams, rules: PARAM_RULES };
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/** The wiring file's doc comment, without its "`name`:" lead. */
function wiringComment(name: string): string {
  const file = path.join(REPO, 'functions', 'src', 'functions', `${name}.ts`);
  const src = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const m = new RegExp(`/\\*\\*([\\s\\S]*?)\\*/\\s*export const ${name}\\b`).exec(src);
  const text = (m?.[1] ?? '')
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, ''))
    .join(' ');
  return cell(text.replace(new RegExp(`^\\s*\`${name}\`\\s*(\\([^)]*\\))?\\s*:\\s*`), ''));
}

function kindOf(ep: Endpoint): string {
  if (ep.callableTrigger) return 'callable';
  if (ep.httpsTrigger) return 'HTTPS';
  if (ep.scheduleTrigger) return 'schedule';
  const t = ep.eventTrigger?.eventType ?? '';
  if (t.includes('firestore')) return 'Firestore trigger';
  if (t.includes('auth')) return 'Auth trigger';
  return t || 'unknown';
}

function triggerOf(ep: Endpoint): string {
  if (ep.scheduleTrigger) {
    const s = ep.scheduleTrigger;
    return `${s.schedule} (${s.timeZone ?? 'no time zone'}; retries ${s.retryConfig?.retryCount ?? 'default'})`;
  }
  if (ep.eventTrigger) {
    const e = ep.eventTrigger;
    const doc = e.eventFilterPathPatterns?.document;
    const what = e.eventType.split('.').at(-1)?.split('/').at(-1) ?? e.eventType;
    return `${doc ? `\`${doc}\` ` : ''}${what}; retry ${e.retry ? 'on' : 'off'}`;
  }
  return '';
}

/** "a, b?, c" — the top-level fields of an object schema, or the schema's kind. */
function fieldsOf(schema: z.ZodType): string {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) return `(${(schema as unknown as { def?: { type?: string } }).def?.type ?? 'value'})`;
  const keys = Object.entries(shape).map(([k, v]) => (v.safeParse(undefined).success ? `${k}?` : k));
  return keys.length ? keys.join(', ') : '(nothing)';
}

const limitText = (l?: Limit): string => (l ? `${l.max}/${l.per_seconds >= 3600 ? `${l.per_seconds / 3600} h` : `${l.per_seconds} s`}` : '');

export function renderFunctionsDoc(loaded: Loaded): string {
  const rows = Object.entries(loaded.exports)
    .filter(([, v]) => typeof v === 'function' && '__endpoint' in (v as object))
    .map(([name, fn]) => ({ name, fn, ep: (fn as { __endpoint: Endpoint }).__endpoint }))
    .sort((a, b) => kindOf(a.ep).localeCompare(kindOf(b.ep)) || a.name.localeCompare(b.name));
  const out: string[] = [
    '# Functions reference',
    '',
    '<!-- Generated by `npm run docs:functions` from the exports of functions/src/index.ts, the model',
    '     contracts and the wiring files; a test fails when it is stale. Do not edit by hand. -->',
    '',
    `${rows.length} functions, each deployed as its own service. Callables are called through`,
    '`@zhengrowth/client`; access is enforced by the callable frame before the input is read',
    '([architecture.md](architecture.md)). Memory in MiB (256 unless a function asks for more); limits per caller are',
    '"calls / window", overridable per callable with the `RATE_LIMITS` param ([configuration.md](configuration.md)).',
    '"App Check": the callable refuses a call without a valid App Check token once `APP_CHECK_ENFORCE` is',
    '"true"; its access and App Check setting are labels of its deployed service (`access`, `app-check`).',
    '',
    '## Callables',
    '',
    '| Callable | Access | Takes | Rate limit (IP · user) | Memory · timeout · max instances | What it does |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  // A number, or null / firebase-functions' ResetValue (an object) for the platform's default.
  const shown = (v: unknown, unit = ''): string => (typeof v === 'number' ? `${v}${unit}` : 'default');
  const res = (ep: Endpoint): string => `${shown(ep.availableMemoryMb)} · ${shown(ep.timeoutSeconds, ' s')} · ${shown(ep.maxInstances)}`;
  for (const { name, fn, ep } of rows.filter((r) => kindOf(r.ep) === 'callable')) {
    const c = loaded.contracts[name];
    const rl = loaded.wiring(fn)?.rateLimit;
    const limits = rl ? `${limitText(rl.ip) || '—'} · ${limitText(rl.uid) || '—'}` : '—';
    out.push(
      `| \`${name}\` | ${c?.access ?? '?'}${ep.labels?.['app-check'] === 'required' ? ' · App Check' : ''} | ${c ? cell(fieldsOf(c.input)) : ''} | ${limits} | ${res(ep)} | ${cell(c?.description ?? wiringComment(name))} |`,
    );
  }
  out.push(
    '',
    '## Webhooks, triggers and schedules',
    '',
    '| Function | Kind | Trigger | Secrets | Memory · timeout · max instances | What it does |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const { name, ep } of rows.filter((r) => kindOf(r.ep) !== 'callable')) {
    const secrets = (ep.secretEnvironmentVariables ?? []).map((s) => `\`${s.key}\``).join(', ') || '—';
    out.push(`| \`${name}\` | ${kindOf(ep)} | ${cell(triggerOf(ep)) || '—'} | ${secrets} | ${res(ep)} | ${wiringComment(name)} |`);
  }
  return `${out.join('\n')}\n`;
}

export function renderConfigurationDoc(loaded: Loaded): string {
  const users = new Map<string, string[]>();
  for (const [name, fn] of Object.entries(loaded.exports)) {
    const ep = (fn as { __endpoint?: Endpoint } | undefined)?.__endpoint;
    for (const s of ep?.secretEnvironmentVariables ?? []) users.set(s.key, [...(users.get(s.key) ?? []), name]);
  }
  const kinds: Record<string, string> = {
    SecretParam: 'secret',
    StringParam: 'string',
    IntParam: 'integer',
    FloatParam: 'number',
    BooleanParam: 'boolean',
    ListParam: 'list',
  };
  const params = [...new Map(loaded.params.map((p) => [p.name, p])).values()].sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [
    '# Configuration: parameters and secrets',
    '',
    '<!-- Generated by `npm run docs:functions` from the params the functions declare; a test fails',
    '     when it is stale. Do not edit by hand. -->',
    '',
    '`firebase deploy` asks for every parameter without a default and stores the answers in',
    '`functions/.env.<project>`; secrets live in Secret Manager (`firebase functions:secrets:set NAME`).',
    'Locally, `npm start` and the tests read fake secrets from `functions/.secret.local` (copied from',
    '`functions/.secret.local.example`).',
    '',
    'Every parameter keeps a rule (`functions/src/core/param-rules.ts`). `firebase deploy` checks the',
    'values in `functions/.env` and `functions/.env.<project>` first (`npm run params:check`, a predeploy',
    'step), and each instance checks its values again when it starts: a bad value stops either with the',
    "parameter's name and its rule, never a silent default.",
    '',
    '| Name | Kind | Default | Rule | Read by | What it is |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const p of params) {
    const kind = kinds[p.constructor.name] ?? p.constructor.name;
    const def = p.options?.default;
    const shownDefault =
      kind === 'secret'
        ? '—'
        : def === undefined
          ? '(none: asked at deploy)'
          : def === ''
            ? '(empty)'
            : `\`${cell(typeof def === 'string' ? def : JSON.stringify(def))}\``;
    const readers = users.get(p.name);
    const readBy = readers
      ? [...readers]
          .sort()
          .map((r) => `\`${r}\``)
          .join(', ')
      : '—';
    const rule = kind === 'secret' ? '—' : cell(loaded.rules[p.name]?.rule ?? '(none)');
    out.push(`| \`${p.name}\` | ${kind} | ${shownDefault} | ${rule} | ${readBy} | ${cell(p.options?.description ?? '')} |`);
  }
  return `${out.join('\n')}\n`;
}
