/**
 * What the AI features need from a language model, independent of the provider: one structured
 * call (instructions, the user's data, the JSON schema of the answer) and its usage. The provider's
 * SDK lives behind this in one file (gemini.ts); a change of provider or SDK touches that file only.
 */
import type { AiOutcome } from '@zhengrowth/model';

export interface StructuredRequest {
  /** What the model is told to do: our text only, never a user's. */
  instructions: string;
  /** The user's data, one block of JSON, sent as the user turn (data, not instructions). */
  data: string;
  /** JSON Schema the answer must follow (sent to the model as its response schema). */
  schema: Record<string, unknown>;
  /** The call is abandoned after this many milliseconds. */
  timeoutMs: number;
}

export interface StructuredResponse {
  /** The answer's text (JSON, if the model kept to the schema). */
  text: string;
  tokensIn: number | null;
  tokensOut: number | null;
  /** The model that answered (the provider's version name when it says one). */
  model: string;
}

export interface LanguageModel {
  /** The configured model name (logged with every call). */
  readonly name: string;
  generate(request: StructuredRequest): Promise<StructuredResponse>;
}

/** How a call failed, as an outcome of ai_logs and a short code (never the provider's message, which may quote data). */
export class ModelFailure extends Error {
  constructor(
    readonly outcome: Exclude<AiOutcome, 'ok' | 'quota_exceeded'>,
    readonly code: string,
    readonly usage: { tokensIn: number | null; tokensOut: number | null } = { tokensIn: null, tokensOut: null },
  ) {
    super(`model call failed: ${outcome} (${code})`);
    this.name = 'ModelFailure';
  }
}
