import { describe, expect, it } from 'vitest';
import { interpolate } from '../../core/config/interpolate.js';

describe('interpolate', () => {
  it('fills ${VAR} and ${VAR:-default} in nested strings and reports what it filled and missed', () => {
    const out = interpolate({ a: '${A}', b: ['x-${B:-dflt}'], c: { d: '${C}' }, n: 3 }, { A: 'secret-a' });
    expect(out.value).toEqual({ a: 'secret-a', b: ['x-dflt'], c: { d: '' }, n: 3 });
    expect(out.filled).toEqual(['secret-a']);
    expect(out.missing).toEqual(['C']);
  });

  it('treats an empty variable as unset so the default applies', () => {
    expect(interpolate('${E:-fallback}', { E: '' }).value).toBe('fallback');
  });
});
