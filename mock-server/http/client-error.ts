/**
 * Requests Node's HTTP parser rejects before Express sees them (CR or LF inside a header, NUL, obsolete
 * line folding, Content-Length with Transfer-Encoding, …) get the error envelope and an X-Trace-ID like
 * every other error, instead of Node's bare `400 Bad Request` with no body. The connection is closed:
 * after a framing error nothing else on it can be trusted.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from '../api-error.ts';
import { validationFailure } from './api-errors.ts';

function errorFor(code: string | undefined): ApiError {
  if (code === 'HPE_HEADER_OVERFLOW') return new ApiError(431, 'E_VALIDATION_FAILURE', 'The request headers are too large.');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return new ApiError(408, 'E_VALIDATION_FAILURE', 'The request was not received in time.');
  return validationFailure('The request is not valid HTTP/1.1 (malformed request line, header or framing).');
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node's own handler: nothing can be written once a response on this connection has started.
    const inProgress = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    const apiError = errorFor(error.code);
    const body = JSON.stringify(apiError.toEnvelope());
    socket.end(
      [
        `HTTP/1.1 ${apiError.status} ${REASONS[apiError.status]}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        `X-Trace-ID: ${randomUUID().replace(/-/g, '')}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
}
