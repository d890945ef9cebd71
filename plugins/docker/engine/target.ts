/**
 * Where the Engine is: the config's socketPath or host/port/tls, else DOCKER_HOST, else the platform's
 * default socket. Decided once per instance; the options are handed to dockerode's modem as they are,
 * and every option the modem would otherwise take from DOCKER_* variables is set explicitly, so an
 * explicit socketPath is never overridden by a DOCKER_HOST in the environment.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DockerConfig } from '../config.js';

export interface EngineTarget {
  /** How errors name the Engine: unix:///var/run/docker.sock, tcp://host:2376 (tls). */
  label: string;
  /** True when the Engine runs on this machine (a unix socket): exec PIDs then are this machine's PIDs. */
  local: boolean;
  /** dockerode/docker-modem options; files are read on first use, so a missing CA is a call error, not a load failure. */
  options(): Record<string, unknown>;
}

export class TargetConfigError extends Error {}

/**
 * A fresh connection per call: a kept-alive socket to an Engine that restarted (or to a proxy that went
 * away) fails the next call with EPIPE, which is exactly the recovery this plugin promises. Connecting to
 * a local socket costs well under a millisecond.
 */
const httpAgent = () => new HttpAgent({ keepAlive: false });
const httpsAgent = () => new HttpsAgent({ keepAlive: false });

const NO_ENV = { host: undefined, port: undefined, protocol: 'http', ca: undefined, cert: undefined, key: undefined, pathPrefix: undefined, username: undefined };

function defaultSocket(): string {
  if (process.platform === 'win32') return '//./pipe/docker_engine';
  const user = join(homedir(), '.docker', 'run', 'docker.sock');
  return existsSync(user) ? user : '/var/run/docker.sock';
}

function socketTarget(path: string): EngineTarget {
  const pipe = path.startsWith('//./pipe/') || path.startsWith('\\\\.\\pipe\\');
  return { label: pipe ? `npipe://${path}` : `unix://${path}`, local: !pipe, options: () => ({ ...NO_ENV, socketPath: path, agent: httpAgent() }) };
}

function tcpTarget(host: string, port: number, tls: { ca: () => Buffer; cert?: () => Buffer; key?: () => Buffer } | undefined): EngineTarget {
  return {
    label: `tcp://${host}:${port}${tls ? ' (tls)' : ''}`,
    local: false,
    options: () => ({
      ...NO_ENV,
      socketPath: undefined,
      host,
      port,
      protocol: tls ? 'https' : 'http',
      agent: tls ? httpsAgent() : httpAgent(),
      ...(tls ? { ca: tls.ca(), cert: tls.cert?.(), key: tls.key?.() } : {}),
    }),
  };
}

/** The target of one instance; throws TargetConfigError for contradictory settings. */
export function resolveTarget(config: DockerConfig, resolvePath: (path: string) => string, env: NodeJS.ProcessEnv = process.env): EngineTarget {
  if (config.socketPath && config.host) throw new TargetConfigError('set socketPath or host, not both');
  if (!config.host && (config.port !== undefined || config.tls)) throw new TargetConfigError('port and tls need host');
  if (config.socketPath) return socketTarget(config.socketPath.startsWith('//') ? config.socketPath : resolvePath(config.socketPath));
  if (config.host) {
    const read = (file: string) => () => readFileSync(resolvePath(file));
    const tls = config.tls ? { ca: read(config.tls.caFile), cert: config.tls.certFile ? read(config.tls.certFile) : undefined, key: config.tls.keyFile ? read(config.tls.keyFile) : undefined } : undefined;
    return tcpTarget(config.host, config.port ?? (tls ? 2376 : 2375), tls);
  }
  const fromEnv = env.DOCKER_HOST;
  if (!fromEnv) return socketTarget(defaultSocket());
  if (fromEnv.startsWith('unix://')) return socketTarget(fromEnv.slice('unix://'.length) || defaultSocket());
  if (fromEnv.startsWith('npipe://')) return socketTarget(fromEnv.slice('npipe://'.length) || '//./pipe/docker_engine');
  let url: URL;
  try {
    url = new URL(fromEnv.includes('//') ? fromEnv : `tcp://${fromEnv}`);
  } catch {
    throw new TargetConfigError(`DOCKER_HOST is not a URL: ${fromEnv}`);
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetConfigError(`DOCKER_HOST ${url.protocol}// is not supported; set socketPath or host in the instance config`);
  }
  const certs = env.DOCKER_CERT_PATH;
  const useTls = env.DOCKER_TLS_VERIFY === '1' || url.port === '2376' || url.protocol === 'https:';
  const tls = useTls && certs ? { ca: () => readFileSync(join(certs, 'ca.pem')), cert: () => readFileSync(join(certs, 'cert.pem')), key: () => readFileSync(join(certs, 'key.pem')) } : undefined;
  if (useTls && !tls) throw new TargetConfigError('DOCKER_HOST asks for TLS but DOCKER_CERT_PATH is not set');
  return tcpTarget(url.hostname, Number(url.port || (tls ? 2376 : 2375)), tls);
}
