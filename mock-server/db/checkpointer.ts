/**
 * WAL checkpoints on a worker thread. SQLite's automatic checkpoint runs inside the COMMIT that crosses the
 * WAL's size threshold: it copies the WAL's pages into the database file and syncs it, on the event loop,
 * which made a commit cost nearly twice what it did otherwise. Here the serving connection never checkpoints
 * (`wal_autocheckpoint = 0`) and a second connection, on its own thread, runs a PASSIVE checkpoint (it never
 * blocks the writer) every INTERVAL_MS. Should that thread fail, the serving connection goes back to SQLite's
 * automatic checkpoints, so the WAL never grows without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

export const INTERVAL_MS = 200;
const AUTOCHECKPOINT_PAGES = 1000;

/** Plain JavaScript, evaluated in the worker: it needs no TypeScript loader. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Checkpoints what is left on the serving connection (the thread may be mid-interval) and stops the thread. */
  close(): void;
}

export function startCheckpointer(sqlite: BetterSqlite3.Database, file: string): Checkpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, intervalMs: INTERVAL_MS },
  });
  // The thread does not keep a process alive that is otherwise done.
  worker.unref();
  let closed = false;
  worker.once('error', () => {
    if (!closed && sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  });
  return {
    close() {
      closed = true;
      worker.postMessage('close');
      if (sqlite.open) sqlite.pragma('wal_checkpoint(PASSIVE)');
    },
  };
}
