import { mentions } from './mentions.js';

/**
 * @typedef {object} NotificationText
 * @property {string} title  the thread's title and the author
 * @property {string} body   the message text
 * @property {string} tag    the thread id (a newer notification of a thread replaces the older)
 * @property {boolean} mentioned  whether the message mentions the user
 */

/**
 * The rule for desktop notifications: a message by someone else, in a thread not on screen, notifies;
 * in a thread the user muted only when it mentions them (`@userId`).
 * @param {import('./thread.js').Message} message
 * @param {{userId: string, thread?: {title?: string, muted?: boolean}, onScreen: boolean, authorName?: string}} context
 * @returns {NotificationText|null}  null when it must not notify
 */
export function notificationFor(message, { userId, thread, onScreen, authorName }) {
  if (!message || message.authorId === userId || message.deleted || onScreen) return null;
  const mentioned = mentions(message.body, userId);
  if (thread?.muted && !mentioned) return null;
  return {
    title: `${thread?.title || 'Chat'}: ${authorName || message.authorId}`,
    body: message.body || 'sent an attachment',
    tag: message.threadId,
    mentioned
  };
}
