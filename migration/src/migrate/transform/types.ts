/**
 * What a transform works with and produces: the user directory (who is migrated, which uid each
 * source user gets), the documents of a row, or the reason it is rejected.
 */
import type { AnyCollection } from '@zhengrowth/model';
import type { SourceRow } from '../sources/catalog.js';
import type { IndexConfig } from './limits.js';

/** Who the migrated users are, and what each source user id becomes. */
export interface UserDirectory {
  /** The Firebase uid of a migrated user; undefined when the id names no migrated user. */
  owner(sourceId: string): string | undefined;
  /** A user reference rewritten: the migrated user's uid, or the id unchanged when it names no migrated user. */
  ref(sourceId: string): string;
  /** zg_profiles.user_id of a profile id. */
  profileOwner(profileId: string): string | undefined;
  /** Why a source user id is not a migrated user (for the rejection reason). */
  whyMissing(sourceId: string): string;
}

/** Where `zg-migrate files` put the objects that URL columns point to (files/url-map.ts). */
export interface UrlRewriter {
  /** The new location of a Supabase Storage URL that was copied; any other URL unchanged. */
  rewrite(url: string): string;
}

export interface TransformContext {
  users: UserDirectory;
  indexes: IndexConfig;
  /** URL columns (the table specs' `files`) go through it; absent: URLs stay as they are. */
  urls?: UrlRewriter;
}

export interface DocWrite {
  collection: AnyCollection;
  path: string;
  data: Record<string, unknown>;
  bytes: number;
  depth: number;
  indexEntries: number;
  escapedKeys: number;
}

export type RowOutcome = { ok: true; docs: DocWrite[] } | { ok: false; reason: string };

export type RowTransform = (row: SourceRow) => RowOutcome;
