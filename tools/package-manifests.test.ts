/**
 * What every workspace package promises in its package.json, checked against what it builds and packs:
 * one version for all, exact versions between our packages, every import a declared dependency (hoisting in
 * the workspace would hide a missing one until a user installs), no declared dependency left unused, and
 * tarballs that hold what their exports and bin point at and no tests, test support or TypeScript sources.
 * The install tests (tools/install-test/) then install those tarballs as a user would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from './repo.ts';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: { directory?: string };
  engines?: { node?: string };
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  main?: string;
  types?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8')) as Manifest;
const root = readManifest('.') as Manifest & { workspaces: string[] };
const workspaces = root.workspaces.map((dir) => ({ dir, manifest: readManifest(dir) }));

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier);
}

/**
 * Module specifiers a built file loads or its declarations refer to: static and dynamic imports, re-exports,
 * `import("…")` types, `require(…)` and `require.resolve(…)` (also through createRequire), and the constant
 * head of a template (`@starship/spec/${name}.json`). Parsed, not grepped: code samples inside strings are
 * not imports.
 */
function specifiersOf(file: string): string[] {
  const kind = file.endsWith('.d.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, kind);
  const found: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) found.push(node.text);
    else if (node && ts.isTemplateExpression(node) && node.head.text.length > 0) found.push(node.head.text);
  };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) literal(node.moduleSpecifier);
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = /(^|\W)require(\.resolve)?$|createRequire\([^)]*\)(\.resolve)?$/.test(callee.getText(source));
      if (isImport || isRequire) literal(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('/') && !isBuiltin(specifier));
}

function builtFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return builtFiles(full);
    // Declarations count: a type a package's .d.ts imports must install with it for a TypeScript user.
    return entry.name.endsWith('.js') || entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

test('every package has the workspace version, engines and licence, a README, and pins its sibling packages exactly', () => {
  for (const { dir, manifest } of workspaces) {
    assert.equal(manifest.version, root.version, `${dir}: version`);
    assert.deepEqual(manifest.engines, root.engines, `${dir}: engines`);
    assert.equal(manifest.license, root.license, `${dir}: license`);
    assert.equal(manifest.repository?.directory, dir, `${dir}: repository.directory`);
    assert.equal(manifest.private, undefined, `${dir}: published packages are not private`);
    assert.equal(manifest.devDependencies, undefined, `${dir}: dev dependencies live in the workspace root`);
    assert.ok(existsSync(path.join(repoRoot, dir, 'README.md')), `${dir}: README.md`);
    for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (name.startsWith('@starship/')) assert.equal(range, root.version, `${dir}: ${name} must be exactly ${root.version}`);
      else assert.match(range, /^\d+\.\d+\.\d+$/, `${dir}: ${name} is pinned (${range})`);
    }
  }
});

test('every package imports only what it declares, and declares nothing it does not import', () => {
  for (const { dir, manifest } of workspaces) {
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const used = new Map<string, string>();
    for (const file of builtFiles(path.join(repoRoot, dir, 'dist'))) {
      for (const specifier of specifiersOf(file)) used.set(packageOf(specifier), path.relative(repoRoot, file));
    }
    used.delete(manifest.name);
    const undeclared = [...used].filter(([name]) => !declared.has(name)).map(([name, file]) => `${name} (${file})`);
    assert.deepEqual(undeclared, [], `${dir}: imported but not a dependency`);
    assert.deepEqual([...declared].filter((name) => !used.has(name)), [], `${dir}: a dependency nothing imports`);
  }
});

interface PackedPackage {
  name: string;
  files: { path: string }[];
}

test('each tarball holds what its exports, bin and types point at, and no tests, test support, sources or build info', () => {
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--workspaces', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
  ) as PackedPackage[];
  assert.deepEqual(packed.map((p) => p.name).sort(), workspaces.map((w) => w.manifest.name).sort());
  for (const { name, files } of packed) {
    const { manifest } = workspaces.find((w) => w.manifest.name === name)!;
    const paths = files.map((f) => f.path);
    const unwanted = paths.filter((p) => /(^|\/)test-support\/|\.test\.|tsbuildinfo/.test(p) || (p.endsWith('.ts') && !p.endsWith('.d.ts')));
    assert.deepEqual(unwanted, [], `${name}: files that do not run`);
    assert.ok(paths.includes('README.md'), `${name}: README.md`);

    // `starship-source` points at the TypeScript sources, which stay in the repository (see README, Packages).
    const targets = Object.values(manifest.exports ?? {}).flatMap((target) =>
      typeof target === 'string' ? [target] : Object.entries(target).filter(([condition]) => condition !== 'starship-source').map(([, file]) => file),
    );
    targets.push(...Object.values(manifest.bin ?? {}), ...[manifest.main, manifest.types].filter((file): file is string => file !== undefined));
    for (const target of targets) {
      const pattern = new RegExp(`^${target.replace(/^\.\//, '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace('*', '.+')}$`);
      assert.ok(paths.some((p) => pattern.test(p)), `${name}: ${target} is not in the tarball`);
    }
  }
});
