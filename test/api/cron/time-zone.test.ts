/**
 * Go's time semantics the schedule relies on: LoadLocation (names, errors, case), time.Date's
 * normalisation in DST gaps and overlaps, civil-calendar arithmetic, the RFC 3339 / RFC 1123Z
 * layouts, and time.ParseDuration for `@every`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGoDuration } from '../../../src/api/cron/go-duration.js';
import { civilToMs, formatRFC1123Z, formatRFC3339, loadLocation, wallClockAt, wallClockOf, type Zone, zoneDate } from '../../../src/api/cron/time-zone.js';

function zone(name: string): Zone {
  const loaded = loadLocation(name);
  assert.equal(loaded.error, undefined, `${name}: ${loaded.error}`);
  return loaded.zone as Zone;
}

describe('loadLocation', () => {
  it('knows IANA names, their aliases, UTC, the empty name and Local', () => {
    for (const name of ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Etc/GMT+5', 'US/Eastern', 'UTC', 'Etc/UTC', '', 'Local']) {
      assert.equal(loadLocation(name).error, undefined, name);
    }
    assert.equal(zone('').offsetAt(0), 0);
    assert.equal(zone('Local').offsetAt(0), 0, 'the controller manager runs in UTC');
  });

  it('refuses unknown names with Go’s text', () => {
    assert.equal(loadLocation('America/Nowhere').error, 'unknown time zone America/Nowhere');
    assert.equal(loadLocation('bad timezone').error, 'unknown time zone bad timezone');
    assert.equal(loadLocation('../etc/passwd').error, 'time: invalid location name');
  });

  it('is case-sensitive, as Go’s file lookup is', () => {
    assert.equal(loadLocation('america/new_york').error, 'unknown time zone america/new_york');
    assert.equal(loadLocation('utc').error, 'unknown time zone utc');
    assert.equal(loadLocation('us/eastern').error, 'unknown time zone us/eastern');
  });

  it('gives offsets with DST', () => {
    const ny = zone('America/New_York');
    assert.equal(ny.offsetAt(Date.parse('2024-01-15T12:00:00Z')), -5 * 3_600_000);
    assert.equal(ny.offsetAt(Date.parse('2024-07-15T12:00:00Z')), -4 * 3_600_000);
    // The transition instant itself (2024-03-10 07:00Z) already has the new offset.
    assert.equal(ny.offsetAt(Date.parse('2024-03-10T06:59:59Z')), -5 * 3_600_000);
    assert.equal(ny.offsetAt(Date.parse('2024-03-10T07:00:00Z')), -4 * 3_600_000);
    assert.equal(zone('Asia/Kolkata').offsetAt(0), 5.5 * 3_600_000);
  });
});

describe('zoneDate (time.Date)', () => {
  const ny = () => zone('America/New_York');

  it('an ordinary wall time', () => {
    assert.equal(zoneDate(ny(), 2024, 7, 4, 12, 0, 0), Date.parse('2024-07-04T16:00:00Z'));
  });

  it('a wall time in the spring-forward gap comes out an hour early, in standard time (Go: 2:30 → 1:30 EST)', () => {
    assert.equal(zoneDate(ny(), 2024, 3, 10, 2, 30, 0), Date.parse('2024-03-10T06:30:00Z'));
  });

  it('a wall time the fall-back repeats is its first occurrence', () => {
    assert.equal(zoneDate(ny(), 2024, 11, 3, 1, 30, 0), Date.parse('2024-11-03T05:30:00Z'));
  });

  it('normalises overflowing fields (month 13, day 32, hour 24)', () => {
    const utc = zone('UTC');
    assert.equal(zoneDate(utc, 2024, 13, 1), Date.parse('2025-01-01T00:00:00Z'));
    assert.equal(zoneDate(utc, 2024, 1, 32), Date.parse('2024-02-01T00:00:00Z'));
    assert.equal(zoneDate(utc, 2024, 2, 28, 24), Date.parse('2024-02-29T00:00:00Z'));
  });
});

describe('civil calendar', () => {
  it('agrees with Date for every day from 1900 to 2200 (sampled every 7 days and 1 hour)', () => {
    for (let ms = Date.UTC(1900, 0, 1); ms < Date.UTC(2200, 0, 1); ms += 7 * 86_400_000 + 3_600_000) {
      const d = new Date(ms);
      const c = wallClockOf(ms);
      assert.deepEqual([c.year, c.month, c.day, c.hour, c.weekday], [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCDay()]);
      assert.equal(civilToMs(c.year, c.month, c.day, c.hour, c.minute, c.second), ms);
    }
  });

  it('reads the wall clock in a zone', () => {
    const c = wallClockAt(Date.parse('2016-05-19T14:01:00Z'), zone('America/New_York'));
    assert.deepEqual([c.year, c.month, c.day, c.hour, c.minute, c.weekday], [2016, 5, 19, 10, 1, 4]);
  });
});

describe('layouts', () => {
  it('RFC 3339 in a zone: Z for UTC, the offset elsewhere', () => {
    const t = Date.parse('2016-05-19T14:00:00Z');
    assert.equal(formatRFC3339(t, zone('UTC')), '2016-05-19T14:00:00Z');
    assert.equal(formatRFC3339(t, zone('America/New_York')), '2016-05-19T10:00:00-04:00');
    assert.equal(formatRFC3339(t, zone('Asia/Kolkata')), '2016-05-19T19:30:00+05:30');
  });

  it('RFC 1123Z in UTC', () => {
    assert.equal(formatRFC1123Z(Date.parse('2016-05-19T10:00:00Z')), 'Thu, 19 May 2016 10:00:00 +0000');
  });
});

describe('parseGoDuration (time.ParseDuration)', () => {
  const ok: [string, number][] = [
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['-1m', -60_000],
    ['0', 0],
    ['1h0m0.1s', 3_600_100],
    ['.5s', 500],
  ];
  for (const [text, ms] of ok) it(`${text} = ${ms} ms`, () => assert.equal(parseGoDuration(text).ms, ms));

  it('refuses what Go refuses, with its messages', () => {
    assert.equal(parseGoDuration('').error, 'time: invalid duration ""');
    assert.equal(parseGoDuration('1').error, 'time: missing unit in duration "1"');
    assert.equal(parseGoDuration('1d').error, 'time: unknown unit "d" in duration "1d"');
    assert.equal(parseGoDuration('h').error, 'time: invalid duration "h"');
    assert.equal(parseGoDuration('.s').error, 'time: invalid duration ".s"');
    assert.equal(parseGoDuration('3000000h').error, 'time: invalid duration "3000000h"');
  });
});
