/**
 * What every engine module works with: the database, the key for secrets at rest, the time, the catalog and
 * ids. `clock` is the time the module dates and judges things by: the sandbox-wide clock in the engine's own
 * context, a partner's test clock in the context `forPartner` derives for work on that partner's objects
 * (orders, transactions, events, idempotency records, pools). Derived contexts share everything else.
 */
import type { Kysely } from 'kysely';
import { localWriteCount } from '../db/connect.ts';
import { isPostgres } from '../db/postgres.ts';
import type { Database } from '../db/schema.ts';
import { createIdFactory, type IdFactory, type IdKind } from '../domain/ids.ts';
import { decryptText, encryptText } from '../domain/voucher-crypto.ts';
import { LOCAL_HOSTING, type WebhookHosting } from '../domain/webhook-url-policy.ts';
import type { Catalog } from './catalog.ts';
import { PartnerClocks, PartnerTime, type SandboxTime, type VirtualClock } from './clock.ts';
import { OutboxSignal } from './outbox-signal.ts';
import { SeedStock } from './seed-stock.ts';
import { ResetGate } from './reset-gate.ts';
import { StockAnswers, STOCK_TABLES } from './stock-answers.ts';

/** A Kysely instance or a transaction: modules take either, and must use the one they are given. */
export type Executor = Kysely<Database>;

/** What a context and every context derived from it share. */
interface Parts {
  readonly db: Kysely<Database>;
  readonly key: Buffer;
  readonly sandboxClock: VirtualClock;
  readonly catalog: Catalog;
  readonly newId: IdFactory;
  readonly outbox: OutboxSignal;
  readonly partnerClocks: PartnerClocks;
  readonly seedStock: SeedStock;
  readonly stock: StockAnswers;
  readonly shared: boolean;
  readonly resetGate: ResetGate;
  readonly webhooks: WebhookHosting;
}

export class EngineContext {
  readonly #parts: Parts;
  readonly db: Kysely<Database>;
  readonly catalog: Catalog;
  /** The sandbox-wide clock (its offset, sync(), reset): the base every partner's clock adds its offset to. */
  readonly sandboxClock: VirtualClock;
  /** Notified when an event enters the outbox or a clock moves (webhook-dispatcher and event streams wake on it). */
  readonly outbox: OutboxSignal;
  readonly partnerClocks: PartnerClocks;
  /** The initial stock every partner's pools are seeded with, and which seeded pools are known to be spent. */
  readonly seedStock: SeedStock;
  /** In-stock answers for catalog reads, kept between writes where this process is the only writer. */
  readonly stock: StockAnswers;
  /**
   * On PostgreSQL several sandbox processes may share the database: state kept in memory for speed on SQLite
   * (idempotency claims, armed faults, clock offsets, rate-limit windows) is kept in the database instead,
   * and allocation selects take row locks (FOR UPDATE SKIP LOCKED), which SQLite has no syntax for.
   */
  readonly shared: boolean;
  /** Partner requests of this process on one side, resetSandbox on the other (reset-gate.ts). */
  readonly resetGate: ResetGate;
  /** Which webhook URLs may be registered and reached, and how many per partner. */
  readonly webhooks: WebhookHosting;

  constructor(
    parts: (Omit<Parts, 'newId' | 'outbox' | 'partnerClocks' | 'stock' | 'shared' | 'resetGate' | 'webhooks'> & { webhooks?: WebhookHosting }) | Parts,
    /** The time modules read: the sandbox-wide clock unless this context is a partner's. */
    readonly clock: SandboxTime = parts.sandboxClock,
  ) {
    const shared = 'shared' in parts ? parts.shared : isPostgres(parts.db);
    this.#parts =
      'newId' in parts
        ? parts
        : {
            ...parts,
            newId: createIdFactory(),
            outbox: new OutboxSignal(),
            partnerClocks: new PartnerClocks(shared),
            stock: new StockAnswers(localWriteCount(parts.db, STOCK_TABLES)),
            shared,
            resetGate: new ResetGate(),
            webhooks: parts.webhooks ?? LOCAL_HOSTING,
          };
    ({
      db: this.db,
      catalog: this.catalog,
      sandboxClock: this.sandboxClock,
      outbox: this.outbox,
      partnerClocks: this.partnerClocks,
      seedStock: this.seedStock,
      stock: this.stock,
      resetGate: this.resetGate,
      webhooks: this.webhooks,
    } = this.#parts);
    this.shared = shared;
  }

  /** This context with the partner's test clock. */
  async forPartner(partnerId: string): Promise<EngineContext> {
    const offset = await this.partnerClocks.offsetOf(this.db, partnerId);
    return new EngineContext(this.#parts, offset === 0 ? this.sandboxClock : new PartnerTime(this.sandboxClock, offset));
  }

  /** Ids sort by the sandbox-wide clock, whoever's clock dates the row. */
  newId(kind: IdKind): string {
    return this.#parts.newId(kind, this.sandboxClock.nowMs());
  }

  encrypt(plaintext: string, context: string): string {
    return encryptText(this.#parts.key, plaintext, context);
  }

  decrypt(token: string, context: string): string {
    return decryptText(this.#parts.key, token, context);
  }
}
