import { describe, expect, it } from 'vitest';
import { emptySurface, type Owner } from '../../core/registry/entries.js';
import { Registry } from '../../core/registry/registry.js';
import { SurfaceBuilder } from '../../core/plugins/surface-builder.js';

function owner(instanceId: string, namespace = instanceId): Owner {
  return { instanceId, namespace, opaqueSchemes: new Set(), enter() {}, leave() {} };
}

const tool = (name: string) => ({ name, description: name, inputSchema: { type: 'object' }, handler: () => ({ content: [] }) });

describe('Registry', () => {
  it('keeps a sorted, cached list that is rebuilt only when the set changes', () => {
    const registry = new Registry();
    const b = new SurfaceBuilder(owner('b'));
    b.addTool(tool('z'));
    b.goLive((s) => registry.publish('b', s));
    const a = new SurfaceBuilder(owner('a'));
    a.addTool(tool('y'));
    a.goLive((s) => registry.publish('a', s));
    const first = registry.listTools();
    expect(first.map((t) => t.name)).toEqual(['a__y', 'b__z']);
    expect(registry.listTools()).toBe(first);
    registry.unpublish('b');
    expect(registry.listTools().map((t) => t.name)).toEqual(['a__y']);
  });

  it('refuses a colliding name and leaves the table untouched', () => {
    const registry = new Registry();
    const one = new SurfaceBuilder(owner('one', ''));
    one.addTool(tool('same'));
    one.goLive((s) => registry.publish('one', s));
    const two = new SurfaceBuilder(owner('two', ''));
    two.addTool(tool('same'));
    two.addTool(tool('other'));
    expect(() => two.goLive((s) => registry.publish('two', s))).toThrow(/already exposed by instance "one"/);
    expect(registry.listTools().map((t) => t.name)).toEqual(['same']);
    expect(registry.tool('same')?.owner.instanceId).toBe('one');
  });

  it('rolls back a live registration that collides and removes entries on request', () => {
    const registry = new Registry();
    const one = new SurfaceBuilder(owner('one', ''));
    one.addTool(tool('taken'));
    one.goLive((s) => registry.publish('one', s));
    const two = new SurfaceBuilder(owner('two', ''));
    two.goLive((s) => registry.publish('two', s));
    expect(() => two.addTool(tool('taken'))).toThrow(/already exposed/);
    expect(two.surface.tools.size).toBe(0);
    const reg = two.addTool(tool('fresh'));
    expect(registry.tool('fresh')).toBeDefined();
    reg.remove();
    expect(registry.tool('fresh')).toBeUndefined();
  });

  it('notifies one change per publish with the kinds that changed', () => {
    const registry = new Registry();
    const seen: string[][] = [];
    registry.onChange((kinds) => seen.push([...kinds].sort()));
    const b = new SurfaceBuilder(owner('b'));
    b.addTool(tool('t'));
    b.addPrompt({ name: 'p', description: 'p', get: () => ({ messages: [] }) });
    b.goLive((s) => registry.publish('b', s));
    registry.publish('empty', emptySurface(owner('empty')));
    expect(seen).toEqual([['prompts', 'tools']]);
  });

  it('routes templated URIs back to the instance named in the authority', () => {
    const registry = new Registry();
    for (const id of ['x', 'y']) {
      const builder = new SurfaceBuilder(owner(id));
      builder.addTemplate({ uriTemplate: 'hello://greeting/{name}', name: 'g', read: () => ({ contents: [] }) });
      builder.goLive((s) => registry.publish(id, s));
    }
    const found = registry.resolveResource('hello://y/greeting/Ada');
    expect(found?.owner.instanceId).toBe('y');
    expect(found?.uri).toBe('hello://greeting/Ada');
    expect(found?.variables).toEqual({ name: 'Ada' });
    expect(registry.resolveResource('hello://z/greeting/Ada')).toBeUndefined();
  });
});
