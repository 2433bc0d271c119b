import { z } from 'zod';

/**
 * Ids the marketplace supplies (jobs, clients, proposals, interactions). They
 * end up inside ledger references and hold ids (`boost:<proposalId>`), so
 * they are short and limited to characters that never need escaping.
 */
export const entityIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');

/** A money amount in cents: a whole number, bounded far above any real budget or bid. */
export const centsSchema = z.int().min(0).max(100_000_000_000);

/** Page sizes of list queries. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
