import { NonInviteServerTransaction } from '../../../src/sip/transaction/non-invite-server-transaction';
import { TransactionState } from '../../../src/sip/transaction/transaction';
import { harness, RecordingUser } from './transaction-harness';

/** RFC 3261 §17.2.2; T1 = 500. */
describe('NonInviteServerTransaction', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function create(reliable = false) {
    const h = harness(reliable);
    const tx = new NonInviteServerTransaction('b1', h.ctx, h.channel, new RecordingUser());
    return { ...h, tx };
  }
  const b = (s: string): Buffer => Buffer.from(s);

  it('Trying absorbs retransmissions; Proceeding resends the provisional', () => {
    const { tx, channel } = create();
    tx.receiveRequest();
    expect(channel.sent).toEqual([]);
    tx.respond(100, b('100'));
    expect(tx.state).toBe(TransactionState.Proceeding);
    tx.receiveRequest();
    expect(channel.sent).toEqual(['100', '100']);
  });

  it('Completed resends the final on retransmission; Timer J = 64*T1 ends it', () => {
    const { tx, channel, terminated, wheel } = create();
    tx.respond(200, b('200'));
    expect(tx.state).toBe(TransactionState.Completed);
    tx.receiveRequest();
    expect(channel.sent).toEqual(['200', '200']);
    expect(tx.respond(500, b('500'))).toBe(false);
    jest.advanceTimersByTime(31990);
    expect(tx.state).toBe(TransactionState.Completed);
    jest.advanceTimersByTime(30);
    expect(tx.state).toBe(TransactionState.Terminated);
    expect(terminated).toEqual([tx]);
    expect(wheel.size).toBe(0);
  });

  it('reliable: Timer J is zero', () => {
    const { tx } = create(true);
    tx.respond(200, b('200'));
    expect(tx.state).toBe(TransactionState.Terminated);
  });
});
