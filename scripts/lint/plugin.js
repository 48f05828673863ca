/** @import { Plugin } from '@redocly/openapi-core' */
import ErrorEnvelope from './rules/error-envelope.js';
import IdempotencyKeyOnCreate from './rules/idempotency-key-on-create.js';
import PaginationHeadersOnLists from './rules/pagination-headers-on-lists.js';
import SignatureHeadersOnWrites from './rules/signature-headers-on-writes.js';
import SigningExtension from './rules/signing-extension.js';
import TraceAndRateLimitHeaders from './rules/trace-and-rate-limit-headers.js';
import NoUnusedComponents from './rules/no-unused-components.js';
import UppercaseEnumValues from './rules/uppercase-enum-values.js';

// Plain ESM JavaScript, not TypeScript: Redocly CLI loads plugins with a bare dynamic import(), and the
// pinned Node 20 cannot import .ts without a loader. Rule ids are `starship/<key>` (Redocly prefixes the id).

/** @returns {Plugin} */
export default function starshipPlugin() {
  return {
    id: 'starship',
    rules: {
      oas3: {
        'uppercase-enum-values': UppercaseEnumValues,
        'error-envelope': ErrorEnvelope,
        'idempotency-key-on-create': IdempotencyKeyOnCreate,
        'signature-headers-on-writes': SignatureHeadersOnWrites,
        'pagination-headers-on-lists': PaginationHeadersOnLists,
        'trace-and-rate-limit-headers': TraceAndRateLimitHeaders,
        'signing-extension': SigningExtension,
        'no-unused-components': NoUnusedComponents,
      },
    },
  };
}
