/** Every time-dependent piece takes a clock so tests can drive time without waiting. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
