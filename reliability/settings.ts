/** The scenario sizes `npm test` and `npm run reliability` share, so the tests and results.json measure the same runs. */
export const BAD_INPUT = {
  /** 10,000 by default in both; RELIABILITY_BAD_INPUT_TOTAL lowers it for a quick local run. */
  total: Number(process.env.RELIABILITY_BAD_INPUT_TOTAL ?? 10_000),
  injections: 300,
  concurrency: 32,
  seed: Number(process.env.RELIABILITY_SEED ?? 20_261_123),
};

export const CONCURRENCY = { idempotencyRequests: 500, poolOrders: 2_000, pool: 1_000, partners: 4 };

export const CRASH = { runs: 2, killAfterOk: 150 };

/** The adversarial run's sizes: 160 orders flooding 10 hanging endpoints (the cap) while 100 healthy orders are timed. */
export const HOSTING = { floodOrders: 160, healthyOrders: 100, endpoints: 10 };
