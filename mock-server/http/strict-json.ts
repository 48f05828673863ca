/**
 * What JSON.parse lets through silently and a money API must not: a key repeated in one object (JSON.parse
 * keeps the last, so `{"amount":"1.00","amount":"900.00"}` would be charged by whichever value a reader
 * picks) and a number beyond double range (`1e400` parses to Infinity, which passes as an integer). Read
 * with jsonc-parser's visitor, comments and trailing commas off, after JSON.parse has accepted the text.
 */
import { visit } from 'jsonc-parser';

/** One message per repeated key and per number that does not fit a double; [] when the text is plain JSON. */
export function strictJsonProblems(text: string): string[] {
  const problems: string[] = [];
  const open: Set<string>[] = [];
  const path: (string | number)[][] = [];
  const at = (segments: (string | number)[]) => (segments.length ? `/${segments.join('/')}` : '/');
  visit(
    text,
    {
      onObjectBegin: () => void open.push(new Set()),
      onObjectEnd: () => void open.pop(),
      onObjectProperty: (property, _offset, _length, _line, _column, pathSupplier) => {
        const keys = open[open.length - 1]!;
        if (keys.has(property)) problems.push(`${at([...pathSupplier(), property])} appears more than once in the same object`);
        keys.add(property);
      },
      onLiteralValue: (value: unknown, _offset, _length, _line, _column, pathSupplier) => {
        if (typeof value === 'number' && !Number.isFinite(value)) path.push(pathSupplier());
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  for (const segments of path) problems.push(`${at(segments)} is a number too large to represent`);
  return problems;
}
