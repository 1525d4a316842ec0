import type { z } from 'zod';

/** The `{name}` placeholders of a path template, as a union of names. */
export type TemplateParams<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | TemplateParams<Rest> : never;

type Params<T extends string> = [TemplateParams<T>] extends [never] ? Record<string, never> : Record<TemplateParams<T>, string>;

/** Who may touch a collection from a client; the rules implement it (firestore.rules says how). */
export type Access =
  | 'public-read' // anyone reads (published/active ones), admins write
  | 'owner' // the user in the path, plus roles the rules name
  | 'staff' // coaches and admins
  | 'public-create' // anyone creates (validated), staff read
  | 'signed-in' // signed-in users, with author checks
  | 'server-only'; // Admin SDK only

export interface CollectionSpec<C extends string, I extends string, S extends z.ZodObject> {
  /** Collection path template, e.g. `users/{uid}/goals`. */
  collection: C;
  /** Name of the document id placeholder, e.g. `goalId`. */
  idParam: I;
  schema: S;
  /** Supabase tables whose rows land here (empty for collections that are new in Firebase). */
  sources: readonly string[];
  access: Access;
  description: string;
  /** How the document id is chosen (shown in the generated model document). */
  idFrom: string;
  /**
   * What a client (through firestore.rules) may write: the fields it may set and the bounded form
   * each must have (client-writes.ts). Absent for collections no client writes. The rules' `write*`
   * functions are generated from it.
   */
  clientWrite?: z.ZodObject;
}

/**
 * A collection of the model: where its documents live, what they hold, and the converter that
 * checks them on every read and write. Paths are built only here.
 */
export interface Collection<C extends string, I extends string, S extends z.ZodObject> extends CollectionSpec<C, I, S> {
  /** Document path template, e.g. `users/{uid}/goals/{goalId}`. */
  readonly template: `${C}/{${I}}`;
  /** `users/u1/goals` */
  collectionPath(params: Params<C>): string;
  /** `users/u1/goals/g1` */
  docPath(params: Params<`${C}/{${I}}`>): string;
  /** The last segment of the collection path: what a collection-group query names. */
  readonly groupId: string;
  readonly converter: ModelConverter<z.infer<S>>;
}

/** Structurally a FirestoreDataConverter of both firebase-admin and the web SDK. */
export interface ModelConverter<T> {
  toFirestore(value: T): Record<string, unknown>;
  toFirestore(value: Partial<T>, options: { merge?: boolean; mergeFields?: unknown[] }): Record<string, unknown>;
  fromFirestore(snapshot: { data(): unknown; id?: string; ref?: { path: string } }): T;
}

export class ModelValidationError extends Error {
  constructor(
    readonly path: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(`${path}: ${issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ')}`);
    this.name = 'ModelValidationError';
  }
}

/** Firestore's document id rules: no '/', not '.' or '..', not `__.*__`, at most 1,500 UTF-8 bytes. */
const SEGMENT = /^[^/]+$/;
const ID_ENCODER = new TextEncoder();

function checkSegment(template: string, name: string, value: string | undefined): string {
  if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
  if (!SEGMENT.test(value) || value === '.' || value === '..' || /^__.*__$/s.test(value) || (value.length > 500 && ID_ENCODER.encode(value).length > 1500)) {
    throw new Error(`invalid document id ${JSON.stringify(value)} for {${name}} in ${template}`);
  }
  return value;
}

/** A template cut once into its fixed text and its placeholders (paths are built for every document). */
function compileTemplate(template: string): (params: Record<string, string>) => string {
  const parts = template.split(/\{(\w+)\}/);
  return (params) => {
    let out = parts[0] ?? '';
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i] as string;
      out += checkSegment(template, name, params[name]) + (parts[i + 1] ?? '');
    }
    return out;
  };
}

export function fillTemplate(template: string, params: Record<string, string>): string {
  return compileTemplate(template)(params);
}

export function makeConverter<S extends z.ZodObject>(schema: S, label: string): ModelConverter<z.infer<S>> {
  const parse = (value: unknown, where: string, partial: boolean): Record<string, unknown> => {
    const s = partial ? schema.partial() : schema;
    const res = s.safeParse(value);
    if (!res.success) throw new ModelValidationError(where, res.error.issues);
    return res.data;
  };
  return {
    toFirestore(value: unknown, options?: { merge?: boolean; mergeFields?: unknown[] }): Record<string, unknown> {
      return parse(value, label, Boolean(options?.merge || options?.mergeFields));
    },
    fromFirestore(snapshot) {
      return parse(snapshot.data(), snapshot.ref?.path ?? label, false) as z.infer<S>;
    },
  };
}

/** `users/{uid}/goals` + `goalId` → `users/{uid}/goals/{goalId}`, typed as such. */
function documentTemplate<C extends string, I extends string>(collection: C, idParam: I): `${C}/{${I}}` {
  return `${collection}/{${idParam}}`;
}

export function defineCollection<C extends string, I extends string, S extends z.ZodObject>(spec: CollectionSpec<C, I, S>): Collection<C, I, S> {
  const template = documentTemplate(spec.collection, spec.idParam);
  const segments = spec.collection.split('/');
  return {
    ...spec,
    template,
    groupId: segments[segments.length - 1] ?? spec.collection,
    collectionPath: compileTemplate(spec.collection),
    docPath: compileTemplate(template),
    converter: makeConverter(spec.schema, spec.collection),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds collections of every shape
export type AnyCollection = Collection<string, string, z.ZodObject<any>>;

/** The document type of a collection: `DocOf<typeof goals>` is GoalDoc. */
export type DocOf<C extends AnyCollection> = z.infer<C['schema']>;

/** The path parameters of a collection's documents: `ParamsOf<typeof goals>` is `{uid, goalId}`. */
export type DocParamsOf<C extends AnyCollection> = Parameters<C['docPath']>[0];
