import { useEffect, type ReactNode } from 'react';
import { Link } from './router.tsx';

export interface NavItem {
  readonly to: string;
  readonly label: string;
  /** Whether the item is current for this path. */
  readonly active: (path: string) => boolean;
}

/**
 * The page frame: a skip link, a header with the account and sign-out, the
 * navigation (a wrapping bar on phones, a row on desktops) and the main area.
 */
export function Layout({
  path,
  title,
  nav,
  who,
  onSignOut,
  children,
}: {
  path: string;
  /** The page's name, for the browser tab and history ("History · Connects"). */
  title: string;
  nav: readonly NavItem[];
  who: string;
  onSignOut: () => void;
  children: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Connects`;
  }, [title]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <div className="top-inner">
          <Link to={nav[0]?.to ?? '/'} className="brand">
            <span className="brand-mark" aria-hidden="true">
              C
            </span>
            Connects
          </Link>
          <div className="who">
            <span className="who-name">{who}</span>
            <button type="button" className="button-quiet" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </div>
        <nav aria-label="Main" className="nav">
          <ul>
            {nav.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={item.active(path) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="foot">
        <p>
          Times are shown in UTC. <a href="/docs">API documentation</a>
        </p>
      </footer>
    </>
  );
}

/** What an unknown address shows, instead of silently showing another page. */
export function NotFound({ home, homeLabel }: { home: string; homeLabel: string }) {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link to={home}>Go to {homeLabel}</Link>.
      </p>
    </>
  );
}
