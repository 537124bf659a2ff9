import { Emitter } from './emitter.js';

/**
 * @typedef {object} OutboxEntry
 * @property {string} clientMessageId  the idempotency key: every attempt of this message carries it
 * @property {string} threadId
 * @property {string} body
 * @property {string[]} attachmentIds
 * @property {string} createdAt  ISO-8601, when it was written
 * @property {'pending'|'failed'} state  pending: will be sent (again); failed: refused, waits for retry or discard
 * @property {number} attempts
 * @property {{status: number, code: string, message: string}|null} error  the last failure
 */

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10000;

/**
 * Messages written but not yet acknowledged by the server, kept in storage (localStorage by default, one
 * key per user) so a message written offline is sent when the connection is back, even after a reload.
 * An entry leaves the outbox only when the server answered the send (201, or 200 for a repeat of the same
 * clientMessageId, which the server stores once however often it arrives) or when it is discarded.
 * Retryable failures (no connection, 429, 5xx, send_outcome_unknown) are retried with backoff; any other
 * failure marks the entry failed.
 */
export class Outbox {
  /**
   * @param {object} options
   * @param {(entry: OutboxEntry) => Promise<object>} options.post  sends one entry, resolves with the stored message
   * @param {Storage|null} [options.storage]
   * @param {string} options.key  the storage key (per user)
   */
  constructor({ post, storage, key }) {
    this.post = post;
    this.storage = storage ?? null;
    this.key = key;
    /** @type {Map<string, OutboxEntry>} */
    this.entries = new Map();
    /** @type {Map<string, any>} */
    this.timers = new Map();
    /** @type {Set<string>} */
    this.inFlight = new Set();
    /** ids this page removed: another tab's stored copy of them must not come back */
    this.removed = new Set();
    /** @type {Emitter<OutboxEntry[]>} */
    this.changed = new Emitter();
    /** @type {Emitter<{entry: OutboxEntry, message: object}>} */
    this.sent = new Emitter();
    for (const e of this.load()) this.entries.set(e.clientMessageId, e);
  }

  /** @param {(entries: OutboxEntry[]) => void} listener  @returns {() => void} */
  onChange(listener) { return this.changed.on(listener); }

  /** @param {(ack: {entry: OutboxEntry, message: object}) => void} listener  @returns {() => void} */
  onSent(listener) { return this.sent.on(listener); }

  /** @param {string} [threadId] @returns {OutboxEntry[]} oldest first */
  list(threadId) {
    return [...this.entries.values()].filter((e) => !threadId || e.threadId === threadId);
  }

  /**
   * Queues a message and tries to send it at once.
   * @param {{threadId: string, body: string, attachmentIds?: string[]}} message
   * @returns {OutboxEntry}
   */
  add({ threadId, body, attachmentIds = [] }) {
    /** @type {OutboxEntry} */
    const entry = {
      clientMessageId: newId(), threadId, body, attachmentIds: [...attachmentIds],
      createdAt: new Date().toISOString(), state: 'pending', attempts: 0, error: null
    };
    this.entries.set(entry.clientMessageId, entry);
    this.changedNow();
    this.attempt(entry);
    return entry;
  }

  /** Sends every pending entry now (the connection is back). */
  flush() {
    for (const e of this.load()) {
      if (!this.entries.has(e.clientMessageId) && !this.removed.has(e.clientMessageId)) this.entries.set(e.clientMessageId, e);
    }
    for (const entry of this.entries.values()) {
      if (entry.state === 'pending') this.attempt(entry);
    }
  }

  /** @param {string} clientMessageId  a failed (or waiting) entry is sent again */
  retry(clientMessageId) {
    const entry = this.entries.get(clientMessageId);
    if (entry) this.attempt(entry);
  }

  /** @param {string} clientMessageId  forgets an entry (it may still have reached the server) */
  discard(clientMessageId) {
    if (this.remove(clientMessageId)) this.changedNow();
  }

  /** Forgets every entry in memory (sign-out), leaving the stored ones for the next session of this user. */
  stop() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.entries.clear();
    this.stopped = true;
  }

  /**
   * The server has this message (its own copy arrived by an event or a catch-up): the entry is done.
   * @param {string} clientMessageId
   */
  acknowledged(clientMessageId) {
    if (this.remove(clientMessageId)) this.changedNow();
  }

  /** @param {OutboxEntry} entry */
  attempt(entry) {
    if (this.stopped || this.inFlight.has(entry.clientMessageId)) return;
    clearTimeout(this.timers.get(entry.clientMessageId));
    this.timers.delete(entry.clientMessageId);
    entry.state = 'pending';
    entry.attempts++;
    this.inFlight.add(entry.clientMessageId);
    this.changedNow();
    this.post(entry).then((message) => {
      this.inFlight.delete(entry.clientMessageId);
      this.remove(entry.clientMessageId);
      this.changedNow();
      this.sent.emit({ entry, message });
    }, (err) => {
      this.inFlight.delete(entry.clientMessageId);
      if (!this.entries.has(entry.clientMessageId)) return;
      entry.error = { status: err?.status ?? 0, code: err?.code ?? 'failed', message: err?.message ?? String(err) };
      if (retryable(err)) {
        const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(entry.attempts, 5));
        this.timers.set(entry.clientMessageId, setTimeout(() => this.attempt(entry), delay));
      } else {
        entry.state = 'failed';
      }
      this.changedNow();
    });
  }

  /** @param {string} id @returns {boolean} */
  remove(id) {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.removed.add(id);
    return this.entries.delete(id);
  }

  changedNow() {
    this.save();
    this.changed.emit(this.list());
  }

  /** @returns {OutboxEntry[]} */
  load() {
    try {
      const saved = JSON.parse(this.storage?.getItem(this.key) ?? '[]');
      return Array.isArray(saved) ? saved.filter((e) => e && typeof e.clientMessageId === 'string') : [];
    } catch {
      return [];
    }
  }

  save() {
    try {
      if (!this.storage) return;
      // Other tabs of the same user write the same key: their entries are kept, not overwritten.
      const others = this.load().filter((e) => !this.entries.has(e.clientMessageId) && !this.removed.has(e.clientMessageId));
      const all = [...others, ...this.list()];
      if (all.length) this.storage.setItem(this.key, JSON.stringify(all));
      else this.storage.removeItem(this.key);
    } catch {
      // storage full or denied: the outbox still works for this page's lifetime
    }
  }
}

/** @param {any} err @returns {boolean} whether sending again may succeed */
export function retryable(err) {
  const status = err?.status ?? 0;
  return status === 0 || status === 401 || status === 429 || status >= 500;
}

/** @returns {string} a random UUID */
export function newId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
