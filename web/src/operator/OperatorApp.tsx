import { JobPage } from '../freelancer/JobPage.tsx';
import { Layout, NotFound, type NavItem } from '../Layout.tsx';
import { match, usePath } from '../router.tsx';
import type { SignedIn } from '../session.ts';
import { FreelancerDetail } from './FreelancerDetail.tsx';
import { FreelancersPage } from './FreelancersPage.tsx';
import { JobsAdmin } from './JobsAdmin.tsx';
import { OverviewPage } from './OverviewPage.tsx';
import { PolicyPage } from './PolicyPage.tsx';
import { PromoCodesPage } from './PromoCodesPage.tsx';

const nav: readonly NavItem[] = [
  { to: '/admin', label: 'Overview', active: (p) => p === '/admin' || p === '/' },
  { to: '/admin/freelancers', label: 'Freelancers', active: (p) => p.startsWith('/admin/freelancers') },
  { to: '/admin/promo-codes', label: 'Promo codes', active: (p) => p === '/admin/promo-codes' },
  { to: '/admin/jobs', label: 'Jobs', active: (p) => p.startsWith('/admin/jobs') },
  { to: '/admin/policy', label: 'Policy', active: (p) => p === '/admin/policy' },
];

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
  const freelancer = match('/admin/freelancers/:id', path);
  const job = match('/admin/jobs/:id', path);
  let page;
  let title;
  if (path === '/admin' || path === '/') [title, page] = ['Overview', <OverviewPage />];
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
  else [title, page] = ['Page not found', <NotFound home="/admin" homeLabel="the overview" />];
  return (
    <Layout path={path} title={title} nav={nav} who={session.label} onSignOut={onSignOut}>
      {page}
    </Layout>
  );
}
