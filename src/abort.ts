// Listening to a caller's AbortSignal without adding a listener to it, and
// without keeping anything once no call waits on it.

type Listener = (reason: unknown) => unknown;

const linkedSignals = new WeakMap<AbortSignal, [AbortSignal, Set<Listener>]>();

/**
 * Calls `listener` with the signal's reason when it aborts (at once if it
 * has), until the returned function is called. Listeners go on one signal
 * made by AbortSignal.any per caller's signal, never on the caller's own, so
 * that any number of calls may share one. One, not one per call: Node 20 and
 * 22 keep every AbortSignal.any signal as long as its source lives (about a
 * kilobyte each), and one with a listener with all it refers to, so the
 * listener is removed when no call waits. (The handler is set again on each
 * call rather than kept with the signal: a few bytes less in the entry,
 * which is at its budget.)
 */
export function onAbort(signal: AbortSignal | undefined, listener: Listener): () => void {
  if (!signal || signal.aborted) {
    if (signal) listener(signal.reason);
    return () => {};
  }
  const [linked, listeners] = linkedSignals.get(signal) ?? [AbortSignal.any([signal]), new Set<Listener>()];
  linkedSignals.set(signal, [linked, listeners]);
  // Once fired, nothing is kept: Node keeps an aborted signal's listeners for as long as the signal lives.
  linked.onabort = () => {
    listeners.forEach((each) => each(linked.reason));
    listeners.clear();
  };
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (!listeners.size) linked.onabort = null;
  };
}

/**
 * A signal that aborts when `signal` does, or after `ms` with a
 * TimeoutError, on a timer of its own; `clear` ends both once the work is
 * done. Not `AbortSignal.any([signal, AbortSignal.timeout(ms)])`: on Node 20
 * that combined signal holds the timeout signal weakly, and once a garbage
 * collection takes it, the timeout never fires.
 */
export function deadline(ms: number, signal?: AbortSignal): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`The operation was aborted due to timeout`, "TimeoutError")), ms);
  const unlink = onAbort(signal, (reason) => controller.abort(reason));
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      unlink();
    },
  };
}
