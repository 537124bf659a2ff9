import { Emitter } from './emitter.js';
import { Addresses } from './addresses.js';

const CATCH_UP_PAGE = 200;

/**
 * @typedef {object} Message  see CONTRACT.md: id, threadId, seq, version, authorId, body, createdAt,
 *   clientMessageId, attachments, editedAt, deleted, via
 * @property {string} id
 * @property {string} threadId
 * @property {number} seq
 * @property {number} version
 * @property {string} authorId
 * @property {string} body
 * @property {string} createdAt
 * @property {string|null} clientMessageId
 * @property {boolean} deleted
 */

/**
 * One open thread: its bridge address registered and presence joined on every connection the client
 * opens, its messages by seq, and every change it missed fetched from the store (`changedAfter` the
 * highest version seen) on each reconnect and whenever a `seq` jumps. Listeners see each message once
 * per state: `onMessage` for a message new to this view, `onChange` for a newer state (edit, delete) of
 * one already shown.
 */
export class ThreadView {
  /**
   * @param {import('./client.js').ChatClient} client
   * @param {string} threadId
   * @param {{pageSize?: number}} [options]
   */
  constructor(client, threadId, { pageSize = 50 } = {}) {
    this.client = client;
    this.id = threadId;
    this.pageSize = pageSize;
    /** @type {Map<number, Message>} */
    this.bySeq = new Map();
    this.lastSeq = 0;
    /** the highest message version seen: catch-up asks for every change above it */
    this.version = 0;
    /** @type {number|null} */
    this.oldestSeq = null;
    this.hasMoreOlder = false;
    this.loaded = false;
    this.closed = false;
    this.catchingUp = null;
    this.catchUpAgain = false;
    this.loadingOlder = false;
    /** @type {string[]} */
    this.online = [];
    /** @type {string[]} */
    this.typingUserIds = [];
    this.handler = (err, msg) => { if (!err && msg?.body) this.onEvent(msg.body); };
    this.typingState = { lastStart: 0, active: false, idle: null };
    this.events = {
      message: /** @type {Emitter<Message>} */ (new Emitter()),
      change: /** @type {Emitter<Message>} */ (new Emitter()),
      presence: /** @type {Emitter<string[]>} */ (new Emitter()),
      typing: /** @type {Emitter<string[]>} */ (new Emitter()),
      receipt: /** @type {Emitter<{userId: string, lastReadSeq: number, lastReadAt: string}>} */ (new Emitter()),
      member: /** @type {Emitter<{type: string, threadId: string, userId: string, role?: string}>} */ (new Emitter()),
      thread: /** @type {Emitter<object>} */ (new Emitter()),
      caughtUp: /** @type {Emitter<number>} */ (new Emitter())
    };
  }

  /** @param {(m: Message) => void} fn  a message new to this view (live, caught up, or an older page) @returns {() => void} */
  onMessage(fn) { return this.events.message.on(fn); }
  /** @param {(m: Message) => void} fn  a newer state of a shown message (edited, deleted) @returns {() => void} */
  onChange(fn) { return this.events.change.on(fn); }
  /** @param {(userIds: string[]) => void} fn  who is in the thread now @returns {() => void} */
  onPresence(fn) { return this.events.presence.on(fn); }
  /** @param {(userIds: string[]) => void} fn  who is typing now (the caller included) @returns {() => void} */
  onTyping(fn) { return this.events.typing.on(fn); }
  /** @param {(r: {userId: string, lastReadSeq: number, lastReadAt: string}) => void} fn @returns {() => void} */
  onReceipt(fn) { return this.events.receipt.on(fn); }
  /** @param {(e: {type: string, threadId: string, userId: string, role?: string}) => void} fn  member:added/updated/removed @returns {() => void} */
  onMember(fn) { return this.events.member.on(fn); }
  /** @param {(summary: object) => void} fn  thread:updated (renamed) @returns {() => void} */
  onThreadUpdated(fn) { return this.events.thread.on(fn); }
  /** @param {(added: number) => void} fn  a catch-up finished, `added` new messages @returns {() => void} */
  onCaughtUp(fn) { return this.events.caughtUp.on(fn); }

  /** @returns {Message|undefined} the newest message shown */
  get last() { return this.bySeq.get(this.lastSeq); }

  /** @returns {Message[]} the messages loaded, oldest first */
  messages() { return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq); }

  /** Loads the newest page, then catches up on anything that changed meanwhile. */
  async loadLatest() {
    const page = await this.client.api('GET', `${this.path()}/messages?limit=${this.pageSize}`);
    if (this.closed) return;
    this.hasMoreOlder = page.hasMore;
    for (const m of page.messages) this.add(m);
    if (page.messages.length) this.oldestSeq = page.messages[0].seq;
    this.loaded = true;
    await this.catchUp();
  }

  /** @returns {Promise<number>} loads the page before the oldest loaded message; how many were added */
  async loadOlder() {
    if (!this.loaded || !this.hasMoreOlder || this.loadingOlder || this.oldestSeq === null) return 0;
    this.loadingOlder = true;
    try {
      const res = await this.client.api('GET', `${this.path()}/messages?beforeSeq=${this.oldestSeq}&limit=${this.pageSize}`);
      if (this.closed) return 0;
      let added = 0;
      for (const m of res.messages) if (this.add(m)) added++;
      if (res.messages.length) this.oldestSeq = Math.min(this.oldestSeq, res.messages[0].seq);
      this.hasMoreOlder = res.hasMore && res.messages.length > 0;
      return added;
    } finally {
      this.loadingOlder = false;
    }
  }

  /**
   * Fetches every change above the highest version seen (new, edited and deleted messages in version
   * order), page by page; one at a time, and once more if asked again meanwhile.
   * @returns {Promise<void>}
   */
  catchUp() {
    if (!this.loaded || this.closed) return Promise.resolve();
    if (this.catchingUp) { this.catchUpAgain = true; return this.catchingUp; }
    let added = 0;
    const page = async () => {
      const res = await this.client.api('GET', `${this.path()}/messages?changedAfter=${this.version}&limit=${CATCH_UP_PAGE}`);
      if (this.closed) return;
      for (const m of res.messages) if (this.apply(m)) added++;
      if (res.hasMore && res.messages.length) await page();
    };
    this.catchingUp = page().finally(() => {
      this.catchingUp = null;
      if (!this.closed) this.events.caughtUp.emit(added);
      if (this.catchUpAgain) { this.catchUpAgain = false; return this.catchUp(); }
    });
    return this.catchingUp;
  }

  /**
   * A message from the server (a send's answer, an event): shown when it is the next one, or triggers a
   * catch-up when seq jumped past messages this view never got.
   * @param {Message} m
   */
  receive(m) {
    if (m.threadId !== this.id || !this.loaded || this.bySeq.has(m.seq)) return;
    if (m.seq > this.lastSeq + 1) { this.catchUp().catch(() => {}); return; }
    this.add(m);
  }

  /** @returns {string} the thread's API path */
  path() { return `/api/threads/${encodeURIComponent(this.id)}`; }

  /**
   * A message as the store has it now: replaces the shown one when newer (emits change), is added when
   * new (emits message, returns true), and is ignored when older than the pages loaded so far.
   * @param {Message} m
   */
  apply(m) {
    if (m.version > this.version) this.version = m.version;
    const shown = this.bySeq.get(m.seq);
    if (shown) {
      if ((m.version || 0) >= (shown.version || 0) && !(shown.deleted && !m.deleted)
          && (m.version !== shown.version || m.deleted !== shown.deleted)) {
        this.bySeq.set(m.seq, m);
        this.events.change.emit(m);
      }
      return false;
    }
    if (this.hasMoreOlder && this.oldestSeq !== null && m.seq < this.oldestSeq) return false;
    return this.add(m);
  }

  /** @param {Message} m @returns {boolean} whether it was new */
  add(m) {
    if (this.bySeq.has(m.seq)) return false;
    if (m.version > this.version) this.version = m.version;
    this.bySeq.set(m.seq, m);
    if (m.seq > this.lastSeq) this.lastSeq = m.seq;
    if (this.oldestSeq === null || m.seq < this.oldestSeq) this.oldestSeq = m.seq;
    if (m.clientMessageId && m.authorId === this.client.userId) this.client.outbox?.acknowledged(m.clientMessageId);
    this.events.message.emit(m);
    return true;
  }

  /** @param {{type: string}} ev  a body from chat.thread.<id> */
  onEvent(ev) {
    if (this.closed) return;
    switch (ev.type) {
      case 'message:new': this.receive(ev.message); break;
      case 'message:updated': if (this.loaded) this.apply(ev.message); break;
      case 'message:deleted': {
        const shown = this.bySeq.get(ev.seq);
        if (shown && shown.id === ev.messageId && !shown.deleted) {
          this.apply({ ...shown, body: '', attachments: [], deleted: true, version: Math.max(shown.version || 0, ev.version || 0) });
        }
        break;
      }
      case 'presence:update': this.online = ev.onlineUserIds || []; this.events.presence.emit(this.online); break;
      case 'typing:update': this.typingUserIds = ev.userIds || []; this.events.typing.emit(this.typingUserIds); break;
      case 'receipt:update': this.events.receipt.emit(ev); break;
      case 'thread:updated': this.events.thread.emit(ev.thread); break;
      case 'member:added': case 'member:updated': case 'member:removed': this.events.member.emit(ev); break;
      default: break;
    }
  }

  /**
   * Registers the thread's address on a (new) connection and joins its presence.
   * @param {any} bus an open EventBus
   * @returns {Promise<void>} settles when the join was answered (or failed)
   */
  attach(bus) {
    if (this.closed) return Promise.resolve();
    try {
      bus.registerHandler(Addresses.thread(this.id), this.handler);
    } catch {
      return Promise.resolve();
    }
    return this.client.request(Addresses.JOIN, { threadId: this.id }, bus).then((reply) => {
      if (this.closed) return;
      this.online = reply.onlineUserIds || [];
      this.typingUserIds = reply.typingUserIds || [];
      this.events.presence.emit(this.online);
      this.events.typing.emit(this.typingUserIds);
    }, () => {});
  }

  /** Signals typing; call on every keystroke (start is sent at most once a second, stop after 3 s idle). */
  typing() {
    const t = this.typingState;
    const now = Date.now();
    if (now - t.lastStart >= 1000) {
      t.lastStart = now;
      t.active = true;
      this.client.request(Addresses.TYPING_START, { threadId: this.id }).catch(() => {});
    }
    clearTimeout(t.idle);
    t.idle = setTimeout(() => this.stopTyping(), 3000);
  }

  /** Stops the typing signal (the composer was emptied or sent). */
  stopTyping() {
    const t = this.typingState;
    clearTimeout(t.idle);
    t.idle = null;
    if (t.active && !this.closed) this.client.request(Addresses.TYPING_STOP, { threadId: this.id }).catch(() => {});
    t.active = false;
    t.lastStart = 0;
  }

  /**
   * Marks the thread read up to a message (by default the newest loaded one).
   * @param {string} [messageId]
   * @returns {Promise<{lastReadSeq: number, unread: number}>}
   */
  markRead(messageId = this.last?.id) {
    const body = messageId ? { threadId: this.id, lastReadMessageId: messageId } : { threadId: this.id };
    return this.client.connected
      ? this.client.request(Addresses.READ, body)
      : this.client.api('POST', `${this.path()}/read`, messageId ? { lastReadMessageId: messageId } : {});
  }

  /** @returns {Promise<{receipts: {userId: string, lastReadSeq: number, lastReadAt: string}[]}>} */
  receipts() { return this.client.api('GET', `${this.path()}/receipts`); }

  /** Unregisters, leaves the thread's presence and stops all listeners. */
  close() {
    if (this.closed) return;
    this.stopTyping();
    this.closed = true;
    this.client.detach(this);
    for (const e of Object.values(this.events)) e.listeners.clear();
  }
}
