/** The contract core: spec access and JSON pointers. The validator (Ajv) and the YAML bundler are their own entry points. */
export * from './pointer.ts';
export * from './spec.ts';
