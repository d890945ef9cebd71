import { describe, expect, test } from 'vitest';
import { parseListen } from '../../core/cli/serve-http.js';
import { isLoopback } from '../../core/server/http/origin-check.js';

describe('--http [HOST:]PORT', () => {
  test('a bare port binds loopback; hosts and bracketed IPv6 are kept', () => {
    expect(parseListen('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseListen('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    expect(parseListen('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
  });

  test('anything else is refused', () => {
    for (const bad of ['', 'http', ':', '8080:', 'host:port', '70000', '::1:80', 'a:b:80']) expect(parseListen(bad), bad).toBeUndefined();
  });

  test('loopback is localhost, 127/8 and ::1 only', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1', 'localhost.evil.com']) expect(isLoopback(host), host).toBe(false);
  });
});
