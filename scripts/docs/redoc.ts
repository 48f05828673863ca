/**
 * Renders one API reference page with `redocly build-docs --inlineBundle` (Redoc's script inlined: no CDN),
 * then makes the page self-contained and relocatable:
 * - Redoc's "API docs by Redocly" badge loads its logo from cdn.redoc.ly; it becomes an inline SVG.
 * - The server-rendered menu links are root-absolute (`/orders`), while Redoc's client routes by hash
 *   (`#/orders`): the prerendered links get the hash form, so they resolve wherever the page is served.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Redocly's CLI script, wherever npm installed it (beside this package or hoisted above it). */
const REDOCLY_CLI = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');

const REDOCLY_LOGO = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;

const LOCAL_LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="52" height="14" viewBox="0 0 52 14">' +
    '<text x="0" y="11" font-family="sans-serif" font-size="11" font-weight="600" fill="#0044d4">Redocly</text></svg>',
)}`;

const HYDRATE = "hydrate(__redoc_definition, __redoc_options, document.getElementById('redoc'));";

/**
 * Rewrites a page produced by build-docs; exported for its test. `head` goes at the end of <head> (the
 * favicon, served-origin.js); before Redoc renders, that script may point the definition's servers and
 * samples at the origin serving the page.
 */
export function makeSelfContained(html: string, head = ''): string {
  const start = html.indexOf('<div id="redoc">');
  const end = html.indexOf('<script type="module">', start);
  if (start === -1 || end === -1) throw new Error('build-docs output has no prerendered <div id="redoc"> followed by its script');
  if (!html.includes(HYDRATE)) throw new Error(`build-docs output does not call ${HYDRATE}`);
  const prerendered = html.slice(start, end).replace(/ href="\/(?!\/)/g, ' href="#/');
  return (html.slice(0, start) + prerendered + html.slice(end))
    .replace(REDOCLY_LOGO, LOCAL_LOGO)
    .replace('</head>', `${head}\n</head>`)
    .replace(HYDRATE, `window.starshipDocs?.prepareReference(__redoc_definition, document.getElementById('redoc'));\n      ${HYDRATE}`);
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redocly build-docs exited with ${code}:\n${output}`))));
  });
}

export interface ReferencePageInput {
  spec: Record<string, unknown>;
  title: string;
  outFile: string;
  /** Redoc options (the `openapi` section of a Redocly config), e.g. which code-sample languages to show. */
  redocOptions?: Record<string, unknown>;
  /** Markup added to <head>. */
  head?: string;
}

export async function renderReferencePage({ spec, title, outFile, redocOptions = {}, head = '' }: ReferencePageInput): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'starship-redoc-'));
  try {
    const specFile = path.join(work, 'openapi.json');
    const configFile = path.join(work, 'redocly.yaml');
    const htmlFile = path.join(work, 'reference.html');
    await writeFile(specFile, JSON.stringify(spec));
    // An explicit config with Redoc's options only: the repository's redocly.yaml loads the lint plugin, which rendering does not need.
    await writeFile(configFile, `${JSON.stringify({ openapi: redocOptions })}\n`);
    await run(
      process.execPath,
      [REDOCLY_CLI, 'build-docs', specFile, '--inlineBundle', '--config', configFile, '--title', title, '-o', htmlFile],
      work,
    );
    await writeFile(outFile, makeSelfContained(await readFile(htmlFile, 'utf8'), head));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
