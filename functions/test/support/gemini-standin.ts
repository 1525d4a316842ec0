/**
 * A stand-in for the Gemini REST API (`POST /{version}/models/{model}:generateContent`, key in
 * x-goog-api-key), answering as Gemini does: a candidate whose text is the JSON answer, with usage
 * metadata. Tests queue what it answers next: a valid answer, text that is not JSON, an HTTP error
 * (429, 500), or a slow answer past the caller's timeout.
 */
import { standIn, type Recorded, type Reply, type StandIn } from './standin.js';

export type GeminiReply = { answer: unknown } | { text: string } | { status: number } | { slowMs: number; answer: unknown };

export interface GeminiCall {
  model: string;
  apiKey: string | undefined;
  instructions: string;
  data: string;
  schema: unknown;
  mimeType: unknown;
}

export interface GeminiStandIn extends StandIn {
  /** Answers for the next calls, in order; then `fallback`. */
  queue: GeminiReply[];
  fallback: GeminiReply;
  calls(): GeminiCall[];
}

export const TOKENS = { in: 321, out: 54 };

function replyFor(r: GeminiReply, model: string): Reply {
  if ('status' in r)
    return { status: r.status, body: { error: { code: r.status, message: 'stand-in failure', status: r.status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL' } } };
  const text = 'text' in r ? r.text : JSON.stringify(r.answer);
  return {
    status: 200,
    delayMs: 'slowMs' in r ? r.slowMs : 0,
    body: {
      candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: TOKENS.in, candidatesTokenCount: TOKENS.out, totalTokenCount: TOKENS.in + TOKENS.out },
      modelVersion: model,
    },
  };
}

interface GenerateBody {
  contents?: Array<{ parts?: Array<{ text?: string }> }>;
  systemInstruction?: { parts?: Array<{ text?: string }> };
  generationConfig?: { responseJsonSchema?: unknown; responseMimeType?: unknown };
}

function callOf(r: Recorded): GeminiCall {
  const body = (r.json ?? {}) as GenerateBody;
  return {
    model: /\/models\/([^:]+):generateContent$/.exec(r.path)?.[1] ?? '',
    apiKey: r.headers['x-goog-api-key'] as string | undefined,
    instructions: (body.systemInstruction?.parts ?? []).map((p) => p.text ?? '').join(''),
    data: (body.contents ?? [])
      .flatMap((c) => c.parts ?? [])
      .map((p) => p.text ?? '')
      .join(''),
    schema: body.generationConfig?.responseJsonSchema,
    mimeType: body.generationConfig?.responseMimeType,
  };
}

export async function geminiStandIn(): Promise<GeminiStandIn> {
  const control: Pick<GeminiStandIn, 'queue' | 'fallback'> = { queue: [], fallback: { status: 500 } };
  const server = await standIn((r) => {
    const m = /\/models\/([^:]+):generateContent$/.exec(r.path);
    if (r.method !== 'POST' || !m?.[1]) return { status: 404, body: { error: { code: 404, message: 'no such route' } } };
    return replyFor(control.queue.shift() ?? control.fallback, m[1]);
  });
  const g = server as GeminiStandIn;
  g.queue = control.queue;
  Object.defineProperty(g, 'fallback', { get: () => control.fallback, set: (f: GeminiReply) => (control.fallback = f) });
  g.calls = () => server.requests.map(callOf);
  return g;
}

/** The JSON the data block carries (between the <user_data> markers). */
export function dataOf(call: GeminiCall): unknown {
  const m = /<user_data>\n([\s\S]*)\n<\/user_data>/.exec(call.data);
  if (!m?.[1]) throw new Error('no <user_data> block in the request');
  return JSON.parse(m[1]);
}
