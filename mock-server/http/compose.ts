/**
 * Runs a pipeline of middlewares as one Express layer. Express 5's router costs a few microseconds per layer
 * (path matching, param processing) even for path-less `use`; the sandbox's pipeline is a fixed sequence,
 * so it is sequenced here instead, with Express 5's semantics kept: a returned promise that rejects, or a
 * throw, goes to the error middleware.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export function compose(handlers: readonly RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let index = 0;
    const next = (error?: unknown): void => {
      if (error !== undefined && error !== null) return done(error);
      const handler = handlers[index++];
      if (!handler) return done();
      try {
        const result: unknown = handler(req, res, next);
        if (result instanceof Promise) result.catch((rejection: unknown) => done(rejection ?? new Error('a middleware rejected without a reason')));
      } catch (thrown) {
        done(thrown);
      }
    };
    next();
  };
}
