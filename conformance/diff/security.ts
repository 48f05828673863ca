import { isObject, type Json, childPointer } from '@starship/contract';
import type { DiffContext, Usage } from './context.ts';
import { type Located, type SpecDocument } from './document.ts';

/** What a client must do to satisfy a scheme; the scheme's key in components is not part of the wire contract. */
function descriptor(scheme: unknown): string {
  if (!isObject(scheme)) return 'unknown';
  const name = typeof scheme.name === 'string' ? (scheme.in === 'header' ? scheme.name.toLowerCase() : scheme.name) : '';
  const flows = isObject(scheme.flows) ? Object.keys(scheme.flows).sort().join(',') : '';
  const http = typeof scheme.scheme === 'string' ? scheme.scheme.toLowerCase() : '';
  return [scheme.type, scheme.in, name, http, flows, scheme.openIdConnectUrl].map((part) => (part === undefined ? '' : String(part))).join('|');
}

function describe(scheme: unknown): string {
  if (!isObject(scheme)) return 'an unknown scheme';
  if (scheme.type === 'apiKey') return `API key in ${String(scheme.in)} \`${String(scheme.name)}\``;
  if (scheme.type === 'http') return `HTTP ${String(scheme.scheme)}`;
  return String(scheme.type);
}

/** What the client sends for a scheme, which is what a partner recognises (`header X-API-Key`). */
function credential(scheme: unknown, name: string): string {
  if (isObject(scheme) && scheme.type === 'apiKey') return `${String(scheme.in)} \`${String(scheme.name)}\``;
  if (isObject(scheme) && scheme.type === 'http') return `HTTP ${String(scheme.scheme)}`;
  return `\`${name}\``;
}

const schemesByDocument = new WeakMap<SpecDocument, Map<string, Located>>();

function schemes(doc: SpecDocument): Map<string, Located> {
  let result = schemesByDocument.get(doc);
  if (result === undefined) {
    result = new Map(doc.entries({ node: doc.root.components, pointer: '#/components' }, 'securitySchemes').map(([name, located]) => [name, doc.deref(located)]));
    schemesByDocument.set(doc, result);
  }
  return result;
}

export function compareSecuritySchemes(ctx: DiffContext): void {
  const before = schemes(ctx.base);
  const after = schemes(ctx.revision);
  const renamedTargets = new Set<string>();
  for (const [name, was] of before) {
    const now = after.get(name);
    if (now !== undefined) {
      if (descriptor(was.node) !== descriptor(now.node)) {
        ctx.report('security-scheme-changed', undefined, { location: now.pointer, anchor: now.pointer, message: `Security scheme \`${name}\` changed from ${describe(was.node)} to ${describe(now.node)}` });
      }
      continue;
    }
    // Renaming a scheme's key changes nothing a client sends.
    const same = [...after].find(([other, located]) => !before.has(other) && !renamedTargets.has(other) && descriptor(located.node) === descriptor(was.node));
    if (same !== undefined) {
      renamedTargets.add(same[0]);
      continue;
    }
    ctx.report('security-scheme-removed', undefined, { location: was.pointer, anchor: '#/components/securitySchemes', message: `Security scheme \`${name}\` (${describe(was.node)}) was removed` });
  }
}

interface Requirements {
  /** Alternatives: each the set of scheme descriptors (with scopes) a client satisfies together; empty = no credentials. */
  alternatives: Array<{ keys: Set<string>; label: string }>;
  pointer: string;
}

const rootRequirements = new WeakMap<SpecDocument, Requirements>();

function requirements(doc: SpecDocument, operation: Located): Requirements {
  const own = isObject(operation.node) ? operation.node.security : undefined;
  if (Array.isArray(own)) return readRequirements(doc, own, childPointer(operation.pointer, 'security'));
  let root = rootRequirements.get(doc);
  if (root === undefined) {
    root = readRequirements(doc, Array.isArray(doc.root.security) ? doc.root.security : [], '#/security');
    rootRequirements.set(doc, root);
  }
  return root;
}

function readRequirements(doc: SpecDocument, list: unknown[], pointer: string): Requirements {
  const known = schemes(doc);
  const alternatives: Requirements['alternatives'] = [];
  for (const requirement of list.length === 0 ? [{}] : list) {
    if (!isObject(requirement)) continue;
    const entries = Object.entries(requirement as Json);
    const keys = new Set(entries.map(([name, scopes]) => `${descriptor(known.get(name)?.node)}[${Array.isArray(scopes) ? [...scopes].sort().join(',') : ''}]`));
    alternatives.push({ keys, label: entries.length === 0 ? 'no credentials' : entries.map(([name]) => credential(known.get(name)?.node, name)).join(' + ') });
  }
  return { alternatives, pointer };
}

const subset = (a: Set<string>, b: Set<string>) => [...a].every((key) => b.has(key));

/**
 * A client sends the credentials of one alternative it was given. It keeps working when some alternative of the
 * revision asks for no more than that; the API is relaxed when an alternative is satisfied by less than before.
 */
export function compareSecurityRequirements(ctx: DiffContext, baseOperation: Located, revisionOperation: Located, usage: Usage, operation: string): void {
  const before = requirements(ctx.base, baseOperation);
  const after = requirements(ctx.revision, revisionOperation);
  // A root-level change is one change however many operations inherit it.
  const who = after.pointer === '#/security' && before.pointer === '#/security' ? 'The API' : `\`${operation}\``;
  const now = after.alternatives.map((alternative) => alternative.label).join(' or ');
  const lost = before.alternatives.filter((was) => !after.alternatives.some((alternative) => subset(alternative.keys, was.keys)));
  for (const was of lost) {
    ctx.report('security-requirement-changed', usage, { location: after.pointer, anchor: after.pointer, message: `${who} no longer accepts ${was.label}; it requires ${now}` });
  }
  for (const alternative of after.alternatives) {
    if (before.alternatives.some((was) => subset(was.keys, alternative.keys))) continue;
    // Beside a lost alternative, a new one is its replacement (reported above), unless it asks for strictly less.
    const smaller = before.alternatives.some((was) => subset(alternative.keys, was.keys));
    if (lost.length > 0 && !smaller) continue;
    ctx.report('security-requirement-relaxed', usage, { location: after.pointer, anchor: after.pointer, message: `${who} now also accepts ${alternative.label}` });
  }
}
