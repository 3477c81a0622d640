/**
 * The cron semantics the CronJob controller relies on, against robfig/cron/v3's ParseStandard:
 * day-of-month OR day-of-week when both are restricted, DST transitions (gap skipped, repeated
 * hour run twice), Feb 31 never matching, descriptors, `?`, names, steps, the dialect croner's
 * extensions are refused from, and robfig's exact error texts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { every, parseStandard, type Schedule } from '../../../src/api/cron/schedule.js';

function sched(spec: string): Schedule {
  const parsed = parseStandard(spec);
  assert.equal(parsed.error, undefined, `${spec}: ${parsed.error}`);
  return parsed.schedule as Schedule;
}

/** The next `n` activations after `from`, as ISO strings. */
function nexts(spec: string, from: string, n = 3): string[] {
  const s = sched(spec);
  const out: string[] = [];
  let t: number | undefined = Date.parse(from);
  for (let i = 0; i < n && t !== undefined; i++) {
    t = s.next(t);
    if (t !== undefined) out.push(new Date(t).toISOString().replace('.000Z', 'Z'));
  }
  return out;
}

function parseError(spec: string): string | undefined {
  return parseStandard(spec).error;
}

describe('day-of-month and day-of-week', () => {
  it('are OR-ed when both are restricted (the 13th, and every Friday)', () => {
    // September 2024: Fridays 6, 13, 20, 27; the 13th is itself a Friday; October 13 is a Sunday.
    assert.deepEqual(nexts('0 0 13 * 5', '2024-09-01T00:00:00Z', 5), ['2024-09-06T00:00:00Z', '2024-09-13T00:00:00Z', '2024-09-20T00:00:00Z', '2024-09-27T00:00:00Z', '2024-10-04T00:00:00Z']);
    assert.deepEqual(nexts('0 0 13 * 5', '2024-10-05T00:00:00Z', 2), ['2024-10-11T00:00:00Z', '2024-10-13T00:00:00Z']);
  });

  it('are AND-ed when either is a star (robfig star bit), including ? and */1', () => {
    assert.deepEqual(nexts('0 0 * * 1', '2016-05-19T00:00:00Z', 2), ['2016-05-23T00:00:00Z', '2016-05-30T00:00:00Z']);
    assert.deepEqual(nexts('0 0 ? * 1', '2016-05-19T00:00:00Z', 1), ['2016-05-23T00:00:00Z']);
    assert.deepEqual(nexts('0 0 */1 * 1', '2016-05-19T00:00:00Z', 1), ['2016-05-23T00:00:00Z']);
    assert.deepEqual(nexts('0 0 *,5 * 1', '2016-05-19T00:00:00Z', 1), ['2016-05-23T00:00:00Z']);
  });

  it('a step above 1 clears the star bit: */2 with a weekday ORs', () => {
    // Odd days (1, 3, …, 31) or Mondays: from Thu 19 May 2016 → 21, 23 (both), 25, 27, 29, 30 (Mon), 31.
    assert.deepEqual(nexts('0 0 */2 * 1', '2016-05-19T00:00:00Z', 7), [
      '2016-05-21T00:00:00Z', '2016-05-23T00:00:00Z', '2016-05-25T00:00:00Z', '2016-05-27T00:00:00Z',
      '2016-05-29T00:00:00Z', '2016-05-30T00:00:00Z', '2016-05-31T00:00:00Z',
    ]);
  });
});

describe('impossible dates', () => {
  it('Feb 31 parses but never fires (upstream: zero time, then an InvalidSchedule error)', () => {
    assert.equal(sched('59 23 31 2 *').next(Date.parse('2016-05-19T10:00:00Z')), undefined);
  });

  it('Feb 29 fires in leap years only', () => {
    assert.deepEqual(nexts('0 0 29 2 *', '2021-01-01T00:00:00Z', 2), ['2024-02-29T00:00:00Z', '2028-02-29T00:00:00Z']);
  });
});

describe('descriptors', () => {
  const from = '2016-05-19T09:59:00Z';
  const cases: [string, string][] = [
    ['@yearly', '2017-01-01T00:00:00Z'],
    ['@annually', '2017-01-01T00:00:00Z'],
    ['@monthly', '2016-06-01T00:00:00Z'],
    ['@weekly', '2016-05-22T00:00:00Z'],
    ['@daily', '2016-05-20T00:00:00Z'],
    ['@midnight', '2016-05-20T00:00:00Z'],
    ['@hourly', '2016-05-19T10:00:00Z'],
  ];
  for (const [spec, next] of cases) it(`${spec} → ${next}`, () => assert.deepEqual(nexts(spec, from, 1), [next]));

  it('@every counts from the given time in whole seconds, at least one second', () => {
    assert.deepEqual(nexts('@every 1h30m', '2016-05-19T09:59:00.500Z', 2), ['2016-05-19T11:29:00Z', '2016-05-19T12:59:00Z']);
    assert.equal(every(250).delayMs, 1000);
    assert.equal(every(1500).delayMs, 1000);
    assert.deepEqual(nexts('@every 1.5m', '2016-05-19T10:00:00Z', 1), ['2016-05-19T10:01:30Z']);
  });

  it('are case-sensitive, as robfig matches them exactly', () => {
    assert.equal(parseError('@HOURLY'), 'unrecognized descriptor: @HOURLY');
    assert.equal(parseError('@reboot'), 'unrecognized descriptor: @reboot');
    assert.equal(parseError('@every 1d'), 'failed to parse duration @every 1d: time: unknown unit "d" in duration "1d"');
    assert.equal(parseError('@every 5'), 'failed to parse duration @every 5: time: missing unit in duration "5"');
  });
});

describe('field syntax', () => {
  it('names are case-insensitive 3-letter month and day names', () => {
    assert.deepEqual(nexts('0 0 * JAN-mar mon', '2016-05-19T00:00:00Z', 2), ['2017-01-02T00:00:00Z', '2017-01-09T00:00:00Z']);
    assert.deepEqual(nexts('0 12 * * SUN', '2016-05-19T00:00:00Z', 1), ['2016-05-22T12:00:00Z']);
  });

  it('lists, ranges and steps; N/step means N-max/step; empty list entries are skipped', () => {
    assert.deepEqual(nexts('1-5/2,30 * * * *', '2016-05-19T10:00:00Z', 4), ['2016-05-19T10:01:00Z', '2016-05-19T10:03:00Z', '2016-05-19T10:05:00Z', '2016-05-19T10:30:00Z']);
    assert.deepEqual(nexts('5/20 * * * *', '2016-05-19T10:00:00Z', 4), ['2016-05-19T10:05:00Z', '2016-05-19T10:25:00Z', '2016-05-19T10:45:00Z', '2016-05-19T11:05:00Z']);
    assert.deepEqual(nexts('1,,2 * * * *', '2016-05-19T10:00:00Z', 2), ['2016-05-19T10:01:00Z', '2016-05-19T10:02:00Z']);
  });

  it('a step wider than its range keeps only the start (croner alone would refuse it)', () => {
    assert.deepEqual(nexts('*/70 * * * *', '2016-05-19T10:00:00Z', 2), ['2016-05-19T11:00:00Z', '2016-05-19T12:00:00Z']);
  });

  it('a field with no entry at all never matches', () => {
    assert.equal(sched(', * * * *').next(Date.parse('2016-05-19T10:00:00Z')), undefined);
  });
});

describe('what ParseStandard refuses, with its messages', () => {
  const cases: [string, string][] = [
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['0 0 * * * *', 'expected exactly 5 fields, found 6: [0 0 * * * *]'],
    ['obvious error schedule', 'expected exactly 5 fields, found 3: [obvious error schedule]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['a * * * *', 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax'],
    ['*/-1 * * * *', 'negative number (-1) not allowed: -1'],
    ['0 0 L * *', 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax'],
    ['0 0 15W * *', 'failed to parse int from 15W: strconv.Atoi: parsing "15W": invalid syntax'],
    ['0 0 * * 5#2', 'failed to parse int from 5#2: strconv.Atoi: parsing "5#2": invalid syntax'],
    ['0 0 * * FRIDAY', 'failed to parse int from FRIDAY: strconv.Atoi: parsing "FRIDAY": invalid syntax'],
    ['TZ=Mars/Olympus 0 * * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
  ];
  for (const [spec, message] of cases) it(JSON.stringify(spec), () => assert.equal(parseError(spec), message));
});

describe('time zones and DST (TZ= prefix, as formatSchedule builds it from spec.timeZone)', () => {
  it('without a zone the schedule runs in UTC (the controller manager)', () => {
    assert.deepEqual(nexts('0 2 * * *', '2024-03-30T00:00:00Z', 1), ['2024-03-30T02:00:00Z']);
  });

  it('a wall time skipped by spring-forward does not run that day (Europe/Berlin 31 Mar 2024)', () => {
    assert.deepEqual(nexts('TZ=Europe/Berlin 30 2 * * *', '2024-03-29T12:00:00Z', 3), ['2024-03-30T01:30:00Z', '2024-04-01T00:30:00Z', '2024-04-02T00:30:00Z']);
  });

  it('a wall time repeated by fall-back runs twice, an hour apart (America/New_York 3 Nov 2024)', () => {
    assert.deepEqual(nexts('TZ=America/New_York 30 1 * * *', '2024-11-02T12:00:00Z', 3), ['2024-11-03T05:30:00Z', '2024-11-03T06:30:00Z', '2024-11-04T06:30:00Z']);
  });

  it('interval schedules follow real time across both transitions', () => {
    // 2024-03-10 America/New_York: 01:59 EST is followed by 03:00 EDT.
    assert.deepEqual(nexts('TZ=America/New_York */30 * * * *', '2024-03-10T06:15:00Z', 3), ['2024-03-10T06:30:00Z', '2024-03-10T07:00:00Z', '2024-03-10T07:30:00Z']);
    assert.deepEqual(nexts('TZ=America/New_York 0 * * * *', '2024-11-03T04:30:00Z', 3), ['2024-11-03T05:00:00Z', '2024-11-03T06:00:00Z', '2024-11-03T07:00:00Z']);
  });

  it('where DST removes midnight, a daily midnight job skips that day (America/Sao_Paulo 4 Nov 2018)', () => {
    assert.deepEqual(nexts('TZ=America/Sao_Paulo 0 0 * * *', '2018-11-03T00:00:00Z', 2), ['2018-11-03T03:00:00Z', '2018-11-05T02:00:00Z']);
  });

  it('half-hour zones keep their offset (Asia/Kolkata, +05:30)', () => {
    assert.deepEqual(nexts('TZ=Asia/Kolkata 0 9 * * *', '2024-01-01T00:00:00Z', 1), ['2024-01-01T03:30:00Z']);
  });

  it('descriptors take the prefix too', () => {
    assert.deepEqual(nexts('TZ=America/New_York @daily', '2016-05-19T00:00:00Z', 1), ['2016-05-19T04:00:00Z']);
  });
});
