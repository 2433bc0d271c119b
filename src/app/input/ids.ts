import { z } from 'zod';

/**
 * Ids of freelancers, jobs, clients, proposals, purchases, interactions:
 * 1-64 characters of a URL- and log-safe alphabet. They end up inside ledger
 * references and hold ids (`boost:<proposalId>`), so they never need escaping.
 */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export const idSchema = z.string().regex(ID_PATTERN, 'must be 1 to 64 characters of A-Z a-z 0-9 _ . : -');
