/** Regression (found by reliability/bad-input): requests Node's parser rejects got a bare 400 with no envelope. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { answerClientErrors } from './client-error.ts';

function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (response += chunk));
    socket.on('end', () => resolve(response));
    socket.on('error', reject);
    socket.end(request);
  });
}

test('a CR inside a header, obsolete folding or conflicting framing is answered with the envelope', async (t) => {
  const server = createServer((_req, res) => res.end('reached the app'));
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const { port } = server.address() as AddressInfo;
  for (const header of ['X-Trace-ID: a\rSet-Cookie: x=1', 'X-A: 1\r\n folded', 'Content-Length: 2\r\nTransfer-Encoding: chunked']) {
    const response = await rawExchange(port, `GET / HTTP/1.1\r\nHost: x\r\n${header}\r\n\r\n`);
    const [head = '', body = ''] = response.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 400 /, header);
    assert.match(head, /\r\nX-Trace-ID: [0-9a-f]{32}\r\n/i);
    assert.doesNotMatch(head, /set-cookie/i);
    assert.deepEqual(JSON.parse(body).error.code, 'E_VALIDATION_FAILURE');
  }
});
