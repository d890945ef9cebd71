// Context for the logs figure: what the plain dockerode call does with a 50 MB log. Container#logs without
// follow buffers the whole body before it resolves. Run in its own process so its peak RSS is its own.
// usage: node bench/docker/naive-logs.mjs <container id>   (prints one JSON line)
import { readFileSync } from 'node:fs';
import { connect } from './engine.mjs';

const memoryMb = () => {
  const status = readFileSync('/proc/self/status', 'utf8');
  const field = (name) => Number(/^\s*(\d+)/.exec(status.split(`${name}:`)[1] ?? '')?.[1] ?? NaN) / 1024;
  return { rssMb: field('VmRSS'), peakRssMb: field('VmHWM') };
};

const docker = connect();
await docker.ping();
const before = memoryMb();
const started = performance.now();
const body = await docker.getContainer(process.argv[2]).logs({ stdout: true, stderr: true, follow: false });
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, bytes: body.length, startRssMb: before.rssMb, ...memoryMb() }));
