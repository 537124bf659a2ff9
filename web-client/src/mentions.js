/**
 * `@userId` mentions. Ids, not names: display names are not unique. An id is letters, digits, `_`, `.`
 * and `-`, not ending in `.` or `-` (so "ask @bob." mentions bob), and the `@` starts the text or follows
 * a character that cannot be part of an id (so "mail@bob" is no mention).
 */
const MENTION = /(^|[^A-Za-z0-9_.@-])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)/g;

/**
 * @typedef {{text: string, mention?: string}} Segment  a run of text; `mention` is the id when it is one
 */

/**
 * Splits a message body into plain runs and mentions, in order, for text-only rendering (a text node
 * for each plain run, a styled element with `textContent` for each mention).
 * @param {string} body
 * @returns {Segment[]}
 */
export function splitMentions(body) {
  /** @type {Segment[]} */
  const out = [];
  let at = 0;
  for (const m of String(body ?? '').matchAll(MENTION)) {
    const start = m.index + m[1].length;
    if (start > at) out.push({ text: body.slice(at, start) });
    out.push({ text: '@' + m[2], mention: m[2] });
    at = start + 1 + m[2].length;
  }
  if (at < String(body ?? '').length) out.push({ text: body.slice(at) });
  return out;
}

/**
 * @param {string} body
 * @returns {Set<string>} the ids mentioned in it
 */
export function mentionedIds(body) {
  return new Set(splitMentions(body).filter((s) => s.mention).map((s) => s.mention));
}

/**
 * @param {string} body
 * @param {string} userId
 * @returns {boolean} whether the body mentions that user
 */
export function mentions(body, userId) {
  return mentionedIds(body).has(userId);
}
