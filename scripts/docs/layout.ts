/**
 * The HTML shell of the index and guide pages. Every link and asset is relative, so the site works from
 * any directory of any static server (`/docs` in the sandbox) and from the file system.
 */
export interface NavLink {
  href: string;
  title: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PageInput {
  title: string;
  /** Rendered HTML of the page body. */
  body: string;
  guides: readonly NavLink[];
  reference: readonly NavLink[];
  /** The href of this page, marked as current in the navigation. */
  current: string;
  /** The sandbox origin the samples name when the page cannot tell where it is served from (a file). */
  defaultOrigin: string;
}

/** The favicon and the script that points samples at the origin serving the page (served-origin.js). */
export function siteHead(defaultOrigin: string): string {
  return `<link rel="icon" href="${FAVICON}" type="image/svg+xml">
    <script src="${SERVED_ORIGIN_SCRIPT}" data-default-origin="${escapeHtml(defaultOrigin)}"></script>`;
}

export const FAVICON = 'favicon.svg';
export const SERVED_ORIGIN_SCRIPT = 'served-origin.js';

function navList(links: readonly NavLink[], current: string): string {
  return links
    .map(({ href, title }) => {
      const attrs = href === current ? ' aria-current="page"' : '';
      return `<li><a href="${escapeHtml(href)}"${attrs}>${escapeHtml(title)}</a></li>`;
    })
    .join('\n          ');
}

export function renderPage({ title, body, guides, reference, current, defaultOrigin }: PageInput): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)} · Starship Rewards partner docs</title>
    <link rel="stylesheet" href="site.css">
    ${siteHead(defaultOrigin)}
  </head>
  <body>
    <header class="site-header">
      <a class="site-name" href="index.html">Starship Rewards · partner docs</a>
    </header>
    <div class="site">
      <nav class="site-nav" aria-label="Documentation">
        <h2>Guides</h2>
        <ul>
          ${navList(guides, current)}
        </ul>
        <h2>Reference</h2>
        <ul>
          ${navList(reference, current)}
        </ul>
      </nav>
      <main class="content">
${body}
      </main>
    </div>
  </body>
</html>
`;
}
