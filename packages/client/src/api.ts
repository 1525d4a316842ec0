import { httpsCallable, type Functions } from 'firebase/functions';
import { API, type Api, type CallableContract, type CallableInput, type CallableOutput } from '@zhengrowth/model';
import { toApiError } from './errors.js';

/** One typed function per callable: `api.createCheckout(input)` → the contract's output, or an ApiError. */
export type ApiClient = {
  [K in keyof Api]: (input: CallableInput<Api[K]>) => Promise<CallableOutput<Api[K]>>;
};

export interface ApiClientOptions {
  /** How long a call may take before the SDK gives up (the web SDK's default is 70 s). */
  timeoutMs?: number;
}

function caller<C extends CallableContract>(functions: Functions, contract: C, options: ApiClientOptions) {
  const fn = httpsCallable<CallableInput<C>, CallableOutput<C>>(functions, contract.name, options.timeoutMs ? { timeout: options.timeoutMs } : undefined);
  return async (input: CallableInput<C>): Promise<CallableOutput<C>> => {
    try {
      return (await fn(input)).data;
    } catch (err) {
      throw toApiError(contract.name, err);
    }
  };
}

/**
 * The typed API over a Functions instance of the web SDK (`getFunctions(app, region)`, with
 * `connectFunctionsEmulator` locally). Inputs are validated by the server against the same
 * contract; a refusal is an ApiError with the HttpsError code and the server's message.
 */
export function createApiClient(functions: Functions, options: ApiClientOptions = {}): ApiClient {
  const entries = Object.entries(API).map(([name, contract]) => [name, caller(functions, contract, options)] as const);
  return Object.fromEntries(entries) as ApiClient;
}
