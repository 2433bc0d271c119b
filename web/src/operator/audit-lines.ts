/**
 * The audit trail in words: what an operator's request did, from its method
 * and route pattern ("POST /v1/jobs/{id}/cancel" -> "Cancel job j-1"), with
 * the values of the path filled in from the request's path. A route without
 * words here is shown as it is.
 */
const actions: Readonly<Record<string, string>> = {
  'POST /v1/admin/grants': 'Grant or take back Connects',
  'POST /v1/admin/freelancers/{id}/lots/{lotNo}/void': 'Void lot {lotNo}',
  'POST /v1/admin/freelancers/{id}/lots/{lotNo}/expire': 'Expire lot {lotNo} now',
  'POST /v1/admin/freelancers/{id}/lots/{lotNo}/extend': 'Extend the expiry of lot {lotNo}',
  'PUT /v1/admin/freelancers/{id}/low-balance-threshold': 'Set the low-balance threshold',
  'POST /v1/admin/operators': 'Create an operator',
  'POST /v1/admin/operators/{id}/keys': 'Issue a key to {id}',
  'DELETE /v1/admin/operators/{id}/keys/{keyId}': 'Revoke key {keyId} of {id}',
  'PUT /v1/admin/badge-price': 'Set the badge price',
  'PUT /v1/admin/clock': 'Move the clock',
  'POST /v1/admin/tick': 'Run the scheduler',
  'POST /v1/admin/purchases/{freelancerId}/{purchaseId}/refund': 'Refund purchase {purchaseId}',
  'POST /v1/admin/policies': 'Schedule a policy',
  'PUT /v1/admin/policies/{id}': 'Change policy {id}',
  'DELETE /v1/admin/policies/{id}': 'Remove policy {id}',
  'POST /v1/freelancers': 'Register a freelancer',
  'POST /v1/freelancers/{id}/tokens': 'Issue a freelancer token',
  'DELETE /v1/freelancers/{id}/tokens/{tokenId}': 'Revoke freelancer token {tokenId}',
  'POST /v1/freelancers/{id}/purchases': 'Buy Connects',
  'POST /v1/freelancers/{id}/promo-redemptions': 'Redeem a promo code',
  'PUT /v1/freelancers/{id}/plan': 'Change the plan',
  'PUT /v1/freelancers/{id}/availability-badge': 'Set the availability badge',
  'POST /v1/freelancers/{id}/facts': 'Record a fact',
  'POST /v1/freelancers/{id}/certifications': 'Record a certification',
  'POST /v1/promo-codes': 'Create a promo code',
  'POST /v1/jobs': 'Post a job',
  'POST /v1/jobs/{id}/cancel': 'Cancel job {id}',
  'POST /v1/jobs/{id}/hire': 'Hire on job {id}',
  'POST /v1/jobs/{id}/proposals': 'Send a proposal to job {id}',
  'POST /v1/proposals/{id}/withdraw': 'Withdraw proposal {id}',
  'POST /v1/proposals/{id}/interactions': 'Record an interaction on proposal {id}',
  'POST /v1/proposals/{id}/interviews': 'Record an interview on proposal {id}',
};

/** The route pattern as OpenAPI writes it: the server records Hono's /v1/jobs/:id as /v1/jobs/{id}. */
export function openApiRoute(route: string): string {
  return route.replace(/\/:(\w+)/g, '/{$1}');
}

/** The path's values for the route's {parameters}, or an empty record if they do not line up. */
export function routeParams(route: string, path: string): Record<string, string> {
  const want = openApiRoute(route).split('/');
  const got = path.split('?')[0]?.split('/') ?? [];
  if (want.length !== got.length) return {};
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const m = /^\{(\w+)\}$/.exec(part);
    if (m?.[1] === undefined) continue;
    try {
      params[m[1]] = decodeURIComponent(got[i] ?? '');
    } catch {
      params[m[1]] = got[i] ?? '';
    }
  }
  return params;
}

/** "Cancel job j-1" for POST /v1/jobs/{id}/cancel on /v1/jobs/j-1/cancel; the method and route otherwise. */
export function describeAction(method: string, route: string, path: string): string {
  const words = actions[`${method.toUpperCase()} ${openApiRoute(route)}`];
  if (words === undefined) return `${method.toUpperCase()} ${openApiRoute(route)}`;
  const params = routeParams(route, path);
  return words.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** "Done (201)" or "Refused: limit_exceeded (403)". */
export function describeOutcome(status: number, errorCode: string | null): string {
  if (status < 400) return `Done (${status})`;
  return `Refused: ${errorCode ?? 'error'} (${status})`;
}

/**
 * The audit filter's time window from two UTC dates: from the start of the
 * first day to the end of the last (included). Undefined for a malformed
 * date or a window that ends before it starts.
 */
export function auditWindow(from: string, to: string): { since?: string; until?: string } | undefined {
  const day = (text: string): number | undefined => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
    const t = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== text ? undefined : t;
  };
  const window: { since?: string; until?: string } = {};
  let since: number | undefined;
  if (from.trim() !== '') {
    since = day(from.trim());
    if (since === undefined) return undefined;
    window.since = new Date(since).toISOString();
  }
  if (to.trim() !== '') {
    const until = day(to.trim());
    if (until === undefined) return undefined;
    const end = until + 86_400_000;
    if (since !== undefined && end <= since) return undefined;
    window.until = new Date(end).toISOString();
  }
  return window;
}
