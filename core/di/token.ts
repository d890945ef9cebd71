import type { InjectionToken } from 'tsyringe';

/**
 * The one way to make a DI token. `Symbol.for` keeps a token identical across copies of this
 * package (a third-party plugin may carry its own copy in its node_modules).
 */
export function token<T>(name: string): InjectionToken<T> {
  return Symbol.for(`mcp-plugin-host:${name}`) as InjectionToken<T>;
}
