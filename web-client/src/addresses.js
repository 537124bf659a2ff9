/** The bridge addresses of CONTRACT.md, in one place. */
export const Addresses = Object.freeze({
  /** @param {string} threadId */
  thread: (threadId) => `chat.thread.${threadId}`,
  /** @param {string} userId */
  user: (userId) => `chat.user.${userId}`,
  JOIN: 'chat.thread.join',
  LEAVE: 'chat.thread.leave',
  TYPING_START: 'chat.typing.start',
  TYPING_STOP: 'chat.typing.stop',
  SEND: 'chat.message.send',
  READ: 'chat.thread.read'
});
