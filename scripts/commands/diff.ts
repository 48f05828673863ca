import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { diffDocuments } from '@starship/conformance/diff/diff';
import { FORMATTERS, isFormat } from '@starship/conformance/diff/format/index';
import { applyIgnores, expiredEntries, expiryMessage, parseIgnoreFile, type IgnoreEntry } from '@starship/conformance/diff/ignore';
import { loadSpec } from '@starship/conformance/diff/load';
import { FAIL_ON, failsOn, isFailOn } from '@starship/conformance/diff/rules';
import { SourceMap } from '@starship/conformance/diff/source-map';

/** Relative to the working directory, like BASE and REVISION. */
const DEFAULT_IGNORE_FILE = 'openapi/diff-ignore.yaml';

export interface DiffOptions {
  format: string;
  failOn: string;
  ignore?: string;
}

function readIgnores(option: string | undefined): { file: string | undefined; entries: IgnoreEntry[] } {
  const file = option ?? (existsSync(DEFAULT_IGNORE_FILE) ? DEFAULT_IGNORE_FILE : undefined);
  if (file === undefined) return { file, entries: [] };
  const shown = path.relative(process.cwd(), file) || file;
  const entries = parseIgnoreFile(readFileSync(file, 'utf8'), shown);
  const expired = expiredEntries(entries, new Date().toISOString().slice(0, 10));
  if (expired.length > 0) throw new Error(expiryMessage(shown, expired));
  return { file: shown, entries };
}

export interface DiffRun {
  /** The report in the chosen format, for stdout. */
  output: string;
  /** Notes for stderr (ignore entries that matched nothing). */
  notes: string[];
  exitCode: number;
}

export async function runDiff(base: string, revision: string, options: DiffOptions): Promise<DiffRun> {
  const { format, failOn } = options;
  if (!isFormat(format)) throw new Error(`--format must be one of ${Object.keys(FORMATTERS).join(', ')} (got ${format})`);
  if (!isFailOn(failOn)) throw new Error(`--fail-on must be one of ${FAIL_ON.join(', ')} (got ${failOn})`);
  const ignores = readIgnores(options.ignore);
  const [before, after] = await Promise.all([loadSpec(base), loadSpec(revision)]);
  const { kept, ignored, unused } = applyIgnores(diffDocuments(before.document, after.document), ignores.entries);
  let sourceMap: SourceMap | undefined;
  const locate = (pointer: string) => (sourceMap ??= new SourceMap(after.sources)).locate(pointer);
  return {
    output: FORMATTERS[format]({ changes: kept, ignored, base, revision, failOn, locate }),
    notes: unused.map((entry) => `starship diff: ${ignores.file} entry ${entry.index} (${entry.rule} at ${entry.location}) matched no change; remove it once it is no longer needed`),
    exitCode: kept.some((change) => failsOn(change.severity, failOn)) ? 1 : 0,
  };
}

export async function diffCommand(base: string, revision: string, options: DiffOptions): Promise<number> {
  const { output, notes, exitCode } = await runDiff(base, revision, options);
  process.stdout.write(output);
  for (const note of notes) console.error(note);
  return exitCode;
}
