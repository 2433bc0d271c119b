/**
 * Shows a receipt (the HTML page the API renders) in a window the click
 * opened. The receipt route needs the bearer token, so the page is fetched
 * with it and written into the window: the token never travels in a URL,
 * and nothing about the receipt stays in the browser's history.
 *
 * The new window shares the console's Content-Security-Policy (style-src
 * 'self'), which refuses the receipt's inline <style>. Its rules are applied
 * as a constructed style sheet instead, which the policy does not govern,
 * and the receipt has no scripts to run.
 */
export function openReceipt(target: Window | null, html: string): void {
  if (target === null)
    throw new Error('The browser blocked the receipt window: allow pop-ups for this site.');
  // The style is taken out before parsing: even a parsed (never shown) <style> is checked against the policy.
  const styles = /<style[^>]*>([\s\S]*?)<\/style>/gi;
  const css = [...html.matchAll(styles)].map((m) => m[1] ?? '').join('\n');
  const parsed = new DOMParser().parseFromString(html.replace(styles, ''), 'text/html');
  for (const s of parsed.querySelectorAll('script, style')) s.remove();
  const doc = target.document;
  doc.replaceChild(doc.importNode(parsed.documentElement, true), doc.documentElement);
  doc.title = parsed.title;
  try {
    const Sheet = (target as Window & { CSSStyleSheet: typeof CSSStyleSheet }).CSSStyleSheet;
    const sheet = new Sheet();
    sheet.replaceSync(css);
    doc.adoptedStyleSheets = [sheet];
  } catch {
    // A browser without constructed style sheets shows the receipt unstyled; it still prints.
  }
  target.opener = null;
}
