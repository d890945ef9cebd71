// The tools/list scenario's shape: instance names shared by the host config and the bare list server.
export const MANY_INSTANCES = 100;
export const MANY_TOOLS_PER_INSTANCE = 20;

/** m000 … m099: sorts the same way as a number, so both servers list in one order. */
export function manyInstanceName(i) {
  return `m${String(i).padStart(3, '0')}`;
}
