import { z } from 'zod';

/** A human reason recorded on ledger entries; the ledger keeps at most 200 characters. */
export const reasonSchema = z
  .string()
  .trim()
  .min(1, 'a reason is required')
  .max(200, 'must be at most 200 characters');
