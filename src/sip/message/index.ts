/**
 * SIP messages (RFC 3261 §7, §19, §20, §25): parse, inspect, build and serialize requests and
 * responses; frame them out of TCP/TLS streams; decide the response to a malformed request.
 */
export { SipSyntaxError, type ParseResult } from './syntax';
export { Params } from './params';
export { Headers, headerKey, isListHeader, type HeaderField } from './headers';
export { Uri, parseUri, uriEquals, SUPPORTED_SCHEMES } from './uri';
export { NameAddr, parseNameAddr } from './name-addr';
export { Via, parseVia, BRANCH_MAGIC_COOKIE } from './via';
export { type CSeq, parseCSeq, formatCSeq, MAX_CSEQ } from './cseq';
export { SipMessage, SipRequest, SipResponse, SIP_VERSION } from './sip-message';
export { parseMessage, DEFAULT_MAX_MESSAGE_SIZE, type ParseOutcome, type ParseOptions } from './parse';
export { serialize } from './serialize';
export { SipStreamFramer, type FramedChunk } from './stream-framer';
export {
  createRequest,
  createResponse,
  newBranch,
  newCallId,
  newTag,
  type RequestInit,
  type ResponseOptions,
} from './message-factory';
export { reasonPhrase } from './reason-phrases';
export { serverHeaderValue } from './server-identity';
export { createRejectionResponse } from './rejection-response';
export {
  validateRequest,
  validateResponse,
  rejectionForParseFailure,
  type Rejection,
  type ValidateOptions,
} from './validate';
export { uriHost, hostPort } from './host';
export { reasonHeader, type Reason } from './reason-header';
export { isSipUser } from './sip-user';
export {
  isReliable,
  viaTransport,
  flowDestination,
  type TransportProtocol,
  type Flow,
  type FlowConnection,
  type Destination,
} from './flow';
export { headerPairs, type HeaderInput } from './header-input';
export { SipError } from './sip-error';
