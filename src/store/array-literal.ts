/**
 * PostgreSQL array literals ('{...}') for the batch statements, which send
 * their columns as arrays inlined in one script. Text elements are always
 * double-quoted with backslash and double quote escaped, so no value (a
 * comma, a brace, the word NULL) can change the array's shape; null is the
 * bare NULL. Numbers must be safe integers.
 */
export function textArray(values: readonly (string | null)[]): string {
  const parts = values.map((v) => (v === null ? 'NULL' : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`));
  return `{${parts.join(',')}}`;
}

export function intArray(values: readonly (number | null)[]): string {
  const parts = values.map((v) => {
    if (v === null) return 'NULL';
    if (!Number.isSafeInteger(v)) throw new Error(`not a safe integer: ${v}`);
    return String(v);
  });
  return `{${parts.join(',')}}`;
}
