/** Starts a timer and returns its cancel function: `setTimeout` in service, a fake clock in tests. */
export type StartTimer = (ms: number, expired: () => void) => () => void;

/** The node timers behind {@link StartTimer}, unref'd so a pending H.245 timer never keeps a process alive. */
export const nodeTimer: StartTimer = (ms, expired) => {
  const handle = setTimeout(expired, ms);
  handle.unref();
  return () => clearTimeout(handle);
};

/**
 * H.245 timer and counter values (H.245 Annex C): T101 capability exchange, T103 uni-directional
 * logical channel signalling, T106 master-slave determination, T105 round-trip delay; N100 is how
 * often an indeterminate master-slave determination is retried. H.245 leaves the values to the
 * implementation; these are H323Plus's and most room systems'.
 */
export interface H245TimerValues {
  t101Ms: number;
  t103Ms: number;
  t106Ms: number;
  n100: number;
}

export const H245_TIMERS: H245TimerValues = { t101Ms: 15_000, t103Ms: 15_000, t106Ms: 15_000, n100: 3 };
