import { z } from 'zod';

/** A money amount in cents: a whole number, bounded far above any real budget or bid. */
export const centsSchema = z.int().min(0).max(100_000_000_000);

/** Page sizes of list queries. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
