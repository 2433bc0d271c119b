import { Layout, NotFound, type NavItem } from '../Layout.tsx';
import { match, usePath } from '../router.tsx';
import type { SignedIn } from '../session.ts';
import { BuyPage } from './BuyPage.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { JobBoard } from './JobBoard.tsx';
import { JobPage } from './JobPage.tsx';
import { PlanPage } from './PlanPage.tsx';
import { WalletPanels } from './WalletPanels.tsx';

const nav: readonly NavItem[] = [
  { to: '/', label: 'Wallet', active: (p) => p === '/' },
  { to: '/history', label: 'History', active: (p) => p === '/history' },
  { to: '/buy', label: 'Buy & redeem', active: (p) => p === '/buy' },
  { to: '/plan', label: 'Plan & badge', active: (p) => p === '/plan' },
  { to: '/jobs', label: 'Jobs', active: (p) => p.startsWith('/jobs') },
];

/** The freelancer's side: wallet, history, buying, plan and badge, and the job board. */
export function FreelancerApp({
  session,
  freelancerId,
  onSignOut,
}: {
  session: SignedIn;
  freelancerId: string;
  onSignOut: () => void;
}) {
  const path = usePath();
  const job = match('/jobs/:id', path);
  let page;
  let title;
  if (path === '/') [title, page] = ['Wallet', <WalletPanels freelancerId={freelancerId} />];
  else if (path === '/history') [title, page] = ['History', <HistoryPanel freelancerId={freelancerId} />];
  else if (path === '/buy') [title, page] = ['Buy & redeem', <BuyPage freelancerId={freelancerId} />];
  else if (path === '/plan') [title, page] = ['Plan & badge', <PlanPage freelancerId={freelancerId} />];
  else if (path === '/jobs') [title, page] = ['Jobs', <JobBoard />];
  else if (job !== null)
    [title, page] = [`Job ${job.id ?? ''}`, <JobPage jobId={job.id ?? ''} freelancerId={freelancerId} />];
  else [title, page] = ['Page not found', <NotFound home="/" homeLabel="your wallet" />];
  return (
    <Layout path={path} title={title} nav={nav} who={session.label} onSignOut={onSignOut}>
      {page}
    </Layout>
  );
}
