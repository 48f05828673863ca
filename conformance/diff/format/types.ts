import type { LocatedChange } from '../context.ts';
import type { Ignored } from '../ignore.ts';
import type { FailOn } from '../rules.ts';
import type { SourcePosition } from '../source-map.ts';

export interface FormatInput {
  changes: readonly LocatedChange[];
  ignored: ReadonlyArray<Ignored<LocatedChange>>;
  base: string;
  revision: string;
  failOn: FailOn;
  /** File and line of a revision pointer; only the formats that print positions call it. */
  locate: (pointer: string) => SourcePosition;
}

export type Formatter = (input: FormatInput) => string;
