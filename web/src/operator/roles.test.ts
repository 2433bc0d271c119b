import { describe, expect, it } from 'vitest';
import { can, canSee, pageOf, pagesOf } from './roles.ts';

describe('console roles', () => {
  it('shows each role its pages, the owner everything', () => {
    expect(pagesOf('owner')).toContain('operators');
    expect(pagesOf('support')).toEqual(['freelancers', 'jobs']);
    expect(canSee('support', 'audit')).toBe(false);
    expect(canSee('finance', 'reports')).toBe(true);
    expect(canSee('finance', 'operators')).toBe(false);
    expect(pagesOf('marketplace')[0]).toBe('integration');
  });

  it('matches the server: support grants but does not refund, finance only reads', () => {
    expect(can('support', 'grant')).toBe(true);
    expect(can('support', 'refund')).toBe(false);
    expect(can('finance', 'grant')).toBe(false);
    expect(can('finance', 'audit')).toBe(true);
    expect(can('marketplace', 'create-job')).toBe(true);
  });

  it('finds the page of an address', () => {
    expect(pageOf('/admin')).toBe('overview');
    expect(pageOf('/admin/freelancers/fl_ada')).toBe('freelancers');
    expect(pageOf('/admin/audit/')).toBe('audit');
    expect(pageOf('/admin/nothing')).toBeNull();
    expect(pageOf('/history')).toBeNull();
  });
});
