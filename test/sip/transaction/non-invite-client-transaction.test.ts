import { NonInviteClientTransaction } from '../../../src/sip/transaction/non-invite-client-transaction';
import { TransactionState } from '../../../src/sip/transaction/transaction';
import { harness, RecordingUser, sendTimes } from './transaction-harness';

/** RFC 3261 §17.1.2; T1 = 500, T2 = 4000, T4 = 5000. */
describe('NonInviteClientTransaction', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function start(reliable = false) {
    const h = harness(reliable);
    const user = new RecordingUser();
    const tx = new NonInviteClientTransaction<string>('b1', h.ctx, h.channel, Buffer.from('BYE'), user);
    tx.start();
    return { ...h, user, tx };
  }

  it('Timer E doubles up to T2 in Trying; Timer F times out at 64*T1', () => {
    const { tx, channel, user, wheel } = start();
    expect(tx.state).toBe(TransactionState.Trying);
    const times = sendTimes(channel, 32100);
    // 500, 1500, 3500, 7500, then every 4 s.
    expect(times.slice(0, 6)).toEqual([500, 1500, 3500, 7500, 11500, 15500]);
    expect(user.failures).toEqual(['timeout']);
    expect(tx.state).toBe(TransactionState.Terminated);
    expect(wheel.size).toBe(0);
  });

  it('in Proceeding Timer E retransmits every T2', () => {
    const { tx, channel } = start();
    tx.receiveResponse('100', 100);
    expect(tx.state).toBe(TransactionState.Proceeding);
    const times = sendTimes(channel, 9000);
    expect(times).toEqual([500, 4500, 8500]);
  });

  it('a final response: Completed, absorbs retransmissions, Timer K = T4 ends it', () => {
    const { tx, user, channel } = start();
    tx.receiveResponse('200', 200);
    tx.receiveResponse('200', 200);
    expect(tx.state).toBe(TransactionState.Completed);
    expect(user.responses).toEqual([200]);
    jest.advanceTimersByTime(4990);
    expect(tx.state).toBe(TransactionState.Completed);
    jest.advanceTimersByTime(30);
    expect(tx.state).toBe(TransactionState.Terminated);
    expect(channel.sent).toEqual(['BYE']);
  });

  it('reliable: no Timer E, Timer K is zero', () => {
    const { tx, channel, user } = start(true);
    jest.advanceTimersByTime(10000);
    expect(channel.sent).toEqual(['BYE']);
    tx.receiveResponse('481', 481);
    expect(tx.state).toBe(TransactionState.Terminated);
    expect(user.responses).toEqual([481]);
  });

  it('Timer F also fires in Proceeding', () => {
    const { tx, user } = start(true);
    tx.receiveResponse('100', 100);
    jest.advanceTimersByTime(32020);
    expect(user.failures).toEqual(['timeout']);
    expect(tx.state).toBe(TransactionState.Terminated);
  });
});
