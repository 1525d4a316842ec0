/**
 * Sends the pre-flight's encoded writes (wire.ts) to Firestore's Commit method over gRPC, as they
 * are. The request is what the SDK's WriteBatch.commit() sends — the same method, the same
 * `google-cloud-resource-prefix` and routing headers, `Bearer owner` against the emulator (which
 * then applies no security rules, as for the Admin SDK) and OAuth2 access tokens of the
 * firebase-admin credential (Application Default Credentials) over TLS against a real project —
 * without re-encoding every document in the write pass. Errors come back as gRPC status codes,
 * which the writer retries or reports (writer.ts).
 *
 * Access tokens are kept until a minute before they expire and fetched again then, so a long run
 * renews them as it goes; a token the server refuses (UNAUTHENTICATED) is dropped and the commit
 * tried once more with a fresh one, and a second refusal stops the run with what to check.
 */
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { commitHead, commitRequest, databaseName } from '../codecs/wire.js';

const COMMIT = '/google.firestore.v1.Firestore/Commit';
const PRODUCTION_HOST = 'firestore.googleapis.com:443';
/** A commit not answered by then fails with DEADLINE_EXCEEDED, which is retried. */
const DEADLINE_MS = 120_000;
/** A token is renewed this long before it expires. */
const RENEW_BEFORE_MS = 60_000;

export interface CommitChannel {
  /** `projects/{project}/databases/(default)`. */
  readonly database: string;
  /** Commits the writes (as encoded by WriteEncoder) atomically. */
  commit(writes: readonly Buffer[]): Promise<void>;
  close(): void;
}

/** What firebase-admin's credentials give (app.options.credential). */
export interface TokenSource {
  getAccessToken(): Promise<{ access_token: string; expires_in: number }>;
}

export interface ChannelOptions {
  projectId: string;
  /** host:port of the Firestore emulator (FIRESTORE_EMULATOR_HOST); unset: the real Firestore. */
  emulatorHost?: string;
  /** The credential whose access tokens authorize commits to the real Firestore. */
  credential?: TokenSource;
  /** Where the real Firestore is (default firestore.googleapis.com:443, the system's root certificates). */
  endpoint?: { host: string; rootCerts?: Buffer };
}

/** Firestore does not accept the credentials: the run stops here (its checkpoints are saved). */
export class CredentialsRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsRefused';
  }
}

/** Access tokens of a credential, kept until shortly before they expire. */
class Tokens {
  private current: { token: string; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(private readonly source: TokenSource) {}

  get(): Promise<string> {
    if (this.current && Date.now() < this.current.renewAt) return Promise.resolve(this.current.token);
    this.pending ??= this.source.getAccessToken().then(
      (t) => {
        this.current = { token: t.access_token, renewAt: Date.now() + t.expires_in * 1000 - RENEW_BEFORE_MS };
        this.pending = null;
        return t.access_token;
      },
      (err: unknown) => {
        this.pending = null;
        throw err;
      },
    );
    return this.pending;
  }

  /** The server refused this token: the next commit asks for a new one. */
  drop(token: string): void {
    if (this.current?.token === token) this.current = null;
  }
}

function refusal(err: ServiceError, projectId: string): CredentialsRefused {
  const what =
    err.code === status.PERMISSION_DENIED
      ? `the account of the credentials may not write to project ${projectId} (PERMISSION_DENIED: ${err.details}); give it a role that may (roles/datastore.user)`
      : `Firestore refused the credentials twice, the second time with a fresh access token (UNAUTHENTICATED: ${err.details}); check Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, or \`gcloud auth application-default login\`) and that they belong to project ${projectId}`;
  return new CredentialsRefused(what);
}

export function openCommitChannel(options: ChannelOptions): CommitChannel {
  const database = databaseName(options.projectId);
  const head = commitHead(database);
  const headers = new Metadata();
  headers.set('google-cloud-resource-prefix', database);
  headers.set('x-goog-request-params', `database=${encodeURIComponent(database)}`);
  let client: Client;
  let tokens: Tokens | null = null;
  if (options.emulatorHost) {
    headers.set('authorization', 'Bearer owner');
    client = new Client(options.emulatorHost, credentials.createInsecure());
  } else {
    if (!options.credential) throw new Error('the real Firestore needs credentials (an access token)');
    tokens = new Tokens(options.credential);
    client = new Client(options.endpoint?.host ?? PRODUCTION_HOST, credentials.createSsl(options.endpoint?.rootCerts ?? null));
  }
  const send = (writes: readonly Buffer[], token: string | null): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const metadata = headers.clone();
      if (token !== null) metadata.set('authorization', `Bearer ${token}`);
      client.makeUnaryRequest(
        COMMIT,
        (request: Buffer) => request,
        (response: Buffer) => response,
        commitRequest(head, writes),
        metadata,
        { deadline: Date.now() + DEADLINE_MS },
        (err: ServiceError | null) => (err ? reject(err) : resolve()),
      );
    });
  return {
    database,
    async commit(writes) {
      if (!tokens) return send(writes, null);
      for (let attempt = 1; ; attempt++) {
        const token = await tokens.get();
        try {
          return await send(writes, token);
        } catch (err) {
          const code = (err as ServiceError).code;
          if (code !== status.UNAUTHENTICATED && code !== status.PERMISSION_DENIED) throw err;
          tokens.drop(token);
          if (attempt >= 2 || code === status.PERMISSION_DENIED) throw refusal(err as ServiceError, options.projectId);
        }
      }
    },
    close: () => client.close(),
  };
}
