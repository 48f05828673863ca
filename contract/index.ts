/** The contract core: spec access, JSON pointers and canonical JSON. The validator (Ajv) and the YAML bundler are their own entry points. */
export * from './canonical-json.ts';
export * from './pointer.ts';
export * from './spec.ts';
