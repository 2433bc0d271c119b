import { z } from 'zod';

/** A card token or, with the test provider, a test card number: 4 to 100 of A-Z a-z 0-9 _ - and spaces. */
export const cardSchema = z
  .string()
  .regex(/^[A-Za-z0-9_ -]{4,100}$/, 'must be a card token or number (4 to 100 characters)');
