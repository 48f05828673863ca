import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  BaseResolver,
  Config,
  Source,
  createConfig,
  lintDocument,
  makeDocumentFromString,
  type NormalizedProblem,
  type RuleConfig,
} from '@redocly/openapi-core';

// Rule tests load the plugin the way redocly.yaml does (a path relative to the config file), so a
// broken export or rule registration fails them, not only a broken rule body.
const CONFIG_PATH = fileURLToPath(new URL('./redocly.yaml', import.meta.url));
const FIXTURE_DIR = '/fixture';
const ROOT_FILE = 'openapi.yaml';

/** Relative path under the fixture directory → parsed document. `openapi.yaml` is the root. */
export type Files = Record<string, unknown>;

/** Serves split-spec fixtures from memory so $refs between files resolve as they do on disk. */
class InMemoryResolver extends BaseResolver {
  readonly #files: Map<string, string>;

  constructor(files: Files) {
    super();
    this.#files = new Map(Object.entries(files).map(([name, doc]) => [`${FIXTURE_DIR}/${name}`, JSON.stringify(doc, null, 2)]));
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    const body = this.#files.get(absoluteRef);
    if (body === undefined) return super.loadExternalRef(absoluteRef);
    return new Source(absoluteRef, body);
  }
}

/** A config with our plugin and only the given rules on (no `extends`). */
function pluginConfig(rules: Record<string, RuleConfig>): Promise<Config> {
  return createConfig({ plugins: ['../lint/plugin.js'], rules }, { configPath: CONFIG_PATH });
}

/** Lints a fixture through Redocly's own engine: with only `rules` on, or with a loaded config. */
export async function lintFixture(files: Files, rulesOrConfig: Record<string, RuleConfig> | Config): Promise<NormalizedProblem[]> {
  const config = rulesOrConfig instanceof Config ? rulesOrConfig : await pluginConfig(rulesOrConfig);
  const rootRef = `${FIXTURE_DIR}/${ROOT_FILE}`;
  return lintDocument({
    document: makeDocumentFromString(JSON.stringify(files[ROOT_FILE], null, 2), rootRef),
    config,
    externalRefResolver: new InMemoryResolver(files),
  });
}

/** `ruleId @ file#pointer` per problem, sorted: what a table row asserts against. */
export function describeProblems(problems: NormalizedProblem[]): string[] {
  return problems
    .map((p) => {
      const where = p.location[0];
      const file = where?.source.absoluteRef.replace(`${FIXTURE_DIR}/`, '') ?? '?';
      return `${p.ruleId} @ ${file}${where?.pointer ?? ''}`;
    })
    .sort();
}

/** A minimal OpenAPI 3.1 root around the given members. */
export function openapi(members: Record<string, unknown>): Record<string, unknown> {
  return { openapi: '3.1.0', info: { title: 'fixture', version: '1.0.0' }, ...members };
}

export interface RuleCase {
  name: string;
  files: Files;
  /** The rule's config for this case; the table's default otherwise. */
  config?: RuleConfig;
  /** `describeProblems` of what the rule must report: [] for a fixture it must accept. */
  expected: string[];
  /** Patterns the problem messages must contain. */
  mentions?: string[];
}

/** One test per table row, each linting its fixture through the real engine with only `rule` on. */
export function testRuleCases(rule: string, cases: RuleCase[], defaultConfig: RuleConfig = 'error'): void {
  for (const { name, files, config = defaultConfig, expected, mentions = [] } of cases) {
    test(`${rule}: ${name}`, async () => {
      const problems = await lintFixture(files, { [rule]: config });
      assert.deepEqual(describeProblems(problems), expected);
      const messages = problems.map((p) => p.message).join('\n');
      for (const text of mentions) assert.match(messages, new RegExp(text));
    });
  }
}
