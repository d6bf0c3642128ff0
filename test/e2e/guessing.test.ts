import { redisKeys } from '../../src/store/redis-keys';
import { listedNumberSpace } from '../../src/store/number-space';
import { createRedisStore } from '../../src/store/redis-store';
import { runSipp, type SippResult } from '../support/sipp';
import { callerScenario } from './support/caller-scenario';
import { book, dialInConfig, eventually, startChildInstance, type ChildInstance } from './support/dial-in-harness';
import { useRedisAndMcu } from './support/redis-and-mcu';

/** Guessers on 127.0.0.10 – 127.0.0.49, each sending this many wrong codes. */
const SOURCES = 40;
const GUESSES_PER_SOURCE = 3;
/** The defaults: under attack from 30 wrong codes an hour; a source never admitted then gets 1 failure there. */
const ATTACK_THRESHOLD = 30;
/** Codes from new sources the attacked conference checks an hour: fewer than the addresses left, so the budget binds. */
const BUDGET = 5;

/** The distributed guessing attack: many addresses sweeping codes on one conference while its participant dials in. */
describe('dial-in: a distributed guessing attack on one conference', () => {
  const env = useRedisAndMcu('127.0.0.62');
  let instance: ChildInstance | undefined;
  afterAll(() => instance?.stop());

  it('wrong codes from 40 addresses: checked guesses bounded by the threshold and the budget, a regular with the right code gets in during the attack, a newcomer is told when to retry, the admins are alerted', async () => {
    // Short holds keep the test short; the defaults (1 s a step, 20 s at most) are the same rule.
    const config = dialInConfig(
      env.redis.url,
      [env.mcu.template],
      {},
      { attackHoldStepSeconds: 0.1, attackHoldMaxSeconds: 2, attackNewSourceChecksPerHour: BUDGET },
    );
    instance = await startChildInstance(config);
    await book(createRedisStore(env.client, listedNumberSpace(['5387'])));
    // The conference's regular (its organiser, say) dialled in once before the attack: its address is proven.
    const dialRightCode = (localIp: string, end: 'hang-up' | 403): Promise<SippResult> =>
      runSipp({
        scenario: callerScenario({
          user: '5387*8688',
          end,
          holdMs: 500,
          ...(end === 403 ? { refusalHeader: 'Retry-After: *[0-9]+' } : {}),
        }),
        remote: instance!.remote,
        localIp,
        calls: 1,
        timeoutSec: 20,
      });
    expect(await dialRightCode('127.0.0.3', 'hang-up')).toMatchObject({ exitCode: 0, successful: 1 });

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
    // The attack is on and has spent the budget (30 wrong codes, then 5 from new addresses after their hold).
    const spent = async (): Promise<number> => env.client.zcard(redisKeys.attempts('new-sources', '5387'));
    await eventually(async () => (await spent()) >= BUDGET, 20_000);
    // A first-time caller with the right code is refused unchecked, with when to retry (the trade-off).
    const newcomer = await dialRightCode('127.0.0.4', 403);
    // The regular dials in again with the right code: checked after the hold, admitted.
    const callerStarted = Date.now();
    const caller = await dialRightCode('127.0.0.3', 'hang-up');
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
    const alertsOf = (kind: string) => alerts.filter((a) => a.kind === kind);
    process.stdout.write(
      `guessing: ${SOURCES * GUESSES_PER_SOURCE} wrong codes sent from ${SOURCES} addresses in ${attackMs} ms; ` +
        `${evaluated} checked (wrong-code ${count('wrong-code')}; ${await spent()} of them from new addresses under attack, budget ${BUDGET}), ` +
        `${count('too-many-attempts')} refused unchecked (the newcomer's right code among them); ` +
        `the regular's right code was admitted ${callerMs} ms after dialling; alerts: ${alertsOf('under-attack').length} under-attack, ` +
        `${alertsOf('attack-budget-spent').length} attack-budget-spent, ${alertsOf('too-many-attempts').length} too-many-attempts\n`,
    );

    // The regular got in while the conference was under attack and past its budget, and reached the MCU
    // (as on its first call); the newcomer was refused 403 with Retry-After.
    expect(caller).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(newcomer).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect(count('admitted')).toBe(2);
    expect(env.mcu.invites()).toHaveLength(2);
    // Every guess was refused with 403. Those checked are the threshold (before the attack is detected,
    // each address has its own 5) plus the budget, whatever the number of addresses: 40 addresses
    // would otherwise have had one check each.
    for (const r of results) expect(r).toMatchObject({ exitCode: 0, successful: GUESSES_PER_SOURCE, failed: 0 });
    expect(count('wrong-code') + count('too-many-attempts')).toBe(SOURCES * GUESSES_PER_SOURCE + 1);
    expect(evaluated).toBe(count('wrong-code'));
    expect(await spent()).toBe(BUDGET);
    expect(evaluated).toBe(ATTACK_THRESHOLD + BUDGET);
    // One under-attack and one budget alert for the conference (once per window), beside the guessers' own.
    expect(alertsOf('under-attack')).toEqual([expect.objectContaining({ scope: 'conference' })]);
    expect(alertsOf('attack-budget-spent')).toEqual([expect.objectContaining({ scope: 'conference' })]);
  }, 120_000);
});
