/*
 * The chat web page: a UI over @chat/client (lib/chat-client/, the library product UIs use too), which
 * owns the bridge connection and its token, open threads with their catch-up, the outbox, typing,
 * presence and badges. This file renders, and signs in (docs/client-library.md, "The page's sign-in").
 * Message bodies and every other server string are rendered as text, never as HTML.
 */
import { createChatClient, ChatError, decodeClaims, splitMentions, notificationFor } from './lib/chat-client/index.js';

const STORAGE_KEY = 'chat.session';
const PAGE_SIZE = 50;
const THREAD_PAGE = 100;
const TOKEN_WAIT_MS = 10000;
const NO_CONFIG = { devLogin: true, tokenEndpoint: null, embedOrigins: [] };

const $ = (id) => document.getElementById(id);

const state = {
  mode: null,             // 'embedded' | 'endpoint' | 'dev'
  session: null,          // {token, userId, name}
  client: null,
  shown: false,
  threads: new Map(),     // id -> summary (with live unread)
  nextCursor: null,       // the thread list's next page, null when every page is loaded
  loadingMore: false,
  unreadElsewhere: new Map(), // threadId -> unread, for threads on pages not loaded yet
  members: null,          // the open thread's member list while its panel is shown: {threadId, list, myRole}
  names: new Map(),       // userId -> display name
  total: 0,
  current: null,          // the open thread: {id, view, markedSeq, lastForcedRead, receipts}
  uploads: [],            // the open thread's attachments being uploaded or ready to send, see uploadFile()
  readTimer: null
};

/** An HTTP call through the client (token, one retry after a 401); a dev session that is refused ends. */
function api(method, path, body) {
  if (!state.client) return Promise.reject(new ChatError(0, 'offline', 'Not signed in'));
  return state.client.api(method, path, body).catch((err) => {
    if (err.status === 401 && state.mode === 'dev') logout('Your session expired, please log in again.');
    throw err;
  });
}

// ---------------------------------------------------------------- sign-in (EMBED-PROTOCOL)

/** The server's sign-in settings; a server without /api/config behaves as dev login only. */
async function loadConfig() {
  try {
    const res = await fetch('/api/config', { headers: { Accept: 'application/json' } });
    if (!res.ok) return NO_CONFIG;
    const c = await res.json();
    return {
      devLogin: c.devLogin === true,
      tokenEndpoint: typeof c.tokenEndpoint === 'string' && c.tokenEndpoint ? c.tokenEndpoint : null,
      embedOrigins: Array.isArray(c.embedOrigins) ? c.embedOrigins.filter((o) => typeof o === 'string') : []
    };
  } catch {
    return NO_CONFIG;
  }
}

/**
 * Tokens from the parent window: asked for with chat.token.request (to each allowed origin; the browser
 * delivers it only to the matching one); an answer or an unasked push counts only from window.parent, an
 * allowed origin, with the expected shape. Anything else is ignored silently.
 */
function parentTokens(origins) {
  let unused = null;
  let waiters = [];
  window.addEventListener('message', (e) => {
    const d = e.data;
    if (e.source !== window.parent || !origins.includes(e.origin) || !d || d.type !== 'chat.token'
        || typeof d.token !== 'string') return;
    if (waiters.length) {
      const w = waiters;
      waiters = [];
      w.forEach((resolve) => resolve(d.token));
    } else {
      unused = d.token;
      if (state.client && state.client.token !== d.token) state.client.refreshToken().catch(() => {});
    }
  });
  return () => {
    if (unused) { const t = unused; unused = null; return Promise.resolve(t); }
    return new Promise((resolve, reject) => {
      waiters.push(resolve);
      for (const origin of origins) window.parent.postMessage({ type: 'chat.token.request' }, origin);
      setTimeout(() => reject(new ChatError(0, 'no_token', 'The host page sent no token')), TOKEN_WAIT_MS);
    });
  };
}

/** Tokens from the product's same-origin endpoint, which answers from its session cookie; 401 is signed out. */
function endpointTokens(path) {
  return async () => {
    let res;
    try {
      res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
    } catch {
      throw new ChatError(0, 'network', 'The server cannot be reached');
    }
    if (res.status === 401) throw new ChatError(401, 'unauthorized', 'You are signed out.');
    if (!res.ok) throw new ChatError(res.status, 'token_endpoint', 'No token from ' + path);
    const json = await res.json();
    if (!json || typeof json.token !== 'string') throw new ChatError(0, 'token_endpoint', 'No token from ' + path);
    return json.token;
  };
}

function devToken(userId, name) {
  return fetch('/api/dev/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ userId, name })
  }).then((res) => res.json().catch(() => null).then((json) => {
    if (!res.ok) throw new ChatError(res.status, json?.error || 'http_' + res.status, json?.message || res.statusText);
    return json.token;
  }), () => { throw new ChatError(0, 'network', 'The server cannot be reached'); });
}

/** Dev login's tokens: the one in hand while it is fresh, then a new one for the same user. */
function devTokens(session) {
  let first = session.token;
  return () => {
    const claims = first && decodeClaims(first);
    if (claims && (!claims.exp || claims.exp * 1000 > Date.now() + 5000)) {
      const t = first;
      first = null;
      return Promise.resolve(t);
    }
    first = null;
    return devToken(session.userId, session.name);
  };
}

function login(e) {
  e.preventDefault();
  const userId = $('login-user').value.trim();
  if (!userId) return;
  askNotificationPermission();
  const name = userId.charAt(0).toUpperCase() + userId.slice(1);
  devToken(userId, name).then((token) => {
    const session = { token, userId, name };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    start(devTokens(session));
  }).catch((err) => {
    showError(err.status === 404 ? new ChatError(404, 'dev_login_off',
      'Dev login is off on this server; sign in through your identity provider.') : err);
  });
}

function showSignedOut(text) {
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  $('login-form').hidden = true;
  $('signed-out').hidden = false;
  $('signed-out').textContent = text;
}

// ---------------------------------------------------------------- the client

function start(tokenSource) {
  const client = createChatClient({ token: tokenSource, transports: transportsParam() });
  state.client = client;
  client.onState((s) => {
    if (state.client !== client) return;
    if (s === 'signed-out') { signedOut(); return; }
    setConnection(s);
    if (s === 'online') {
      // Which SockJS transport carries the bus (websocket, xhr-streaming, ...), for diagnosis.
      document.documentElement.dataset.transport = client.live?.sockJSConn?.transport || '';
      if ($('error-banner').dataset.code === 'network') $('error-banner').hidden = true;
    }
  });
  client.onToken((token) => {
    const claims = decodeClaims(token);
    state.session = { token, userId: claims.sub, name: claims.name || claims.sub };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state.session));
    if (!state.shown) showApp();
  });
  client.onReconnect(() => {
    refreshThreads();
    if (state.current) loadReceipts(state.current);
  });
  client.onBadge((b) => {
    setUnread(b.threadId, b.unread);
    if (typeof b.total === 'number') setTotal(b.total);
    if (isOpenAndVisible(b.threadId) && b.unread > 0) onOpenThreadUnread(state.current);
  });
  client.on(onUserEvent);
  client.onError((err) => { if (window.console) console.warn('chat client', err); });
  client.connect().then(() => {
    client.outbox.onChange(() => { if (state.current) renderPendingFor(state.current); });
  }, (err) => {
    if (state.client === client && err.status !== 401) showError(err);
  });
}

function transportsParam() {
  // ?transports=xhr-streaming,xhr-polling limits SockJS to those transports (to try the fallbacks that
  // proxies without WebSockets get); by default SockJS picks the best one that works.
  const t = new URLSearchParams(window.location.search).get('transports');
  return t ? t.split(',') : undefined;
}

function showApp() {
  state.shown = true;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('logout-button').hidden = state.mode !== 'dev';
  $('me').textContent = state.session.name;
  $('me').dataset.userId = state.session.userId;
  state.names.set(state.session.userId, state.session.name);
  refreshThreads();
}

function signedOut() {
  stopClient();
  showSignedOut('You are signed out. Sign in to the product and reload this page.');
}

function stopClient() {
  closeThread();
  if (state.client) {
    const c = state.client;
    state.client = null;
    c.close();
  }
  state.session = null;
  state.shown = false;
  state.threads.clear();
  sessionStorage.removeItem(STORAGE_KEY);
  setTotal(0);
  setConnection('offline');
  $('me').textContent = '';
}

function logout(message) {
  stopClient();
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  $('logout-button').hidden = true;
  if (typeof message === 'string') showError(new ChatError(401, 'unauthorized', message));
}

function setConnection(s) {
  const el = $('conn-status');
  el.dataset.state = s;
  el.textContent = { online: 'Connected', connecting: 'Connecting…', reconnecting: 'Reconnecting…', offline: 'Offline' }[s] || s;
}

// ---------------------------------------------------------------- the user's events

function onUserEvent(ev) {
  if (ev.type === 'message:new') {
    const t = state.threads.get(ev.threadId);
    if (!t) { refreshThreads(); } else if (!t.lastMessage || t.lastMessage.seq < ev.message.seq) {
      t.lastMessage = ev.message;
      t.lastSeq = ev.message.seq;
      t.updatedAt = ev.message.createdAt;
      renderThreadList();
    }
    if (ev.message.authorId === state.session.userId) ownMessageCommitted(ev.message);
    if (state.current && state.current.id === ev.threadId) state.current.view.receive(ev.message);
    notify(ev.message);
  } else if (ev.type === 'message:updated' || ev.type === 'message:deleted') {
    const lt = state.threads.get(ev.threadId);
    const lm = lt && lt.lastMessage;
    const id = ev.type === 'message:updated' ? ev.message.id : ev.messageId;
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

// ---------------------------------------------------------------- desktop notifications

/** Only a top-level page asks: inside a product's iframe the product decides about notifications. */
function askNotificationPermission() {
  if (window.top !== window || typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  try { Notification.requestPermission().catch(() => {}); } catch { /* older browsers: callback form only */ }
}

/** A message in a thread not on screen (see notificationFor: muted threads only when it mentions me). */
function notify(m) {
  if (window.top !== window || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const n = notificationFor(m, {
    userId: state.session.userId,
    thread: state.threads.get(m.threadId),
    onScreen: isOpenAndVisible(m.threadId) && document.hasFocus(),
    authorName: displayName(m.authorId)
  });
  if (!n) return;
  try {
    const shown = new Notification(n.title, { body: n.body, tag: n.tag });
    shown.onclick = () => { window.focus(); openThread(m.threadId); shown.close(); };
  } catch (e) {
    if (window.console) console.warn('notification', e);
  }
}

/** A newer view of a known thread (renamed, muted on another device): its title, mute, members, unread. */
function mergeThread(summary) {
  const t = state.threads.get(summary.id);
  if (!t) return;
  t.title = summary.title;
  t.muted = summary.muted;
  t.members = summary.members;
  t.memberCount = summary.memberCount;
  if (typeof summary.unread === 'number') t.unread = summary.unread;
  (summary.members || []).forEach((m) => { if (m.name) state.names.set(m.userId, m.name); });
  if (state.current && state.current.id === summary.id) {
    $('thread-title').textContent = summary.title;
    renderManage();
  }
  renderThreadList();
}

// ---------------------------------------------------------------- threads and badges

function addThread(summary) {
  state.threads.set(summary.id, summary);
  (summary.members || []).forEach((m) => { if (m.name) state.names.set(m.userId, m.name); });
}

/** The first page of threads again (after a reconnect, or a message in a thread not listed). */
function refreshThreads() {
  return api('GET', '/api/threads?limit=' + THREAD_PAGE).then((res) => {
    const known = state.threads;
    state.threads = new Map();
    state.nextCursor = res.nextCursor || null;
    res.threads.forEach((t) => {
      const old = known.get(t.id);
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
  api('GET', '/api/threads?limit=' + THREAD_PAGE + '&cursor=' + encodeURIComponent(state.nextCursor)).then((res) => {
    state.nextCursor = res.nextCursor || null;
    res.threads.forEach((t) => {
      if (state.threads.has(t.id)) return; // a live copy is newer
      if (state.unreadElsewhere.has(t.id)) {
        t.unread = state.unreadElsewhere.get(t.id);
        state.unreadElsewhere.delete(t.id);
      }
      addThread(t);
    });
    renderThreadList();
  }).catch(showError).then(() => { state.loadingMore = false; });
}

function onThreadListScroll() {
  const list = $('thread-list');
  if (list.scrollTop + list.clientHeight > list.scrollHeight - 200) loadMoreThreads();
}

function refreshUnread() {
  if (!state.client) return Promise.resolve();
  return state.client.loadUnread().then((res) => {
    state.threads.forEach((t) => { t.unread = 0; });
    state.unreadElsewhere = new Map();
    res.byThread.forEach((u) => setUnread(u.threadId, u.unread));
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
  const t = state.threads.get(threadId);
  if (!t) { state.unreadElsewhere.set(threadId, unread); return; }
  t.unread = unread;
  renderThreadList();
}

/**
 * Sending moves the sender's read marker to their message and the server pushes no badge to the
 * author, so the newest message being mine means nothing in that thread is unread for me.
 */
function ownMessageCommitted(m) {
  const t = state.threads.get(m.threadId);
  if (!t || !(t.unread > 0) || m.seq < (t.lastSeq || 0)) return;
  const before = t.unread;
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
  const list = $('thread-list');
  const threads = Array.from(state.threads.values()).sort((a, b) => (b.updatedAt || '').localeCompare(a.updatedAt || ''));
  const items = threads.map((t) => {
    const li = document.createElement('li');
    li.className = 'thread-item' + (state.current && state.current.id === t.id ? ' active' : '')
      + (t.unread > 0 ? ' has-unread' : '') + (t.muted ? ' muted' : '');
    li.dataset.test = 'thread-item';
    li.dataset.threadId = t.id;
    li.tabIndex = 0;
    const text = document.createElement('div');
    text.className = 'thread-item-text';
    const title = document.createElement('div');
    title.className = 'thread-item-title';
    title.dataset.test = 'thread-title';
    title.textContent = t.title || '(untitled)';
    const preview = document.createElement('div');
    preview.className = 'thread-item-preview';
    preview.textContent = !t.lastMessage ? 'No messages yet'
      : displayName(t.lastMessage.authorId) + ': ' + (t.lastMessage.deleted ? 'message deleted'
        : t.lastMessage.body || 'sent an attachment');
    text.appendChild(title);
    text.appendChild(preview);
    li.appendChild(text);
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.dataset.test = 'unread-badge';
    badge.textContent = String(t.unread || 0);
    badge.hidden = !(t.unread > 0);
    li.appendChild(badge);
    li.addEventListener('click', () => openThread(t.id));
    li.addEventListener('keydown', (e) => { if (e.key === 'Enter') openThread(t.id); });
    return li;
  });
  list.replaceChildren(...items);
  $('no-threads').hidden = threads.length > 0;
}

function createThread(e) {
  e.preventDefault();
  const title = $('new-thread-title').value.trim();
  const memberIds = $('new-thread-members').value.split(/[\s,;]+/)
    .map((s) => s.trim()).filter((s) => s && s !== state.session.userId);
  if (!title) return;
  api('POST', '/api/threads', { title, memberIds }).then((summary) => {
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
  if (!state.client) return;
  closeThread();
  const view = state.client.openThread(id, { pageSize: PAGE_SIZE });
  const ts = { id, view, markedSeq: 0, lastForcedRead: 0, receipts: new Map() };
  state.current = ts;
  const t = state.threads.get(id);
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
  view.onMessage((m) => onViewMessage(ts, m));
  view.onChange((m) => replaceMessage(ts, m));
  view.onPresence(() => renderPresence(ts));
  view.onTyping(() => renderTyping(ts));
  view.onReceipt((ev) => {
    if (ev.lastReadSeq > (ts.receipts.get(ev.userId) || 0)) ts.receipts.set(ev.userId, ev.lastReadSeq);
    renderSeenBy(ts);
  });
  view.onThreadUpdated((thread) => {
    const known = state.threads.get(thread.id);
    if (known) { known.title = thread.title; renderThreadList(); }
    $('thread-title').textContent = thread.title;
  });
  view.onMember(() => loadMembers(ts));
  view.onCaughtUp((added) => {
    if (state.current !== ts) return;
    if (added) scrollToBottom();
    scheduleMarkRead();
  });
  view.loadLatest().then(() => {
    if (state.current !== ts) return;
    renderHistoryStatus(ts);
    renderPendingFor(ts);
    scrollToBottom();
    loadReceipts(ts);
    scheduleMarkRead();
    fillViewport(ts);
  }).catch(showError);
}

function closeThread() {
  const ts = state.current;
  if (!ts) return;
  ts.view.close();
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

/** A message new to the open thread's view: a live one scrolls into view and is marked read. */
function onViewMessage(ts, m) {
  if (state.current !== ts) return;
  const nearBottom = isNearBottom();
  addMessage(ts, m);
  if (!ts.view.loaded || ts.view.loadingOlder) return;
  if (nearBottom || m.authorId === state.session.userId) scrollToBottom();
  if (m.authorId !== state.session.userId) scheduleMarkRead();
}

/** Loads older pages until the list can scroll, so "scroll up for more" is always possible. */
function fillViewport(ts) {
  const box = $('messages');
  if (state.current === ts && ts.view.hasMoreOlder && box.scrollHeight <= box.clientHeight) loadOlder(ts);
}

function loadOlder(ts) {
  const view = ts.view;
  if (!view.loaded || !view.hasMoreOlder || view.loadingOlder || view.oldestSeq === null) return;
  const box = $('messages');
  const before = box.scrollHeight - box.scrollTop;
  const loading = view.loadOlder();
  renderHistoryStatus(ts);
  loading.then(() => {
    if (state.current !== ts) return;
    renderHistoryStatus(ts);
    box.scrollTop = box.scrollHeight - before;
    fillViewport(ts);
  }, (err) => {
    renderHistoryStatus(ts);
    showError(err);
  });
}

/** Shows a new state of a message already in the list (an edit, a tombstone). */
function replaceMessage(ts, m) {
  if (state.current !== ts) return;
  const list = $('message-list');
  for (let c = list.firstElementChild; c; c = c.nextElementSibling) {
    if (c.dataset.state === 'sent' && Number(c.dataset.seq) === m.seq) {
      list.replaceChild(messageElement(m), c);
      break;
    }
  }
  const t = state.threads.get(ts.id);
  if (t && t.lastMessage && t.lastMessage.id === m.id) {
    t.lastMessage = m;
    renderThreadList();
  }
}

function tombstone(m) {
  return Object.assign({}, m, { body: '', attachments: [], deleted: true });
}

function isAdmin(threadId) {
  const t = state.threads.get(threadId);
  return !!(t && (t.members || []).some((x) => x.userId === state.session.userId && x.role === 'admin'));
}

/** Shows a committed message in seq order (before the pending ones). */
function addMessage(ts, m) {
  if (m.authorId === state.session.userId && m.seq > ts.markedSeq) ts.markedSeq = m.seq;
  if (m.clientMessageId) {
    const pending = pendingElement(m.clientMessageId);
    if (pending) pending.remove();
  }
  const list = $('message-list');
  const el = messageElement(m);
  let next = null;
  for (let child = list.firstElementChild; child; child = child.nextElementSibling) {
    if (child.dataset.state === 'pending' || child.dataset.state === 'failed'
        || Number(child.dataset.seq) > m.seq) { next = child; break; }
  }
  list.insertBefore(el, next);
  const t = state.threads.get(ts.id);
  if (t && (!t.lastMessage || t.lastMessage.seq < m.seq)) {
    t.lastMessage = m;
    t.lastSeq = m.seq;
    renderThreadList();
  }
  if (m.authorId === state.session.userId) ownMessageCommitted(m);
  if (ts.view.loaded) renderHistoryStatus(ts);
  renderSeenBy(ts);
}

/** The body as text nodes, with each @userId mention in its own element (text only, never HTML). */
function renderBody(el, text) {
  for (const seg of splitMentions(text)) {
    if (!seg.mention) { el.appendChild(document.createTextNode(seg.text)); continue; }
    const span = document.createElement('span');
    span.className = 'mention' + (seg.mention === state.session.userId ? ' mention-me' : '');
    span.dataset.test = 'mention';
    span.dataset.userId = seg.mention;
    span.title = displayName(seg.mention);
    span.textContent = seg.text;
    el.appendChild(span);
  }
}

function messageElement(m) {
  const li = document.createElement('li');
  const mine = m.authorId === state.session.userId;
  li.className = 'message' + (mine ? ' mine' : '');
  li.dataset.test = 'message';
  li.dataset.state = 'sent';
  li.dataset.seq = String(m.seq);
  li.dataset.author = m.authorId;
  if (m.clientMessageId) li.dataset.clientId = m.clientMessageId;
  const meta = document.createElement('div');
  meta.className = 'message-meta';
  const author = document.createElement('span');
  author.className = 'message-author';
  author.textContent = displayName(m.authorId);
  const time = document.createElement('time');
  time.dateTime = m.createdAt;
  time.textContent = formatTime(m.createdAt);
  meta.appendChild(author);
  meta.appendChild(time);
  if (m.editedAt && !m.deleted) {
    const edited = document.createElement('span');
    edited.className = 'message-edited';
    edited.dataset.test = 'edited';
    edited.title = m.editedAt;
    edited.textContent = '(edited)';
    meta.appendChild(edited);
  }
  const body = document.createElement('div');
  body.className = 'message-body';
  body.dataset.test = 'message-body';
  if (m.deleted) {
    li.classList.add('deleted');
    li.dataset.deleted = 'true';
    body.textContent = 'This message was deleted.';
  } else {
    renderBody(body, m.body);
    if (splitMentions(m.body).some((s) => s.mention === state.session.userId)) li.classList.add('mentions-me');
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
  u.xhr.setRequestHeader('Authorization', 'Bearer ' + state.client.token);
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
        var shown = ts && ts.id === m.threadId && ts.view.bySeq.get(m.seq);
        if (shown && shown.id === m.id && !shown.deleted) ts.view.apply(tombstone(shown));
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
      if (ts && ts.id === m.threadId) ts.view.apply(res.message);
    }, showError);
  });
}

// ---------------------------------------------------------------- read markers

function isOpenAndVisible(threadId) {
  return !!state.current && state.current.id === threadId && document.visibilityState === 'visible';
}

/**
 * The server counts unread messages in the open thread: either they are shown but not yet marked
 * read, or they were never delivered here (a missed event), so fetch them.
 */
function onOpenThreadUnread(ts) {
  if (!ts.view.loaded) return;
  if (ts.markedSeq < ts.view.lastSeq) { scheduleMarkRead(); return; }
  const now = Date.now();
  if (now - ts.lastForcedRead < 2000) return;
  ts.lastForcedRead = now;
  ts.view.catchUp().then(() => { if (state.current === ts) markRead(true); }, showError);
}

function scheduleMarkRead() {
  if (state.readTimer) return;
  state.readTimer = setTimeout(() => {
    state.readTimer = null;
    markRead();
  }, 150);
}

/** Marks the open thread read up to its newest shown message (again only when forced). */
function markRead(force) {
  const ts = state.current;
  if (!ts || !ts.view.loaded || document.visibilityState !== 'visible') return;
  // read means seen: not while the reader is up in the history (scrolling down marks it)
  if (!isNearBottom()) return;
  const last = ts.view.last;
  if (!last || (last.seq <= ts.markedSeq && force !== true)) return;
  ts.view.markRead(last.id).then((res) => {
    ts.markedSeq = Math.max(ts.markedSeq, res && typeof res.lastReadSeq === 'number' ? res.lastReadSeq : last.seq);
    if (res && typeof res.unread === 'number') {
      const t = state.threads.get(ts.id);
      if (t && t.unread !== res.unread) {
        const before = t.unread || 0;
        t.unread = res.unread;
        setTotal(Math.max(0, state.total - before + res.unread));
        renderThreadList();
      }
    }
  }).catch((err) => { if (err.code !== 'offline') showError(err); });
}

// ---------------------------------------------------------------- sending (through the outbox)

function submitMessage(e) {
  if (e) e.preventDefault();
  const ts = state.current;
  const input = $('composer-input');
  const body = input.value;
  if (!ts) return;
  if (state.uploads.some((u) => !u.attachment && !u.error)) {
    showError(new ChatError(0, 'uploading', 'Wait for the uploads to finish'));
    return;
  }
  const ready = state.uploads.filter((u) => u.attachment);
  if (!body.trim() && !ready.length) return;
  const attachmentIds = ready.map((u) => u.attachment.id);
  state.uploads = state.uploads.filter((u) => !u.attachment);
  renderUploads();
  input.value = '';
  ts.view.stopTyping();
  state.client.send(ts.id, body, attachmentIds);
  renderPendingFor(ts);
  scrollToBottom();
}

function pendingElement(cid) {
  const list = $('message-list');
  for (let c = list.firstElementChild; c; c = c.nextElementSibling) {
    if (c.dataset.clientId === cid && c.dataset.state !== 'sent') return c;
  }
  return null;
}

/** The outbox's entries of the open thread, after its messages; entries that left the outbox go. */
function renderPendingFor(ts) {
  if (state.current !== ts || !state.client || !state.client.outbox) return;
  const entries = state.client.outbox.list(ts.id);
  const ids = new Set(entries.map((p) => p.clientMessageId));
  const list = $('message-list');
  for (const el of Array.from(list.children)) {
    if (el.dataset.state !== 'sent' && !ids.has(el.dataset.clientId)) el.remove();
  }
  const shownCids = new Set(Array.from(list.children).filter((el) => el.dataset.state === 'sent').map((el) => el.dataset.clientId));
  entries.forEach((p) => { if (!shownCids.has(p.clientMessageId)) renderPending(p); });
}

function renderPending(p) {
  let el = pendingElement(p.clientMessageId);
  if (!el) {
    el = document.createElement('li');
    el.className = 'message mine';
    el.dataset.test = 'message';
    el.dataset.clientId = p.clientMessageId;
    el.dataset.author = state.session.userId;
    const meta = document.createElement('div');
    meta.className = 'message-meta';
    const author = document.createElement('span');
    author.className = 'message-author';
    author.textContent = state.session.name;
    meta.appendChild(author);
    const body = document.createElement('div');
    body.className = 'message-body';
    body.dataset.test = 'message-body';
    body.textContent = p.body + (p.attachmentIds.length ? ' [' + p.attachmentIds.length + ' attachment(s)]' : '');
    const status = document.createElement('div');
    status.className = 'message-status';
    status.dataset.test = 'message-status';
    el.appendChild(meta);
    el.appendChild(body);
    el.appendChild(status);
    $('message-list').appendChild(el);
  }
  el.dataset.state = p.state;
  const st = el.querySelector('.message-status');
  st.replaceChildren();
  if (p.state === 'failed') {
    st.appendChild(document.createTextNode('Not sent: ' + (p.error ? p.error.message : 'error')));
    const retry = document.createElement('button');
    retry.type = 'button';
    retry.dataset.test = 'retry';
    retry.textContent = 'Retry';
    retry.addEventListener('click', () => state.client.outbox.retry(p.clientMessageId));
    const drop = document.createElement('button');
    drop.type = 'button';
    drop.className = 'link';
    drop.textContent = 'Discard';
    drop.addEventListener('click', () => state.client.outbox.discard(p.clientMessageId));
    st.appendChild(retry);
    st.appendChild(drop);
  } else {
    st.textContent = p.attempts > 1 ? 'Sending… (retrying)' : 'Sending…';
  }
}

// ---------------------------------------------------------------- typing

function onComposerInput() {
  const ts = state.current;
  if (!ts) return;
  if (!$('composer-input').value) ts.view.stopTyping();
  else ts.view.typing();
}

// ---------------------------------------------------------------- rendering the open thread

function formatTime(iso) {
  const d = new Date(iso);
  return isNaN(d) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function renderHistoryStatus(ts) {
  const el = $('history-status');
  const view = ts.view;
  if (view.loadingOlder) el.textContent = 'Loading older messages…';
  else if (view.hasMoreOlder) el.textContent = 'Scroll up for older messages';
  else el.textContent = view.bySeq.size ? 'Beginning of the conversation' : 'No messages yet. Say hello!';
  el.dataset.hasMore = String(view.hasMoreOlder);
}

function renderPresence(ts) {
  const online = ts.view.online;
  const others = online.filter((u) => u !== state.session.userId);
  const el = $('presence');
  el.dataset.online = online.join(',');
  el.textContent = others.length ? 'Here now: ' + others.map(displayName).join(', ') : 'Only you are here';
}

function renderTyping(ts) {
  const others = ts.view.typingUserIds.filter((u) => u !== state.session.userId);
  const el = $('typing');
  el.dataset.userIds = others.join(',');
  el.hidden = others.length === 0;
  el.textContent = others.length === 0 ? ''
    : others.map(displayName).join(', ') + (others.length === 1 ? ' is typing…' : ' are typing…');
}

function loadReceipts(ts) {
  ts.view.receipts().then((res) => {
    if (state.current !== ts) return;
    res.receipts.forEach((r) => {
      if (r.lastReadSeq > (ts.receipts.get(r.userId) || 0)) ts.receipts.set(r.userId, r.lastReadSeq);
    });
    renderSeenBy(ts);
  }).catch(showError);
}

/** "Seen by" under the newest message: members other than me and its author whose marker reached it. */
function renderSeenBy(ts) {
  const el = $('seen-by');
  const last = ts.view.last;
  if (!last) { el.hidden = true; el.textContent = ''; el.dataset.userIds = ''; return; }
  const seen = [];
  ts.receipts.forEach((seq, userId) => {
    if (seq >= last.seq && userId !== state.session.userId && userId !== last.authorId) seen.push(userId);
  });
  seen.sort();
  el.dataset.userIds = seen.join(',');
  el.hidden = seen.length === 0;
  el.textContent = seen.length ? 'Seen by ' + seen.map(displayName).join(', ') : '';
}

function isNearBottom() {
  const box = $('messages');
  return box.scrollHeight - box.scrollTop - box.clientHeight < 80;
}

function scrollToBottom() {
  const box = $('messages');
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

// ---------------------------------------------------------------- start

let errorTimer = null;
function showError(err) {
  const el = $('error-banner');
  if (err && err.status === 0 && state.client && !state.client.connected) return;
  el.textContent = err && err.message ? err.message : String(err);
  el.dataset.code = (err && err.code) || '';
  el.hidden = false;
  clearTimeout(errorTimer);
  errorTimer = setTimeout(() => { el.hidden = true; }, 6000);
}

/** Decides once, from /api/config, where tokens come from (EMBED-PROTOCOL.md), and starts. */
async function init() {
  $('login-form').addEventListener('submit', login);
  $('logout-button').addEventListener('click', () => logout());
  $('new-thread-form').addEventListener('submit', createThread);
  $('composer').addEventListener('submit', submitMessage);
  initAttachments();
  $('back-button').addEventListener('click', closeThread);
  const input = $('composer-input');
  input.addEventListener('input', onComposerInput);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submitMessage(e);
  });
  $('history-status').addEventListener('click', () => { if (state.current) loadOlder(state.current); });
  $('messages').addEventListener('scroll', () => {
    if (state.current && $('messages').scrollTop < 60) loadOlder(state.current);
    if (state.current && isNearBottom()) scheduleMarkRead();
  });
  $('thread-list').addEventListener('scroll', onThreadListScroll);
  $('manage-button').addEventListener('click', toggleManage);
  $('rename-form').addEventListener('submit', renameThread);
  $('add-member-form').addEventListener('submit', addMember);
  $('mute-toggle').addEventListener('change', () => setMute($('mute-toggle').checked));
  $('leave-button').addEventListener('click', leaveThread);
  document.addEventListener('visibilitychange', () => {
    if (state.current && document.visibilityState === 'visible') scheduleMarkRead();
  });
  // Browsers grant notifications only from a user's gesture: the first click anywhere asks.
  document.addEventListener('click', askNotificationPermission, { once: true });
  window.addEventListener('pagehide', () => { if (state.current) state.current.view.close(); });

  const config = await loadConfig();
  if (window.parent !== window && config.embedOrigins.length) {
    state.mode = 'embedded';
    start(parentTokens(config.embedOrigins));
  } else if (config.tokenEndpoint) {
    state.mode = 'endpoint';
    start(endpointTokens(config.tokenEndpoint));
  } else if (config.devLogin) {
    state.mode = 'dev';
    let saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null'); } catch { saved = null; }
    if (saved && saved.token && saved.userId) start(devTokens(saved));
  } else {
    showSignedOut('Sign-in is not configured on this server.');
  }
}

init();
