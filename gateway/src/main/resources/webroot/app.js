/*
 * The chat web client: the reference client for integrators.
 *
 * Uses only the HTTP API and the official Vert.x event bus bridge client over SockJS (vendor/).
 * Message bodies and every other server string are rendered with textContent, never as HTML.
 * Guarantees it keeps: a sent message is shown at once as pending and reconciled by clientMessageId
 * (retries reuse the same id, so the server stores it once); edits and deletes show live; after a
 * reconnect or a seq gap, the open thread is caught up from the store with changedAfter (new, edited
 * and deleted messages in one pass), and the badges are reloaded.
 */
(function () {
  'use strict';

  var STORAGE_KEY = 'chat.session';
  var PAGE_SIZE = 50;
  var CATCH_UP_PAGE = 200;
  var TYPING_START_EVERY_MS = 1000;
  var TYPING_IDLE_MS = 3000;
  var REQUEST_TIMEOUT_MS = 10000;
  var RETRY_MAX_MS = 10000;
  var THREAD_PAGE = 100;

  var $ = function (id) { return document.getElementById(id); };

  var state = {
    session: null,          // {token, userId, name}
    bus: null,
    busOpen: false,
    everOpened: false,
    threads: new Map(),     // id -> summary (with live unread)
    nextCursor: null,       // the thread list's next page, null when every page is loaded
    loadingMore: false,
    unreadElsewhere: new Map(), // threadId -> unread, for threads on pages not loaded yet
    members: null,          // the open thread's member list while its panel is shown: {threadId, list, myRole}
    names: new Map(),       // userId -> display name
    total: 0,
    current: null,          // the open thread, see newThreadState()
    pending: new Map(),     // clientMessageId -> {threadId, body, attachmentIds, state, attempts, timer, error}
    uploads: [],            // the open thread's attachments being uploaded or ready to send, see uploadFile()
    typing: { lastStart: 0, active: false, idleTimer: null },
    readTimer: null
  };

  function newThreadState(id) {
    return {
      id: id,
      bySeq: new Map(),
      lastSeq: 0,
      version: 0,           // the highest message version seen: catch-up asks for every change above it
      oldestSeq: null,
      hasMoreOlder: false,
      loadingOlder: false,
      catchingUp: false,
      catchUpAgain: false,
      loaded: false,
      markedSeq: 0,
      lastForcedRead: 0,
      receipts: new Map(),  // userId -> lastReadSeq
      online: [],
      typingUserIds: [],
      handler: null
    };
  }

  // ---------------------------------------------------------------- HTTP

  function ApiError(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message || code;
  }
  ApiError.prototype = Object.create(Error.prototype);

  function retryable(err) {
    return !(err instanceof ApiError) || err.status === 0 || err.status === 429 || err.status >= 500;
  }

  function api(method, path, body) {
    var headers = { 'Accept': 'application/json' };
    if (state.session) headers['Authorization'] = 'Bearer ' + state.session.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    return fetch(path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal
    }).then(function (res) {
      clearTimeout(timer);
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        if (!res.ok) {
          if (res.status === 401 && state.session && path.indexOf('/api/dev/') !== 0) {
            if (signIn.mode === 'dev') logout('Your session expired, please log in again.');
            else refreshToken();
          }
          throw new ApiError(res.status, json && json.error || 'http_' + res.status,
            json && json.message || res.statusText);
        }
        return json;
      });
    }, function (err) {
      clearTimeout(timer);
      throw new ApiError(0, 'network', 'The server cannot be reached');
    });
  }

  // ---------------------------------------------------------------- event bus

  function busRequest(address, body) {
    return new Promise(function (resolve, reject) {
      if (!state.bus || !state.busOpen) {
        reject(new ApiError(0, 'offline', 'Not connected'));
        return;
      }
      var done = false;
      var timer = setTimeout(function () {
        done = true;
        reject(new ApiError(0, 'timeout', 'No answer from ' + address));
      }, REQUEST_TIMEOUT_MS);
      try {
        state.bus.send(address, body, function (err, msg) {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (err) reject(new ApiError(err.failureCode || 0, err.message || 'failed', err.message));
          else resolve(msg.body);
        });
      } catch (e) {
        clearTimeout(timer);
        reject(new ApiError(0, 'offline', 'Not connected'));
      }
    });
  }

  function busFireAndForget(address, body) {
    busRequest(address, body).catch(function () { /* best effort: presence and typing expire */ });
  }

  /**
   * Opens the event bus with the session's token. When a bus is already open (a token refresh), the new
   * one takes over: it registers and joins first, then the old one closes, so presence never sees this
   * user leave; then the open thread catches up by seq (nothing published during the swap is lost).
   */
  function connectBus() {
    var previous = state.bus && state.busOpen ? state.bus : null;
    if (!previous) setConnection('connecting');
    var url = '/eventbus?access_token=' + encodeURIComponent(state.session.token);
    var options = {
      vertxbus_reconnect_delay_min: 500,
      vertxbus_reconnect_delay_max: 5000,
      vertxbus_ping_interval: 5000
    };
    // ?transports=xhr-streaming,xhr-polling limits SockJS to those transports (to try the fallbacks that
    // proxies without WebSockets get); by default SockJS picks the best one that works.
    var transports = new URLSearchParams(window.location.search).get('transports');
    if (transports) options.transports = transports.split(',');
    var bus = new EventBus(url, options);
    bus.enableReconnect(true);
    bus.onopen = function () {
      if (state.bus !== bus) return;
      state.busOpen = true;
      // Which SockJS transport carries the bus (websocket, xhr-streaming, ...), for diagnosis.
      document.documentElement.dataset.transport = (bus.sockJSConn && bus.sockJSConn.transport) || '';
      setConnection('online');
      if ($('error-banner').dataset.code === 'network') $('error-banner').hidden = true;
      bus.registerHandler('chat.user.' + state.session.userId, onUserEvent);
      var reconnected = state.everOpened;
      state.everOpened = true;
      if (state.current) attachThread(state.current);
      if (previous) {
        var old = previous;
        previous = null;
        // Close the old socket once the new one's join has been answered (or after a bounded wait).
        var joined = state.current ? busRequest('chat.thread.join', { threadId: state.current.id }) : Promise.resolve();
        joined.catch(function () {}).then(function () { closeQuietly(old); });
      }
      if (reconnected) {
        refreshThreads();
        if (state.current) catchUp(state.current).then(scheduleMarkRead);
        retryAllPending();
      }
    };
    bus.onclose = function () {
      if (state.bus !== bus) return;
      state.busOpen = false;
      if (state.current) state.current.handler = null;
      setConnection(state.session ? 'reconnecting' : 'offline');
      // Closed at its token's expiry (the refresh did not happen in time): reconnect with a fresh token.
      if (state.session && tokenExpiresAt(state.session.token) <= Date.now()) refreshToken();
    };
    bus.onerror = function (err) {
      if (window.console) console.warn('event bus error', err);
    };
    state.bus = bus;
    if (previous) state.busOpen = false;
    scheduleTokenRefresh();
  }

  function closeQuietly(bus) {
    try { bus.enableReconnect(false); bus.close(); } catch (e) { /* already closed */ }
  }

  // ---------------------------------------------------------------- token refresh

  /** The token's exp in ms (Infinity when it cannot be read). */
  function tokenExpiresAt(token) {
    try {
      var payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      var exp = JSON.parse(atob(payload)).exp;
      return typeof exp === 'number' ? exp * 1000 : Infinity;
    } catch (e) {
      return Infinity;
    }
  }

  var refreshTimer = null;
  /** A fresh token is fetched a third of its lifetime (at most a minute) before the current one expires. */
  function scheduleTokenRefresh() {
    clearTimeout(refreshTimer);
    if (!state.session) return;
    var exp = tokenExpiresAt(state.session.token);
    if (exp === Infinity) return;
    var lead = Math.min(60000, Math.max(1000, (exp - Date.now()) / 3));
    refreshTimer = setTimeout(refreshToken, Math.max(0, exp - lead - Date.now()));
  }

  var refreshing = false;
  /** Gets a fresh token from the page's sign-in source and moves the bus to it. */
  function refreshToken() {
    if (refreshing || !state.session) return;
    refreshing = true;
    var session = state.session;
    if (signIn.mode === 'embedded') {
      // The answer comes as a message (acceptToken); ask again if none comes.
      askParentForToken();
      refreshTimer = setTimeout(function () { refreshing = false; refreshToken(); }, 5000);
      return;
    }
    var fresh = signIn.mode === 'endpoint' ? endpointToken()
      : api('POST', '/api/dev/token', { userId: session.userId, name: session.name }).then(function (res) { return res.token; });
    fresh.then(function (token) {
      refreshing = false;
      if (state.session !== session) return;
      if (token === null) { logout('You are signed out.'); return; }
      session.token = token;
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
      connectBus();
    }).catch(function () {
      refreshing = false;
      refreshTimer = setTimeout(refreshToken, 5000);
    });
  }

  // ---------------------------------------------------------------- sign-in source (docs/embedding.md)

  // Decided once at start from GET /api/config: 'embedded' (tokens from the parent window, by postMessage,
  // only from embedOrigins), 'endpoint' (the product's same-origin token endpoint) or 'dev' (dev login).
  var signIn = { mode: 'dev', embedOrigins: [], tokenEndpoint: null };

  function tokenClaims(token) {
    try {
      return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    } catch (e) {
      return null;
    }
  }

  /** The endpoint's token, or null when it answers 401 (signed out of the product). */
  function endpointToken() {
    return fetch(signIn.tokenEndpoint, { method: 'POST', credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (res) {
        if (res.status === 401) return null;
        if (!res.ok) throw new ApiError(res.status, 'http_' + res.status, 'The sign-in service failed');
        return res.json().then(function (body) {
          if (!body || typeof body.token !== 'string') throw new ApiError(502, 'bad_token', 'The sign-in service failed');
          return body.token;
        });
      });
  }

  function askParentForToken() {
    signIn.embedOrigins.forEach(function (origin) {
      // Delivered only if the parent has this origin: a token request never reaches anyone else.
      window.parent.postMessage({ type: 'chat.token.request' }, origin);
    });
  }

  function onParentMessage(event) {
    if (event.source !== window.parent || signIn.embedOrigins.indexOf(event.origin) < 0) return;
    var data = event.data;
    if (!data || data.type !== 'chat.token' || typeof data.token !== 'string') return;
    acceptToken(data.token);
  }

  /** A token from the product: signs in as its subject, or renews the session when it is the same user. */
  function acceptToken(token) {
    var claims = tokenClaims(token);
    if (!claims || typeof claims.sub !== 'string' || !claims.sub) return;
    clearTimeout(refreshTimer);
    refreshing = false;
    if (state.session && state.session.userId === claims.sub) {
      state.session.token = token;
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state.session));
      connectBus();
      return;
    }
    if (state.session) logout();
    state.session = { token: token, userId: claims.sub,
      name: typeof claims.name === 'string' && claims.name ? claims.name : claims.sub };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state.session));
    start();
  }

  function signedOut() {
    $('login-view').hidden = false;
    $('login-form').hidden = true;
    showError(new ApiError(401, 'signed_out', 'You are signed out. Sign in to the product, then reload.'));
  }

  function chooseSignIn(config) {
    if (window.parent !== window && config.embedOrigins && config.embedOrigins.length > 0) {
      signIn = { mode: 'embedded', embedOrigins: config.embedOrigins, tokenEndpoint: null };
      $('login-form').hidden = true;
      window.addEventListener('message', onParentMessage);
      askParentForToken();
    } else if (config.tokenEndpoint) {
      signIn = { mode: 'endpoint', embedOrigins: [], tokenEndpoint: config.tokenEndpoint };
      $('login-form').hidden = true;
      endpointToken().then(function (token) {
        if (token === null) signedOut(); else acceptToken(token);
      }).catch(showError);
    } else {
      var saved = sessionStorage.getItem(STORAGE_KEY);
      if (saved) {
        try { state.session = JSON.parse(saved); } catch (e) { state.session = null; }
      }
      if (state.session && state.session.token) start();
    }
  }

  function setConnection(s) {
    var el = $('conn-status');
    el.dataset.state = s;
    el.textContent = {
      online: 'Connected', connecting: 'Connecting…', reconnecting: 'Reconnecting…', offline: 'Offline'
    }[s];
  }

  function onUserEvent(err, msg) {
    if (err || !msg || !msg.body) return;
    var ev = msg.body;
    if (ev.type === 'unread:update') {
      setUnread(ev.threadId, ev.unread);
      if (typeof ev.total === 'number') setTotal(ev.total);
      if (isOpenAndVisible(ev.threadId) && ev.unread > 0) onOpenThreadUnread(state.current);
    } else if (ev.type === 'message:new') {
      var t = state.threads.get(ev.threadId);
      if (!t) { refreshThreads(); return; }
      if (!t.lastMessage || t.lastMessage.seq < ev.message.seq) {
        t.lastMessage = ev.message;
        t.lastSeq = ev.message.seq;
        t.updatedAt = ev.message.createdAt;
        renderThreadList();
      }
      if (ev.message.authorId === state.session.userId) ownMessageCommitted(ev.message);
      if (state.current && state.current.id === ev.threadId) onThreadMessage(state.current, ev.message);
    } else if (ev.type === 'message:updated' || ev.type === 'message:deleted') {
      var lt = state.threads.get(ev.threadId);
      var lm = lt && lt.lastMessage;
      var id = ev.type === 'message:updated' ? ev.message.id : ev.messageId;
      if (lm && lm.id === id) {
        lt.lastMessage = ev.type === 'message:updated' ? ev.message : tombstone(lm);
        renderThreadList();
      }
    } else if (ev.type === 'thread:added') {
      addThread(ev.thread);
      renderThreadList();
    } else if (ev.type === 'thread:updated') {
      mergeThread(ev.thread);
    } else if (ev.type === 'thread:removed') {
      state.threads.delete(ev.threadId);
      state.unreadElsewhere.delete(ev.threadId);
      if (state.current && state.current.id === ev.threadId) {
        closeThread();
        showError({ message: 'You are no longer a member of that thread.' });
      }
      renderThreadList();
    }
  }

  /** A newer view of a known thread (renamed, muted on another device): its title, mute, members, unread. */
  function mergeThread(summary) {
    var t = state.threads.get(summary.id);
    if (!t) return;
    t.title = summary.title;
    t.muted = summary.muted;
    t.members = summary.members;
    t.memberCount = summary.memberCount;
    if (typeof summary.unread === 'number') t.unread = summary.unread;
    (summary.members || []).forEach(function (m) { if (m.name) state.names.set(m.userId, m.name); });
    if (state.current && state.current.id === summary.id) {
      $('thread-title').textContent = summary.title;
      renderManage();
    }
    renderThreadList();
  }

  function onThreadEvent(ts, err, msg) {
    if (err || !msg || !msg.body || state.current !== ts) return;
    var ev = msg.body;
    if (ev.type === 'message:new') {
      onThreadMessage(ts, ev.message);
    } else if (ev.type === 'message:updated') {
      if (ts.loaded) applyChange(ts, ev.message);
    } else if (ev.type === 'message:deleted') {
      var shown = ts.bySeq.get(ev.seq);
      if (shown && shown.id === ev.messageId && !shown.deleted) replaceMessage(ts, tombstone(shown));
    } else if (ev.type === 'presence:update') {
      ts.online = ev.onlineUserIds || [];
      renderPresence(ts);
    } else if (ev.type === 'typing:update') {
      ts.typingUserIds = ev.userIds || [];
      renderTyping(ts);
    } else if (ev.type === 'receipt:update') {
      var prev = ts.receipts.get(ev.userId) || 0;
      if (ev.lastReadSeq > prev) ts.receipts.set(ev.userId, ev.lastReadSeq);
      renderSeenBy(ts);
    } else if (ev.type === 'thread:updated') {
      var known = state.threads.get(ev.thread.id);
      if (known) { known.title = ev.thread.title; renderThreadList(); }
      $('thread-title').textContent = ev.thread.title;
    } else if (ev.type === 'member:added' || ev.type === 'member:updated' || ev.type === 'member:removed') {
      loadMembers(ts);
    }
  }

  // ---------------------------------------------------------------- threads and badges

  function addThread(summary) {
    state.threads.set(summary.id, summary);
    (summary.members || []).forEach(function (m) { if (m.name) state.names.set(m.userId, m.name); });
  }

  /** The first page of threads again (after a reconnect, or a message in a thread not listed). */
  function refreshThreads() {
    return api('GET', '/api/threads?limit=' + THREAD_PAGE).then(function (res) {
      var known = state.threads;
      state.threads = new Map();
      state.nextCursor = res.nextCursor || null;
      res.threads.forEach(function (t) {
        var old = known.get(t.id);
        if (old && old.lastMessage && (!t.lastMessage || t.lastMessage.seq < old.lastMessage.seq)) {
          t.lastMessage = old.lastMessage;
          t.lastSeq = old.lastSeq;
          t.updatedAt = old.updatedAt > t.updatedAt ? old.updatedAt : t.updatedAt;
        }
        addThread(t);
      });
      renderThreadList();
      return refreshUnread();
    }).catch(showError);
  }

  /** The next page of threads, when the list is scrolled near its end. */
  function loadMoreThreads() {
    if (!state.nextCursor || state.loadingMore) return;
    state.loadingMore = true;
    api('GET', '/api/threads?limit=' + THREAD_PAGE + '&cursor=' + encodeURIComponent(state.nextCursor)).then(function (res) {
      state.nextCursor = res.nextCursor || null;
      res.threads.forEach(function (t) {
        if (state.threads.has(t.id)) return; // a live copy is newer
        if (state.unreadElsewhere.has(t.id)) {
          t.unread = state.unreadElsewhere.get(t.id);
          state.unreadElsewhere.delete(t.id);
        }
        addThread(t);
      });
      renderThreadList();
    }).catch(showError).then(function () { state.loadingMore = false; });
  }

  function onThreadListScroll() {
    var list = $('thread-list');
    if (list.scrollTop + list.clientHeight > list.scrollHeight - 200) loadMoreThreads();
  }

  function refreshUnread() {
    return api('GET', '/api/threads/unread').then(function (res) {
      state.threads.forEach(function (t) { t.unread = 0; });
      state.unreadElsewhere = new Map();
      res.byThread.forEach(function (u) { setUnread(u.threadId, u.unread); });
      setTotal(res.total);
      if (state.current && isOpenAndVisible(state.current.id)
          && (state.threads.get(state.current.id) || {}).unread > 0) onOpenThreadUnread(state.current);
    }).catch(showError);
  }

  /**
   * A thread on a page not loaded yet keeps its count aside (the title's total comes from the server);
   * loading every page to show it would be the request loop of issue 20.
   */
  function setUnread(threadId, unread) {
    var t = state.threads.get(threadId);
    if (!t) { state.unreadElsewhere.set(threadId, unread); return; }
    t.unread = unread;
    renderThreadList();
  }

  /**
   * Sending moves the sender's read marker to their message and the server pushes no badge to the
   * author, so the newest message being mine means nothing in that thread is unread for me.
   */
  function ownMessageCommitted(m) {
    var t = state.threads.get(m.threadId);
    if (!t || !(t.unread > 0) || m.seq < (t.lastSeq || 0)) return;
    var before = t.unread;
    t.unread = 0;
    setTotal(Math.max(0, state.total - before));
    renderThreadList();
  }

  function setTotal(total) {
    state.total = total;
    document.title = total > 0 ? '(' + total + ') Chat' : 'Chat';
  }

  function displayName(userId) {
    return state.names.get(userId) || userId;
  }

  function renderThreadList() {
    var list = $('thread-list');
    var threads = Array.from(state.threads.values()).sort(function (a, b) {
      return (b.updatedAt || '').localeCompare(a.updatedAt || '');
    });
    var items = threads.map(function (t) {
      var li = document.createElement('li');
      li.className = 'thread-item' + (state.current && state.current.id === t.id ? ' active' : '')
        + (t.unread > 0 ? ' has-unread' : '') + (t.muted ? ' muted' : '');
      li.dataset.test = 'thread-item';
      li.dataset.threadId = t.id;
      li.tabIndex = 0;
      var text = document.createElement('div');
      text.className = 'thread-item-text';
      var title = document.createElement('div');
      title.className = 'thread-item-title';
      title.dataset.test = 'thread-title';
      title.textContent = t.title || '(untitled)';
      var preview = document.createElement('div');
      preview.className = 'thread-item-preview';
      preview.textContent = !t.lastMessage ? 'No messages yet'
        : displayName(t.lastMessage.authorId) + ': ' + (t.lastMessage.deleted ? 'message deleted'
          : t.lastMessage.body || 'sent an attachment');
      text.appendChild(title);
      text.appendChild(preview);
      li.appendChild(text);
      var badge = document.createElement('span');
      badge.className = 'badge';
      badge.dataset.test = 'unread-badge';
      badge.textContent = String(t.unread || 0);
      badge.hidden = !(t.unread > 0);
      li.appendChild(badge);
      li.addEventListener('click', function () { openThread(t.id); });
      li.addEventListener('keydown', function (e) { if (e.key === 'Enter') openThread(t.id); });
      return li;
    });
    list.replaceChildren.apply(list, items);
    $('no-threads').hidden = threads.length > 0;
  }

  function createThread(e) {
    e.preventDefault();
    var title = $('new-thread-title').value.trim();
    var memberIds = $('new-thread-members').value.split(/[\s,;]+/)
      .map(function (s) { return s.trim(); })
      .filter(function (s) { return s && s !== state.session.userId; });
    if (!title) return;
    api('POST', '/api/threads', { title: title, memberIds: memberIds }).then(function (summary) {
      addThread(summary);
      $('new-thread-title').value = '';
      $('new-thread-members').value = '';
      renderThreadList();
      openThread(summary.id);
    }).catch(showError);
  }

  // ---------------------------------------------------------------- one open thread

  function openThread(id) {
    if (state.current && state.current.id === id) { showThreadPane(); return; }
    closeThread();
    var ts = newThreadState(id);
    state.current = ts;
    var t = state.threads.get(id);
    $('thread-title').textContent = t ? t.title : '';
    $('message-list').replaceChildren();
    $('presence').textContent = '';
    $('history-status').textContent = 'Loading…';
    $('composer-input').value = '';
    clearUploads();
    showThreadPane();
    renderThreadList();
    renderTyping(ts);
    renderSeenBy(ts);
    if (state.busOpen) attachThread(ts);
    api('GET', '/api/threads/' + encodeURIComponent(id) + '/messages?limit=' + PAGE_SIZE).then(function (page) {
      if (state.current !== ts) return;
      page.messages.forEach(function (m) { addMessage(ts, m); });
      ts.oldestSeq = page.messages.length ? page.messages[0].seq : null;
      ts.hasMoreOlder = page.hasMore;
      ts.loaded = true;
      renderHistoryStatus(ts);
      renderPendingFor(ts);
      scrollToBottom();
      loadReceipts(ts);
      scheduleMarkRead();
      return catchUp(ts).then(function () { fillViewport(ts); });
    }).catch(showError);
  }

  /** Registers the thread's address and joins its presence (again after every reconnect). */
  function attachThread(ts) {
    ts.handler = function (err, msg) { onThreadEvent(ts, err, msg); };
    try {
      state.bus.registerHandler('chat.thread.' + ts.id, ts.handler);
    } catch (e) {
      ts.handler = null;
      return;
    }
    busRequest('chat.thread.join', { threadId: ts.id }).then(function (reply) {
      if (state.current !== ts) return;
      ts.online = reply.onlineUserIds || [];
      ts.typingUserIds = reply.typingUserIds || [];
      renderPresence(ts);
      renderTyping(ts);
    }).catch(function (err) { if (err.code !== 'offline') showError(err); });
    if (ts.loaded) loadReceipts(ts);
  }

  function closeThread() {
    var ts = state.current;
    if (!ts) return;
    stopTyping();
    if (state.busOpen && ts.handler) {
      try { state.bus.unregisterHandler('chat.thread.' + ts.id, ts.handler); } catch (e) { /* closed */ }
      busFireAndForget('chat.thread.leave', { threadId: ts.id });
    }
    state.current = null;
    state.members = null;
    $('manage-panel').hidden = true;
    $('thread-pane').hidden = true;
    $('no-thread').hidden = false;
    document.body.classList.remove('thread-open');
    renderThreadList();
  }

  function showThreadPane() {
    $('no-thread').hidden = true;
    $('thread-pane').hidden = false;
    document.body.classList.add('thread-open');
  }

  function onThreadMessage(ts, m) {
    if (m.threadId !== ts.id || ts.bySeq.has(m.seq)) return;
    if (!ts.loaded) return;
    if (m.seq > ts.lastSeq + 1) {
      catchUp(ts);
      return;
    }
    var nearBottom = isNearBottom();
    addMessage(ts, m);
    if (nearBottom || m.authorId === state.session.userId) scrollToBottom();
    if (m.authorId !== state.session.userId) scheduleMarkRead();
  }

  /**
   * Fetches every change above the highest version seen (new, edited and deleted messages, in version
   * order), page by page, until the store says there is no more.
   */
  function catchUp(ts) {
    if (ts.catchingUp) { ts.catchUpAgain = true; return Promise.resolve(); }
    ts.catchingUp = true;
    var nearBottom = isNearBottom();
    var added = 0;
    function page() {
      var path = '/api/threads/' + encodeURIComponent(ts.id) + '/messages?changedAfter=' + ts.version
        + '&limit=' + CATCH_UP_PAGE;
      return api('GET', path).then(function (res) {
        if (state.current !== ts) return;
        res.messages.forEach(function (m) { if (applyChange(ts, m)) added++; });
        if (res.hasMore && res.messages.length) return page();
      });
    }
    return page().then(function () {
      ts.catchingUp = false;
      if (added && state.current === ts) {
        if (nearBottom) scrollToBottom();
        scheduleMarkRead();
      }
      if (ts.catchUpAgain) { ts.catchUpAgain = false; return catchUp(ts); }
    }, function (err) {
      ts.catchingUp = false;
      ts.catchUpAgain = false;
      showError(err);
    });
  }

  /** Loads older pages until the list can scroll, so "scroll up for more" is always possible. */
  function fillViewport(ts) {
    var box = $('messages');
    if (state.current === ts && ts.hasMoreOlder && box.scrollHeight <= box.clientHeight) loadOlder(ts);
  }

  function loadOlder(ts) {
    if (!ts.loaded || !ts.hasMoreOlder || ts.loadingOlder || ts.oldestSeq === null) return;
    ts.loadingOlder = true;
    renderHistoryStatus(ts);
    var box = $('messages');
    var before = box.scrollHeight - box.scrollTop;
    api('GET', '/api/threads/' + encodeURIComponent(ts.id) + '/messages?beforeSeq=' + ts.oldestSeq
      + '&limit=' + PAGE_SIZE).then(function (res) {
      ts.loadingOlder = false;
      if (state.current !== ts) return;
      res.messages.forEach(function (m) { addMessage(ts, m); });
      if (res.messages.length) ts.oldestSeq = Math.min(ts.oldestSeq, res.messages[0].seq);
      ts.hasMoreOlder = res.hasMore && res.messages.length > 0;
      renderHistoryStatus(ts);
      box.scrollTop = box.scrollHeight - before;
      fillViewport(ts);
    }, function (err) {
      ts.loadingOlder = false;
      renderHistoryStatus(ts);
      showError(err);
    });
  }

  /**
   * A message as the store has it now (from catch-up or message:updated): replaces the shown one when
   * newer, is added when it is new (returns true then), and is ignored when it is older than the pages
   * loaded so far (scrolling up loads it as it is).
   */
  function applyChange(ts, m) {
    if (m.version > ts.version) ts.version = m.version;
    var shown = ts.bySeq.get(m.seq);
    if (shown) {
      if ((m.version || 0) >= (shown.version || 0) && !(shown.deleted && !m.deleted)) replaceMessage(ts, m);
      return false;
    }
    if (ts.hasMoreOlder && ts.oldestSeq !== null && m.seq < ts.oldestSeq) return false;
    return addMessage(ts, m);
  }

  /** Shows a new state of a message already in the list (an edit, a tombstone). */
  function replaceMessage(ts, m) {
    ts.bySeq.set(m.seq, m);
    var list = $('message-list');
    for (var c = list.firstElementChild; c; c = c.nextElementSibling) {
      if (c.dataset.state === 'sent' && Number(c.dataset.seq) === m.seq) {
        list.replaceChild(messageElement(m), c);
        break;
      }
    }
    var t = state.threads.get(ts.id);
    if (t && t.lastMessage && t.lastMessage.id === m.id) {
      t.lastMessage = m;
      renderThreadList();
    }
  }

  function tombstone(m) {
    return Object.assign({}, m, { body: '', attachments: [], deleted: true });
  }

  function isAdmin(threadId) {
    var t = state.threads.get(threadId);
    return !!(t && (t.members || []).some(function (x) {
      return x.userId === state.session.userId && x.role === 'admin';
    }));
  }

  /** Adds a committed message in seq order; returns false if it was already shown. */
  function addMessage(ts, m) {
    if (ts.bySeq.has(m.seq)) return false;
    if (m.version > ts.version) ts.version = m.version;
    ts.bySeq.set(m.seq, m);
    if (m.seq > ts.lastSeq) ts.lastSeq = m.seq;
    if (m.authorId === state.session.userId && m.seq > ts.markedSeq) ts.markedSeq = m.seq;
    if (ts.oldestSeq === null || m.seq < ts.oldestSeq) ts.oldestSeq = m.seq;
    if (m.clientMessageId && m.authorId === state.session.userId) settlePending(m.clientMessageId);
    var list = $('message-list');
    var el = messageElement(m);
    var next = null;
    for (var child = list.firstElementChild; child; child = child.nextElementSibling) {
      if (child.dataset.state === 'pending' || child.dataset.state === 'failed'
          || Number(child.dataset.seq) > m.seq) { next = child; break; }
    }
    list.insertBefore(el, next);
    var t = state.threads.get(ts.id);
    if (t && (!t.lastMessage || t.lastMessage.seq < m.seq)) {
      t.lastMessage = m;
      t.lastSeq = m.seq;
      renderThreadList();
    }
    if (m.authorId === state.session.userId) ownMessageCommitted(m);
    if (ts.loaded) renderHistoryStatus(ts);
    renderSeenBy(ts);
    return true;
  }

  function messageElement(m) {
    var li = document.createElement('li');
    var mine = m.authorId === state.session.userId;
    li.className = 'message' + (mine ? ' mine' : '');
    li.dataset.test = 'message';
    li.dataset.state = 'sent';
    li.dataset.seq = String(m.seq);
    li.dataset.author = m.authorId;
    if (m.clientMessageId) li.dataset.clientId = m.clientMessageId;
    var meta = document.createElement('div');
    meta.className = 'message-meta';
    var author = document.createElement('span');
    author.className = 'message-author';
    author.textContent = displayName(m.authorId);
    var time = document.createElement('time');
    time.dateTime = m.createdAt;
    time.textContent = formatTime(m.createdAt);
    meta.appendChild(author);
    meta.appendChild(time);
    if (m.editedAt && !m.deleted) {
      var edited = document.createElement('span');
      edited.className = 'message-edited';
      edited.dataset.test = 'edited';
      edited.title = m.editedAt;
      edited.textContent = '(edited)';
      meta.appendChild(edited);
    }
    var body = document.createElement('div');
    body.className = 'message-body';
    body.dataset.test = 'message-body';
    if (m.deleted) {
      li.classList.add('deleted');
      li.dataset.deleted = 'true';
      body.textContent = 'This message was deleted.';
    } else {
      body.textContent = m.body;
    }
    li.appendChild(meta);
    body.hidden = !m.deleted && !m.body;
    li.appendChild(body);
    if (!m.deleted && m.attachments && m.attachments.length) li.appendChild(attachmentsElement(m.attachments));
    if (!m.deleted && (mine || isAdmin(m.threadId))) meta.appendChild(messageActions(li, m, mine));
    return li;
  }

  // ---------------------------------------------------------------- attachments

  var INLINE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

  /** Images as thumbnails that open full size; other files as download links with name and size. */
  function attachmentsElement(attachments) {
    var box = document.createElement('div');
    box.className = 'message-attachments';
    attachments.forEach(function (a) {
      var link = document.createElement('a');
      link.href = a.url;
      link.dataset.test = 'attachment';
      if (INLINE_TYPES.indexOf(a.contentType) >= 0) {
        link.className = 'attachment-thumb';
        link.target = '_blank';
        link.rel = 'noopener';
        var img = document.createElement('img');
        img.src = a.url;
        img.alt = a.name;
        img.loading = 'lazy';
        img.dataset.test = 'attachment-image';
        link.appendChild(img);
      } else {
        link.className = 'attachment-file';
        link.download = a.name;
        link.dataset.test = 'attachment-file';
        link.textContent = a.name + ' (' + formatSize(a.size) + ')';
      }
      box.appendChild(link);
    });
    return box;
  }

  function formatSize(bytes) {
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + ' KB';
    return (bytes / 1024 / 1024).toFixed(1) + ' MB';
  }

  /** Uploads one file to the open thread with progress (XMLHttpRequest: fetch reports no upload progress). */
  function uploadFile(file) {
    var ts = state.current;
    if (!ts || !state.session) return;
    var u = { threadId: ts.id, file: file, progress: 0, attachment: null, error: null, xhr: new XMLHttpRequest() };
    state.uploads.push(u);
    var form = new FormData();
    form.append('file', file, file.name);
    u.xhr.open('POST', '/api/threads/' + encodeURIComponent(ts.id) + '/attachments');
    u.xhr.setRequestHeader('Authorization', 'Bearer ' + state.session.token);
    u.xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) { u.progress = e.loaded / e.total; renderUploads(); }
    };
    u.xhr.onload = function () {
      var json = null;
      try { json = JSON.parse(u.xhr.responseText); } catch (e) { json = null; }
      if (u.xhr.status === 201 && json && json.attachment) {
        u.attachment = json.attachment;
      } else {
        u.error = json && json.message || ('Upload failed (' + u.xhr.status + ')');
      }
      renderUploads();
    };
    u.xhr.onerror = function () { u.error = 'The server cannot be reached'; renderUploads(); };
    u.xhr.send(form);
    renderUploads();
  }

  function removeUpload(u) {
    if (!u.attachment && !u.error) u.xhr.abort();
    state.uploads = state.uploads.filter(function (x) { return x !== u; });
    renderUploads();
  }

  function clearUploads() {
    state.uploads.forEach(function (u) { if (!u.attachment && !u.error) u.xhr.abort(); });
    state.uploads = [];
    renderUploads();
  }

  function renderUploads() {
    var list = $('attach-list');
    list.replaceChildren();
    state.uploads.forEach(function (u) {
      var li = document.createElement('li');
      li.className = 'attach-item';
      li.dataset.test = 'upload';
      li.dataset.state = u.error ? 'failed' : u.attachment ? 'ready' : 'uploading';
      li.appendChild(document.createTextNode(u.file.name));
      if (!u.attachment && !u.error) {
        var bar = document.createElement('progress');
        bar.max = 1;
        bar.value = u.progress;
        li.appendChild(bar);
      } else if (u.error) {
        li.appendChild(document.createTextNode(': ' + u.error));
      }
      var x = document.createElement('button');
      x.type = 'button';
      x.className = 'link';
      x.setAttribute('aria-label', 'Remove ' + u.file.name);
      x.textContent = '×';
      x.addEventListener('click', function () { removeUpload(u); });
      li.appendChild(x);
      list.appendChild(li);
    });
    list.hidden = state.uploads.length === 0;
  }

  function initAttachments() {
    $('attach-button').addEventListener('click', function () { $('attach-input').click(); });
    $('attach-input').addEventListener('change', function () {
      Array.from($('attach-input').files).forEach(uploadFile);
      $('attach-input').value = '';
    });
    var zone = $('messages');
    zone.addEventListener('dragover', function (e) {
      if (!state.current || !e.dataTransfer || Array.from(e.dataTransfer.types).indexOf('Files') < 0) return;
      e.preventDefault();
      zone.classList.add('drop-target');
    });
    zone.addEventListener('dragleave', function () { zone.classList.remove('drop-target'); });
    zone.addEventListener('drop', function (e) {
      zone.classList.remove('drop-target');
      if (!state.current || !e.dataTransfer || !e.dataTransfer.files.length) return;
      e.preventDefault();
      Array.from(e.dataTransfer.files).forEach(uploadFile);
    });
  }

  /** Edit (the author) and delete (the author or an admin; a second click confirms). */
  function messageActions(li, m, mine) {
    var box = document.createElement('span');
    box.className = 'message-actions';
    if (mine) {
      var edit = document.createElement('button');
      edit.type = 'button';
      edit.className = 'link';
      edit.dataset.test = 'edit';
      edit.textContent = 'Edit';
      edit.addEventListener('click', function () { startEdit(li, m); });
      box.appendChild(edit);
    }
    var del = document.createElement('button');
    del.type = 'button';
    del.className = 'link';
    del.dataset.test = 'delete';
    del.textContent = 'Delete';
    del.addEventListener('click', function () {
      if (del.dataset.armed !== 'true') {
        del.dataset.armed = 'true';
        del.textContent = 'Delete?';
        setTimeout(function () { del.dataset.armed = ''; del.textContent = 'Delete'; }, 4000);
        return;
      }
      api('DELETE', '/api/threads/' + encodeURIComponent(m.threadId) + '/messages/' + encodeURIComponent(m.id))
        .then(function () {
          var ts = state.current;
          var shown = ts && ts.id === m.threadId && ts.bySeq.get(m.seq);
          if (shown && shown.id === m.id && !shown.deleted) replaceMessage(ts, tombstone(shown));
        }, showError);
    });
    box.appendChild(del);
    return box;
  }

  function startEdit(li, m) {
    var body = li.querySelector('.message-body');
    if (!body || li.querySelector('.message-edit')) return;
    var form = document.createElement('form');
    form.className = 'message-edit';
    var input = document.createElement('textarea');
    input.dataset.test = 'edit-input';
    input.maxLength = 4000;
    input.value = m.body;
    var save = document.createElement('button');
    save.type = 'submit';
    save.dataset.test = 'edit-save';
    save.textContent = 'Save';
    var cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'link';
    cancel.textContent = 'Cancel';
    form.appendChild(input);
    form.appendChild(save);
    form.appendChild(cancel);
    body.hidden = true;
    li.appendChild(form);
    input.focus();
    function close() { form.remove(); body.hidden = false; }
    cancel.addEventListener('click', close);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!input.value.trim()) return;
      api('PATCH', '/api/threads/' + encodeURIComponent(m.threadId) + '/messages/' + encodeURIComponent(m.id),
        { body: input.value }).then(function (res) {
        close();
        var ts = state.current;
        if (ts && ts.id === m.threadId) applyChange(ts, res.message);
      }, showError);
    });
  }

  function formatTime(iso) {
    var d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function renderHistoryStatus(ts) {
    var el = $('history-status');
    if (ts.loadingOlder) el.textContent = 'Loading older messages…';
    else if (ts.hasMoreOlder) el.textContent = 'Scroll up for older messages';
    else el.textContent = ts.bySeq.size ? 'Beginning of the conversation' : 'No messages yet. Say hello!';
    el.dataset.hasMore = String(ts.hasMoreOlder);
  }

  function renderPresence(ts) {
    var others = ts.online.filter(function (u) { return u !== state.session.userId; });
    var el = $('presence');
    el.dataset.online = ts.online.join(',');
    el.textContent = others.length
      ? 'Here now: ' + others.map(displayName).join(', ')
      : 'Only you are here';
  }

  function renderTyping(ts) {
    var others = ts.typingUserIds.filter(function (u) { return u !== state.session.userId; });
    var el = $('typing');
    el.dataset.userIds = others.join(',');
    el.hidden = others.length === 0;
    el.textContent = others.length === 0 ? ''
      : others.map(displayName).join(', ') + (others.length === 1 ? ' is typing…' : ' are typing…');
  }

  function loadReceipts(ts) {
    api('GET', '/api/threads/' + encodeURIComponent(ts.id) + '/receipts').then(function (res) {
      if (state.current !== ts) return;
      res.receipts.forEach(function (r) {
        if (r.lastReadSeq > (ts.receipts.get(r.userId) || 0)) ts.receipts.set(r.userId, r.lastReadSeq);
      });
      renderSeenBy(ts);
    }).catch(showError);
  }

  /** "Seen by" under the newest message: members other than me and its author whose marker reached it. */
  function renderSeenBy(ts) {
    var el = $('seen-by');
    var last = ts.bySeq.get(ts.lastSeq);
    if (!last) { el.hidden = true; el.textContent = ''; el.dataset.userIds = ''; return; }
    var seen = [];
    ts.receipts.forEach(function (seq, userId) {
      if (seq >= last.seq && userId !== state.session.userId && userId !== last.authorId) seen.push(userId);
    });
    seen.sort();
    el.dataset.userIds = seen.join(',');
    el.hidden = seen.length === 0;
    el.textContent = seen.length ? 'Seen by ' + seen.map(displayName).join(', ') : '';
  }

  function isNearBottom() {
    var box = $('messages');
    return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  }

  function scrollToBottom() {
    var box = $('messages');
    box.scrollTop = box.scrollHeight;
  }

  // ---------------------------------------------------------------- managing the open thread

  function threadPath(ts) {
    return '/api/threads/' + encodeURIComponent(ts.id);
  }

  function toggleManage() {
    var ts = state.current;
    if (!ts) return;
    var panel = $('manage-panel');
    panel.hidden = !panel.hidden;
    if (panel.hidden) { state.members = null; return; }
    state.members = { threadId: ts.id, list: [], myRole: null };
    renderManage();
    loadMembers(ts);
  }

  /** The open thread's members, every page (admins first), while the panel is shown. */
  function loadMembers(ts) {
    if (!state.members || state.members.threadId !== ts.id) return;
    var all = [];
    function page(cursor) {
      return api('GET', threadPath(ts) + '/members?limit=500' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''))
        .then(function (res) {
          all = all.concat(res.members);
          return res.nextCursor ? page(res.nextCursor) : all;
        });
    }
    page(null).then(function (list) {
      if (!state.members || state.members.threadId !== ts.id) return;
      state.members.list = list;
      var me = list.filter(function (m) { return m.userId === state.session.userId; })[0];
      state.members.myRole = me ? me.role : null;
      list.forEach(function (m) { if (m.name) state.names.set(m.userId, m.name); });
      renderManage();
    }).catch(function (err) { if (err.code !== 'offline') showError(err); });
  }

  function renderManage() {
    var ts = state.current;
    var m = state.members;
    if (!ts || !m || m.threadId !== ts.id) return;
    var t = state.threads.get(ts.id) || {};
    var admin = m.myRole === 'admin';
    $('mute-toggle').checked = !!t.muted;
    $('rename-form').hidden = !admin;
    $('add-member-form').hidden = !admin;
    if (document.activeElement !== $('rename-input')) $('rename-input').value = t.title || '';
    var items = m.list.map(function (member) {
      var li = document.createElement('li');
      li.className = 'member';
      li.dataset.test = 'member';
      li.dataset.userId = member.userId;
      li.dataset.role = member.role;
      var name = document.createElement('span');
      name.textContent = (member.name || member.userId) + (member.userId === state.session.userId ? ' (you)' : '');
      li.appendChild(name);
      var role = document.createElement('span');
      role.className = 'role';
      role.dataset.test = 'member-role';
      role.textContent = member.role;
      li.appendChild(role);
      if (admin && member.userId !== state.session.userId) {
        li.appendChild(button(member.role === 'admin' ? 'Make member' : 'Make admin', 'member-role-button', function () {
          api('PATCH', threadPath(ts) + '/members/' + encodeURIComponent(member.userId),
            { role: member.role === 'admin' ? 'member' : 'admin' }).catch(showError);
        }));
        li.appendChild(button('Remove', 'member-remove', function () {
          api('DELETE', threadPath(ts) + '/members/' + encodeURIComponent(member.userId)).catch(showError);
        }));
      }
      return li;
    });
    var list = $('member-list');
    list.replaceChildren.apply(list, items);
  }

  function button(text, test, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'link';
    b.textContent = text;
    b.dataset.test = test;
    b.addEventListener('click', onClick);
    return b;
  }

  function renameThread(e) {
    e.preventDefault();
    var ts = state.current;
    if (!ts) return;
    api('PATCH', threadPath(ts), { title: $('rename-input').value }).then(mergeThread).catch(showError);
  }

  function addMember(e) {
    e.preventDefault();
    var ts = state.current;
    var userId = $('add-member-input').value.trim();
    if (!ts || !userId) return;
    api('POST', threadPath(ts) + '/members', { userId: userId }).then(function () {
      $('add-member-input').value = '';
      loadMembers(ts);
    }).catch(showError);
  }

  function setMute(muted) {
    var ts = state.current;
    if (!ts) return;
    api('PUT', threadPath(ts) + '/mute', { muted: muted }).then(function (res) {
      var t = state.threads.get(ts.id);
      if (t) { t.muted = res.muted; renderThreadList(); }
    }).catch(showError);
  }

  function leaveThread() {
    var ts = state.current;
    if (!ts) return;
    api('DELETE', threadPath(ts) + '/members/' + encodeURIComponent(state.session.userId)).then(function () {
      state.threads.delete(ts.id);
      if (state.current === ts) closeThread();
      renderThreadList();
    }).catch(showError);
  }

  // ---------------------------------------------------------------- read markers

  function isOpenAndVisible(threadId) {
    return state.current && state.current.id === threadId && document.visibilityState === 'visible';
  }

  /**
   * The server counts unread messages in the open thread: either they are shown but not yet marked
   * read, or they were never delivered here (a missed event), so fetch them.
   */
  function onOpenThreadUnread(ts) {
    if (!ts.loaded) return;
    if (ts.markedSeq < ts.lastSeq) { scheduleMarkRead(); return; }
    var now = Date.now();
    if (now - ts.lastForcedRead < 2000) return;
    ts.lastForcedRead = now;
    catchUp(ts).then(function () { if (state.current === ts) markRead(true); });
  }

  function scheduleMarkRead() {
    if (state.readTimer) return;
    state.readTimer = setTimeout(function () {
      state.readTimer = null;
      markRead();
    }, 150);
  }

  /** Marks the open thread read up to its newest shown message (again only when forced). */
  function markRead(force) {
    var ts = state.current;
    if (!ts || !ts.loaded || document.visibilityState !== 'visible') return;
    // read means seen: not while the reader is up in the history (scrolling down marks it)
    if (!isNearBottom()) return;
    var last = ts.bySeq.get(ts.lastSeq);
    if (!last || (last.seq <= ts.markedSeq && force !== true)) return;
    var req = state.busOpen
      ? busRequest('chat.thread.read', { threadId: ts.id, lastReadMessageId: last.id })
      : api('POST', '/api/threads/' + encodeURIComponent(ts.id) + '/read', { lastReadMessageId: last.id });
    req.then(function (res) {
      ts.markedSeq = Math.max(ts.markedSeq, res && typeof res.lastReadSeq === 'number' ? res.lastReadSeq : last.seq);
      if (res && typeof res.unread === 'number') {
        var t = state.threads.get(ts.id);
        if (t && t.unread !== res.unread) {
          var before = t.unread || 0;
          t.unread = res.unread;
          setTotal(Math.max(0, state.total - before + res.unread));
          renderThreadList();
        }
      }
    }).catch(function (err) { if (err.code !== 'offline') showError(err); });
  }

  // ---------------------------------------------------------------- sending

  function newClientMessageId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.from(b, function (x) { return x.toString(16).padStart(2, '0'); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function submitMessage(e) {
    if (e) e.preventDefault();
    var ts = state.current;
    var input = $('composer-input');
    var body = input.value;
    if (!ts) return;
    if (state.uploads.some(function (u) { return !u.attachment && !u.error; })) {
      showError(new ApiError(0, 'uploading', 'Wait for the uploads to finish'));
      return;
    }
    var ready = state.uploads.filter(function (u) { return u.attachment; });
    if (!body.trim() && !ready.length) return;
    var attachmentIds = ready.map(function (u) { return u.attachment.id; });
    state.uploads = state.uploads.filter(function (u) { return !u.attachment; });
    renderUploads();
    input.value = '';
    stopTyping();
    var cid = newClientMessageId();
    var p = { cid: cid, threadId: ts.id, body: body, attachmentIds: attachmentIds, state: 'pending', attempts: 0,
      timer: null, error: null };
    state.pending.set(cid, p);
    renderPending(p);
    scrollToBottom();
    sendPending(p);
  }

  /** Sends (or re-sends) a pending message; the same clientMessageId makes every retry idempotent. */
  function sendPending(p) {
    if (p.timer) { clearTimeout(p.timer); p.timer = null; }
    p.state = 'pending';
    p.attempts++;
    renderPending(p);
    api('POST', '/api/threads/' + encodeURIComponent(p.threadId) + '/messages',
      { body: p.body, clientMessageId: p.cid, attachmentIds: p.attachmentIds }).then(function (res) {
      var m = res.message;
      settlePending(p.cid);
      if (state.current && state.current.id === m.threadId && state.current.loaded) {
        onThreadMessage(state.current, m);
      }
    }, function (err) {
      if (!state.pending.has(p.cid)) return;
      p.error = err;
      if (retryable(err) && state.session) {
        p.state = 'pending';
        var delay = Math.min(RETRY_MAX_MS, 500 * Math.pow(2, Math.min(p.attempts, 5)));
        p.timer = setTimeout(function () { sendPending(p); }, delay);
      } else {
        p.state = 'failed';
      }
      renderPending(p);
    });
  }

  function retryAllPending() {
    state.pending.forEach(function (p) { if (p.state === 'pending') sendPending(p); });
  }

  function settlePending(cid) {
    var p = state.pending.get(cid);
    if (!p) return;
    if (p.timer) clearTimeout(p.timer);
    state.pending.delete(cid);
    var el = pendingElement(cid);
    if (el) el.remove();
  }

  function pendingElement(cid) {
    var list = $('message-list');
    for (var c = list.firstElementChild; c; c = c.nextElementSibling) {
      if (c.dataset.clientId === cid && c.dataset.state !== 'sent') return c;
    }
    return null;
  }

  function renderPendingFor(ts) {
    state.pending.forEach(function (p) { if (p.threadId === ts.id) renderPending(p); });
  }

  function renderPending(p) {
    if (!state.current || state.current.id !== p.threadId) return;
    var el = pendingElement(p.cid);
    if (!el) {
      el = document.createElement('li');
      el.className = 'message mine';
      el.dataset.test = 'message';
      el.dataset.clientId = p.cid;
      el.dataset.author = state.session.userId;
      var meta = document.createElement('div');
      meta.className = 'message-meta';
      var author = document.createElement('span');
      author.className = 'message-author';
      author.textContent = state.session.name;
      meta.appendChild(author);
      var body = document.createElement('div');
      body.className = 'message-body';
      body.dataset.test = 'message-body';
      body.textContent = p.body + (p.attachmentIds.length ? ' [' + p.attachmentIds.length + ' attachment(s)]' : '');
      var status = document.createElement('div');
      status.className = 'message-status';
      status.dataset.test = 'message-status';
      el.appendChild(meta);
      el.appendChild(body);
      el.appendChild(status);
      $('message-list').appendChild(el);
    }
    el.dataset.state = p.state;
    var st = el.querySelector('.message-status');
    st.replaceChildren();
    if (p.state === 'failed') {
      st.appendChild(document.createTextNode('Not sent: ' + (p.error ? p.error.message : 'error')));
      var retry = document.createElement('button');
      retry.type = 'button';
      retry.dataset.test = 'retry';
      retry.textContent = 'Retry';
      retry.addEventListener('click', function () { sendPending(p); });
      var drop = document.createElement('button');
      drop.type = 'button';
      drop.className = 'link';
      drop.textContent = 'Discard';
      drop.addEventListener('click', function () { settlePending(p.cid); });
      st.appendChild(retry);
      st.appendChild(drop);
    } else {
      st.textContent = p.attempts > 1 ? 'Sending… (retrying)' : 'Sending…';
    }
  }

  // ---------------------------------------------------------------- typing

  function onComposerInput() {
    var ts = state.current;
    if (!ts) return;
    if (!$('composer-input').value) { stopTyping(); return; }
    var now = Date.now();
    if (now - state.typing.lastStart >= TYPING_START_EVERY_MS) {
      state.typing.lastStart = now;
      state.typing.active = true;
      busFireAndForget('chat.typing.start', { threadId: ts.id });
    }
    clearTimeout(state.typing.idleTimer);
    state.typing.idleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function stopTyping() {
    clearTimeout(state.typing.idleTimer);
    state.typing.idleTimer = null;
    if (state.typing.active && state.current) {
      busFireAndForget('chat.typing.stop', { threadId: state.current.id });
    }
    state.typing.active = false;
    state.typing.lastStart = 0;
  }

  // ---------------------------------------------------------------- session

  function login(e) {
    e.preventDefault();
    var userId = $('login-user').value.trim();
    if (!userId) return;
    var name = userId.charAt(0).toUpperCase() + userId.slice(1);
    api('POST', '/api/dev/token', { userId: userId, name: name }).then(function (res) {
      state.session = { token: res.token, userId: userId, name: name };
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state.session));
      start();
    }).catch(function (err) {
      showError(err.status === 404 ? new ApiError(404, 'dev_login_off',
        'Dev login is off on this server; sign in through your identity provider.') : err);
    });
  }

  function logout(message) {
    closeThread();
    state.pending.forEach(function (p) { if (p.timer) clearTimeout(p.timer); });
    state.pending.clear();
    if (state.bus) {
      var bus = state.bus;
      state.bus = null;
      state.busOpen = false;
      try { bus.close(); } catch (e) { /* already closed */ }
    }
    state.session = null;
    clearTimeout(refreshTimer);
    state.everOpened = false;
    state.threads.clear();
    sessionStorage.removeItem(STORAGE_KEY);
    setTotal(0);
    setConnection('offline');
    $('app-view').hidden = true;
    $('login-view').hidden = false;
    $('logout-button').hidden = true;
    $('me').textContent = '';
    if (typeof message === 'string') showError(new ApiError(401, 'unauthorized', message));
  }

  function start() {
    $('login-view').hidden = true;
    $('app-view').hidden = false;
    $('logout-button').hidden = signIn.mode !== 'dev';
    $('me').textContent = state.session.name;
    $('me').dataset.userId = state.session.userId;
    state.names.set(state.session.userId, state.session.name);
    connectBus();
    refreshThreads();
  }

  var errorTimer = null;
  function showError(err) {
    var el = $('error-banner');
    if (err && err.status === 0 && !state.busOpen && state.session) return;
    el.textContent = err && err.message ? err.message : String(err);
    el.dataset.code = err && err.code || '';
    el.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(function () { el.hidden = true; }, 6000);
  }

  function init() {
    $('login-form').addEventListener('submit', login);
    $('logout-button').addEventListener('click', function () { logout(); });
    $('new-thread-form').addEventListener('submit', createThread);
    $('composer').addEventListener('submit', submitMessage);
    initAttachments();
    $('back-button').addEventListener('click', closeThread);
    var input = $('composer-input');
    input.addEventListener('input', onComposerInput);
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submitMessage(e);
    });
    $('history-status').addEventListener('click', function () {
      if (state.current) loadOlder(state.current);
    });
    $('messages').addEventListener('scroll', function () {
      if (state.current && $('messages').scrollTop < 60) loadOlder(state.current);
      if (state.current && isNearBottom()) scheduleMarkRead();
    });
    $('thread-list').addEventListener('scroll', onThreadListScroll);
    $('manage-button').addEventListener('click', toggleManage);
    $('rename-form').addEventListener('submit', renameThread);
    $('add-member-form').addEventListener('submit', addMember);
    $('mute-toggle').addEventListener('change', function () { setMute($('mute-toggle').checked); });
    $('leave-button').addEventListener('click', leaveThread);
    document.addEventListener('visibilitychange', function () {
      if (state.current && document.visibilityState === 'visible') scheduleMarkRead();
    });
    window.addEventListener('pagehide', function () {
      if (state.current && state.busOpen) busFireAndForget('chat.thread.leave', { threadId: state.current.id });
    });
    loadConfig();
  }

  function loadConfig() {
    api('GET', '/api/config').then(chooseSignIn, function (err) {
      showError(err);
      setTimeout(loadConfig, 3000);
    });
  }

  init();
})();
