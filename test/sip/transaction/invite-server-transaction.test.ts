import { InviteServerTransaction } from '../../../src/sip/transaction/invite-server-transaction';
import { TransactionState } from '../../../src/sip/transaction/transaction';
import { harness, RecordingUser, sendTimes } from './transaction-harness';

/** RFC 3261 §17.2.1 with RFC 6026 §8.5–8.7; T1 = 500, T2 = 4000, T4 = 5000. */
describe('InviteServerTransaction', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function create(reliable = false) {
    const h = harness(reliable);
    const user = new RecordingUser();
    const tx = new InviteServerTransaction('b1', h.ctx, h.channel, user);
    return { ...h, user, tx };
  }
  const b = (s: string): Buffer => Buffer.from(s);

  it('Proceeding: a retransmitted INVITE gets the last provisional again', () => {
    const { tx, channel } = create();
    tx.receiveRequest(); // nothing sent yet: absorbed
    tx.respond(100, b('100'));
    tx.respond(180, b('180'));
    tx.receiveRequest();
    expect(channel.sent).toEqual(['100', '180', '180']);
    expect(tx.state).toBe(TransactionState.Proceeding);
  });

  it('non-2xx final: Timer G retransmits at T1, 2T1 ... capped at T2; Timer H fails at 64*T1 without ACK', () => {
    const { tx, channel, user, wheel } = create();
    tx.respond(486, b('486'));
    expect(tx.state).toBe(TransactionState.Completed);
    const times = sendTimes(channel, 32100);
    expect(times.slice(0, 6)).toEqual([500, 1500, 3500, 7500, 11500, 15500]);
    expect(user.failures).toEqual(['timeout']);
    expect(tx.state).toBe(TransactionState.Terminated);
    expect(wheel.size).toBe(0);
  });

  it('Completed: a retransmitted INVITE gets the final again; the ACK confirms; Timer I = T4 ends it', () => {
    const { tx, channel, user, terminated } = create();
    tx.respond(404, b('404'));
    tx.receiveRequest();
    expect(channel.sent).toEqual(['404', '404']);
    tx.receiveAck();
    expect(tx.state).toBe(TransactionState.Confirmed);
    tx.receiveAck();
    tx.receiveRequest();
    jest.advanceTimersByTime(4000);
    expect(channel.sent).toEqual(['404', '404']); // G stopped, Confirmed absorbs
    jest.advanceTimersByTime(1020);
    expect(tx.state).toBe(TransactionState.Terminated);
    expect(terminated).toEqual([tx]);
    expect(user.failures).toEqual([]);
  });

  it('2xx: Accepted absorbs INVITE retransmissions, sends TU 2xx retransmissions, Timer L ends it (RFC 6026)', () => {
    const { tx, channel } = create();
    tx.respond(100, b('100'));
    expect(tx.respond(200, b('200'))).toBe(true);
    expect(tx.state).toBe(TransactionState.Accepted);
    tx.receiveRequest();
    expect(tx.respond(200, b('200'))).toBe(true);
    expect(tx.respond(486, b('486'))).toBe(false);
    expect(channel.sent).toEqual(['100', '200', '200']);
    jest.advanceTimersByTime(31990);
    expect(tx.state).toBe(TransactionState.Accepted);
    jest.advanceTimersByTime(30);
    expect(tx.state).toBe(TransactionState.Terminated);
  });

  it('reliable: no Timer G; ACK terminates at once (Timer I zero)', () => {
    const { tx, channel } = create(true);
    tx.respond(487, b('487'));
    jest.advanceTimersByTime(5000);
    expect(channel.sent).toEqual(['487']);
    tx.receiveAck();
    expect(tx.state).toBe(TransactionState.Terminated);
  });

  it('a second final response is refused without breaking the state machine', () => {
    const { tx } = create();
    tx.respond(486, b('486'));
    expect(tx.respond(200, b('200'))).toBe(false);
    expect(tx.state).toBe(TransactionState.Completed);
  });

  it('a transport error terminates and informs the TU', () => {
    const { tx, channel, user } = create();
    channel.failNext = true;
    tx.respond(200, b('200'));
    expect(tx.state).toBe(TransactionState.Terminated);
    expect(user.failures).toEqual(['transport']);
  });
});
