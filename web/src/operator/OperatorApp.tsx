import { useEffect } from 'react';
import { JobPage } from '../freelancer/JobPage.tsx';
import { Layout, NotFound, type NavItem } from '../Layout.tsx';
import { match, usePath } from '../router.tsx';
import { roleOf, type SignedIn } from '../session.ts';
import { FreelancerDetail } from './FreelancerDetail.tsx';
import { FreelancersPage } from './FreelancersPage.tsx';
import { JobsAdmin } from './JobsAdmin.tsx';
import { OverviewPage } from './OverviewPage.tsx';
import { PolicyPage } from './PolicyPage.tsx';
import { PromoCodesPage } from './PromoCodesPage.tsx';
import { AuditPage } from './AuditPage.tsx';
import { IntegrationPage } from './IntegrationPage.tsx';
import { OperatorsPage } from './OperatorsPage.tsx';
import { ReportsPage } from './ReportsPage.tsx';
import { NotForRole, RoleContext } from './RoleContext.tsx';
import { canSee, pageOf, type ConsolePage } from './roles.ts';

const nav: readonly (NavItem & { page: ConsolePage })[] = (
  [
    { to: '/admin', label: 'Overview', active: (p) => p === '/admin' || p === '/' },
    { to: '/admin/integration', label: 'Integration', active: (p) => p === '/admin/integration' },
    { to: '/admin/freelancers', label: 'Freelancers', active: (p) => p.startsWith('/admin/freelancers') },
    { to: '/admin/promo-codes', label: 'Promo codes', active: (p) => p === '/admin/promo-codes' },
    { to: '/admin/jobs', label: 'Jobs', active: (p) => p.startsWith('/admin/jobs') },
    { to: '/admin/policy', label: 'Policy', active: (p) => p === '/admin/policy' },
    { to: '/admin/reports', label: 'Reports', active: (p) => p === '/admin/reports' },
    { to: '/admin/audit', label: 'Audit', active: (p) => p === '/admin/audit' },
    { to: '/admin/operators', label: 'Operators', active: (p) => p === '/admin/operators' },
  ] satisfies NavItem[]
).map((item) => ({ ...item, page: pageOf(item.to) ?? 'overview' }));

/** The operator console (admin token). */
export function OperatorApp({
  session,
  onSignOut,
  onSignIn,
}: {
  session: SignedIn;
  onSignOut: () => void;
  onSignIn: (session: SignedIn) => void;
}) {
  const path = usePath();
  const role = roleOf(session);
  const items = nav.filter((item) => canSee(role, item.page));
  const home = items[0]?.to ?? '/admin';
  const area = pageOf(path);
  // A role without the overview starts on its own first page.
  const redirect = (path === '/admin' || path === '/') && !canSee(role, 'overview');
  useEffect(() => {
    if (!redirect) return;
    window.history.replaceState(null, '', home);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, [redirect, home]);
  const freelancer = match('/admin/freelancers/:id', path);
  const job = match('/admin/jobs/:id', path);
  let page;
  let title;
  if (redirect) [title, page] = ['Connects', null];
  else if (area !== null && !canSee(role, area)) {
    const name = nav.find((item) => item.page === area)?.label ?? 'this page';
    [title, page] = [
      'Not available to your role',
      <NotForRole role={role} page={`the ${name} page`} home={home} />,
    ];
  } else if (path === '/admin' || path === '/') [title, page] = ['Overview', <OverviewPage />];
  else if (path === '/admin/freelancers')
    [title, page] = ['Freelancers', <FreelancersPage onSignIn={onSignIn} />];
  else if (freelancer !== null)
    [title, page] = [
      `Freelancer ${freelancer.id ?? ''}`,
      <FreelancerDetail freelancerId={freelancer.id ?? ''} />,
    ];
  else if (path === '/admin/promo-codes') [title, page] = ['Promo codes', <PromoCodesPage />];
  else if (path === '/admin/jobs') [title, page] = ['Jobs', <JobsAdmin />];
  else if (job !== null)
    [title, page] = [`Job ${job.id ?? ''}`, <JobPage jobId={job.id ?? ''} freelancerId={null} />];
  else if (path === '/admin/policy') [title, page] = ['Policy', <PolicyPage />];
  else if (path === '/admin/operators') [title, page] = ['Operators', <OperatorsPage />];
  else if (path === '/admin/audit') [title, page] = ['Audit', <AuditPage />];
  else if (path === '/admin/reports') [title, page] = ['Reports', <ReportsPage />];
  else if (path === '/admin/integration')
    [title, page] = ['Integration key', <IntegrationPage operatorId={session.label} />];
  else [title, page] = ['Page not found', <NotFound home={home} homeLabel="your start page" />];
  return (
    <RoleContext.Provider value={role}>
      <Layout path={path} title={title} nav={items} who={session.label} onSignOut={onSignOut}>
        {page}
      </Layout>
    </RoleContext.Provider>
  );
}
