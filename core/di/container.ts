// tsyringe needs the Reflect metadata polyfill before it loads; every core module takes tsyringe through here.
import 'reflect-metadata';
import { container, type DependencyContainer } from 'tsyringe';

export { inject, injectable } from 'tsyringe';
export type { DependencyContainer } from 'tsyringe';

/** A fresh root container for one host (never the global one, so tests and hosts do not share state). */
export function createRootContainer(): DependencyContainer {
  return container.createChildContainer();
}
