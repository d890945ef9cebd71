// A lean HTTP/1.1 keep-alive client for the HTTP bench, in the spirit of autocannon: one socket per connection, one
// request at a time on it, the request written in one piece, the response parsed just enough (status, headers,
// Content-Length or chunked body). On a 2-core machine the load generator shares the CPU with the server it
// measures: node:http's client spends about as much per request as the server under test, which would cap both
// sides well below what they can serve. Same client for the host and the bare SDK server, so the comparison holds.
import { connect } from 'node:net';

const CRLF2 = Buffer.from('\r\n\r\n');

export class RawConnection {
  /** @param {URL} url */
  constructor(url) {
    this.url = url;
    this.host = url.host;
    this.pending = undefined;
    this.buffer = Buffer.alloc(0);
    this.open();
  }

  open() {
    this.socket = connect({ host: this.url.hostname, port: Number(this.url.port), noDelay: true });
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => {
      this.closed = true;
      this.fail(new Error('connection closed'));
    });
    this.closed = false;
  }

  /**
   * POSTs `body` with `headers` (an object of header name → value); resolves with { status, headers, text }.
   * @returns {Promise<{ status: number, headers: Record<string, string>, text: string }>}
   */
  post(path, headers, body) {
    if (this.closed) {
      this.buffer = Buffer.alloc(0);
      this.open();
    }
    let head = `POST ${path} HTTP/1.1\r\nHost: ${this.host}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(`${head}\r\n${body}`);
    });
  }

  close() {
    this.socket.destroy();
  }

  fail(error) {
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }

  onData(chunk) {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const response = parseResponse(this.buffer);
    if (!response) return;
    this.buffer = this.buffer.subarray(response.size);
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(response);
    if (response.headers.connection === 'close') this.socket.end();
  }
}

/** One complete response at the start of `buffer`, or undefined while it is still arriving. */
function parseResponse(buffer) {
  const end = buffer.indexOf(CRLF2);
  if (end === -1) return undefined;
  const lines = buffer.toString('latin1', 0, end).split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
  }
  let at = end + 4;
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (buffer.length < at + length) return undefined;
    return { status, headers, text: buffer.toString('utf8', at, at + length), size: at + length };
  }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const parts = [];
    for (;;) {
      const lineEnd = buffer.indexOf('\r\n', at);
      if (lineEnd === -1) return undefined;
      const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
      const dataStart = lineEnd + 2;
      if (buffer.length < dataStart + size + 2) return undefined;
      if (size === 0) {
        // No trailers are expected: the last chunk is followed by an empty line.
        return { status, headers, text: Buffer.concat(parts).toString('utf8'), size: dataStart + 2 };
      }
      parts.push(buffer.subarray(dataStart, dataStart + size));
      at = dataStart + size + 2;
    }
  }
  // Neither: an empty body (the bench's servers always say which).
  return { status, headers, text: '', size: at };
}
