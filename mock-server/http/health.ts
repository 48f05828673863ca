/**
 * Probes for whoever runs the sandbox (a load balancer, Kubernetes, a supervisor), outside both APIs' auth:
 * `GET /healthz` answers while the process serves HTTP (liveness); `GET /readyz` answers 200 only when the
 * database answers within READY_TIMEOUT_MS and has run every migration this build knows (readiness), 503
 * otherwise. Neither says anything a caller could use beyond that.
 */
import { Router } from 'express';
import type { Engine } from '../engine.ts';

/** A probe that waits longer than its caller's timeout tells nothing: a database this slow is not ready. */
export const READY_TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function healthRoutes(engine: Pick<Engine, 'pendingMigrations'>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'OK' });
  });
  router.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      const pending = await within(engine.pendingMigrations(), READY_TIMEOUT_MS);
      if (pending.length) return void res.status(503).json({ status: 'MIGRATIONS_PENDING', pending_migrations: pending });
      res.json({ status: 'OK' });
    } catch {
      res.status(503).json({ status: 'DATABASE_UNREACHABLE' });
    }
  });
  return router;
}
