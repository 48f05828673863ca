/**
 * generated/ is the `@starship/spec` package: the bundled documents, their TypeScript types and operation
 * tables, installed with the SDK and every other package. Its package.json, README and build config are
 * generated with the rest, so nothing in generated/ is written by hand; its version, engines, licence and
 * repository are the workspace's.
 */
interface WorkspaceManifest {
  version: string;
  license: string;
  engines: { node: string };
  repository: { type: string; url: string };
}

const README = `# @starship/spec

The Starship Rewards partner API (\`/api/v1\`) and the sandbox control API (\`/sandbox/v1\`) as data: the
bundled OpenAPI 3.1 documents, the published v1 baseline, their TypeScript types (openapi-typescript) and
per-operation tables (error codes, webhook events, handler types). Generated from the spec repository's
\`openapi/\`; no runtime dependencies.

You rarely install it yourself: \`@starship/sdk\` and \`@starship/cli\` depend on it.

\`\`\`sh
npm install @starship/spec
\`\`\`

\`\`\`js
import { createRequire } from 'node:module';
import { starshipOperations } from '@starship/spec/starship-operations';

const spec = createRequire(import.meta.url)('@starship/spec/starship.bundled.json');
console.log(spec.info.version, starshipOperations.createOrder.errorCodes.length, 'error codes for POST /orders');
\`\`\`

Entry points: \`@starship/spec/starship\` and \`@starship/spec/sandbox\` (types: \`paths\`, \`components\`,
\`operations\`), \`…/starship-operations\` and \`…/sandbox-operations\` (operation tables and their types),
\`…/starship.bundled.json\`, \`…/sandbox.bundled.json\`, \`…/starship-v1.baseline.json\`.
`;

export function specPackageFiles(workspacePackageJson: string): [string, string][] {
  const { version, license, engines, repository } = JSON.parse(workspacePackageJson) as WorkspaceManifest;
  const pkg = {
    name: '@starship/spec',
    version,
    description:
      'The Starship Rewards partner API and sandbox control API as bundled OpenAPI 3.1 documents, TypeScript types and operation tables (generated from openapi/)',
    type: 'module',
    license,
    repository: { ...repository, directory: 'generated' },
    engines,
    exports: {
      './*.json': './*.json',
      './*': { 'starship-source': './*.ts', types: './dist/*.d.ts', default: './dist/*.js' },
      './package.json': './package.json',
    },
    files: ['*.bundled.json', '*.baseline.json', 'dist', '!dist/.tsbuildinfo'],
    sideEffects: false,
  };
  const tsconfig = {
    extends: '../tsconfig.base.json',
    compilerOptions: { composite: true, rootDir: '.', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' },
    include: ['*.ts'],
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return [
    ['package.json', json(pkg)],
    ['README.md', README],
    ['tsconfig.json', json(tsconfig)],
  ];
}
