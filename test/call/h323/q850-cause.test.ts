/** SIP statuses as Q.850 causes (RFC 3398 §8.2.6.1) and the H.225.0 reason beside each cause (H.225.0 Table 5). */
import { q850CauseFor } from '../../../src/call/h323/q850-cause';
import { releaseReasonFor } from '../../../src/h323/h225/release-reason';
import { refusalStatus } from '../../../src/ivr/refusal-status';

describe('Release Complete causes', () => {
  it("maps every refusal of the dial-in to RFC 3398's cause", () => {
    const causes = (['unknown', 'wrong-code', 'not-open', 'ended', 'full', 'locked', 'unavailable'] as const).map((r) =>
      q850CauseFor(refusalStatus(r).status),
    );
    expect(causes).toEqual([1, 21, 18, 22, 17, 21, 41]);
    expect(q850CauseFor(undefined)).toBe(16);
    expect(q850CauseFor(599)).toBe(31);
  });

  it('gives the H.225.0 reason that corresponds to the cause, undefinedReason for the others', () => {
    expect(releaseReasonFor(17)).toEqual({ inConf: null });
    expect(releaseReasonFor(16)).toEqual({ destinationRejection: null });
    expect(releaseReasonFor(28)).toEqual({ badFormatAddress: null });
    expect(releaseReasonFor(21)).toEqual({ undefinedReason: null });
  });
});
