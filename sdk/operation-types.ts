/** Request and response types of a generated operation, as the SDK's facades take and return them. */

/** Headers the transport computes; callers never pass them (an explicit Idempotency-Key is still allowed). */
type ManagedHeader = 'X-Timestamp' | 'X-Signature' | 'Idempotency-Key';
type ClientHeaders<H> = Omit<H, ManagedHeader> & { 'Idempotency-Key'?: string };
type ClientOperation<Op> = Op extends { parameters: infer P extends { header?: unknown } }
  ? Omit<Op, 'parameters'> & { parameters: Omit<P, 'header'> & { header?: ClientHeaders<NonNullable<P['header']>> } }
  : Op;

/** A generated `paths` type with the transport's own headers made optional, for openapi-fetch. */
export type ClientPaths<Paths> = {
  [Path in keyof Paths]: { [Key in keyof Paths[Path]]: ClientOperation<Paths[Path][Key]> };
};

export type JsonBodyOf<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
export type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
export type DataOf<Op> = Op extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 ? (R[S] extends { content: { 'application/json': infer B } } ? B : never) : never }[keyof R]
  : never;
export type ItemOf<Op> = DataOf<Op> extends (infer T)[] ? T : never;
