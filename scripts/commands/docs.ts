import path from 'node:path';
import { buildDocsSite } from '../docs/site.ts';

export async function docsCommand(options: { out?: string }): Promise<number> {
  const outDir = options.out ? path.resolve(options.out) : path.resolve('docs-site');
  const site = await buildDocsSite(outDir);
  console.log(`docs: ${site.pages.length} pages and ${site.files.length - site.pages.length} other files in ${outDir}`);
  for (const page of site.pages) console.log(`  ${page.file}  ${page.title}`);
  return 0;
}
