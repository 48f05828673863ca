import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderStatus, OrderSubStatus } from './enums.ts';
import { cancelledState, fulfillmentState, isBulk, refundShare, rejectAction, type ItemState, type OrderAction } from './order-rules.ts';

test('fulfillment state is derived from the items', () => {
  const d = (source: ItemState['source'] = 'CACHE'): ItemState => ({ status: 'DELIVERED', source });
  const p: ItemState = { status: 'PENDING', source: null };
  const cases: Array<[ItemState[], OrderStatus, OrderSubStatus]> = [
    [[], 'PENDING', 'INITIAL'],
    [[d(), d()], 'DELIVERED', 'INVENTORY_FULFILLED'],
    [[d(), d('PINELABS')], 'DELIVERED', 'VENDOR_VOUCHER_FETCHED'],
    [[d(), p, p], 'PARTIALLY_DELIVERED', 'PARTIAL'],
    [[p], 'PENDING', 'VENDOR_ORDER_PENDING'],
  ];
  for (const [items, status, subStatus] of cases) assert.deepEqual(fulfillmentState(items), { status, subStatus });
});

test('operator actions apply only to the documented states', () => {
  const table: Array<[OrderAction, OrderStatus, OrderSubStatus, boolean]> = [
    ['RETRY', 'PENDING', 'VENDOR_ORDER_PENDING', true],
    ['RETRY', 'PENDING', 'INITIAL', true],
    ['RETRY', 'PARTIALLY_DELIVERED', 'PARTIAL', true],
    ['RETRY', 'DELIVERED', 'INVENTORY_FULFILLED', false],
    ['RETRY', 'CANCELLED', 'REFUNDED', false],
    ['VENDOR_FULFILL', 'PENDING', 'VENDOR_ORDER_PENDING', true],
    ['VENDOR_FULFILL', 'FAILED', 'NOT_REFUNDED', false],
    ['DELIVER', 'PENDING', 'INITIAL', true],
    ['DELIVER', 'PARTIALLY_DELIVERED', 'PARTIAL', true],
    ['DELIVER', 'DELIVERED', 'INVENTORY_FULFILLED', false],
    ['DELIVER', 'CANCELLED', 'REFUNDED', false],
    ['CANCEL', 'PLACED', 'INITIAL', true],
    ['CANCEL', 'PARTIALLY_DELIVERED', 'PARTIAL', true],
    ['CANCEL', 'FAILED', 'NOT_REFUNDED', true],
    ['CANCEL', 'FAILED', 'REFUNDED', false],
    ['CANCEL', 'CANCELLED', 'REFUNDED', false],
    ['CANCEL', 'DELIVERED', 'VENDOR_VOUCHER_FETCHED', false],
    ['FAIL', 'PENDING', 'INITIAL', true],
    ['FAIL', 'FAILED', 'NOT_REFUNDED', false],
    ['FAIL', 'DELIVERED', 'INVENTORY_FULFILLED', false],
  ];
  for (const [action, status, subStatus, allowed] of table) {
    const message = rejectAction(action, 'ord_X', { status, subStatus });
    assert.equal(message === undefined, allowed, `${action} from ${status}/${subStatus}`);
    if (message) assert.match(message, new RegExp(`^Order ord_X is ${status}`));
  }
});

test('cancelling a failed order keeps FAILED; anything else becomes CANCELLED', () => {
  assert.deepEqual(cancelledState({ status: 'FAILED', subStatus: 'NOT_REFUNDED' }), { status: 'FAILED', subStatus: 'REFUNDED' });
  assert.deepEqual(cancelledState({ status: 'PENDING', subStatus: 'INITIAL' }), { status: 'CANCELLED', subStatus: 'REFUNDED' });
});

test('refund share and the bulk threshold', () => {
  assert.equal(refundShare(14625, 3, 2), 9750);
  assert.equal(refundShare(1000, 3, 1), 333);
  assert.equal(refundShare(1000, 3, 3), 1000);
  assert.equal(refundShare(1000, 3, 0), 0);
  assert.equal(isBulk(50), false);
  assert.equal(isBulk(51), true);
});
