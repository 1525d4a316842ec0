/**
 * Sends the pre-flight's encoded writes (wire.ts) to Firestore's Commit method over gRPC, as they
 * are. The request is what the SDK's WriteBatch.commit() sends — the same method, the same
 * `google-cloud-resource-prefix` and routing headers, `Bearer owner` against the emulator (which
 * then applies no security rules, as for the Admin SDK) and OAuth2 access tokens of the
 * firebase-admin credential (Application Default Credentials) against a real project — without
 * re-encoding every document in the write pass. Errors come back as gRPC status codes, which the
 * writer retries or reports (writer.ts).
 */
import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { commitHead, commitRequest, databaseName } from './wire.js';

const COMMIT = '/google.firestore.v1.Firestore/Commit';
const PRODUCTION_HOST = 'firestore.googleapis.com:443';
/** A commit not answered by then fails with DEADLINE_EXCEEDED, which is retried. */
const DEADLINE_MS = 120_000;

export interface CommitChannel {
  /** `projects/{project}/databases/(default)`. */
  readonly database: string;
  /** Commits the writes (as encoded by WriteEncoder) atomically. */
  commit(writes: readonly Buffer[]): Promise<void>;
  close(): void;
}

export interface ChannelOptions {
  projectId: string;
  /** host:port of the Firestore emulator (FIRESTORE_EMULATOR_HOST); unset: the real Firestore. */
  emulatorHost?: string;
  /** An OAuth2 access token for the real Firestore (cached by the credential). */
  accessToken?: () => Promise<string>;
}

export function openCommitChannel(options: ChannelOptions): CommitChannel {
  const database = databaseName(options.projectId);
  const head = commitHead(database);
  const headers = new Metadata();
  headers.set('google-cloud-resource-prefix', database);
  headers.set('x-goog-request-params', `database=${encodeURIComponent(database)}`);
  let client: Client;
  if (options.emulatorHost) {
    headers.set('authorization', 'Bearer owner');
    client = new Client(options.emulatorHost, credentials.createInsecure());
  } else {
    const token = options.accessToken;
    if (!token) throw new Error('the real Firestore needs credentials (an access token)');
    const bearer = (_params: unknown, callback: (err: Error | null, metadata?: Metadata) => void): void => {
      token().then(
        (t) => {
          const m = new Metadata();
          m.set('authorization', `Bearer ${t}`);
          callback(null, m);
        },
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    };
    client = new Client(PRODUCTION_HOST, credentials.combineChannelCredentials(credentials.createSsl(), credentials.createFromMetadataGenerator(bearer)));
  }
  return {
    database,
    commit: (writes) =>
      new Promise<void>((resolve, reject) => {
        client.makeUnaryRequest(
          COMMIT,
          (request: Buffer) => request,
          (response: Buffer) => response,
          commitRequest(head, writes),
          headers.clone(),
          { deadline: Date.now() + DEADLINE_MS },
          (err: ServiceError | null) => (err ? reject(err) : resolve()),
        );
      }),
    close: () => client.close(),
  };
}
