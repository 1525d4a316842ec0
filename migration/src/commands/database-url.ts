import { z } from 'zod';

/** A PostgreSQL connection URL, as every command that reads or writes the source database takes it. */
export const databaseUrl = z
  .string({ error: 'is required (or set DATABASE_URL)' })
  .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL');
