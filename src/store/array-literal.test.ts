import { describe, expect, it } from 'vitest';
import { intArray, textArray } from './array-literal.ts';
import { createPostgresClient } from './postgres-client.ts';
import { TEST_DATABASE_URL } from './testing/test-databases.ts';

describe('array literals', () => {
  it('quotes every text element so none can change the array shape', () => {
    expect(textArray(['a', null, 'NULL', 'x,y', '{}', 'q"uote', 'back\\slash'])).toBe(
      '{"a",NULL,"NULL","x,y","{}","q\\"uote","back\\\\slash"}',
    );
    expect(intArray([1, null, -5])).toBe('{1,NULL,-5}');
    expect(() => intArray([1.5])).toThrow();
  });

  it('round-trips awkward text through PostgreSQL unchanged', async () => {
    const db = createPostgresClient({ url: TEST_DATABASE_URL });
    try {
      const values = [
        '',
        ' ',
        'NULL',
        'null',
        'a,b',
        '{"x":1}',
        '"',
        '\\',
        '\\"',
        "it's",
        'ünï €',
        '😀',
        '$p$',
        null,
      ];
      const [result] = await db.script(`SELECT $q$${textArray(values)}$q$::text[] AS v`);
      expect(result?.rows[0]?.['v']).toEqual(values);
    } finally {
      await db.close();
    }
  });
});
