/**
 * The cancellation of one request, in the SDK's map of them: the SDK calls `abort` when the client cancels or the
 * connection closes. The AbortSignal is made only when someone reads it: making one per request costs more than
 * the rest of a quick call's routing, and most calls never need it.
 */
export class LazyAbort {
  aborted = false;
  reason: unknown;
  private controller?: AbortController;

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    // As AbortController.abort() does: no reason means an AbortError.
    this.reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    this.controller?.abort(this.reason);
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
}

/** The request's cancellation when it is answered directly: read without making an AbortSignal. */
export const LAZY_ABORT: unique symbol = Symbol('mcp-host.lazy-abort');

/** Why the request was cancelled, or undefined while it is not; makes no AbortSignal where it can help it. */
export function cancelReason(extra: { readonly signal: AbortSignal; readonly [LAZY_ABORT]?: LazyAbort }): unknown {
  const lazy = extra[LAZY_ABORT];
  if (lazy) return lazy.aborted ? lazy.reason : undefined;
  return extra.signal.aborted ? extra.signal.reason : undefined;
}
