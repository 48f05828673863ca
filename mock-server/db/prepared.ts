/**
 * Queries built with Kysely's builder once and compiled once per dialect, then executed with new values.
 * Building and compiling a query through the builder costs more than SQLite needs to answer a primary-key
 * read or a one-row insert, and the sandbox's hot paths (placing an order, claiming an Idempotency-Key,
 * the request log) run the same statements on every request.
 *
 * The query is built with a marker string in place of each named value; compiling it shows where each
 * marker landed in the dialect's parameter list. The SQL stays the dialect's own (`?` for SQLite, `$1` for
 * PostgreSQL), and connect.ts's statement cache finds it already prepared.
 *
 * Only values that Kysely sends as bound parameters can be named (`values`, `set`, `where` operands);
 * anything written with `sql.lit` is part of the SQL text, so it must not be a parameter here.
 */
import type { Compilable, CompiledQuery, DialectAdapter, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.ts';

const MARKER = '\u0000starship-param:';

/** Stand-ins for the named values while the query is built; typed as the values they stand for. */
export type Params<A> = { readonly [K in keyof A]: A[K] };

interface Compiled {
  query: CompiledQuery;
  /** Per parameter: the name of the value to bind, or the constant the builder put there. */
  slots: ({ name: string } | { constant: unknown })[];
}

/** `{ a: params.a, b: params.b }`: a row of named values for `values(…)` (the stand-ins have no keys to spread). */
export function valuesOf<A, K extends keyof A>(params: Params<A>, keys: readonly K[]): Pick<A, K> {
  return Object.fromEntries(keys.map((key) => [key, params[key]])) as Pick<A, K>;
}

export interface PreparedQuery<A, R> {
  execute(exec: Kysely<Database>, args: A): Promise<QueryResult<R>>;
}

export function prepare<A extends object, R>(
  build: (db: Kysely<Database>, params: Params<A>) => Compilable<R>,
): PreparedQuery<A, R> {
  const markers = new Proxy({} as Params<A>, { get: (_target, name) => `${MARKER}${String(name)}` });
  const byDialect = new WeakMap<DialectAdapter, Compiled>();

  const compile = (db: Kysely<Database>): Compiled => {
    const query = build(db, markers).compile();
    const slots = query.parameters.map((value) => {
      if (typeof value !== 'string' || !value.includes(MARKER)) return { constant: value };
      if (!value.startsWith(MARKER)) throw new Error(`a prepared value was combined with other text: ${query.sql}`);
      return { name: value.slice(MARKER.length) };
    });
    if (query.sql.includes(MARKER)) throw new Error(`a prepared value ended up in the SQL text (sql.lit?): ${query.sql}`);
    return { query, slots };
  };

  return {
    async execute(exec, args) {
      const adapter = exec.getExecutor().adapter;
      let compiled = byDialect.get(adapter);
      if (!compiled) {
        compiled = compile(exec);
        byDialect.set(adapter, compiled);
      }
      const parameters = compiled.slots.map((slot) => {
        if ('constant' in slot) return slot.constant;
        if (!Object.hasOwn(args, slot.name)) throw new Error(`missing value for prepared parameter ${slot.name}`);
        return (args as Record<string, unknown>)[slot.name];
      });
      return exec.executeQuery<R>({ ...compiled.query, parameters } as CompiledQuery<R>);
    },
  };
}
