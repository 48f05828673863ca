/**
 * Guides are Markdown in docs/ so they read well on GitHub too; `marked` (a small, dependency-free,
 * CommonMark/GFM renderer) turns them into HTML. Two additions: headings get stable ids for deep links, and
 * links to sibling guides (`signing.md#worked-example`) point at the rendered pages (`signing.html#…`).
 */
import { Marked, type Token, type Tokens } from 'marked';

export interface Heading {
  depth: number;
  id: string;
  text: string;
}

export interface RenderedMarkdown {
  /** The text of the first level-1 heading. */
  title: string;
  html: string;
  headings: Heading[];
}

export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/<[^>]*>/g, '')
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .trim()
      .replace(/\s+/g, '-') || 'section'
  );
}

const SIBLING_GUIDE = /^(?!\w+:)([\w./-]*?)\.md(#.*)?$/;

/**
 * `signing.md#x` → `signing.html#x`, and a link to a repository file the site publishes as a page
 * (`published`, e.g. `../../openapi/starship.yaml` → `partner-api.html`) → that page: guides link what a
 * reader of the repository can open, and the site rewrites them. Other links are left alone.
 */
export function siteHref(href: string, published: Readonly<Record<string, string>> = {}): string {
  const [target = '', fragment] = href.split('#', 2) as [string, string | undefined];
  const page = published[target];
  if (page !== undefined) return fragment === undefined ? page : `${page}#${fragment}`;
  const match = SIBLING_GUIDE.exec(href);
  return match ? `${match[1]}.html${match[2] ?? ''}` : href;
}

function plainText(tokens: Token[]): string {
  return tokens.map((t) => ('tokens' in t && t.tokens ? plainText(t.tokens) : 'text' in t ? t.text : '')).join('');
}

export function renderMarkdown(source: string, published: Readonly<Record<string, string>> = {}): RenderedMarkdown {
  const headings: Heading[] = [];
  const used = new Map<string, number>();
  const marked = new Marked({
    gfm: true,
    walkTokens(token) {
      if (token.type === 'link') (token as Tokens.Link).href = siteHref((token as Tokens.Link).href, published);
    },
    renderer: {
      heading({ tokens, depth }) {
        const text = plainText(tokens);
        const base = slugify(text);
        const seen = used.get(base) ?? 0;
        used.set(base, seen + 1);
        const id = seen === 0 ? base : `${base}-${seen}`;
        headings.push({ depth, id, text });
        return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
    },
  });
  const html = marked.parse(source, { async: false });
  const title = headings.find((h) => h.depth === 1)?.text;
  if (title === undefined) throw new Error('a guide must start with a level-1 heading (its title)');
  return { title, html, headings };
}

export interface CodeBlock {
  lang: string;
  text: string;
}

/** The fenced code blocks of a Markdown document, in order (for checking what the guides show). */
export function codeBlocks(source: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  new Marked().walkTokens(new Marked().lexer(source), (token) => {
    if (token.type === 'code') blocks.push({ lang: (token as Tokens.Code).lang ?? '', text: (token as Tokens.Code).text });
  });
  return blocks;
}
