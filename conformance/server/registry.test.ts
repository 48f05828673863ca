import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadSpec } from '@starship/contract';
import { guides } from '../../scripts/docs/guides.ts';
import { PARTNER_CHECKS } from '../partner/catalogue.ts';
import { DOC_PAGES, DOCS_SITE, formatClause, type DocPage } from './clauses.ts';
import { CHECKS } from './registry.ts';
import { GROUPS } from './types.ts';

const SEEDS = new URL('../../../shared/seeds/', import.meta.url);

test('check ids are unique, prefixed by their group, and every group has checks', () => {
  const ids = CHECKS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const check of CHECKS) assert.match(check.id, new RegExp(`^${check.group}-[A-Z0-9]+(-[A-Z0-9]+)*$`), check.id);
  for (const group of GROUPS) assert.ok(CHECKS.some((c) => c.group === group), `no ${group} check`);
});

test('every check is listed in the README', () => {
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  const missing = CHECKS.filter((c) => !readme.includes(`| \`${c.id}\` | ${c.level} |`)).map((c) => c.id);
  assert.deepEqual(missing, []);
});

test('every clause names a documentation page and a section that exist in it, and a guide of the docs site', { skip: existsSync(SEEDS) ? false : 'the seeds are not checked out beside the repo' }, () => {
  // A page is known by its title, the heading at the top of its seed (`API reference · v1` reads "API reference v1").
  const seeds = readdirSync(SEEDS).map((name) => readFileSync(new URL(name, SEEDS), 'utf8'));
  const pageText = (page: DocPage) => seeds.find((text) => text.split('\n').slice(0, 5).some((line) => line.replace(/ ·/g, '').trim().startsWith(DOC_PAGES[page])));
  const definitions = [...CHECKS.map(({ id, clause }) => ({ id, clause })), ...PARTNER_CHECKS.map(({ id, clause }) => ({ id, clause }))];
  for (const { clause, id } of definitions) {
    const text = pageText(clause.page);
    assert.ok(text, `${id}: no documentation page titled ${DOC_PAGES[clause.page]}`);
    for (const part of clause.section.split(' · ')) assert.ok(text.includes(part), `${id}: section ${JSON.stringify(part)} is not in ${DOC_PAGES[clause.page]}`);
    assert.ok(guides.some((guide) => guide.slug === clause.guide), `${id}: no guide ${clause.guide}`);
    assert.doesNotMatch(formatClause(clause), /\.txt/);
  }
});

test('the guide links point at the docs site the hosted sandbox serves (its origin is a server of the spec)', () => {
  const servers = (loadSpec('starship').servers as Array<{ url: string }>).map((server) => new URL(server.url).origin);
  assert.ok(servers.includes(new URL(DOCS_SITE).origin), `${DOCS_SITE} is not the origin of a server in the spec (${servers.join(', ')})`);
  assert.equal(new URL(DOCS_SITE).pathname, '/docs/');
});
