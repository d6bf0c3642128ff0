import type { Dialog } from '../dialog/dialog';
import { SipError } from '../message/sip-error';
import type { SrfRequest } from '../dialog/srf-request';
import { headerPairs, type HeaderInput } from '../message/header-input';
import { type SrfResponse } from '../dialog/srf-response';
import type { UacCallbacks, UacInvite, UacOptions } from './uac';
import type { UasOptions } from './uas';

export interface B2buaOptions {
  /** Relay the B leg's final failure to the A leg (default true); otherwise the caller answers A. */
  passFailure?: boolean;
  /** Relay 180/183 from B to A (default true). */
  passProvisionalResponses?: boolean;
  /** SDP for A's 200 OK (default: B's SDP). */
  localSdpA?: string;
  /** SDP for B's INVITE (default: A's offer). */
  localSdpB?: string;
  /** Headers for the INVITE to B. */
  headers?: HeaderInput;
  /** Headers of A's INVITE copied onto B's (e.g. `['Subject']`). */
  proxyRequestHeaders?: readonly string[];
  /** Headers for A's 200 OK. */
  responseHeaders?: HeaderInput;
  /** From user and display name of the INVITE to B (see {@link UacOptions}); default: ours. */
  callingNumber?: string;
  callingName?: string;
}

/** The two legs of a connected back-to-back call. */
export interface B2buaDialogs {
  uas: Dialog;
  uac: Dialog;
}

/** What a B2BUA needs from the Srf. */
export interface B2buaLegs {
  createUAS(req: SrfRequest, res: SrfResponse, opts: UasOptions): Promise<Dialog>;
  createUAC(uri: string, opts: UacOptions, callbacks: UacCallbacks): Promise<Dialog>;
}

/**
 * A back-to-back call (drachtio-srf's `createB2BUA`): INVITEs `uri` with A's offer, relays ringing,
 * cancels B when A cancels (RFC 3261 §9), answers A with B's SDP, and hangs up either leg when the
 * other ends. An offerless A leg gets B's offer in its 200 OK and B gets A's answer in its ACK.
 */
export async function createB2BUA(
  srf: B2buaLegs,
  req: SrfRequest,
  res: SrfResponse,
  uri: string,
  opts: B2buaOptions = {},
): Promise<B2buaDialogs> {
  const passFailure = opts.passFailure ?? true;
  const passProvisional = opts.passProvisionalResponses ?? true;
  const offerless = opts.localSdpB === undefined && req.body.length === 0;
  let invite: UacInvite | undefined;
  const onCancel = (): void => invite?.cancel();
  req.once('cancel', onCancel);
  const headers = [
    ...(opts.proxyRequestHeaders ?? []).flatMap((name) => {
      const v = req.get(name);
      return v === undefined ? [] : [[name, v] as const];
    }),
    ...headerPairs(opts.headers),
  ];
  let uac: Dialog;
  try {
    uac = await srf.createUAC(
      uri,
      {
        localSdp: opts.localSdpB ?? req.body,
        noOffer: offerless,
        noAck: offerless,
        headers,
        callingNumber: opts.callingNumber,
        callingName: opts.callingName,
      },
      {
        cbRequest: (i) => {
          invite = i;
          if (req.canceled) i.cancel();
        },
        cbProvisional: (p) => {
          if (passProvisional && !res.finalResponseSent && (p.status === 180 || p.status === 183)) {
            res.send(p.status, p.reason, { body: p.body.length > 0 ? p.body : undefined });
          }
        },
      },
    );
  } catch (err) {
    req.off('cancel', onCancel);
    if (req.canceled) throw new SipError(487, 'Request Terminated');
    const status = err instanceof SipError ? err.status : 500;
    if (passFailure && !res.finalResponseSent)
      res.send(status >= 300 ? status : 500, err instanceof SipError ? err.reason : undefined);
    throw err;
  }
  req.off('cancel', onCancel);
  if (req.canceled) {
    await uac.destroy();
    throw new SipError(487, 'Request Terminated');
  }
  let uas: Dialog;
  try {
    uas = await srf.createUAS(req, res, { localSdp: opts.localSdpA ?? uac.remote.sdp, headers: opts.responseHeaders });
  } catch (err) {
    await uac.destroy();
    throw err;
  }
  if (offerless) await uac.ack(uas.remote.sdp);
  uas.on('destroy', () => void uac.destroy());
  uac.on('destroy', () => void uas.destroy());
  return { uas, uac };
}
