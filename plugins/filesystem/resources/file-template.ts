import { closeSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceTemplateDefinition } from '../../../core/api/index.js';
import { FsError } from '../safety/fs-error.js';
import { HAS_PROC_FD, openVerified, withVerified } from '../safety/verified-open.js';
import type { FsServices } from '../services.js';
import { decodeText, formatBytes, textShape } from '../text/encoding.js';
import { readRange } from '../text/line-window.js';
import { byCodeUnits } from '../util/result.js';
import { resourceType } from '../util/mime.js';
import type { WatchHub } from './watch-hub.js';

/** `file:///abs/path` in the plugin's terms (the host adds the namespace). */
export function fileUri(real: string): string {
  return pathToFileURL(real).href;
}

function pathOf(variables: Record<string, string | string[]>): string {
  const raw = Array.isArray(variables.path) ? variables.path.join('/') : String(variables.path ?? '');
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    throw new FsError(`bad percent-encoding in ${raw}`);
  }
  if (!path.startsWith('/')) throw new FsError(`file URIs need an absolute path: ${path}`);
  return path;
}

const LISTED = 50;

/** Files inside the roots as resources, `file://{+path}`, with subscriptions that follow changes on disk. */
export function fileTemplate(s: FsServices, hub: WatchHub): ResourceTemplateDefinition {
  const subscribed = new Map<string, string>();
  return {
    uriTemplate: 'file://{+path}',
    name: 'file',
    title: 'Files in the allowed folders',
    description: 'Any file inside the roots, by absolute path (file:///abs/path). Subscribe to be told when it changes on disk.',
    async list() {
      const { roots } = await s.roots.effective();
      const out = [];
      for (const root of roots) {
        for (const name of listNames(root.path)) {
          const real = `${root.path}/${name.name}`;
          if (!name.file || s.deny.match(name.name)) continue;
          out.push({ uri: fileUri(real), name: name.name, mimeType: resourceType(real, false) });
          if (out.length >= LISTED) return out;
        }
      }
      return out;
    },
    async read(uri, variables) {
      const { roots } = await s.roots.effective();
      const path = pathOf(variables);
      const target = s.resolver.existing(path, roots);
      const cap = Math.max(s.config.maxReadBytes, s.config.maxMediaBytes);
      return withVerified(target.real, 'file', path, ({ fd, stat }) => {
        if (stat.size > cap) throw new FsError(`${path}: ${formatBytes(stat.size)} is too large for a resource read (limit ${formatBytes(cap)}); use read_text_file with line ranges`);
        const bytes = readRange(fd, 0, stat.size);
        const shape = textShape(bytes);
        const binary = shape.binary || (shape.encoding === 'utf-8' && !shape.validUtf8);
        const mimeType = resourceType(target.real, binary);
        if (binary || mimeType.startsWith('image/') || mimeType.startsWith('audio/')) {
          return { contents: [{ uri, mimeType, blob: bytes.toString('base64') }] };
        }
        return { contents: [{ uri, mimeType, text: decodeText(bytes, shape) }] };
      });
    },
    async subscribe(uri) {
      const { roots } = await s.roots.effective();
      const match = /^file:\/\/(.*)$/s.exec(uri);
      if (!match) throw new FsError(`not a file URI: ${uri}`);
      const target = s.resolver.existing(pathOf({ path: match[1] }), roots);
      hub.add(target.real, uri);
      subscribed.set(uri, target.real);
    },
    unsubscribe(uri) {
      const real = subscribed.get(uri);
      if (real === undefined) return;
      subscribed.delete(uri);
      if (![...subscribed.values()].includes(real)) hub.remove(real);
    },
    async complete(variable, value) {
      if (variable !== 'path') return [];
      const { roots } = await s.roots.effective();
      let typed: string;
      try {
        typed = decodeURIComponent(value);
      } catch {
        return [];
      }
      if (!typed.startsWith('/')) typed = `${roots[0].path}/${typed}`;
      const folder = typed.endsWith('/') ? typed.slice(0, -1) || '/' : dirname(typed);
      const prefix = typed.endsWith('/') ? '' : basename(typed);
      let dir;
      try {
        dir = s.resolver.existing(folder, roots);
      } catch {
        return [];
      }
      const base = dir.rel ? `${dir.rel}/` : '';
      return listNames(dir.real)
        .filter((e) => e.name.startsWith(prefix) && !s.deny.match(base + e.name))
        .slice(0, 100)
        .map((e) => `${dir.real === '/' ? '' : dir.real}/${e.name}${e.dir ? '/' : ''}`);
    },
  };
}

function listNames(real: string): { name: string; file: boolean; dir: boolean }[] {
  try {
    const opened = openVerified(real, 'directory', real);
    try {
      return readdirSync(HAS_PROC_FD ? `/proc/self/fd/${opened.fd}` : real, { withFileTypes: true })
        .map((d) => ({ name: d.name, file: d.isFile(), dir: d.isDirectory() }))
        .sort((a, b) => byCodeUnits(a.name, b.name));
    } finally {
      closeSync(opened.fd);
    }
  } catch {
    return [];
  }
}
