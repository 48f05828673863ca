import { startSandbox } from '../../mock-server/server.ts';

export interface MockOptions {
  port: string;
  host: string;
  db: string;
  adminToken?: string;
  trustProxy?: boolean;
  /** Commander's `--no-validate-responses` sets this false. */
  validateResponses?: boolean;
}

/** `starship mock`: serves the sandbox until SIGINT/SIGTERM. */
export async function mockCommand(options: MockOptions): Promise<number> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${options.port}`);
  const sandbox = await startSandbox({
    port,
    host: options.host,
    db: options.db,
    trustProxy: options.trustProxy ?? false,
    validateResponses: options.validateResponses ?? true,
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
  });
  await sandbox.closed;
  return 0;
}
