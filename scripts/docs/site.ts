/**
 * `buildDocsSite(outDir)`: the partner docs as a static, self-contained site. No page loads anything from
 * the network and every link is relative, so any static server can mount the directory anywhere (the
 * sandbox serves it at `/docs`).
 *
 *   index.html                          what is where
 *   <guide>.html                        the guides, rendered from docs/*.md
 *   partner-api.html, sandbox-api.html  Redoc references (partner operations carry curl and SDK samples)
 *   starship.openapi.json, sandbox.openapi.json   the bundled specs
 *   starship.postman_collection.json    Postman collection whose pre-request script signs writes
 *   site.css, favicon.svg
 *   served-origin.js                    points samples, servers and the Postman baseUrl at the serving origin
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSpec } from '@starship/contract';
import { REDOC_SAMPLE_LANGUAGES, withCodeSamples } from './code-samples.ts';
import { guides, guideSource } from './guides.ts';
import { escapeHtml, FAVICON, renderPage, SERVED_ORIGIN_SCRIPT, siteHead, type NavLink } from './layout.ts';
import { renderMarkdown } from './markdown.ts';
import { buildPostmanCollection, POSTMAN_FILE } from './postman.ts';
import { renderReferencePage } from './redoc.ts';
import { primaryServer } from './spec-walk.ts';

export interface SitePage {
  file: string;
  title: string;
  kind: 'index' | 'guide' | 'reference';
}

export interface DocsSite {
  outDir: string;
  pages: SitePage[];
  /** Every file written, relative to outDir. */
  files: string[];
}

export const REFERENCE_PAGES = {
  partner: { file: 'partner-api.html', title: 'Partner API reference', spec: 'starship.openapi.json' },
  sandbox: { file: 'sandbox-api.html', title: 'Sandbox control API reference', spec: 'sandbox.openapi.json' },
} as const;

/**
 * Repository files the guides link to, so that the links work where the guides are read as Markdown (the
 * repository), and the site page each one becomes.
 */
export const PUBLISHED_AS: Readonly<Record<string, string>> = {
  '../../openapi/starship.yaml': REFERENCE_PAGES.partner.file,
  '../../openapi/sandbox.yaml': REFERENCE_PAGES.sandbox.file,
  '../docs/postman.ts': POSTMAN_FILE,
};

/**
 * Redoc scrolls a long sample line inside a panel whose scrollbar it hides, so a curl line reads as cut
 * off: samples wrap instead (copying still takes the sample as written).
 */
const REFERENCE_STYLE = `<style>
[data-component-name="CodeBlock/CodeBlockContainer"], [data-component-name="CodeBlock/CodeBlockContainer"] * { white-space: pre-wrap !important; overflow-wrap: anywhere; }
</style>`;

const HOME_LINK = '[← Starship partner docs: guides, Postman collection](index.html)';

/** The docs copy of a spec: a link home at the top of its description, nothing else changed. */
function withHomeLink(spec: Record<string, unknown>): Record<string, unknown> {
  const info = (spec.info ?? {}) as Record<string, unknown>;
  const description = typeof info.description === 'string' ? info.description : '';
  return { ...spec, info: { ...info, description: `${HOME_LINK}\n\n${description}` } };
}

function indexBody(guideLinks: { href: string; title: string; summary: string }[]): string {
  const guideItems = guideLinks
    .map((g) => `<li><a href="${escapeHtml(g.href)}">${escapeHtml(g.title)}</a> — ${escapeHtml(g.summary)}</li>`)
    .join('\n  ');
  return `<h1 id="starship-rewards-partner-docs">Starship Rewards partner docs</h1>
<p>Gift cards delivered as a service: catalog, pricing, orders, wallets and signed webhooks, behind one
versioned REST API (<code>/api/v1</code>). Build and certify your integration against the sandbox, then
ask for production keys.</p>
<h2 id="guides">Guides</h2>
<ol class="guide-list">
  ${guideItems}
</ol>
<h2 id="reference">Reference</h2>
<ul>
  <li><a href="${REFERENCE_PAGES.partner.file}">${REFERENCE_PAGES.partner.title}</a> — every endpoint, header,
    error and webhook event, with curl (signed) and TypeScript SDK samples on every operation.</li>
  <li><a href="${REFERENCE_PAGES.sandbox.file}">${REFERENCE_PAGES.sandbox.title}</a> — the operator surface of the
    sandbox: partners, wallets, inventory pumps, order actions, clock, faults, request log.</li>
  <li><a href="${POSTMAN_FILE}" download>Postman collection</a> — import it, set <code>apiKey</code> and
    <code>apiSecret</code>; its pre-request script signs every write.</li>
  <li>OpenAPI 3.1 (bundled JSON): <a href="${REFERENCE_PAGES.partner.spec}" download>partner API</a>,
    <a href="${REFERENCE_PAGES.sandbox.spec}" download>sandbox control API</a>.</li>
</ul>`;
}

export async function buildDocsSite(outDir: string): Promise<DocsSite> {
  await mkdir(outDir, { recursive: true });
  // Renderers annotate what they are given (code samples); the shared bundled documents stay untouched.
  const [partner, sandbox] = [structuredClone(loadSpec('starship')), structuredClone(loadSpec('sandbox'))];
  const files: string[] = [];
  const write = async (file: string, content: string) => {
    await writeFile(path.join(outDir, file), content);
    files.push(file);
  };

  const rendered = await Promise.all(
    guides.map(async (guide) => ({ guide, ...renderMarkdown(await readFile(guideSource(guide), 'utf8'), PUBLISHED_AS) })),
  );
  const guideNav: NavLink[] = rendered.map(({ guide, title }) => ({ href: `${guide.slug}.html`, title }));
  const referenceNav: NavLink[] = [
    { href: REFERENCE_PAGES.partner.file, title: 'Partner API' },
    { href: REFERENCE_PAGES.sandbox.file, title: 'Sandbox control API' },
    { href: POSTMAN_FILE, title: 'Postman collection' },
  ];
  // What the samples name when the page cannot tell which origin serves it: the local sandbox of `npm start`.
  const defaultOrigin = primaryServer(partner).origin;
  const page = (title: string, body: string, current: string) =>
    renderPage({ title, body, guides: guideNav, reference: referenceNav, current, defaultOrigin });

  await Promise.all([
    renderReferencePage({
      spec: withHomeLink(withCodeSamples(partner)),
      title: `${REFERENCE_PAGES.partner.title} · Starship Rewards`,
      outFile: path.join(outDir, REFERENCE_PAGES.partner.file),
      redocOptions: { codeSamples: { languages: REDOC_SAMPLE_LANGUAGES } },
      head: `${siteHead(defaultOrigin)}\n${REFERENCE_STYLE}`,
    }),
    renderReferencePage({
      spec: withHomeLink(sandbox),
      title: `${REFERENCE_PAGES.sandbox.title} · Starship Rewards`,
      outFile: path.join(outDir, REFERENCE_PAGES.sandbox.file),
      head: `${siteHead(defaultOrigin)}\n${REFERENCE_STYLE}`,
    }),
  ]);
  files.push(REFERENCE_PAGES.partner.file, REFERENCE_PAGES.sandbox.file);

  for (const { guide, title, html } of rendered) await write(`${guide.slug}.html`, page(title, html, `${guide.slug}.html`));
  await write(
    'index.html',
    page(
      'Home',
      indexBody(rendered.map(({ guide, title }) => ({ href: `${guide.slug}.html`, title, summary: guide.summary }))),
      'index.html',
    ),
  );
  await write(POSTMAN_FILE, `${JSON.stringify(buildPostmanCollection(partner), null, 2)}\n`);
  await write(REFERENCE_PAGES.partner.spec, `${JSON.stringify(partner, null, 2)}\n`);
  await write(REFERENCE_PAGES.sandbox.spec, `${JSON.stringify(sandbox, null, 2)}\n`);
  for (const asset of ['site.css', FAVICON, SERVED_ORIGIN_SCRIPT]) {
    await copyFile(new URL(`./${asset}`, import.meta.url), path.join(outDir, asset));
    files.push(asset);
  }

  return {
    outDir,
    pages: [
      { file: 'index.html', title: 'Home', kind: 'index' },
      ...rendered.map(({ guide, title }) => ({ file: `${guide.slug}.html`, title, kind: 'guide' as const })),
      { file: REFERENCE_PAGES.partner.file, title: REFERENCE_PAGES.partner.title, kind: 'reference' },
      { file: REFERENCE_PAGES.sandbox.file, title: REFERENCE_PAGES.sandbox.title, kind: 'reference' },
    ],
    files: files.sort(),
  };
}
