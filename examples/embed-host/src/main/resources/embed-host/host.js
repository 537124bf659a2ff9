/*
 * The product's side of the embedding protocol (docs/embedding.md): frame the chat page and answer its
 * {type: "chat.token.request"} with {type: "chat.token", token}, posted to the chat's origin only. Tokens come
 * from this product's backend (POST /auth/chat-token, with the product's session cookie).
 */
(function () {
  'use strict';

  var frame = document.getElementById('chat');
  var chatOrigin = null;

  function fetchToken() {
    return fetch('/auth/chat-token', { method: 'POST', credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) throw new Error('no token: ' + res.status);
      return res.json();
    }).then(function (body) { return body.token; });
  }

  function handTokenToChat() {
    fetchToken().then(function (token) {
      // targetOrigin: the token reaches the chat page only, even if the frame was navigated elsewhere.
      frame.contentWindow.postMessage({ type: 'chat.token', token: token }, chatOrigin);
    }).catch(function (err) { console.warn(err); });
  }

  window.addEventListener('message', function (event) {
    if (event.source !== frame.contentWindow || event.origin !== chatOrigin) return;
    if (event.data && event.data.type === 'chat.token.request') handTokenToChat();
  });

  Promise.all([
    fetch('/config.json').then(function (res) { return res.json(); }),
    fetch('/auth/me', { credentials: 'same-origin' }).then(function (res) { return res.ok ? res.json() : null; })
  ]).then(function (answers) {
    var config = answers[0];
    var me = answers[1];
    if (!me) {
      document.getElementById('login-form').hidden = false;
      return;
    }
    document.getElementById('signed-in-as').textContent = 'Signed in as ' + me.userId;
    document.getElementById('logout-form').hidden = false;
    chatOrigin = new URL(config.chatUrl).origin;
    frame.src = config.chatUrl;
    frame.hidden = false;
  });
})();
