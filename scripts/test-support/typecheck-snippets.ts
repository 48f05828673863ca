/**
 * Type-checks TypeScript snippets (generated code samples, code blocks in the guides) against the SDK, as a
 * partner would compile them: `import … from '@starship/sdk'` resolves through the package's own
 * `exports`, with the project's strict compiler options. The snippets exist only in memory, as files of a
 * virtual directory inside the repository so that `node_modules` resolves as it would for real code.
 */
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../../tools/repo.ts';

export interface Snippet {
  /** Unique, used as the virtual file name and in diagnostics. */
  name: string;
  source: string;
}

export function typecheckSnippets(snippets: readonly Snippet[]): string[] {
  const configFile = path.join(repoRoot, 'tsconfig.json');
  const config = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);

  const virtualDir = path.join(repoRoot, '.snippets');
  const virtual = new Map(
    snippets.map((s) => [path.join(virtualDir, `${s.name.replace(/[^\w.-]+/g, '_')}.ts`), s.source] as const),
  );
  if (virtual.size !== snippets.length) throw new Error('snippet names must be unique');

  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(file);
    return text === undefined
      ? getSourceFile.call(host, file, languageVersion, onError, shouldCreate)
      : ts.createSourceFile(file, text, languageVersion, true);
  };

  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || virtual.has(d.file.fileName))
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return message;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${path.basename(d.file.fileName)}:${line + 1}:${character + 1} ${message}`;
    });
}
