import { afterEach, describe, expect, it } from 'vitest';
import { createReadTracker, type ReadTracker } from './read-tracking.js';

let tracker: ReadTracker<string> | undefined;
afterEach(() => tracker?.close());

/** Serves `body` as `key`, parses it as a client would, and hands the parsed value to `read`. */
// biome-ignore lint/suspicious/noExplicitAny: the tests read parsed JSON as consumer code does, untyped.
function readAs(key: string, body: unknown, read: (value: any) => unknown): void {
  read(JSON.parse(tracker!.served(key, JSON.stringify(body))));
}

describe('read tracking', () => {
  it('notes field reads, arrays element by element, and nothing for absent fields', () => {
    tracker = createReadTracker();
    readAs('a', { days: [{ summary: 's', low: 1 }], owner: { name: 'n', id: 1 } }, (v) => {
      for (const day of v.days) day.summary;
      v.owner.name;
      v.missing;
    });
    expect(tracker.readsOf('a')).toEqual(['days[].summary', 'owner.name']);
  });

  it('relies on a whole value that is enumerated, serialized, cloned, or taken and not looked into', () => {
    tracker = createReadTracker();
    readAs('keys', { a: { b: 1, c: 2 }, d: 3 }, (v) => Object.keys(v.a));
    readAs('clone', { a: { b: 1 }, d: 3 }, (v) =>
      expect(structuredClone({ x: v.a })).toEqual({ x: { b: 1 } }),
    );
    readAs('taken', { a: { b: 1 }, d: 3 }, (v) => v.a);
    readAs('root', { a: 1 }, (v) => JSON.stringify(v));
    readAs('scalar', 42, (v) => v);
    readAs('unread', { a: 1 }, () => undefined);
    expect(['keys', 'clone', 'taken', 'root', 'scalar', 'unread'].map((k) => tracker!.readsOf(k))).toEqual([
      ['a'],
      ['a'],
      ['a'],
      [''],
      [''],
      [],
    ]);
  });

  it('tracks only the served text, tells identical bodies apart, and stops at close', () => {
    tracker = createReadTracker();
    const first = tracker.served('first', '{"a":1}');
    const second = tracker.served('second', '{"a":1}');
    expect(first).toBe('{"a":1}');
    expect(second).not.toBe(first);
    expect(JSON.parse(first, (_key, value) => value).a).toBe(1);
    expect(tracker.readsOf('first')).toBeUndefined();
    JSON.parse(second).a;
    JSON.parse(first);
    JSON.parse(first).a;
    expect([tracker.readsOf('first'), tracker.readsOf('second')]).toEqual([[], ['a']]);
    tracker.served('late', '{"b":1}');
    tracker.close();
    JSON.parse('{"b":1}').b;
    expect(tracker.readsOf('late')).toBeUndefined();
    tracker = undefined;
  });
});
