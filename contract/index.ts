/** The contract core: spec access, JSON pointers, canonical JSON and the planned-feature table. The validator (Ajv) and the YAML bundler are their own entry points. */
export * from './canonical-json.ts';
export * from './feature-flags.ts';
export * from './pointer.ts';
export * from './spec.ts';
