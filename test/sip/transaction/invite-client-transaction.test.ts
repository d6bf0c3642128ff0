import { InviteClientTransaction } from '../../../src/sip/transaction/invite-client-transaction';
import { TransactionState } from '../../../src/sip/transaction/transaction';
import { harness, RecordingUser } from './transaction-harness';

/** RFC 3261 §17.1.1 with RFC 6026 §8.4; times in ms from start, T1 = 500. */
describe('InviteClientTransaction', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function start(reliable = false) {
    const h = harness(reliable);
    const user = new RecordingUser();
    const tx = new InviteClientTransaction<string>('b1', h.ctx, h.channel, Buffer.from('INVITE'), user);
    tx.start();
    return { ...h, user, tx };
  }

  it('Timer A retransmits at T1, 2T1, 4T1 ... and Timer B times out at 64*T1 in Calling', () => {
    const { tx, channel, user, terminated, wheel } = start();
    expect(tx.state).toBe(TransactionState.Calling);
    const at = (ms: number): number => {
      jest.advanceTimersByTime(ms);
      return channel.sent.length;
    };
    expect(at(490)).toBe(1);
    expect(at(20)).toBe(2); // 510: first A
    expect(at(1000)).toBe(3); // 1510: A after 2*T1
    expect(at(2000)).toBe(4); // 3510: 4*T1
    expect(at(4000)).toBe(5); // 7510: 8*T1 (INVITE is not capped at T2)
    jest.advanceTimersByTime(32000 - 7510 - 30);
    expect(user.failures).toEqual([]);
    jest.advanceTimersByTime(60);
    expect(channel.sent.length).toBe(7); // + 16*T1 at 15.5 s, + 32*T1 at 31.5 s
    expect(user.failures).toEqual(['timeout']);
    expect(tx.state).toBe(TransactionState.Terminated);
    expect(terminated).toEqual([tx]);
    expect(wheel.size).toBe(0);
  });

  it('a provisional moves to Proceeding and stops A and B', () => {
    const { tx, channel, user } = start();
    tx.receiveResponse('180', 180);
    expect(tx.state).toBe(TransactionState.Proceeding);
    jest.advanceTimersByTime(70000);
    expect(channel.sent).toEqual(['INVITE']);
    expect(user.responses).toEqual([180]);
    expect(user.failures).toEqual([]);
  });

  it('after a CANCEL, Timer B ends a Proceeding transaction that never sees its final response (§9.1)', () => {
    const { tx, user } = start();
    tx.receiveResponse('100', 100);
    tx.cancelSent();
    jest.advanceTimersByTime(32010);
    expect(user.failures).toEqual(['timeout']);
    expect(tx.state).toBe(TransactionState.Terminated);
  });

  it('a non-2xx final: Completed, ACK sent and re-sent on retransmission, Timer D ends it', () => {
    const { tx, channel, user, terminated } = start();
    tx.receiveResponse('486', 486);
    expect(tx.state).toBe(TransactionState.Completed);
    expect(channel.sent).toEqual(['INVITE', 'ACK for 486']);
    tx.receiveResponse('486', 486);
    expect(channel.sent).toEqual(['INVITE', 'ACK for 486', 'ACK for 486']);
    expect(user.responses).toEqual([486]); // retransmissions are not passed up
    jest.advanceTimersByTime(31990);
    expect(tx.state).toBe(TransactionState.Completed);
    jest.advanceTimersByTime(30);
    expect(tx.state).toBe(TransactionState.Terminated);
    expect(terminated).toEqual([tx]);
  });

  it('a 2xx: Accepted, every 2xx retransmission passed to the TU, Timer M ends it (RFC 6026)', () => {
    const { tx, channel, user } = start();
    tx.receiveResponse('180', 180);
    tx.receiveResponse('200', 200);
    expect(tx.state).toBe(TransactionState.Accepted);
    tx.receiveResponse('200', 200);
    tx.receiveResponse('486', 486);
    expect(user.responses).toEqual([180, 200, 200]);
    expect(channel.sent).toEqual(['INVITE']); // the TU acks a 2xx, not the transaction
    jest.advanceTimersByTime(32020);
    expect(tx.state).toBe(TransactionState.Terminated);
  });

  it('on a reliable transport: no retransmission, Timer D is zero', () => {
    const { tx, channel } = start(true);
    jest.advanceTimersByTime(5000);
    expect(channel.sent).toEqual(['INVITE']);
    tx.receiveResponse('500', 500);
    expect(tx.state).toBe(TransactionState.Terminated);
  });

  it('a transport error terminates and informs the TU', () => {
    const h = harness();
    const user = new RecordingUser();
    h.channel.failNext = true;
    const tx = new InviteClientTransaction<string>('b1', h.ctx, h.channel, Buffer.from('INVITE'), user);
    tx.start();
    expect(tx.state).toBe(TransactionState.Terminated);
    expect(user.failures).toEqual(['transport']);
    expect(h.wheel.size).toBe(0);
  });
});
