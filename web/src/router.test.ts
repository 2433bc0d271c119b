import { describe, expect, it } from 'vitest';
import { match } from './router.tsx';

describe('match', () => {
  it('matches literal segments and decodes parameters', () => {
    expect(match('/jobs/:id', '/jobs/j-1')).toEqual({ id: 'j-1' });
    expect(match('/jobs/:id', '/jobs/a%2Fb/')).toEqual({ id: 'a/b' });
    expect(match('/admin/freelancers/:id', '/admin/freelancers/fl_ada')).toEqual({ id: 'fl_ada' });
  });

  it('refuses other shapes and malformed encodings', () => {
    expect(match('/jobs/:id', '/jobs')).toBeNull();
    expect(match('/jobs/:id', '/jobs/')).toBeNull();
    expect(match('/jobs/:id', '/jobs/a/b')).toBeNull();
    expect(match('/jobs/:id', '/admin/j')).toBeNull();
    expect(match('/jobs/:id', '/jobs/%E0%A4%A')).toBeNull();
  });
});
