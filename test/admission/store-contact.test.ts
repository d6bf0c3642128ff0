import { StoreContact } from '../../src/admission/store-contact';

describe('StoreContact', () => {
  it('frees ended leases up to now while the store answers', () => {
    const c = new StoreContact(30_000);
    c.succeeded(1_000);
    expect(c.reapBefore(5_000)).toBe(5_000);
  });

  it('after an outage, frees only leases that ended before contact was lost, for one lease after it came back', () => {
    const c = new StoreContact(30_000);
    c.succeeded(1_000);
    c.failed(11_000);
    c.failed(40_000); // still down: the outage began at the last contact
    expect(c.reapBefore(50_000)).toBe(1_000);
    c.succeeded(56_000);
    expect(c.reapBefore(85_999)).toBe(1_000);
    expect(c.reapBefore(86_000)).toBe(86_000);
    expect(c.reapBefore(90_000)).toBe(90_000);
  });

  it('an outage again during recovery keeps the first outage start and restarts the wait', () => {
    const c = new StoreContact(10_000);
    c.succeeded(1_000);
    c.failed(2_000);
    c.succeeded(20_000);
    c.failed(25_000);
    c.succeeded(40_000);
    expect(c.reapBefore(45_000)).toBe(1_000);
    expect(c.reapBefore(50_000)).toBe(50_000);
  });

  it('an instance that never reached the store counts the outage from its first failure', () => {
    const c = new StoreContact(10_000);
    c.failed(7_000);
    c.succeeded(8_000);
    expect(c.reapBefore(9_000)).toBe(7_000);
  });
});
