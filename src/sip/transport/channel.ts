/**
 * Where a transaction sends its bytes: the transport layer resolved the destination once (request
 * target for a client, §18.2.2 response route for a server). `reliable` chooses whether the
 * retransmission timers run (§17.1.1.2: "If an unreliable transport is being used ...").
 */
export interface TransactionChannel {
  readonly reliable: boolean;
  /** Sends; a failure is reported back through `sink.transportError()` (§17.1.4, §17.2.4). */
  send(data: Buffer, sink: TransportErrorSink): void;
}

/** Told when the transport could not deliver (§17.1.4, §17.2.4). */
export interface TransportErrorSink {
  transportError(): void;
}
