import { describe, expect, it } from 'vitest';
import { auditWindow, describeAction, describeOutcome, routeParams } from './audit-lines.ts';

describe('audit lines', () => {
  it('says what a request did in words, with the values from its path', () => {
    expect(describeAction('POST', '/v1/admin/grants', '/v1/admin/grants')).toBe(
      'Grant or take back Connects',
    );
    expect(describeAction('post', '/v1/jobs/{id}/cancel', '/v1/jobs/j-logo/cancel')).toBe(
      'Cancel job j-logo',
    );
    expect(
      describeAction('DELETE', '/v1/admin/operators/{id}/keys/{keyId}', '/v1/admin/operators/sam/keys/key_1'),
    ).toBe('Revoke key key_1 of sam');
    expect(
      describeAction(
        'POST',
        '/v1/admin/freelancers/{id}/lots/{lotNo}/void',
        '/v1/admin/freelancers/ada/lots/3/void',
      ),
    ).toBe('Void lot 3');
  });

  it('reads the route patterns the server records (/v1/jobs/:id)', () => {
    expect(describeAction('POST', '/v1/jobs/:id/cancel', '/v1/jobs/j-1/cancel')).toBe('Cancel job j-1');
    expect(
      describeAction('DELETE', '/v1/admin/operators/:id/keys/:keyId', '/v1/admin/operators/sam/keys/key_9'),
    ).toBe('Revoke key key_9 of sam');
    expect(describeAction('POST', '/v1/freelancers/:id/purchases', '/v1/freelancers/ada/purchases')).toBe(
      'Buy Connects',
    );
  });

  it('falls back to the method and route', () => {
    expect(describeAction('PATCH', '/v1/unknown/{id}', '/v1/unknown/x')).toBe('PATCH /v1/unknown/{id}');
    expect(routeParams('/v1/jobs/{id}/cancel', '/v1/jobs/a%2Fb/cancel')).toEqual({ id: 'a/b' });
    expect(routeParams('/v1/jobs/{id}/cancel', '/v1/jobs/cancel')).toEqual({});
  });

  it('names the outcome', () => {
    expect(describeOutcome(201, null)).toBe('Done (201)');
    expect(describeOutcome(403, 'limit_exceeded')).toBe('Refused: limit_exceeded (403)');
  });

  it('turns two UTC dates into a window with the last day included', () => {
    expect(auditWindow('', '')).toEqual({});
    expect(auditWindow('2030-03-01', '2030-03-01')).toEqual({
      since: '2030-03-01T00:00:00.000Z',
      until: '2030-03-02T00:00:00.000Z',
    });
    expect(auditWindow('2030-03-02', '2030-03-01')).toBeUndefined();
    expect(auditWindow('2030-02-30', '')).toBeUndefined();
    expect(auditWindow('March', '')).toBeUndefined();
  });
});
