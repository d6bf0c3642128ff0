import { chooseMcu } from '../../src/routing/mcu-choice';
import { expandMcuUri, mcuPingUri } from '../../src/routing/mcu-uri';

describe('MCU URI templates', () => {
  it('fills {number}, {title} and {id}, escaping what would change the URI', () => {
    expect(expandMcuUri('sip:{number}@mcu1.example.org', { number: '5387', title: 'x', id: 'b1' })).toBe(
      'sip:5387@mcu1.example.org',
    );
    expect(
      expandMcuUri('sip:{title}-{id}@mcu;transport=tcp', { number: '1', title: 'Réunion @lab; a=b', id: 'b 1' }),
    ).toBe('sip:R%C3%A9union%20%40lab%3B%20a%3Db-b%201@mcu;transport=tcp');
  });

  it('pings the host of a template, without a user part made of placeholders', () => {
    expect(mcuPingUri('sip:{number}@10.0.0.5:5070;transport=tcp')).toBe('sip:10.0.0.5:5070;transport=tcp');
    expect(mcuPingUri('sip:conf@10.0.0.5')).toBe('sip:conf@10.0.0.5');
    expect(mcuPingUri('sips:mcu.example.org')).toBe('sips:mcu.example.org');
  });
});

describe('choosing an MCU for a new conference', () => {
  const mcu = (id: string, reserved: number, capacity = 20, weight = 1) => ({ id, reserved, capacity, weight });

  it('takes the least reserved MCU where the conference fits, weight breaking ties, then configuration order', () => {
    expect(chooseMcu([mcu('a', 10), mcu('b', 4)], 5)?.id).toBe('b');
    expect(chooseMcu([mcu('a', 4), mcu('b', 4, 20, 3)], 5)?.id).toBe('b');
    expect(chooseMcu([mcu('a', 4), mcu('b', 4)], 5)?.id).toBe('a');
    // b is less loaded but the conference does not fit there.
    expect(chooseMcu([mcu('a', 10, 20), mcu('b', 2, 6)], 5)?.id).toBe('a');
    // Nowhere fits: the least loaded still takes it.
    expect(chooseMcu([mcu('a', 19), mcu('b', 18)], 5)?.id).toBe('b');
    expect(chooseMcu([], 5)).toBeUndefined();
  });
});
