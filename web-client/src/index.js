/**
 * @chat/client: the chat in a browser, on the official Vert.x event bus bridge client.
 *
 *   import { createChatClient } from '@chat/client';
 *   const chat = createChatClient({ token: async () => (await fetch('/auth/chat-token', {method: 'POST'})).json().then((r) => r.token) });
 *   await chat.connect();
 *   const thread = chat.openThread(threadId);
 *   thread.onMessage((m) => show(m));
 *   await thread.loadLatest();
 *   chat.send(threadId, 'Hello @bob');
 *
 * See docs/client-library.md for the whole API.
 */
import { ChatClient } from './client.js';

export { ChatClient, ChatError, decodeClaims } from './client.js';
export { ThreadView } from './thread.js';
export { Addresses } from './addresses.js';
export { Outbox, newId } from './outbox.js';
export { splitMentions, mentionedIds, mentions } from './mentions.js';
export { notificationFor } from './notify.js';

/**
 * @param {import('./client.js').ClientOptions} options
 * @returns {ChatClient}
 */
export function createChatClient(options) {
  return new ChatClient(options);
}
