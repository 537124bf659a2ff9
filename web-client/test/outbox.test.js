import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Outbox } from '../src/outbox.js';

function memoryStorage() {
  const m = new Map();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, v), removeItem: (k) => m.delete(k), map: m };
}
const failure = (status, code = 'x') => Object.assign(new Error(code), { status, code });
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

test('an entry written offline is stored, survives a reload, and leaves only when the server acknowledges it', async () => {
  const storage = memoryStorage();
  let online = false;
  const posted = [];
  const post = async (e) => { if (!online) throw failure(0, 'network'); posted.push(e.clientMessageId); return { id: 'm1' }; };
  const page = new Outbox({ post, storage, key: 'chat.outbox.bob' });
  const entry = page.add({ threadId: 't', body: 'written offline' });
  await tick();
  page.stop(); // the page goes away before the retry
  assert.equal(JSON.parse(storage.getItem('chat.outbox.bob'))[0].clientMessageId, entry.clientMessageId);

  online = true;
  const reloaded = new Outbox({ post, storage, key: 'chat.outbox.bob' });
  reloaded.flush();
  await tick();
  assert.deepEqual(posted, [entry.clientMessageId], 'sent once, with the id it was written with');
  assert.equal(storage.getItem('chat.outbox.bob'), null);
});

test('a refusal that retrying cannot fix marks the entry failed and keeps it', async () => {
  const outbox = new Outbox({ post: async () => { throw failure(413, 'message_too_long'); }, storage: memoryStorage(), key: 'k' });
  try {
    const e = outbox.add({ threadId: 't', body: 'x' });
    await tick();
    assert.equal(e.state, 'failed');
    assert.equal(e.error.code, 'message_too_long');
    assert.equal(outbox.list().length, 1);
  } finally {
    outbox.stop();
  }
});

test('two tabs of one user keep each other\'s stored entries', async () => {
  const storage = memoryStorage();
  const post = async () => { throw failure(0, 'network'); };
  const a = new Outbox({ post, storage, key: 'k' });
  const b = new Outbox({ post, storage, key: 'k' });
  try {
    a.add({ threadId: 't', body: 'from a' });
    b.add({ threadId: 't', body: 'from b' });
    await tick();
    assert.deepEqual(JSON.parse(storage.getItem('k')).map((e) => e.body).sort(), ['from a', 'from b']);
  } finally {
    a.stop();
    b.stop();
  }
});
