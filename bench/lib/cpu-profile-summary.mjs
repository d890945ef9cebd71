// Summarizes a V8 .cpuprofile (node --cpu-prof): self and inclusive time per function, and self time per package/folder.
import { readFileSync } from 'node:fs';

function shortUrl(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  const bench = url.indexOf('/bench/');
  if (bench >= 0) return url.slice(bench + 1);
  return url.replace(/^file:\/\//, '');
}

/** Where a frame's code lives: an npm package, a folder of dist/, node's internals, or a V8 pseudo-frame. */
function groupOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const dist = /\/dist\/([^/]+\/[^/]+)\//.exec(url);
  if (dist) return `dist/${dist[1]}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return shortUrl(url);
}

export function summarizeProfile(path, top = 25) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n) => `${n.callFrame.functionName || '(anonymous)'}  ${shortUrl(n.callFrame.url)}${n.callFrame.url ? ':' + (n.callFrame.lineNumber + 1) : ''}`;

  const self = new Map();
  const inclusive = new Map();
  const groups = new Map();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const leaf = byId.get(id);
    total += dt;
    if (leaf.callFrame.functionName === '(idle)') {
      idle += dt;
      return;
    }
    self.set(key(leaf), (self.get(key(leaf)) ?? 0) + dt);
    const group = groupOf(leaf.callFrame.url, leaf.callFrame.functionName);
    groups.set(group, (groups.get(group) ?? 0) + dt);
    const seen = new Set();
    for (let n = leaf; n; n = byId.get(parent.get(n.id))) {
      const k = key(n);
      if (seen.has(k) || k.startsWith('(root)')) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  });
  const busy = total - idle;
  const rank = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / busy }));
  return { busyMs: busy / 1000, idleMs: idle / 1000, self: rank(self), inclusive: rank(inclusive), groups: rank(groups) };
}

export function formatSummary(title, s) {
  const lines = (rows) => rows.map((r) => `  ${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}`).join('\n');
  return [
    `${title}: ${s.busyMs.toFixed(0)} ms busy (${s.idleMs.toFixed(0)} ms idle); percentages of busy time`,
    'self time by package / folder:', lines(s.groups),
    'self time by function:', lines(s.self),
    'inclusive time by function:', lines(s.inclusive),
  ].join('\n');
}
