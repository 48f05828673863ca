import { findDrift, hasDrift, renderGenerated, writeGenerated } from '../generate.ts';

export async function generateCommand(options: { check?: boolean }): Promise<number> {
  const files = await renderGenerated();
  if (!options.check) {
    const written = await writeGenerated(files);
    console.log(written.length ? `generated/: wrote ${written.join(', ')}` : 'generated/ is up to date');
    return 0;
  }
  const drift = await findDrift(files);
  if (!hasDrift(drift)) {
    console.log(`generated/ is in sync with openapi/ (${files.size} files)`);
    return 0;
  }
  for (const name of drift.stale) console.error(`stale: generated/${name}`);
  for (const name of drift.missing) console.error(`missing: generated/${name}`);
  for (const name of drift.unexpected) console.error(`not produced by the specs: generated/${name}`);
  console.error('generated/ is out of date: run `npm run generate` and commit the result');
  return 1;
}
