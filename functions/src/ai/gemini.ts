/**
 * Google's Gen AI SDK (@google/genai), the only file that imports it. The key comes from the
 * GEMINI_API_KEY secret, the model name and API base URL from parameters (tests point the base URL
 * at a local stand-in of the Gemini REST API). The SDK's own retries are off: a person is waiting,
 * and a failed call falls back to the cache at once.
 */
import type { GoogleGenAI } from '@google/genai';
import { ModelFailure, type LanguageModel, type StructuredRequest, type StructuredResponse } from './model.js';

/** The SDK is loaded on the first model call: the other functions of this codebase never pay its start-up. */
const sdk = () => import('@google/genai');

export interface GeminiConfig {
  apiKey: string;
  model: string;
  /** The API origin, e.g. https://generativelanguage.googleapis.com. */
  baseUrl: string;
}

function failureOf(err: unknown, ApiError: Awaited<ReturnType<typeof sdk>>['ApiError']): ModelFailure {
  if (err instanceof ModelFailure) return err;
  if (err instanceof ApiError) {
    if (err.status === 429) return new ModelFailure('rate_limited', 'http_429');
    return new ModelFailure('model_error', `http_${err.status}`);
  }
  const name = err instanceof Error ? err.name : '';
  if (name === 'AbortError' || name === 'TimeoutError') return new ModelFailure('timeout', 'timeout');
  return new ModelFailure('model_error', 'network');
}

export function geminiModel(config: GeminiConfig): LanguageModel {
  let client: GoogleGenAI | undefined;
  return {
    name: config.model,
    async generate(request: StructuredRequest): Promise<StructuredResponse> {
      const { ApiError, FinishReason, GoogleGenAI } = await sdk();
      client ??= new GoogleGenAI({ apiKey: config.apiKey, httpOptions: { baseUrl: config.baseUrl, retryOptions: { attempts: 1 } } });
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), request.timeoutMs);
      try {
        const res = await client.models.generateContent({
          model: config.model,
          contents: [{ role: 'user', parts: [{ text: request.data }] }],
          config: {
            systemInstruction: request.instructions,
            responseMimeType: 'application/json',
            responseJsonSchema: request.schema,
            temperature: 0.4,
            abortSignal: abort.signal,
            httpOptions: { timeout: request.timeoutMs },
          },
        });
        const usage = { tokensIn: res.usageMetadata?.promptTokenCount ?? null, tokensOut: res.usageMetadata?.candidatesTokenCount ?? null };
        const finish = res.candidates?.[0]?.finishReason;
        if (res.promptFeedback?.blockReason || finish === FinishReason.SAFETY || finish === FinishReason.PROHIBITED_CONTENT) {
          throw new ModelFailure('blocked', `blocked_${String(res.promptFeedback?.blockReason ?? finish).toLowerCase()}`, usage);
        }
        const text = res.text;
        if (!text) throw new ModelFailure('invalid_answer', finish === FinishReason.MAX_TOKENS ? 'truncated' : 'empty', usage);
        return { text, ...usage, model: res.modelVersion ?? config.model };
      } catch (err) {
        throw failureOf(err, ApiError);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
