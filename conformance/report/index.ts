/** The conformance report writers, shared by `conformance server` and `conformance partner`. */
export { escapeHtml, formatHtml } from './html.ts';
export { formatJson } from './json.ts';
export { formatJunit } from './junit.ts';
export { failureReason, passed, summarize } from './types.ts';
export type { ReportCheck, ReportInput, Result, Summary } from './types.ts';
