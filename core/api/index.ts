/** Public entry of the `mcp-plugin-host` package for plugin authors. Importing it is optional. */
export * from './plugin-api.js';
export * from './tokens.js';
export { definePlugin } from './define-plugin.js';
