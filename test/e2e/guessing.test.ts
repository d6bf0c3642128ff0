import { redisKeys } from '../../src/store/redis-keys';
import { listedNumberSpace } from '../../src/store/number-space';
import { createRedisStore } from '../../src/store/redis-store';
import { runSipp, type SippResult } from '../support/sipp';
import { callerScenario } from './support/caller-scenario';
import { book, dialInConfig, startChildInstance, type ChildInstance } from './support/dial-in-harness';
import { useRedisAndMcu } from './support/redis-and-mcu';

/** Guessers on 127.0.0.10 – 127.0.0.49, each sending this many wrong codes. */
const SOURCES = 40;
const GUESSES_PER_SOURCE = 3;
/** The defaults: under attack from 30 wrong codes an hour; a source never admitted then gets 1 failure there. */
const ATTACK_THRESHOLD = 30;

/** The distributed guessing attack: many addresses sweeping codes on one conference while its participant dials in. */
describe('dial-in: a distributed guessing attack on one conference', () => {
  const env = useRedisAndMcu('127.0.0.62');
  let instance: ChildInstance | undefined;
  afterAll(() => instance?.stop());

  it('wrong codes from 40 addresses: guesses stay bounded, the conference is never closed, a caller with the right code gets in during the attack, the admins are alerted', async () => {
    // Short holds keep the test short; the defaults (1 s a step, 20 s at most) are the same rule.
    const config = dialInConfig(
      env.redis.url,
      [env.mcu.template],
      {},
      { attackHoldStepSeconds: 0.1, attackHoldMaxSeconds: 2 },
    );
    instance = await startChildInstance(config);
    await book(createRedisStore(env.client, listedNumberSpace(['5387'])));

    const started = Date.now();
    const guessers: Array<Promise<SippResult>> = [];
    for (let i = 0; i < SOURCES; i++) {
      guessers.push(
        runSipp({
          // Direct dials 5387*0<i><n>: a different wrong code each call, refused 403 (wrong code, or too many attempts).
          scenario: callerScenario({ user: `5387*0${10 + i}[call_number]`, end: 403 }),
          remote: instance.remote,
          localIp: `127.0.0.${10 + i}`,
          calls: GUESSES_PER_SOURCE,
          rate: 2,
          timeoutSec: 60,
        }),
      );
    }
    // The attack is on (30 wrong codes take well under 2 s): the participant dials in with the right code.
    await new Promise((r) => setTimeout(r, 2000));
    const callerStarted = Date.now();
    const caller = await runSipp({
      scenario: callerScenario({ user: '5387*8688', end: 'hang-up', holdMs: 500 }),
      remote: instance.remote,
      localIp: '127.0.0.3',
      calls: 1,
      timeoutSec: 20,
    });
    const callerMs = Date.now() - callerStarted;
    const results = await Promise.all(guessers);
    const attackMs = Date.now() - started;

    const records = await env.client.xrange(redisKeys.callRecords(), '-', '+');
    const verdicts = records.map(([, f]) => f[f.indexOf('verdict') + 1]!);
    const count = (v: string): number => verdicts.filter((x) => x === v).length;
    // Every wrong code admission checked is in the conference's window: the guesses the attack got.
    const evaluated = await env.client.zcard(redisKeys.attempts('number', '5387'));
    const alerts = (await env.client.xrange(redisKeys.alerts(), '-', '+')).map(
      ([, f]) => JSON.parse(f[1]!) as { kind: string; scope: string },
    );
    process.stdout.write(
      `guessing: ${SOURCES * GUESSES_PER_SOURCE} wrong codes sent from ${SOURCES} addresses in ${attackMs} ms; ` +
        `${evaluated} checked (wrong-code ${count('wrong-code')}), ${count('too-many-attempts')} refused unchecked; ` +
        `the right code was admitted ${callerMs} ms after dialling; alerts: ${alerts.filter((a) => a.kind === 'under-attack').length} under-attack, ${alerts.filter((a) => a.kind === 'too-many-attempts').length} too-many-attempts\n`,
    );

    // The participant got in while the conference was under attack, and reached the MCU.
    expect(caller).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(count('admitted')).toBe(1);
    expect(env.mcu.invites()).toHaveLength(1);
    // Every guess was refused with 403; those checked are bounded: the threshold, then at most one per
    // address that had no failure yet (a new address gets one failure on an attacked conference).
    for (const r of results) expect(r).toMatchObject({ exitCode: 0, successful: GUESSES_PER_SOURCE, failed: 0 });
    expect(count('wrong-code') + count('too-many-attempts')).toBe(SOURCES * GUESSES_PER_SOURCE);
    expect(evaluated).toBe(count('wrong-code'));
    expect(evaluated).toBeGreaterThanOrEqual(ATTACK_THRESHOLD);
    expect(evaluated).toBeLessThanOrEqual(ATTACK_THRESHOLD + SOURCES);
    expect(count('too-many-attempts')).toBeGreaterThan(0);
    // One under-attack alert for the conference (once per window), beside the guessers' own.
    expect(alerts.filter((a) => a.kind === 'under-attack')).toEqual([expect.objectContaining({ scope: 'conference' })]);
  }, 120_000);
});
