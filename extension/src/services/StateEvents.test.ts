import { StateEvents } from './StateEvents';

describe('StateEvents', () => {
  it('composes the snapshot once per change and hands the same object to every listener', () => {
    let composed = 0;
    let value = 1;
    const events = new StateEvents('changed', () => ({ value, n: ++composed }));
    const got: unknown[] = [];
    events.subscribe('changed', (s) => got.push(s));
    events.subscribe('changed', (s) => got.push(s));
    expect(events.get()).toBe(events.get());
    value = 2;
    events.changed();
    expect(got[0]).toBe(got[1]);
    expect(got[0]).toEqual({ value: 2, n: 2 });
    expect(events.get()).toBe(got[0]);
  });

  it('keeps notifying when one listener throws, and stops after unsubscribe', () => {
    const events = new StateEvents('changed', () => ({}));
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let calls = 0;
    events.subscribe('changed', () => {
      throw new Error('broken panel');
    });
    const subscription = events.subscribe('changed', () => calls++);
    events.changed();
    subscription.unsubscribe();
    events.changed();
    expect(calls).toBe(1);
    expect(error).toHaveBeenCalledTimes(2);
    error.mockRestore();
  });

  it('refuses an event it does not have', () => {
    expect(() => new StateEvents('changed', () => ({})).subscribe('other', () => undefined)).toThrow(/Unknown event/);
  });
});
