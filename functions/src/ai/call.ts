/**
 * One model call with every safeguard: the per-user daily quota, the user's data passed as data,
 * the answer's JSON schema sent to the model and the answer parsed with zod (plus any check of the
 * caller's) before anyone sees it, and one ai_logs document per call (model, tokens, duration,
 * outcome, error code, ids only: never the prompt or the answer).
 */
import { Timestamp } from 'firebase-admin/firestore';
import { HttpsError } from 'firebase-functions/v2/https';
import { logger } from 'firebase-functions/logger';
import { z } from 'zod';
import { aiLogs, type AiOutcome, type JsonValue } from '@zhengrowth/model';
import { setDoc } from '../core/firestore.js';
import { expiresAfter } from '../core/retention.js';
import { enforceRateLimit } from '../core/rate-limit.js';
import type { AiDeps } from './deps.js';
import { ModelFailure } from './model.js';

export interface ModelCall<S extends z.ZodType> {
  /** Whose quota it uses (the caller). */
  uid: string;
  /** ai_logs.mode, e.g. `suggestions.goals`. */
  mode: string;
  /** The callable, ai_logs.route. */
  route: string;
  instructions: string;
  /** The caller's own data; serialised here as one JSON block. */
  data: JsonValue;
  answer: S;
  /** A check zod cannot express (a length limit per platform, the answer's language): the reason it fails, or null. */
  check?: (value: z.output<S>) => string | null;
  /** Ids and labels for the log (kind, language, subject ids): never personal data. */
  metadata: { [key: string]: JsonValue };
}

/** The model did not give a usable answer (or the quota is spent): the caller falls back to the cache or says `unavailable`. */
export class AiUnavailable extends Error {
  constructor(
    readonly outcome: Exclude<AiOutcome, 'ok'>,
    readonly retryAfterSeconds?: number,
  ) {
    super(`AI answer unavailable: ${outcome}`);
    this.name = 'AiUnavailable';
  }
}

const AI_QUOTA_SCOPE = 'ai-model-calls';
const DAY_SECONDS = 86_400;

const schemas = new WeakMap<z.ZodType, Record<string, unknown>>();
/** The JSON Schema the model is asked to follow, made from the same zod schema the answer is parsed with. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let out = schemas.get(schema);
  if (!out) {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'output' });
    out = rest;
    schemas.set(schema, out);
  }
  return out;
}

/**
 * The user's data as the model sees it: a JSON document inside a marked block. JSON.stringify
 * escapes quotes and line breaks, and '<' is escaped too, so no text in the data can close the
 * block or pose as our instructions.
 */
export function dataBlock(data: JsonValue): string {
  return `<user_data>\n${JSON.stringify(data).replace(/</g, '\\u003c')}\n</user_data>`;
}

async function spendQuota(deps: AiDeps, uid: string): Promise<void> {
  try {
    await enforceRateLimit(deps.db, deps.now(), AI_QUOTA_SCOPE, { uid }, { uid: { max: deps.ai.dailyQuota, per_seconds: DAY_SECONDS } });
  } catch (err) {
    if (err instanceof HttpsError && err.code === 'resource-exhausted') {
      const details = err.details as { retry_after_seconds?: number } | undefined;
      throw new AiUnavailable('quota_exceeded', details?.retry_after_seconds);
    }
    throw err;
  }
}

interface LogEntry {
  outcome: AiOutcome;
  error: string | null;
  model: string | null;
  tokensIn: number | null;
  tokensOut: number | null;
  durationMs: number | null;
}

async function logCall(deps: AiDeps, call: ModelCall<z.ZodType>, e: LogEntry): Promise<void> {
  const tokens = e.tokensIn === null && e.tokensOut === null ? null : (e.tokensIn ?? 0) + (e.tokensOut ?? 0);
  const now = deps.now();
  await setDoc(deps.db.collection(aiLogs.collectionPath({})).withConverter(aiLogs.converter).doc(), {
    mode: call.mode,
    route: call.route,
    prompt: null,
    response: null,
    model: e.model,
    tokens_used: tokens,
    duration_ms: e.durationMs,
    error: e.error,
    metadata: call.metadata,
    at: Timestamp.fromDate(now),
    user_id: call.uid,
    tokens_in: e.tokensIn,
    tokens_out: e.tokensOut,
    outcome: e.outcome,
    expires_at: expiresAfter(now, deps.ai.logRetentionDays),
  });
  if (e.outcome !== 'ok') logger.warn('AI call without a usable answer', { mode: call.mode, outcome: e.outcome, error: e.error, uid: call.uid });
}

/** Why a parsed answer is refused: the first zod issue's path (no values), or the caller's check. */
function refusal<S extends z.ZodType>(call: ModelCall<S>, text: string): { value: z.output<S> } | { reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { reason: 'json' };
  }
  const res = call.answer.safeParse(parsed);
  if (!res.success) return { reason: `schema: ${res.error.issues[0]?.path.join('.') || '(answer)'}` };
  const checked = call.check?.(res.data) ?? null;
  return checked ? { reason: checked } : { value: res.data };
}

/** Calls the model for `call`; resolves with a valid answer (and the model that gave it) or throws AiUnavailable (logged either way). */
export async function callModel<S extends z.ZodType>(deps: AiDeps, call: ModelCall<S>): Promise<{ value: z.output<S>; model: string }> {
  try {
    await spendQuota(deps, call.uid);
  } catch (err) {
    if (err instanceof AiUnavailable)
      await logCall(deps, call, { outcome: 'quota_exceeded', error: 'quota', model: null, tokensIn: null, tokensOut: null, durationMs: null });
    throw err;
  }
  const model = deps.model();
  const started = Date.now();
  try {
    const res = await model.generate({
      instructions: call.instructions,
      data: dataBlock(call.data),
      schema: jsonSchemaOf(call.answer),
      timeoutMs: deps.ai.timeoutMs,
    });
    const durationMs = Date.now() - started;
    const usage = { model: res.model, tokensIn: res.tokensIn, tokensOut: res.tokensOut, durationMs };
    const verdict = refusal(call, res.text);
    if ('reason' in verdict) {
      await logCall(deps, call, { outcome: 'invalid_answer', error: verdict.reason, ...usage });
      throw new AiUnavailable('invalid_answer');
    }
    await logCall(deps, call, { outcome: 'ok', error: null, ...usage });
    return { value: verdict.value, model: res.model };
  } catch (err) {
    if (!(err instanceof ModelFailure)) throw err;
    await logCall(deps, call, { outcome: err.outcome, error: err.code, model: model.name, ...err.usage, durationMs: Date.now() - started });
    throw new AiUnavailable(err.outcome);
  }
}
