#!/usr/bin/env node
// The package runs from TypeScript sources (no build step): register tsx, then hand over to the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../scripts/starship.ts');
