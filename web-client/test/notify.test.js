import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notificationFor } from '../src/notify.js';

const msg = (body, authorId = 'alice') => ({ id: 'm', threadId: 't1', seq: 1, version: 1, authorId, body, deleted: false });
const ctx = (over) => ({ userId: 'bob', thread: { title: 'Random', muted: false }, onScreen: false, authorName: 'Alice', ...over });

test('a message in a thread not on screen notifies, titled with the thread and the author', () => {
  assert.deepEqual(notificationFor(msg('lunch?'), ctx()), { title: 'Random: Alice', body: 'lunch?', tag: 't1', mentioned: false });
});

test('no notification for my own message, one on screen, or a deleted one', () => {
  assert.equal(notificationFor(msg('hi', 'bob'), ctx()), null);
  assert.equal(notificationFor(msg('hi'), ctx({ onScreen: true })), null);
  assert.equal(notificationFor({ ...msg(''), deleted: true }, ctx()), null);
});

test('a muted thread notifies only when the message mentions me', () => {
  const muted = ctx({ thread: { title: 'Random', muted: true } });
  assert.equal(notificationFor(msg('lunch?'), muted), null);
  assert.equal(notificationFor(msg('@bobby lunch?'), muted), null);
  assert.equal(notificationFor(msg('@bob lunch?'), muted).mentioned, true);
});
