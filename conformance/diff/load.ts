import { isObject, type Json } from '@starship/contract';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { bundleSpec } from '@starship/contract/bundle';

/** Reads the spec's source files by the path shown in annotations (repo-relative for git, cwd-relative on disk). */
export interface SourceReader {
  /** The root file. */
  root: string;
  read(file: string): string;
}

export interface LoadedSpec {
  /** Bundled: every `$ref` internal. */
  document: Json;
  /** As given on the command line. */
  label: string;
  sources: SourceReader;
}

const GIT_SPEC = /^([^:]+):(.+)$/;
const MAX_BUFFER = 1 << 30;

function git(cwd: string, args: string[]): Buffer {
  try {
    return execFileSync('git', args, { cwd, maxBuffer: MAX_BUFFER, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0];
    throw new Error(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

// A `"$ref"` key whose value does not start with `#`. Inside a JSON string the quotes would be escaped, so text
// in descriptions cannot match; a false match only costs a bundling pass.
const EXTERNAL_REF = /"\$ref"\s*:\s*"(?!#)/;

/**
 * A JSON document with no external `$ref` is already what bundling produces; parsing it directly keeps a 5 MB
 * baseline from paying for a second bundling pass (seconds, against milliseconds for JSON.parse).
 */
function selfContained(text: string, file: string): Json | undefined {
  if (!file.endsWith('.json') && !text.trimStart().startsWith('{')) return undefined;
  if (EXTERNAL_REF.test(text)) return undefined;
  try {
    const document: unknown = JSON.parse(text);
    return isObject(document) ? document : undefined;
  } catch {
    return undefined;
  }
}

const OBJECT_FIELDS = ['info', 'paths', 'components', 'webhooks'] as const;

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);

/**
 * Why a parsed file is not an OpenAPI 3.x document, or undefined when it is one. A Swagger 2.0 file or a
 * document whose `paths` is not a mapping would otherwise be diffed as an empty spec (a corrupted baseline
 * then reads as "everything is additive" and passes the CI gate).
 */
export function notOpenApi3(document: unknown): string | undefined {
  if (!isObject(document)) return 'the top level is not a mapping';
  if (document.swagger !== undefined) return `it declares swagger: ${JSON.stringify(document.swagger)} (Swagger ${String(document.swagger)}); convert it to OpenAPI 3`;
  if (document.openapi === undefined) return 'it has no `openapi: 3.x` version field';
  if (typeof document.openapi !== 'string' || !/^3\.\d+(\.\d+)?$/.test(document.openapi)) return `its version is openapi: ${JSON.stringify(document.openapi)}, not 3.x`;
  if (!isObject(document.info)) return `\`info\` must be an object, got ${kindOf(document.info)}`;
  for (const field of OBJECT_FIELDS) {
    if (document[field] !== undefined && !isObject(document[field])) return `\`${field}\` must be an object, got ${kindOf(document[field])}`;
  }
  if (document.paths === undefined && document.webhooks === undefined && document.components === undefined) return 'it has none of `paths`, `webhooks` or `components`';
  return undefined;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Refuses a root file that is not OpenAPI 3.x, before any bundling, with one line naming the input. */
function assertOpenApi3(text: string, label: string): void {
  let document: unknown;
  try {
    // JSON.parse first: a multi-megabyte JSON baseline takes seconds through the YAML parser.
    document = /^\s*[[{]/.test(text) ? tryJson(text) ?? parseYaml(text) : parseYaml(text);
  } catch (error) {
    throw new Error(`${label} is neither JSON nor YAML: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
  }
  const problem = notOpenApi3(document);
  if (problem) throw new Error(`${label} is not an OpenAPI 3.x document: ${problem}`);
}

async function bundle(file: string, label: string): Promise<Json> {
  try {
    return await bundleSpec(file);
  } catch (error) {
    const lines = (error instanceof Error ? error.message : String(error)).split('\n').slice(1).map((line) => line.trim()).filter(Boolean);
    throw new Error(`cannot bundle ${label}: ${lines.join('; ') || String(error)}`);
  }
}

async function loadFile(file: string, label: string, cwd: string): Promise<LoadedSpec> {
  const text = readFileSync(file, 'utf8');
  assertOpenApi3(text, label);
  const document = selfContained(text, file) ?? (await bundle(file, label));
  const root = path.relative(cwd, file).split(path.sep).join('/');
  return { document, label, sources: { root, read: (name) => readFileSync(path.resolve(cwd, name), 'utf8') } };
}

/**
 * `REF:path` as git reads it (`path` from the repository root, or from the working directory when it starts with
 * `./` or `../`). A split spec needs the files it references as they were at REF, so the spec's directory is
 * materialised from `git archive` into a private temporary directory and bundled there.
 */
async function loadFromGit(ref: string, spec: string, label: string, cwd: string): Promise<LoadedSpec> {
  const top = git(cwd, ['rev-parse', '--show-toplevel']).toString().trim();
  const relative = (spec.startsWith('./') || spec.startsWith('../') ? path.relative(top, path.resolve(cwd, spec)) : spec).split(path.sep).join('/');
  const show = (file: string) => git(top, ['show', `${ref}:${file}`]).toString('utf8');
  const text = show(relative);
  assertOpenApi3(text, label);
  let document = selfContained(text, relative);
  if (document === undefined) {
    const temp = mkdtempSync(path.join(tmpdir(), 'starship-diff-'));
    try {
      const directory = path.posix.dirname(relative);
      const archive = git(top, ['archive', '--format=tar', ref, ...(directory === '.' ? [] : ['--', directory])]);
      execFileSync('tar', ['-x', '-C', temp], { input: archive, stdio: ['pipe', 'ignore', 'pipe'], maxBuffer: MAX_BUFFER });
      document = await bundle(path.join(temp, relative), label);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }
  return { document, label, sources: { root: relative, read: show } };
}

/** BASE or REVISION of `starship diff`: a file, or `REF:path` read from git. */
export async function loadSpec(spec: string, cwd = process.cwd()): Promise<LoadedSpec> {
  const file = path.resolve(cwd, spec);
  if (existsSync(file)) return loadFile(file, spec, cwd);
  const match = GIT_SPEC.exec(spec);
  if (match === null) throw new Error(`${spec}: no such file (and not REF:path)`);
  return loadFromGit(match[1]!, match[2]!, spec, cwd);
}
