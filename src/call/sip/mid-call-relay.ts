import { type Dialog, SipError, type SrfRequest, type SrfResponse } from '../../sip';

/** Headers of a relayed INFO that the far leg needs to understand its body (RFC 6086 §4.2). */
const INFO_HEADERS = ['Content-Type', 'Info-Package', 'Content-Disposition'] as const;

function statusOf(err: unknown): number {
  return err instanceof SipError ? err.status : 500;
}

/**
 * Relays the mid-call requests of one leg of a back-to-back call to the other, for the life of the
 * call: a re-INVITE with a new offer (RFC 3261 §14: hold, content sharing, a codec change) becomes a
 * re-INVITE on the other leg and its answer goes back; likewise UPDATE (RFC 3311) and INFO
 * (RFC 6086: `application/media_control+xml` picture fast update, DTMF for MCU menus), whose
 * final status is passed back. Session refreshes without a new offer (RFC 4028) are answered by
 * each leg's own dialog: session timers are hop by hop. Returns the function that stops the relay
 * (the caller moved to another MCU).
 */
export function relayMidCallRequests(from: Dialog, to: Dialog): () => void {
  const modify = (req: SrfRequest, res: SrfResponse): void => {
    to.modify(req.body).then(
      (answer) => res.send(200, { body: answer }),
      (err: unknown) => res.send(statusOf(err) >= 300 ? statusOf(err) : 500),
    );
  };
  const update = (req: SrfRequest, res: SrfResponse): void => {
    to.request({ method: 'UPDATE', body: req.body }).then(
      (r) =>
        res.send(
          r.status,
          r.reason,
          r.status < 300 && r.body.length > 0 ? { body: r.body.toString('utf8') } : undefined,
        ),
      (err: unknown) => res.send(statusOf(err) >= 300 ? statusOf(err) : 500),
    );
  };
  const info = (req: SrfRequest, res: SrfResponse): void => {
    const headers: Array<[string, string]> = [];
    for (const name of INFO_HEADERS) {
      const v = req.get(name);
      if (v !== undefined) headers.push([name, v]);
    }
    const contentType = req.get('Content-Type');
    to.request({
      method: 'INFO',
      headers: headers.filter(([n]) => n !== 'Content-Type'),
      body: req.body,
      contentType,
    }).then(
      (r) => res.send(r.status, r.reason),
      (err: unknown) => res.send(statusOf(err) >= 300 ? statusOf(err) : 500),
    );
  };
  from.on('modify', modify);
  from.on('update', update);
  from.on('info', info);
  return () => {
    from.off('modify', modify);
    from.off('update', update);
    from.off('info', info);
  };
}
