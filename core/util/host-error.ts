/** Error codes every host error carries; stable, so tests and users can match on them. */
export type HostErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_INVALID'
  | 'PLUGIN_NOT_FOUND'
  | 'MANIFEST_INVALID'
  | 'HOST_API_MISMATCH'
  | 'PLUGIN_CONFIG_INVALID'
  | 'IMPORT_FAILED'
  | 'REGISTER_FAILED'
  | 'START_FAILED'
  | 'STOP_FAILED'
  | 'TIMEOUT'
  | 'NAME_INVALID'
  | 'NAME_COLLISION'
  | 'PLUGIN_CRASHED';

export interface HostErrorDetails {
  instance?: string;
  expected?: string;
  actual?: string;
  cause?: unknown;
}

/** An error with a code, the instance it concerns, and what was expected vs found. */
export class HostError extends Error {
  readonly code: HostErrorCode;
  readonly instance?: string;
  readonly expected?: string;
  readonly actual?: string;

  constructor(code: HostErrorCode, message: string, details: HostErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'HostError';
    this.code = code;
    this.instance = details.instance;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}

/** `{code, message}` of any thrown value, for status output. */
export function describeError(error: unknown, fallback: HostErrorCode): { code: string; message: string } {
  if (error instanceof HostError) return { code: error.code, message: error.message };
  return { code: fallback, message: error instanceof Error ? error.message : String(error) };
}
