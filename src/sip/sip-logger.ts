/** One log method: a structured object and a message, or a message alone. */
export interface SipLogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/**
 * The logger the SIP layer is given (pino's shape, so a pino logger fits as it is): the layer logs
 * through it and never picks the application's. `isLevelEnabled('debug')` is asked once, so the
 * message traces cost nothing when debug is off.
 */
export interface SipLogger {
  child(bindings: Record<string, unknown>): SipLogger;
  debug: SipLogFn;
  info: SipLogFn;
  warn: SipLogFn;
  error: SipLogFn;
  isLevelEnabled(level: string): boolean;
}
