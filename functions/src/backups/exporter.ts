/**
 * The one module that knows the Firestore Admin API client (@google-cloud/firestore's
 * FirestoreAdminClient, over HTTP/1.1 REST): start an export, ask how one went. Production uses
 * the default endpoint and the runtime's credentials; `apiBase` points it at a local stand-in.
 */
import firestoreApi from '@google-cloud/firestore';

// A CommonJS package whose named exports Node's ESM loader cannot see: take v1 from the default.
const { v1 } = firestoreApi;

export interface ExportStatus {
  done: boolean;
  /** The operation's error message when it ended in failure. */
  error: string | null;
}

export interface FirestoreExporter {
  /** Starts exporting every collection of the database to `outputUriPrefix`; returns the operation name. */
  start(outputUriPrefix: string): Promise<string>;
  status(operation: string): Promise<ExportStatus>;
}

export interface ExporterOptions {
  projectId: string;
  /** `http://127.0.0.1:PORT` (a stand-in) or empty for Google's endpoint. */
  apiBase: string;
  /** Credentials for a stand-in (a google-auth-library client; the runtime's own are used in production). */
  authClient?: unknown;
}

type AdminClient = InstanceType<typeof v1.FirestoreAdminClient>;
type AdminOptions = ConstructorParameters<typeof v1.FirestoreAdminClient>[0];

function clientFor(options: ExporterOptions): AdminClient {
  if (!options.apiBase) return new v1.FirestoreAdminClient({ projectId: options.projectId, fallback: true });
  const url = new URL(options.apiBase);
  return new v1.FirestoreAdminClient({
    projectId: options.projectId,
    fallback: true,
    apiEndpoint: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol.replace(':', ''),
    ...(options.authClient ? { authClient: options.authClient } : {}),
  } as AdminOptions);
}

export function firestoreExporter(options: ExporterOptions): FirestoreExporter {
  const client = clientFor(options);
  const database = `projects/${options.projectId}/databases/(default)`;
  return {
    async start(outputUriPrefix) {
      // collectionIds empty: every collection, so a restore brings back the whole database.
      const [operation] = await client.exportDocuments({ name: database, outputUriPrefix, collectionIds: [] });
      if (!operation.name) throw new Error('exportDocuments answered without an operation name');
      return operation.name;
    },
    async status(operation) {
      const op = await client.checkExportDocumentsProgress(operation);
      const error = op.latestResponse.error;
      return { done: op.done === true, error: error ? `${error.message ?? 'export failed'} (code ${error.code ?? '?'})` : null };
    },
  };
}
