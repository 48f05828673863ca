import { isObject, type Json } from '@starship/contract';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
