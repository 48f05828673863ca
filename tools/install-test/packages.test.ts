/**
 * The packages installed as their users install them (`npm run test:install`, a CI step; not part of `npm test`
 * because it needs the npm registry and a minute or two): every workspace packed with `npm pack`, then three
 * fresh projects outside the repository install the tarballs with `--omit=dev`:
 * - a partner's plain Node app: the SDK alone, run as `app.mjs`;
 * - a partner's strict TypeScript project: the SDK with typescript and @types/node (no @types/express),
 *   compiled with `module: NodeNext` and with `moduleResolution: Bundler`;
 * - a CI job: the CLI, whose `starship mock` the app and `starship conformance server` then run against.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codeBlocks } from '../../scripts/docs/markdown.ts';
import { repoRoot } from '../repo.ts';
import {
  assertIsolated,
  installedPackages,
  installProject,
  offerLocalPrebuilds,
  packWorkspaces,
  runInProject,
  startInstalledSandbox,
  type InstalledSandbox,
  type Tarballs,
} from './install.ts';

const fixtures = path.join(repoRoot, 'tools/install-test/fixtures');
const rootManifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };
/** A partner's own tools, at the versions this repository pins. */
const partnerTypeScript = { typescript: rootManifest.devDependencies.typescript!, '@types/node': rootManifest.devDependencies['@types/node']! };

/** What a CI job must not download with the CLI: the repository's test, bench and build tools. */
const DEV_ONLY = ['tsx', 'typescript', 'openapi-typescript', 'playwright-core', 'autocannon', 'fast-check', '@stoplight/prism-cli'];

const work = mkdtempSync(path.join(tmpdir(), 'starship-install-'));
const projects = { sdk: path.join(work, 'sdk-app'), types: path.join(work, 'sdk-typescript'), cli: path.join(work, 'ci') };
let tarballs: Tarballs;
let sandbox: InstalledSandbox | undefined;

before(async () => {
  const started = performance.now();
  const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  assertIsolated(work);
  ({ tarballs } = await packWorkspaces(path.join(work, 'tarballs')));
  console.log(`packed ${Object.keys(tarballs).length} packages: ${seconds()}`);
  const sdkAlone = { '@starship/sdk': tarballs['@starship/sdk']!, '@starship/spec': tarballs['@starship/spec']! };
  mkdirSync(projects.cli, { recursive: true });
  console.log(await offerLocalPrebuilds(projects.cli, path.join(work, 'prebuilds')));
  // @starship/* are not on the registry, so the CLI's project names every tarball; npm dedupes them into the
  // tree a registry install of @starship/cli would make.
  await Promise.all([
    installProject(projects.sdk, sdkAlone),
    installProject(projects.types, { ...sdkAlone, ...partnerTypeScript }),
    installProject(projects.cli, tarballs),
  ]);
  console.log(`installed the SDK app, the TypeScript project and the CLI: ${seconds()}`);
  sandbox = await startInstalledSandbox(projects.cli, ['--port', '0', '--db', ':memory:']);
  console.log(`starship mock listening: ${seconds()}`);
});

after(async () => {
  await sandbox?.stop();
  rmSync(work, { recursive: true, force: true });
});

function partnerEnv(s: InstalledSandbox) {
  return { STARSHIP_BASE_URL: s.baseUrl, STARSHIP_API_KEY: s.apiKey, STARSHIP_API_SECRET: s.apiSecret };
}

test('the SDK installs alone as five packages, and a plain .mjs app signs the vectors, lists products and places an order', async () => {
  assert.deepEqual(
    installedPackages(projects.sdk).map((p) => p.name).sort(),
    ['@starship/sdk', '@starship/spec', 'openapi-fetch', 'openapi-typescript-helpers', 'ulid'],
  );
  copyFileSync(path.join(fixtures, 'app.mjs'), path.join(projects.sdk, 'app.mjs'));
  copyFileSync(path.join(repoRoot, 'testdata/signing-vectors.json'), path.join(projects.sdk, 'signing-vectors.json'));
  const app = await runInProject(projects.sdk, 'node', ['app.mjs', 'signing-vectors.json'], partnerEnv(sandbox!));
  assert.equal(app.code, 0, app.stderr);
  const result = JSON.parse(app.stdout) as { vectors: number; products: number; order: { id: string; status: string; vouchers: number } };
  assert.ok(result.vectors >= 2 && result.products > 0, app.stdout);
  assert.match(result.order.id, /^ord_/);
  assert.equal(result.order.status, 'DELIVERED');
  assert.equal(result.order.vouchers, 1);
});

test('strict TypeScript (NodeNext, and Bundler) compiles a typed call and error branch without @types/express, and rejects a wrong argument', async () => {
  const installed = installedPackages(projects.types).map((p) => p.name);
  assert.ok(!installed.some((name) => name === '@types/express' || name === 'express'), 'the project has no Express types');
  const source = readFileSync(path.join(fixtures, 'typed.ts'), 'utf8');
  // The same file with one argument of the wrong type: the compiler must point at it, and at nothing else.
  const wrong = source.replace("amount: '25.00'", 'amount: 25');
  assert.notEqual(wrong, source);
  const wrongLine = wrong.split('\n').findIndex((line) => line.includes('amount: 25')) + 1;
  writeFileSync(path.join(projects.types, 'typed.ts'), source);
  writeFileSync(path.join(projects.types, 'wrong.ts'), wrong);
  const strict = { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: true, types: ['node'], target: 'ES2022', lib: ['ES2023'] };
  const modes = {
    nodenext: { module: 'NodeNext', moduleResolution: 'NodeNext' },
    bundler: { module: 'ESNext', moduleResolution: 'Bundler' },
  };
  for (const [mode, options] of Object.entries(modes)) {
    writeFileSync(path.join(projects.types, `tsconfig.${mode}.json`), JSON.stringify({ compilerOptions: { ...strict, ...options }, files: ['typed.ts', 'wrong.ts'] }, null, 2));
  }
  const results = await Promise.all(Object.keys(modes).map((mode) => runInProject(projects.types, 'tsc', ['-p', `tsconfig.${mode}.json`, '--pretty', 'false'])));
  for (const [index, mode] of Object.keys(modes).entries()) {
    const { code, stdout } = results[index]!;
    const errors = stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    assert.equal(code, 2, `${mode}: tsc must fail on wrong.ts\n${stdout}`);
    assert.equal(errors.length, 1, `${mode}: only wrong.ts's deliberate error\n${stdout}`);
    assert.match(errors[0]!, new RegExp(`^wrong\\.ts\\(${wrongLine},\\d+\\): error TS2322: Type 'number' is not assignable to type 'string'`), mode);
  }
});

test('the CLI installs without the repository’s dev tools; `starship --version` prints its version, `generate` names what it lacks', async () => {
  const installed = installedPackages(projects.cli);
  assert.deepEqual(installed.filter((p) => DEV_ONLY.includes(p.name)).map((p) => p.location), []);
  // Type packages never come from our manifests; a third-party package that ships them as runtime
  // dependencies is named here (express-openapi-validator does, until the sandbox drops it).
  const ours = new Set(installed.filter((p) => p.name.startsWith('@starship/')).flatMap((p) => p.dependsOn));
  assert.deepEqual([...ours].filter((name) => name.startsWith('@types/')), []);
  const version = await runInProject(projects.cli, 'starship', ['--version']);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), rootManifest.version);
  // `generate` rewrites the spec repository's generated/; its type generator is an optional peer.
  const generate = await runInProject(projects.cli, 'starship', ['generate']);
  assert.equal(generate.code, 2);
  assert.match(generate.stderr, /^starship: starship generate needs openapi-typescript, a dev dependency of the spec repository/);
});

test('`starship mock` from the install serves the API with the printed credentials and the packaged docs at /docs/', async () => {
  const s = sandbox!;
  assert.equal(s.docsUrl, `${s.origin}/docs/`);
  const docs = await fetch(s.docsUrl!);
  assert.equal(docs.status, 200);
  assert.match(await docs.text(), /Starship Rewards partner docs/);
  const reference = await fetch(new URL('partner-api.html', s.docsUrl));
  assert.equal(reference.status, 200);
  const products = await fetch(`${s.baseUrl}/products?limit=1`, { headers: { 'X-API-Key': s.apiKey, 'X-API-Secret': s.apiSecret } });
  assert.equal(products.status, 200);
  const unauthorized = await fetch(`${s.baseUrl}/products?limit=1`, { headers: { 'X-API-Key': s.apiKey, 'X-API-Secret': 'sk_test_wrong' } });
  assert.equal(unauthorized.status, 401);
});

test('`starship lint` in a project without redocly.yaml: the packaged specs, given files with the packaged rules, a missing file exits 2', async () => {
  const packaged = await runInProject(projects.cli, 'starship', ['lint']);
  assert.equal(packaged.code, 0, packaged.stdout + packaged.stderr);
  assert.match(packaged.stdout, /starship@v1 \(the packaged partner API\): 0 error\(s\), 0 warning\(s\)/);
  assert.match(packaged.stdout, /sandbox@v1 \(the packaged control API\): 0 error\(s\), 0 warning\(s\)/);

  const spec = JSON.parse(readFileSync(path.join(repoRoot, 'generated/starship.bundled.json'), 'utf8')) as { components: { schemas: Record<string, { enum?: string[] }> } };
  spec.components.schemas.OrderStatus!.enum!.push('on_hold');
  writeFileSync(path.join(projects.cli, 'lowercase-enum.json'), JSON.stringify(spec, null, 2));
  const found = await runInProject(projects.cli, 'starship', ['lint', 'lowercase-enum.json']);
  assert.equal(found.code, 1, found.stdout + found.stderr);
  assert.match(found.stdout, /lowercase-enum\.json:\d+:\d+ {2}error {2}starship\/uppercase-enum-values {2}Enum value "on_hold" must be UPPERCASE/);

  const missing = await runInProject(projects.cli, 'starship', ['lint', 'no-such-spec.yaml']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no-such-spec\.yaml: no such file/);
});

test('`starship diff` of two files: the packaged spec against its baseline passes, a removed response field exits 1', async () => {
  const spec = (file: string) => path.join(projects.cli, 'node_modules/@starship/spec', file);
  const same = await runInProject(projects.cli, 'starship', ['diff', spec('starship-v1.baseline.json'), spec('starship.bundled.json')]);
  assert.equal(same.code, 0, same.stdout + same.stderr);
  assert.match(same.stdout, /0 breaking/);

  const revision = JSON.parse(readFileSync(spec('starship.bundled.json'), 'utf8')) as { components: { schemas: { Order: { properties: Record<string, unknown>; required?: string[] } } } };
  delete revision.components.schemas.Order.properties.reference;
  revision.components.schemas.Order.required = revision.components.schemas.Order.required?.filter((name) => name !== 'reference');
  writeFileSync(path.join(projects.cli, 'breaking.json'), JSON.stringify(revision));
  const breaking = await runInProject(projects.cli, 'starship', ['diff', spec('starship.bundled.json'), 'breaking.json', '--format', 'json']);
  assert.equal(breaking.code, 1, breaking.stderr);
  const report = JSON.parse(breaking.stdout) as { changes: { rule: string; severity: string; location: string }[]; summary: { breaking: number } };
  assert.ok(report.summary.breaking >= 1);
  assert.ok(report.changes.some((c) => c.severity === 'breaking' && c.location.includes('/Order/properties/reference')), breaking.stdout);
});

test('`starship conformance server` from the install certifies the installed sandbox (exit 0)', async () => {
  const s = sandbox!;
  const report = path.join(projects.cli, 'conformance.json');
  const result = await runInProject(projects.cli, 'starship', [
    'conformance', 'server',
    '--base-url', s.baseUrl, '--api-key', s.apiKey, '--api-secret', s.apiSecret,
    '--sandbox-url', s.origin, '--admin-token', s.adminToken,
    '--json', report,
  ]);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const { summary } = JSON.parse(readFileSync(report, 'utf8')) as { summary: { pass: number; fail: number } };
  assert.equal(summary.fail, 0);
  assert.ok(summary.pass > 50, `${summary.pass} checks passed`);
});

test("each library package's README example runs as written against the installed packages", async () => {
  const spec = (file: string) => path.join(projects.cli, 'node_modules/@starship/spec', file);
  // The conformance example diffs two spec files of the reader's own.
  copyFileSync(spec('starship-v1.baseline.json'), path.join(projects.cli, 'published.json'));
  copyFileSync(spec('starship.bundled.json'), path.join(projects.cli, 'starship.json'));
  const examples = ['generated', 'contract', 'conformance', 'mock-server'].flatMap((dir) =>
    codeBlocks(readFileSync(path.join(repoRoot, dir, 'README.md'), 'utf8'))
      .filter((block) => block.lang === 'js')
      .map((block, index) => ({ name: `readme-${dir}-${index + 1}.mjs`, source: block.text })),
  );
  assert.equal(examples.length, 4);
  for (const { name, source } of examples) {
    writeFileSync(path.join(projects.cli, name), source);
    const result = await runInProject(projects.cli, 'node', [name]);
    assert.equal(result.code, 0, `${name}\n${result.stdout}${result.stderr}`);
    assert.notEqual(result.stdout.trim(), '', name);
  }
});
