import { RequestAborted } from './http.js';

/**
 * Runs `story` while `poll` is called back to back (a connected client's
 * sync loop), stopping it when the story ends. The long-poll in flight then
 * is cancelled through the signal, not awaited: with a server's
 * minutes-long timers a poll lasts minutes too. A failure of the loop is
 * kept until the story ends and then reported in its place: a connection
 * that broke first is the root cause of whatever the story then saw.
 */
export async function keepPolling<T>(poll: (signal: AbortSignal) => Promise<void>, story: () => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const loop = (async () => {
    while (!stop.signal.aborted) await poll(stop.signal);
  })();
  const outcome = loop.then(
    () => undefined,
    (cause: unknown) => (cause instanceof RequestAborted ? undefined : cause),
  );
  let result: T;
  try {
    result = await story();
  } catch (cause) {
    stop.abort();
    throw (await outcome) ?? cause;
  }
  stop.abort();
  const failure = await outcome;
  if (failure !== undefined) throw failure;
  return result;
}
