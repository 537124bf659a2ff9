import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitMentions, mentions, mentionedIds } from '../src/mentions.js';

test('a mention is @ and a user id, split out of the text around it', () => {
  assert.deepEqual(splitMentions('hi @bob, see @carol-1.'), [
    { text: 'hi ' }, { text: '@bob', mention: 'bob' }, { text: ', see ' }, { text: '@carol-1', mention: 'carol-1' }, { text: '.' }
  ]);
});

test('an address or a doubled @ is no mention; the text is kept whole', () => {
  for (const body of ['mail alice@example.com', 'x@@bob', '@', '@.', '']) {
    assert.equal(splitMentions(body).filter((s) => s.mention).length, 0, body);
    assert.equal(splitMentions(body).map((s) => s.text).join(''), body);
  }
});

test('markup stays text: a mention never swallows it', () => {
  const body = '<b>@bob</b><script>';
  assert.equal(splitMentions(body).map((s) => s.text).join(''), body);
  assert.deepEqual([...mentionedIds(body)], ['bob']);
});

test('mentions() matches the exact id', () => {
  assert.equal(mentions('ping @bob', 'bob'), true);
  assert.equal(mentions('ping @bobby', 'bob'), false);
  assert.equal(mentions('ping @bob.smith', 'bob.smith'), true);
});
