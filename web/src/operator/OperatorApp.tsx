import { JobPage } from '../freelancer/JobPage.tsx';
import { Layout, type NavItem } from '../Layout.tsx';
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
  if (path === '/admin/freelancers') page = <FreelancersPage onSignIn={onSignIn} />;
  else if (freelancer !== null) page = <FreelancerDetail freelancerId={freelancer.id ?? ''} />;
  else if (path === '/admin/promo-codes') page = <PromoCodesPage />;
  else if (path === '/admin/jobs') page = <JobsAdmin />;
  else if (job !== null) page = <JobPage jobId={job.id ?? ''} freelancerId={null} />;
  else if (path === '/admin/policy') page = <PolicyPage />;
  else page = <OverviewPage />;
  return (
    <Layout path={path} nav={nav} who={session.label} onSignOut={onSignOut}>
      {page}
    </Layout>
  );
}
