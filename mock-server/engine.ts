/**
 * The boundary between the sandbox's HTTP layer and its engine (domain rules + storage). The HTTP layer
 * (mock-server/http/) only talks to this interface; the engine (mock-server/engine/) implements it over Kysely.
 * Bodies are the spec's own generated types, so a route handler returns what the engine gives it.
 * Failures are thrown as ApiError with DESIGN's stable codes.
 */
import type { SignatureUse, SignatureUseInput } from './engine/signature-uses.ts';
import type { components as PartnerApi, operations as PartnerOps } from '@starship/spec/starship';
import type { components as ControlApi, operations as ControlOps } from '@starship/spec/sandbox';
import type { WitnessRecord } from '@starship/conformance/partner/evidence';

export type S = PartnerApi['schemas'];
export type C = ControlApi['schemas'];
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/**
 * The sandbox-wide clock (real time plus the advanceClock offset): rate-limit windows and request-log times read
 * it. Partners' own clocks add their offsets inside the engine; signature windows use real time.
 */
export interface Clock {
  now(): Date;
  nowSeconds(): number;
  /** Catches up with a clock other processes move (instances sharing PostgreSQL); absent when this process owns it. */
  sync?(): Promise<void>;
}

export interface PartnerCredentials {
  partnerId: string;
  apiKey: string;
  /** Needed in clear to verify HMAC signatures; encrypted at rest, never logged. */
  apiSecret: string;
  ipAllowlist: string[];
  rateLimitOverrides?: C['RateLimitOverrides'];
}

/** What identifies "the same request" for Idempotency-Key purposes (DESIGN "Idempotency"). */
export interface IdempotencyScope {
  partnerId: string;
  key: string;
  /** sha256 of method + path + canonical JSON of the body (key order and whitespace do not matter). */
  fingerprint: string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type IdempotencyClaim =
  | { outcome: 'NEW' }
  | { outcome: 'REPLAYED'; response: StoredResponse }
  | { outcome: 'MISMATCH' }
  | { outcome: 'IN_USE' };

export interface ListResult<T> {
  items: T[];
  total: number;
}

export type ProductQuery = Query<PartnerOps['listProducts']>;
export type OrderQuery = Query<PartnerOps['listOrders']>;
export type TransactionQuery = Query<PartnerOps['listTransactions']>;
export type PageQuery = { page?: number; limit?: number };
export type RequestLogQuery = Query<ControlOps['listRequests']>;
export type RequestTailQuery = Query<ControlOps['testHelperListRequests']>;
export type WebhookDeliveryQuery = Query<ControlOps['listWebhookDeliveries']>;

/** Who an action on an order or delivery is for: an operator (any partner's) or a partner's test helper (its own). */
export interface ActionScope {
  partnerId?: string;
}

/** One of a partner's events as its event stream sends it. */
export interface StreamedEvent {
  /** The partner's event sequence number (the stream's message id). */
  seq: number;
  type: string;
  /** The envelope exactly as a webhook delivers it. */
  payload: string;
}

export interface WebhookDeliveryOptions {
  /** Where a failure of the background delivery loop is reported (the sandbox's logger). */
  onError?: (error: unknown) => void;
}

/** A rate-limit bucket: requests counted in the current minute window and burst window (their starts in unix seconds). */
export interface RateWindows {
  windowStart: number;
  count: number;
  burstStart: number;
  burstCount: number;
}

/** Rate-limit windows kept in the database, for instances sharing PostgreSQL (engine/rate-limit-windows.ts). */
export interface SharedRateWindows {
  /**
   * Counts one request under `key` in the windows starting at `windowStart`/`burstStart` unless either already
   * holds its limit; returns whether it counted and the windows as stored afterwards.
   */
  hit(key: string, windowStart: number, burstStart: number, limit: number, burstLimit: number): Promise<{ counted: boolean; windows: RateWindows | undefined }>;
}

export interface Engine {
  readonly clock: Clock;
  /** True when several instances may share the database (PostgreSQL): the HTTP layer caches less. */
  readonly shared?: boolean;
  /** Present when several instances share the database: rate limits are counted there, not in memory. */
  readonly sharedRateWindows?: SharedRateWindows;

  // Authentication
  findPartnerByApiKey(apiKey: string): Promise<PartnerCredentials | undefined>;

  // Idempotency: claim() holds a NEW key while its request runs (engine/idempotency.ts); a write may store
  // the record inside its own transaction (placeOrder's `idempotency` argument; 24 h retention on the
  // virtual clock) and lets go of the claim once committed; release() lets go of it when the request
  // fails, so nothing is stored for a rejection. The HTTP layer settles every claim (http/idempotency.ts).
  claimIdempotencyKey(scope: IdempotencyScope): Promise<IdempotencyClaim>;
  releaseIdempotencyKey(scope: IdempotencyScope): Promise<void>;
  /** Stores a successful response for the claim, unless the write's own transaction already stored it (placeOrder). */
  completeIdempotencyKey(scope: IdempotencyScope, response: StoredResponse): Promise<void>;

  // Catalog (delivery_time is computed live from inventory)
  listCategories(query: PageQuery): Promise<ListResult<S['Category']>>;
  // Stock and delivery_time are the calling partner's own (its pools, its clock).
  listProducts(partnerId: string, query: ProductQuery): Promise<ListResult<S['Product']>>;
  getProduct(partnerId: string, productId: number): Promise<S['Product']>;
  checkAvailability(partnerId: string, productId: number, body: S['AvailabilityRequest']): Promise<S['Availability']>;
  calculateCharges(partnerId: string, body: S['ChargesRequest']): Promise<S['Charges']>;

  // Orders: placeOrder is one transaction (debit, order, voucher allocation, idempotency completion).
  placeOrder(partnerId: string, body: S['CreateOrderRequest'], idempotency?: IdempotencyScope): Promise<S['Order']>;
  listOrders(partnerId: string, query: OrderQuery): Promise<ListResult<S['Order']>>;
  getOrder(partnerId: string, orderId: string): Promise<S['Order']>;
  simulateOrder(partnerId: string, body: S['CreateOrderRequest']): Promise<S['OrderSimulation']>;

  // Money
  listWallets(partnerId: string, query: PageQuery): Promise<ListResult<S['Wallet']>>;
  listTransactions(partnerId: string, query: TransactionQuery): Promise<ListResult<S['Transaction']>>;

  // Webhook endpoints; their events are written by the state changes themselves (transactional outbox)
  upsertWebhook(partnerId: string, body: S['UpsertWebhookRequest']): Promise<{ created: boolean; endpoint: S['WebhookEndpointWithSecret'] }>;
  listWebhooks(partnerId: string, query: PageQuery): Promise<ListResult<S['WebhookEndpoint']>>;
  updateWebhook(partnerId: string, webhookId: string, body: S['UpdateWebhookRequest']): Promise<S['WebhookEndpoint']>;
  deleteWebhook(partnerId: string, webhookId: string): Promise<void>;
  rotateWebhookSecret(partnerId: string, webhookId: string): Promise<S['WebhookSecretRotation']>;
  getReconciliation(partnerId: string, date: string): Promise<S['Reconciliation']>;

  // Sandbox control API, and the test helpers (a `partnerId` or ActionScope confines an action to that partner's objects)
  createPartner(body: C['CreatePartnerRequest']): Promise<C['Partner']>;
  fundWallet(partnerId: string, body: C['FundWalletRequest']): Promise<C['FundWalletResult']>;
  /** Into `partner_id`'s pool, or every partner's. */
  pumpInventory(body: C['PumpInventoryRequest']): Promise<C['PumpInventoryResult']>;
  retryOrder(orderId: string): Promise<C['Order']>;
  fulfillOrderFromVendor(orderId: string, body: C['VendorFulfillRequest']): Promise<C['Order']>;
  cancelOrder(orderId: string, body: C['OrderActionReason'], scope?: ActionScope): Promise<C['Order']>;
  failOrder(orderId: string, body: C['OrderActionReason'], scope?: ActionScope): Promise<C['Order']>;
  /** testHelperDeliverOrder: every PENDING unit delivered, as stock or from a vendor. */
  deliverOrder(orderId: string, body: C['TestHelperDeliverRequest'], scope: ActionScope): Promise<C['Order']>;
  /** The sandbox-wide clock, or with `partnerId` that partner's test clock. */
  getClock(partnerId?: string): Promise<C['Clock']>;
  /** Moves the sandbox-wide clock (every partner's), or with `partnerId` only that partner's. */
  advanceClock(seconds: number, partnerId?: string): Promise<C['Clock']>;
  getSettings(): Promise<C['Settings']>;
  /** 404 E_FEATURE_DISABLED for a planned operation (x-starship-planned) while its feature flag is off. */
  requireOperationEnabled(operationId: string): Promise<void>;
  updateSettings(patch: C['SettingsPatch']): Promise<C['Settings']>;
  resetSandbox(): Promise<void>;

  // Faults and diagnostics
  injectFault(body: C['InjectFaultRequest']): Promise<C['Fault']>;
  /**
   * Consumes one use of a matching armed fault, if any. `partnerId` (the authenticated partner, when known)
   * lets faults armed for one partner match; without it only faults for every partner do.
   */
  takeFault(operationId: string | undefined, path: string, partnerId?: string | null): Promise<C['Fault'] | undefined>;
  logRequest(entry: C['RequestLogEntry']): Promise<void>;
  listRequests(query: RequestLogQuery): Promise<ListResult<C['RequestLogEntry']>>;
  /** The partner's request log, oldest first: the last `limit` entries, or the first `limit` after `after`. */
  tailRequests(partnerId: string, query: RequestTailQuery): Promise<{ items: C['RequestLogEntry'][]; hasMore: boolean }>;

  // Webhook delivery, reconciliation drifts, wallet thresholds
  /** Starts delivering the outbox in the background (the sandbox server does; close() stops it). */
  startWebhookDelivery(options?: WebhookDeliveryOptions): void;
  listWebhookDeliveries(query: WebhookDeliveryQuery): Promise<ListResult<C['WebhookDelivery']>>;
  replayWebhookDelivery(deliveryId: string, scope?: ActionScope): Promise<C['WebhookDelivery']>;
  injectWebhookFault(body: C['WebhookFaultRequest']): Promise<C['WebhookFault']>;
  injectReconciliationDrift(body: C['ReconciliationDriftRequest']): Promise<C['InjectedDrift']>;
  setWalletThreshold(partnerId: string, currency: string, body: C['WalletThresholdRequest']): Promise<C['WalletThreshold']>;

  // Events as partners drive and watch them (engine/trigger.ts, engine/event-stream.ts)
  /** testHelperTriggerEvent: creates what emits the event for the partner. */
  triggerEvent(partnerId: string, eventType: string): Promise<C['TriggeredEvent']>;
  /** The partner's sequence number of its latest event (0 when none). */
  latestEventSeq(partnerId: string): Promise<number>;
  /** The partner's kept events after `after`, in sequence order (at most `limit`; only `types` when given). */
  eventsAfter(partnerId: string, after: number, limit: number, types?: readonly string[]): Promise<StreamedEvent[]>;
  /** While a stream is open: keeps every event of the partner until `untilMs` (real time). */
  holdEventStream(partnerId: string, untilMs: number): Promise<void>;
  /** Called (once per turn) when an event may have been written by this process; returns the unsubscribe. */
  onEvents(listener: () => void): () => void;

  // Partner certification (engine/certification.ts); `ownerPartnerId` when a partner's test helper opens or grades it
  createCertificationSession(body: C['CertificationSessionRequest'], ownerPartnerId?: string): Promise<C['CertificationSession']>;
  gradeCertificationSession(sessionId: string, body: C['CertificationGradeRequest'], ownerPartnerId?: string): Promise<C['CertificationReport']>;
  getReportSigningKey(): Promise<C['ReportSigningKey']>;
  /** Where to record a raw request made with this API key: set while a certification session uses it. Asked per request, so synchronous. */
  certificationWitness(apiKey: string): ((record: WitnessRecord) => void) | undefined;

  /**
   * A request signature was verified: whether it is its first use, the exact retry of that use (same
   * Idempotency-Key), or a replay to refuse (engine/signature-uses.ts).
   */
  recordSignatureUse(input: SignatureUseInput): Promise<SignatureUse>;
  /**
   * A partner request of this process begins: resolves once no reset is running or waiting; call the returned
   * function when the request is over (a reset waits for every such request in flight).
   */
  enterPartnerRequest(): Promise<() => void>;
  /** For /readyz: the database answers and has run every migration this build knows (throws when unreachable). */
  pendingMigrations(): Promise<string[]>;

  close(): Promise<void>;
}
