/**
 * Stand-ins of the two Google APIs the daily backup uses, on one local server: the Firestore Admin
 * API (`exportDocuments`, and the operation it returns, as the client's REST mode sends them) and
 * the Cloud Storage JSON API (list a prefix, delete an object). Tests set what the bucket holds
 * and how operations end, and read what was asked.
 */
import { standIn, type Recorded, type Reply, type StandIn } from './standin.js';

export interface BackupStandIn extends StandIn {
  /** Object names in the bucket. */
  objects: Set<string>;
  /** Operation name → how it ended (absent: still running). */
  finished: Map<string, { error?: { code: number; message: string } }>;
  /** Refuse the next exportDocuments requests with this HTTP status (null: accept them again). */
  refuseExports(answer: { status: number; message: string } | null): void;
  exportRequests(): Recorded[];
  deletedObjects(): string[];
}

function listObjects(objects: Set<string>, query: URLSearchParams): Reply {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter');
  const names = [...objects].filter((n) => n.startsWith(prefix)).sort();
  if (!delimiter) return { status: 200, body: { kind: 'storage#objects', items: names.map((name) => ({ kind: 'storage#object', name, bucket: 'b' })) } };
  const prefixes = new Set<string>();
  const items: string[] = [];
  for (const n of names) {
    const cut = n.indexOf(delimiter, prefix.length);
    if (cut >= 0) prefixes.add(n.slice(0, cut + 1));
    else items.push(n);
  }
  return { status: 200, body: { kind: 'storage#objects', prefixes: [...prefixes], items: items.map((name) => ({ kind: 'storage#object', name })) } };
}

export async function backupStandIn(projectId: string): Promise<BackupStandIn> {
  const objects = new Set<string>();
  const finished = new Map<string, { error?: { code: number; message: string } }>();
  let opCount = 0;
  const state: { refusal: { status: number; message: string } | null } = { refusal: null };
  const database = `/v1/projects/${projectId}/databases/(default)`;
  const server = await standIn((req) => {
    // The Storage client leaves out /storage/v1 when STORAGE_EMULATOR_HOST points it here.
    const path = decodeURIComponent(req.path.replace(/^\/storage\/v1/, ''));
    if (req.method === 'POST' && path === `${database}:exportDocuments`) {
      if (state.refusal) return { status: state.refusal.status, body: { error: { code: state.refusal.status, message: state.refusal.message } } };
      opCount += 1;
      return { status: 200, body: { name: `projects/${projectId}/databases/(default)/operations/export-${opCount}`, done: false } };
    }
    const op = /^\/v1\/(projects\/[^/]+\/databases\/\(default\)\/operations\/[^/]+)$/.exec(path)?.[1];
    if (req.method === 'GET' && op) {
      const end = finished.get(op);
      return { status: 200, body: end ? { name: op, done: true, ...(end.error ? { error: end.error } : {}) } : { name: op, done: false } };
    }
    const list = /^\/b\/([^/]+)\/o$/.exec(path);
    if (req.method === 'GET' && list) return listObjects(objects, req.query);
    const obj = /^\/b\/([^/]+)\/o\/(.+)$/.exec(path);
    if (req.method === 'DELETE' && obj) {
      const name = obj[2] ?? '';
      if (!objects.delete(name)) return { status: 404, body: { error: { code: 404, message: 'No such object' } } };
      return { status: 204, body: '' };
    }
    return { status: 404, body: { error: { code: 404, message: `stand-in: no route for ${req.method} ${req.path}` } } };
  });
  return Object.assign(server, {
    objects,
    finished,
    refuseExports: (answer: { status: number; message: string } | null) => {
      state.refusal = answer;
    },
    exportRequests: () => server.requests.filter((r) => r.method === 'POST' && r.path.endsWith(':exportDocuments')),
    deletedObjects: () => server.requests.filter((r) => r.method === 'DELETE').map((r) => decodeURIComponent(r.path.replace(/^.*\/o\//, ''))),
  });
}
