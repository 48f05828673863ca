import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signingVectors } from '../testdata/vectors.ts';
import type { WebhookSigningVector } from '../testdata/vectors.ts';
import {
  WebhookVerificationError,
  signWebhookPayload,
  verifyWebhook,
  webhookSignedPayloadBytes,
  webhookSignedPayloadString,
} from './webhooks.ts';
import type { RawBody } from './hmac.ts';
import type { VerifyWebhookOptions } from './webhooks.ts';


const vectors = signingVectors.webhook_signing;

test('the shared webhook-signing vectors are present', () => assert.ok(vectors.length >= 2));

for (const [i, v] of vectors.entries()) {
  test(`vector ${i}: signed payload and X-Signature`, () => {
    assert.equal(webhookSignedPayloadString(v), v.signed_payload);
    assert.equal(signWebhookPayload({ secrets: v.secret, timestamp: v.timestamp, body: v.body }), v.x_signature);
    assert.equal(signWebhookPayload({ secrets: [v.secret], timestamp: String(v.timestamp), body: Buffer.from(v.body) }), v.x_signature);
  });

  test(`vector ${i}: verifies from a string and from a Buffer, and returns the parsed event`, () => {
    const expected = JSON.parse(v.body) as unknown;
    assert.deepEqual(verifyWebhook(v.body, v.x_signature, v.secret, { now: v.timestamp }), expected);
    assert.deepEqual(verifyWebhook(Buffer.from(v.body, 'utf8'), v.x_signature, [v.secret], { now: v.timestamp }), expected);
  });
}

const [delivered, pending] = vectors as [WebhookSigningVector, WebhookSigningVector];
const oldSecret = delivered.secret;
const newSecret = 'whsec_rotated_9c1a';
const rotatedHeader = signWebhookPayload({ secrets: [oldSecret, newSecret], timestamp: delivered.timestamp, body: delivered.body });
const v1Old = delivered.x_signature.split('v1=')[1] ?? '';
const v1Other = 'e'.repeat(64);

test('rotation: one v1 per secret, in the order given', () => {
  const newOnly = signWebhookPayload({ secrets: newSecret, timestamp: delivered.timestamp, body: delivered.body });
  assert.equal(rotatedHeader, `${delivered.x_signature},v1=${newOnly.split('v1=')[1]}`);
});

interface Case {
  body?: RawBody;
  header?: string | undefined;
  secrets?: string | string[];
  options?: VerifyWebhookOptions;
}

const verifyCases: Array<[string, Case, 'ok' | [code: string, reason: string]]> = [
  ['untouched', {}, 'ok'],
  ['rotation header, receiver holds only the old secret', { header: rotatedHeader }, 'ok'],
  ['rotation header, receiver holds only the new secret', { header: rotatedHeader, secrets: newSecret }, 'ok'],
  ['receiver holds both secrets, sender signed with the old', { secrets: [newSecret, oldSecret] }, 'ok'],
  ['unknown v0 ignored', { header: `t=${delivered.timestamp},v0=whatever,v1=${v1Old}` }, 'ok'],
  ['matching v1 after a foreign one', { header: `t=${delivered.timestamp},v1=${v1Other},v1=${v1Old}` }, 'ok'],
  ['300 s later', { options: { now: delivered.timestamp + 300 } }, 'ok'],
  ['300 s earlier', { options: { now: delivered.timestamp - 300 } }, 'ok'],
  ['tampered body', { body: delivered.body.replace('DELIVERED', 'CANCELLED') }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['body with a trailing newline', { body: `${delivered.body}\n` }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['wrong secret', { secrets: 'whsec_7d2e0b1e' }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['rotation header, receiver holds neither secret', { header: rotatedHeader, secrets: ['whsec_a', 'whsec_b'] }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['t changed (signature binds the timestamp)', { header: `t=${delivered.timestamp + 1},v1=${v1Old}` }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['stale: 301 s old', { options: { now: delivered.timestamp + 301 } }, ['E_TIMESTAMP_OUT_OF_WINDOW', 'TIMESTAMP_TOO_OLD']],
  ['future: 301 s ahead', { options: { now: delivered.timestamp - 301 } }, ['E_TIMESTAMP_OUT_OF_WINDOW', 'TIMESTAMP_TOO_NEW']],
  ['custom tolerance', { options: { now: delivered.timestamp + 61, toleranceSeconds: 60 } }, ['E_TIMESTAMP_OUT_OF_WINDOW', 'TIMESTAMP_TOO_OLD']],
  ['stale and forged: signature judged first', { secrets: 'whsec_x', options: { now: 0 } }, ['E_SIGNATURE_INVALID', 'V1_MISMATCH']],
  ['header missing', { header: undefined }, ['E_SIGNATURE_MALFORMED', 'HEADER_MISSING']],
  ['upper-case hex', { header: `t=${delivered.timestamp},v1=${v1Old.toUpperCase()}` }, ['E_SIGNATURE_MALFORMED', 'V1_MALFORMED']],
  ['no t', { header: `v1=${v1Old}` }, ['E_SIGNATURE_MALFORMED', 'T_MISSING']],
  ['no v1', { header: `t=${delivered.timestamp}` }, ['E_SIGNATURE_MALFORMED', 'V1_MISSING']],
  ['Node-joined duplicate headers', { header: `${delivered.x_signature}, ${delivered.x_signature}` }, ['E_SIGNATURE_MALFORMED', 'HEADER_ITEM_MALFORMED']],
];

for (const [name, c, expected] of verifyCases) {
  test(`verifyWebhook: ${name}`, () => {
    const run = () =>
      verifyWebhook(
        c.body ?? delivered.body,
        'header' in c ? c.header : delivered.x_signature,
        c.secrets ?? oldSecret,
        c.options ?? { now: delivered.timestamp },
      );
    if (expected === 'ok') {
      assert.equal(run().event_id, 'evt_01HX9ABC');
      return;
    }
    assert.throws(run, (error: unknown) => {
      assert.ok(error instanceof WebhookVerificationError);
      assert.deepEqual([error.code, error.reason], expected);
      assert.equal(error.name, 'WebhookVerificationError');
      assert.ok(!error.message.includes(oldSecret));
      return true;
    });
  });
}

function signed(body: RawBody) {
  const header = signWebhookPayload({ secrets: oldSecret, timestamp: pending.timestamp, body });
  return () => verifyWebhook(body, header, oldSecret, { now: pending.timestamp });
}

for (const [name, body, reason] of [
  ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'BODY_NOT_UTF8'],
  ['not JSON', 'ok', 'BODY_NOT_JSON'],
  ['empty', '', 'BODY_NOT_JSON'],
  ['a JSON array', '[]', 'BODY_NOT_EVENT'],
  ['an envelope without event_id', '{"event_type":"order.delivered","created_at":"2026-04-14T08:42:15Z","data":{}}', 'BODY_NOT_EVENT'],
] as const) {
  test(`verifyWebhook: correctly signed but ${name} → E_PAYLOAD_INVALID`, () => {
    assert.throws(signed(body), { name: 'WebhookVerificationError', code: 'E_PAYLOAD_INVALID', reason });
  });
}

test('verifyWebhook parses only after verifying: a forged non-JSON body is a signature failure', () => {
  assert.throws(() => verifyWebhook('not json', pending.x_signature, pending.secret, { now: pending.timestamp }), {
    code: 'E_SIGNATURE_INVALID',
  });
});

test('verifyWebhook accepts the seed sample envelope that names the type `event`', () => {
  const body = '{"event":"order.delivered","event_id":"evt_1","created_at":"2026-04-14T08:42:15Z","data":{"status":"DELIVERED"}}';
  const event = signed(body)();
  assert.equal(event.event_type, 'order.delivered');
});

test('verifyWebhook checks the current clock by default', () => {
  const now = Math.floor(Date.now() / 1000);
  const header = signWebhookPayload({ secrets: oldSecret, body: pending.body });
  assert.ok(Math.abs(Number(header.slice(2, header.indexOf(','))) - now) <= 1);
  assert.equal(verifyWebhook(pending.body, header, oldSecret).event_id, 'evt_01HX9ABD');
  const old = signWebhookPayload({ secrets: oldSecret, timestamp: now - 400, body: pending.body });
  assert.throws(() => verifyWebhook(pending.body, old, oldSecret), { code: 'E_TIMESTAMP_OUT_OF_WINDOW' });
});

test('non-ASCII body: the signed bytes are UTF-8', () => {
  assert.equal(webhookSignedPayloadBytes(pending).toString('utf8'), pending.signed_payload);
  assert.notEqual(signWebhookPayload({ secrets: pending.secret, timestamp: pending.timestamp, body: Buffer.from(pending.body, 'latin1') }), pending.x_signature);
});

for (const [name, call, pattern] of [
  ['no secrets to verify with', () => verifyWebhook(delivered.body, delivered.x_signature, []), /secret/],
  ['no secrets to sign with', () => signWebhookPayload({ secrets: [], body: '{}' }), /secret/],
  ['an empty secret', () => signWebhookPayload({ secrets: [''], body: '{}' }), /secret/],
  ['a parsed body (express.json instead of express.raw)', () => verifyWebhook(JSON.parse(delivered.body) as string, delivered.x_signature, oldSecret), /raw body/],
] as const) {
  test(`programming errors throw TypeError, not a verification failure: ${name}`, () => {
    assert.throws(call, (error: unknown) => error instanceof TypeError && pattern.test(error.message));
  });
}
