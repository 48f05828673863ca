import { formatGithub } from './github.ts';
import { formatJson } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatMarkdown } from './markdown.ts';
import { formatText } from './text.ts';
import type { Formatter } from './types.ts';

export type { FormatInput, Formatter } from './types.ts';

export const FORMATTERS = {
  text: formatText,
  json: formatJson,
  markdown: formatMarkdown,
  junit: formatJunit,
  github: formatGithub,
} as const satisfies Record<string, Formatter>;

export type Format = keyof typeof FORMATTERS;

export function isFormat(value: string): value is Format {
  return Object.hasOwn(FORMATTERS, value);
}
