import { Emitter } from './emitter.js';
import { Outbox } from './outbox.js';
import { ThreadView } from './thread.js';
import { Addresses } from './addresses.js';

/** The bridge's close status for a connection whose token expired (CONTRACT.md: reconnect with a fresh one). */
const TOKEN_EXPIRED = 4401;
const REFRESH_LEAD_MAX_MS = 60000;
const TOKEN_RETRY_MS = 5000;

/** @typedef {'connecting'|'online'|'reconnecting'|'offline'|'signed-out'} ConnectionState */

/**
 * An HTTP or bridge failure in the contract's terms.
 */
export class ChatError extends Error {
  /** @param {number} status HTTP status (0: no connection) @param {string} code the contract's error code @param {string} [message] */
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

/**
 * @typedef {object} ClientOptions
 * @property {() => Promise<string>} token  returns a valid token; called at connect, a third of the
 *   token's lifetime (at most a minute) before it expires, and after a 401 or a bridge close 4401
 * @property {string} [baseUrl]  the gateway's origin ('' = this page's)
 * @property {any} [EventBus]  the bridge client's constructor (default: the global `EventBus` that
 *   @vertx/eventbus-bridge-client.js defines; it needs the global `SockJS` of sockjs-client)
 * @property {string[]} [transports]  SockJS transports to allow (default: SockJS picks)
 * @property {Storage|null} [storage]  where the outbox lives (default localStorage)
 * @property {number} [requestTimeoutMs]
 */

/**
 * The chat for one signed-in user: a bridge connection that follows the token (a fresh token opens a
 * new socket, which registers and joins everything before the old one closes, so nothing is missed and
 * presence never flickers; events both sockets deliver meanwhile are passed on once), the user's events
 * (badges, thread list), open threads and the outbox.
 */
export class ChatClient {
  /** @param {ClientOptions} options */
  constructor(options) {
    this.options = { baseUrl: '', requestTimeoutMs: 10000, ...options };
    this.EventBus = options.EventBus ?? globalThis.EventBus;
    if (!this.EventBus) throw new Error('@chat/client needs the Vert.x bridge client: load vertx-eventbus.js or pass EventBus');
    /** @type {string|null} */ this.token = null;
    /** @type {{sub: string, name?: string, exp?: number, iat?: number}|null} */ this.claims = null;
    /** @type {any} */ this.bus = null;
    /** @type {any} the socket requests go to: the newest open one */ this.live = null;
    this.everOpened = false;
    this.stopped = false;
    /** @type {ConnectionState} */ this.state = 'offline';
    /** @type {Set<ThreadView>} */ this.threads = new Set();
    /** @type {Outbox|null} */ this.outbox = null;
    this.recent = new Set();
    this.stateChanged = /** @type {Emitter<ConnectionState>} */ (new Emitter());
    this.reconnected = /** @type {Emitter<void>} */ (new Emitter());
    this.userEvents = /** @type {Emitter<any>} */ (new Emitter());
    this.badges = /** @type {Emitter<{threadId: string, unread: number, total?: number}>} */ (new Emitter());
    this.tokens = /** @type {Emitter<string>} */ (new Emitter());
    this.errors = /** @type {Emitter<Error>} */ (new Emitter());
  }

  /** @returns {string|null} the signed-in user's id (the token's `sub`) */
  get userId() { return this.claims?.sub ?? null; }
  /** @returns {string|null} the token's `name` */
  get name() { return this.claims?.name ?? this.claims?.sub ?? null; }
  /** @returns {boolean} whether a bridge connection is open */
  get connected() { return !!this.live; }

  /** @param {(s: ConnectionState) => void} fn @returns {() => void} */
  onState(fn) { return this.stateChanged.on(fn); }
  /** @param {() => void} fn  after a connection is back (not the first one): reload lists and badges @returns {() => void} */
  onReconnect(fn) { return this.reconnected.on(fn); }
  /** @param {(token: string) => void} fn  every new token @returns {() => void} */
  onToken(fn) { return this.tokens.on(fn); }
  /** @param {(e: Error) => void} fn  failures nobody awaited (token provider, bridge errors) @returns {() => void} */
  onError(fn) { return this.errors.on(fn); }
  /**
   * The user's own address (`chat.user.<id>`): `unread:update`, `message:new` of every thread of theirs,
   * `thread:added`, `thread:updated`, `thread:removed`; each event once.
   * @param {string|((ev: any) => void)} typeOrFn  an event type, or a listener for all
   * @param {(ev: any) => void} [fn]
   * @returns {() => void}
   */
  on(typeOrFn, fn) {
    if (typeof typeOrFn === 'function') return this.userEvents.on(typeOrFn);
    return this.userEvents.on((ev) => { if (ev.type === typeOrFn) fn(ev); });
  }
  /** @param {(b: {threadId: string, unread: number, total?: number}) => void} fn  a thread's unread count (and the total when known) @returns {() => void} */
  onBadge(fn) { return this.badges.on(fn); }

  /** Gets a token and opens the connection; resolves once the first token is there. */
  async connect() {
    this.stopped = false;
    this.setState('connecting');
    await this.refreshToken();
  }

  /** Closes everything (sign-out); outbox entries stay stored for this user's next session. */
  close() {
    this.stopped = true;
    clearTimeout(this.refreshTimer);
    for (const t of [...this.threads]) t.close();
    this.outbox?.stop();
    const bus = this.bus;
    this.bus = null;
    this.live = null;
    if (bus) quietClose(bus);
    this.setState('offline');
  }

  /**
   * Opens a thread: registers its address, joins its presence, loads its newest page and catches up.
   * @param {string} threadId
   * @param {{pageSize?: number}} [options]
   * @returns {ThreadView}  call `loadLatest()` on it, and `close()` when leaving
   */
  openThread(threadId, options) {
    const view = new ThreadView(this, threadId, options);
    this.threads.add(view);
    if (this.live) view.attach(this.live);
    return view;
  }

  /** @param {ThreadView} view */
  detach(view) {
    this.threads.delete(view);
    if (!this.live) return;
    try {
      this.live.unregisterHandler(Addresses.thread(view.id), view.handler);
    } catch {
      return;
    }
    this.request(Addresses.LEAVE, { threadId: view.id }).catch(() => {});
  }

  /**
   * Sends a message through the outbox (kept until the server acknowledges it).
   * @param {string} threadId @param {string} body @param {string[]} [attachmentIds]
   * @returns {import('./outbox.js').OutboxEntry}
   */
  send(threadId, body, attachmentIds = []) {
    return this.outbox.add({ threadId, body, attachmentIds });
  }

  /** @returns {Promise<{byThread: {threadId: string, unread: number}[], total: number}>} the badges, also emitted to onBadge */
  async loadUnread() {
    const res = await this.api('GET', '/api/threads/unread');
    this.unreadTotal = res.total;
    return res;
  }

  /**
   * A request/reply on the bridge (`chat.thread.join`, `chat.typing.start`, `chat.message.send`, ...).
   * @param {string} address @param {object} body @param {any} [bus]
   * @returns {Promise<any>} the reply's body; a failure as ChatError(failureCode, message)
   */
  request(address, body, bus = this.live) {
    return new Promise((resolve, reject) => {
      if (!bus) { reject(new ChatError(0, 'offline', 'Not connected')); return; }
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(new ChatError(0, 'timeout', `No answer from ${address}`));
      }, this.options.requestTimeoutMs);
      try {
        bus.send(address, body, (err, msg) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (err) reject(new ChatError(err.failureCode || 0, err.message || 'failed', err.message));
          else resolve(msg.body);
        });
      } catch {
        clearTimeout(timer);
        reject(new ChatError(0, 'offline', 'Not connected'));
      }
    });
  }

  /**
   * An HTTP call with the current token; a 401 gets a fresh token and one more try.
   * @param {string} method @param {string} path  e.g. `/api/threads` @param {object} [body]
   * @returns {Promise<any>} the JSON answer (null for 204); a failure as ChatError
   */
  async api(method, path, body) {
    try {
      return await this.fetchJson(method, path, body);
    } catch (err) {
      if (err.status !== 401 || this.stopped) throw err;
      await this.refreshToken();
      return this.fetchJson(method, path, body);
    }
  }

  /** @returns {Promise<any>} */
  async fetchJson(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(this.options.baseUrl + path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs)
      });
    } catch {
      throw new ChatError(0, 'network', 'The server cannot be reached');
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!res.ok) throw new ChatError(res.status, json?.error || `http_${res.status}`, json?.message || res.statusText);
    return json;
  }

  /**
   * Gets a fresh token from the provider and moves the connection to it. One at a time; a failing
   * provider is asked again later, one that answers 401 signs the user out.
   * @returns {Promise<void>}
   */
  refreshToken() {
    if (this.refreshing) return this.refreshing;
    clearTimeout(this.refreshTimer);
    this.refreshing = (async () => {
      try {
        const token = await this.options.token();
        if (this.stopped) return;
        this.useToken(token);
      } catch (err) {
        if (this.stopped) return;
        if (err?.status === 401) {
          this.close();
          this.setState('signed-out');
        } else {
          this.refreshTimer = setTimeout(() => this.refreshToken().catch(() => {}), TOKEN_RETRY_MS);
        }
        this.errors.emit(err);
        throw err;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** @param {string} token */
  useToken(token) {
    const claims = decodeClaims(token);
    if (!claims?.sub) throw new ChatError(0, 'bad_token', 'The token has no sub claim');
    if (this.claims && this.claims.sub !== claims.sub) throw new ChatError(0, 'bad_token', 'The token is for another user');
    this.token = token;
    this.claims = claims;
    if (!this.outbox) {
      this.outbox = new Outbox({
        key: `chat.outbox.${claims.sub}`,
        storage: this.options.storage === undefined ? globalThis.localStorage ?? null : this.options.storage,
        post: (e) => this.api('POST', `/api/threads/${encodeURIComponent(e.threadId)}/messages`,
          { body: e.body, clientMessageId: e.clientMessageId, attachmentIds: e.attachmentIds }).then((r) => r.message)
      });
      this.outbox.onSent(({ message }) => {
        for (const t of this.threads) if (t.id === message.threadId) t.receive(message);
      });
    }
    this.tokens.emit(token);
    this.scheduleRefresh();
    this.openBus();
  }

  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    const exp = this.claims?.exp;
    if (typeof exp !== 'number') return;
    const now = Date.now();
    const lifetime = exp * 1000 - (typeof this.claims.iat === 'number' ? this.claims.iat * 1000 : now);
    const lead = Math.min(REFRESH_LEAD_MAX_MS, Math.max(1000, lifetime / 3));
    this.refreshTimer = setTimeout(() => this.refreshToken().catch(() => {}), Math.max(0, exp * 1000 - lead - now));
  }

  /**
   * Opens a socket with the current token. While an older one is open it keeps serving until the new
   * one has registered and joined everything, then closes.
   */
  openBus() {
    const previous = this.live;
    if (!previous) this.setState(this.everOpened ? 'reconnecting' : 'connecting');
    const url = `${this.options.baseUrl}/eventbus?access_token=${encodeURIComponent(this.token)}`;
    const options = { vertxbus_reconnect_delay_min: 500, vertxbus_reconnect_delay_max: 5000, vertxbus_ping_interval: 5000 };
    if (this.options.transports) options.transports = this.options.transports;
    const bus = new this.EventBus(url, options);
    bus.enableReconnect(true);
    const older = this.bus;
    this.bus = bus;
    if (older && older !== previous) quietClose(older);
    bus.onopen = () => {
      if (this.bus !== bus) { quietClose(bus); return; }
      const old = this.live !== bus ? this.live : null;
      this.live = bus;
      this.setState('online');
      bus.registerHandler(Addresses.user(this.userId), (err, msg) => { if (!err && msg?.body) this.onUserEvent(msg.body); });
      const joined = Promise.all([...this.threads].map((t) => t.attach(bus)));
      if (old) joined.then(() => quietClose(old));
      const reconnected = this.everOpened;
      this.everOpened = true;
      if (reconnected && !old) {
        for (const t of this.threads) t.catchUp().catch((e) => this.errors.emit(e));
        this.reconnected.emit();
      }
      this.outbox.flush();
    };
    bus.onclose = (e) => {
      const wasLive = this.live === bus;
      if (wasLive) this.live = null;
      if (this.stopped) return;
      // an older socket that died before its successor opened leaves nothing connected
      if (this.bus !== bus) { if (wasLive) this.setState('reconnecting'); return; }
      if (!this.live) this.setState('reconnecting');
      const expired = typeof this.claims?.exp === 'number' && this.claims.exp * 1000 <= Date.now() + 1000;
      if (e?.code === TOKEN_EXPIRED || expired) this.refreshToken().catch(() => {});
    };
    bus.onerror = (err) => this.errors.emit(err instanceof Error ? err : new ChatError(err?.failureCode || 0, err?.failureType || 'bridge', err?.message));
  }

  /** @param {any} ev */
  onUserEvent(ev) {
    // During a token switch both sockets deliver; each change is passed on once.
    const key = ev.type === 'message:new' || ev.type === 'message:updated'
      ? `${ev.type}:${ev.message?.id}:${ev.message?.version}`
      : ev.type === 'unread:update' ? null : JSON.stringify(ev);
    if (key !== null) {
      if (this.recent.has(key)) return;
      this.recent.add(key);
      if (this.recent.size > 500) this.recent.delete(this.recent.values().next().value);
    }
    if (ev.type === 'unread:update') {
      if (typeof ev.total === 'number') this.unreadTotal = ev.total;
      this.badges.emit({ threadId: ev.threadId, unread: ev.unread, total: ev.total });
    }
    if (ev.type === 'message:new' && ev.message?.clientMessageId && ev.message.authorId === this.userId) {
      this.outbox.acknowledged(ev.message.clientMessageId);
    }
    this.userEvents.emit(ev);
  }

  /** @param {ConnectionState} s */
  setState(s) {
    if (this.state === s) return;
    this.state = s;
    this.stateChanged.emit(s);
  }
}

/** @param {any} bus */
function quietClose(bus) {
  try { bus.enableReconnect(false); bus.close(); } catch { /* already closed */ }
}

/**
 * The claims of a JWT, unverified (the server verifies; the client only reads sub, name and exp).
 * @param {string} token
 * @returns {{sub: string, name?: string, exp?: number, iat?: number}|null}
 */
export function decodeClaims(token) {
  try {
    const part = String(token).split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(part), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch {
    return null;
  }
}
