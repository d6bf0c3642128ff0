import type { TransportProtocol } from '../message/flow';

/** Where a transport binds. */
export interface ListenSpec {
  readonly protocol: TransportProtocol;
  readonly host: string;
  readonly port: number;
}
