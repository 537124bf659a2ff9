// A minimal UI on the installed package: ?gateway=<origin>&user=<id>. The test drives it through
// window.fixture and reads #state, #badges and #messages.
import { createChatClient, ChatError } from '@chat/client';

const params = new URLSearchParams(location.search);
const gateway = params.get('gateway');
const user = params.get('user');

async function devToken() {
  const res = await fetch(gateway + '/api/dev/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userId: user, name: user })
  });
  if (!res.ok) throw new ChatError(res.status, 'dev_token');
  return (await res.json()).token;
}

const chat = createChatClient({ baseUrl: gateway, token: devToken });
chat.onState((s) => { document.getElementById('state').textContent = s; });
chat.onBadge(({ threadId, unread }) => {
  let li = document.querySelector(`#badges li[data-thread-id="${CSS.escape(threadId)}"]`);
  if (!li) {
    li = document.createElement('li');
    li.dataset.threadId = threadId;
    document.getElementById('badges').appendChild(li);
  }
  li.textContent = String(unread);
});

let thread = null;
window.fixture = {
  createThread: (title, memberIds) => chat.api('POST', '/api/threads', { title, memberIds }).then((t) => t.id),
  open: async (threadId) => {
    thread?.close();
    thread = chat.openThread(threadId);
    thread.onMessage((m) => {
      const li = document.createElement('li');
      li.dataset.seq = String(m.seq);
      li.textContent = `${m.authorId}: ${m.body}`;
      document.getElementById('messages').appendChild(li);
    });
    await thread.loadLatest();
    return thread.messages().length;
  },
  send: (threadId, body) => chat.send(threadId, body).clientMessageId
};
chat.connect();
