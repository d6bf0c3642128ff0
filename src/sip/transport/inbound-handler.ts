import type { Flow } from '../message/flow';

/** Receives each complete message a transport read, with the flow it arrived on. */
export type InboundHandler = (data: Buffer, flow: Flow) => void;
