/**
 * A tiny listener list: `on` returns the function that removes the listener again.
 * @template T
 */
export class Emitter {
  constructor() {
    /** @type {Set<(value: T) => void>} */
    this.listeners = new Set();
  }

  /**
   * @param {(value: T) => void} listener
   * @returns {() => void} unsubscribe
   */
  on(listener) {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** @param {T} value */
  emit(value) {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (e) {
        // one listener's bug must not stop the others (or the client's own bookkeeping)
        console.error(e);
      }
    }
  }
}
