import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPEN_POLICY, refuseWebhookUrl, webhookHosting, withoutCredentials } from './webhook-url-policy.ts';

const hosted = webhookHosting({ hosted: true });

// Regression (issue 18): a hosted sandbox accepted all of these (201) and would have POSTed to them.
test('hosted: internal addresses are refused by rule, whatever form the URL writes them in', () => {
  const cases: [string, string][] = [
    ['http://169.254.169.254/latest/meta-data/', 'LINK_LOCAL'],
    ['http://10.0.0.1/', 'PRIVATE'],
    ['http://172.16.5.4/', 'PRIVATE'],
    ['http://192.168.1.1:8080/', 'PRIVATE'],
    ['http://100.64.0.1/', 'SHARED_CGNAT'],
    ['http://[::1]:22/', 'LOOPBACK'],
    ['http://2130706433/', 'LOOPBACK'],
    ['http://0x7f.1/', 'LOOPBACK'],
    ['http://127.1/', 'LOOPBACK'],
    ['http://017700000001/', 'LOOPBACK'],
    ['http://127.0.0.1:4010/sandbox/v1/reset', 'LOOPBACK'],
    ['http://localhost/', 'LOOPBACK'],
    ['http://api.LOCALHOST./', 'LOOPBACK'],
    ['http://0.0.0.0/', 'UNSPECIFIED'],
    ['http://[::]/', 'UNSPECIFIED'],
    ['http://[fd12:3456::1]/', 'PRIVATE'],
    ['http://[fe80::1]/', 'LINK_LOCAL'],
    ['http://[::ffff:169.254.169.254]/', 'IPV4_EMBEDDED'],
    ['http://[::ffff:8.8.8.8]/', 'IPV4_EMBEDDED'],
    ['http://[64:ff9b::a00:1]/', 'IPV4_EMBEDDED'],
    ['http://224.0.0.1/', 'MULTICAST'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'METADATA'],
    ['http://metadata/', 'METADATA'],
    ['http://db/', 'INTERNAL_NAME'],
    ['http://redis.internal/', 'INTERNAL_NAME'],
    ['http://printer.local/', 'INTERNAL_NAME'],
    ['http://user:pw@hooks.example.com/', 'CREDENTIALS'],
    ['ftp://hooks.example.com/', 'SCHEME'],
    ['not a url', 'NOT_A_URL'],
  ];
  for (const [url, rule] of cases) {
    const refused = refuseWebhookUrl(url, hosted);
    assert.equal(refused?.rule, rule, url);
    assert.match(refused.message, new RegExp(`^url is refused \\(${rule}\\): `));
  }
  for (const url of ['https://hooks.example.com/starship', 'http://8.8.8.8:8080/x', 'https://[2001:4860:4860::8888]/']) {
    assert.equal(refuseWebhookUrl(url, hosted), undefined, url);
  }
});

test('not hosted, internal addresses are allowed (local receivers), credentials never; their password is never repeated', () => {
  assert.equal(refuseWebhookUrl('http://127.0.0.1:9000/hooks', OPEN_POLICY), undefined);
  const refused = refuseWebhookUrl('https://alice:s3cr3t-pw@hooks.example.com/x', OPEN_POLICY);
  assert.equal(refused?.rule, 'CREDENTIALS');
  assert.doesNotMatch(refused.message, /s3cr3t|alice/);
  assert.equal(withoutCredentials('https://alice:s3cr3t-pw@hooks.example.com/x'), 'https://hooks.example.com/x');
});

test('--allow-webhook-host exempts a host from the address rules (as written, any case), never from the credentials rule', () => {
  const policy = webhookHosting({ hosted: true, allowHosts: ['127.0.0.1', 'Receiver.Internal', '[::1]'] });
  assert.equal(refuseWebhookUrl('http://127.0.0.1:9000/hooks', policy), undefined);
  assert.equal(refuseWebhookUrl('http://receiver.internal/hooks', policy), undefined);
  assert.equal(refuseWebhookUrl('http://[::1]:9000/', policy), undefined);
  assert.equal(refuseWebhookUrl('http://127.0.0.2/', policy)?.rule, 'LOOPBACK');
  assert.equal(refuseWebhookUrl('http://u:p@127.0.0.1/', policy)?.rule, 'CREDENTIALS');
});
