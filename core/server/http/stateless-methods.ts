/**
 * The requests `--stateless` serves on ONE long-lived frontend instead of a throwaway one per request.
 *
 * Why that is correct: in stateless mode no client state may outlive a request, and for these methods the frontend
 * keeps none. A throwaway frontend never sees the client's initialize, so it knows no client capabilities (elicit and
 * sampling refuse, roots are empty) and no log level (every log goes out); the shared frontend is never initialized
 * either (initialize is not listed here), so it answers the same. Request ids are per client and collide across
 * clients, so the transport gives each request an id of its own while in flight (SessionTransport). What a frontend
 * does keep stays out of it by not being listed: the log level (logging/setLevel would set it for every client) and
 * subscriptions (resources/subscribe would call the plugin's hook and never release it, where the throwaway frontend
 * released it when the request ended). Those, initialize, notifications, client responses and anything unknown still
 * get a throwaway frontend and the SDK transport, as before.
 */
export const STATELESS_FAST_METHODS: ReadonlySet<string> = new Set([
  'ping',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
]);
