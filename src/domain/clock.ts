/** Time is passed in, so pollers and schedules are tested with fake time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
