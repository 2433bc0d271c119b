import { Panel } from '../components/Panel.tsx';
import { Link } from '../router.tsx';

/** The start page of a marketplace key: it is meant for the marketplace's servers, not for people. */
export function IntegrationPage({ operatorId }: { operatorId: string }) {
  return (
    <>
      <h1>This key is an integration key</h1>
      <Panel title="What a marketplace key is for">
        <p>
          You signed in as <strong>{operatorId}</strong> with the <strong>marketplace</strong> role: the key
          the marketplace&rsquo;s own servers use to register freelancers, post, cancel and hire jobs, send
          proposals on a freelancer&rsquo;s behalf, and report interactions and interviews. It cannot read
          wallets, grant Connects or see reports.
        </p>
        <p>
          In this console it can <Link to="/admin/jobs">post and cancel jobs</Link>. Everything else it does
          through the API: see the <a href="/docs">API documentation</a>. Keep the key on the server; an owner
          can revoke it and issue another at any time.
        </p>
      </Panel>
    </>
  );
}
