/**
 * When the server checkpoints. The scheduler takes croner patterns, seconds first, and
 * fires every node's timer at the same instants (so a cluster task runs once per
 * occurrence); an interval therefore has to divide a minute, an hour or a day evenly.
 *
 * @example
 * checkpointPattern(60_000); // every minute at second 0
 * checkpointPattern(15_000); // every 15 seconds
 */
export function checkpointPattern(intervalMs: number): string {
  const seconds = intervalMs / 1000;
  if (Number.isInteger(seconds) && seconds >= 1) {
    if (seconds < 60 && 60 % seconds === 0) return `*/${seconds} * * * * *`;
    const minutes = seconds / 60;
    if (Number.isInteger(minutes) && minutes < 60 && 60 % minutes === 0) return `0 */${minutes} * * * *`;
    const hours = seconds / 3600;
    if (Number.isInteger(hours) && hours <= 24 && 24 % hours === 0) return `0 0 */${hours} * * *`;
  }
  throw new RangeError('a checkpoint interval must divide a minute, an hour or a day evenly');
}
