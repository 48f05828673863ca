/**
 * generated/ is the `@starship/spec` package: the bundled documents, their TypeScript types and operation
 * tables, installed with the SDK and every other package. Its package.json and build config are generated
 * with the rest, so nothing in generated/ is written by hand; its version is the workspace's.
 */
export function specPackageFiles(workspacePackageJson: string): [string, string][] {
  const { version } = JSON.parse(workspacePackageJson) as { version: string };
  const pkg = {
    name: '@starship/spec',
    version,
    description:
      'The Starship Rewards partner API and sandbox control API as bundled OpenAPI 3.1 documents, TypeScript types and operation tables (generated from openapi/)',
    type: 'module',
    license: 'UNLICENSED',
    engines: { node: '>=20.19' },
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
    ['tsconfig.json', json(tsconfig)],
  ];
}
