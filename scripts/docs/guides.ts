/**
 * The guides, in reading order. Each is `guides/<slug>.md` rendered to `<slug>.html`; its title is the
 * Markdown's first heading, the summary is what the index page says about it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Guide {
  slug: string;
  summary: string;
}

/** The guides ship with the CLI: `scripts/guides/` in the repository, `dist/guides/` in the package (the build copies them). */
export const docsDir = fileURLToPath(new URL('../guides/', import.meta.url));

export const guides: readonly Guide[] = [
  { slug: 'getting-started', summary: 'Run the sandbox, take the credentials it prints, make your first calls.' },
  { slug: 'signing', summary: 'Sign every write with HMAC-SHA256, with a worked example you can check byte for byte.' },
  { slug: 'idempotency-and-retries', summary: 'Idempotency-Key on orders, what to retry, and how.' },
  { slug: 'fulfillment', summary: 'Inventory-first fulfillment: DELIVERED now or PENDING until an operator acts.' },
  { slug: 'webhooks', summary: 'Register endpoints, verify signatures with verifyWebhook, handle retries and rotation.' },
  { slug: 'testing', summary: 'Drive the hosted sandbox with your own credentials: test helpers, listen, trigger, logs, certification.' },
  { slug: 'versioning', summary: 'What v1 guarantees, what may be added, and how breaking changes would be announced.' },
  { slug: 'certification', summary: 'What the conformance suite checks before production keys are issued.' },
];

export function guideSource(guide: Guide): string {
  return path.join(docsDir, `${guide.slug}.md`);
}
