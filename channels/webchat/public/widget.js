/*
 * Switchboard web-chat widget. Embed with one tag:
 *   <script src="https://support.example.com/widget.js" defer></script>
 * Options (data attributes on the tag): data-open="true" opens the chat on load,
 * data-title="…" sets the header. Everything the bot or an agent says is rendered as
 * text (textContent), never as HTML. When a person takes the chat the widget says so
 * ("Dana has joined", first name only) and shows when they are typing.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var base = new URL(script.src, window.location.href);
  var origin = base.origin;
  var TOKEN_KEY = 'switchboard.webchat.token@' + origin;
  var title = script.getAttribute('data-title') || 'Chat with us';
  var startOpen = script.getAttribute('data-open') === 'true';

  var token = null;
  var lastSeq = -1;
  var rendered = new Set();
  var socket = null;
  var reconnectDelay = 500;
  // "Has joined" notices shown, by the seq of the change they announce (pushed once, but a reconnect may repeat it).
  var noticed = new Set();
  var typingTimer = null;
  // Without a fresh typing signal the indicator goes: the server passes one on at most every 2 s.
  var TYPING_SHOWN_MS = 6000;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var css = el('link', { rel: 'stylesheet', href: origin + '/widget.css' });
  document.head.appendChild(css);

  var root = el('div', { class: 'sb-widget', 'data-state': startOpen ? 'open' : 'closed' });
  var launcher = el('button', { type: 'button', class: 'sb-launcher', 'aria-expanded': String(startOpen) }, title);
  var panel = el('section', { class: 'sb-panel', 'aria-label': title });
  var header = el('header', { class: 'sb-header' });
  header.appendChild(el('h2', {}, title));
  var withWhom = el('p', { class: 'sb-with', 'aria-live': 'polite' });
  header.appendChild(withWhom);
  var closeBtn = el('button', { type: 'button', class: 'sb-close', 'aria-label': 'Close chat' }, '×');
  header.appendChild(closeBtn);
  var log = el('div', { class: 'sb-log', role: 'log', 'aria-label': 'Conversation', 'aria-live': 'polite' });
  var typing = el('p', { class: 'sb-typing', 'aria-live': 'polite' });
  var choices = el('div', { class: 'sb-choices', role: 'group', 'aria-label': 'Suggested replies' });
  var form = el('form', { class: 'sb-form' });
  var inputId = 'sb-input-' + Math.random().toString(36).slice(2);
  var label = el('label', { for: inputId, class: 'sb-visually-hidden' }, 'Message');
  var input = el('input', { id: inputId, type: 'text', autocomplete: 'off', maxlength: '2000', placeholder: 'Type a message…' });
  var send = el('button', { type: 'submit', class: 'sb-send' }, 'Send');
  var status = el('p', { class: 'sb-status', role: 'status' });
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(choices);
  panel.appendChild(form);
  panel.appendChild(status);
  root.appendChild(launcher);
  root.appendChild(panel);

  function setOpen(open) {
    root.setAttribute('data-state', open ? 'open' : 'closed');
    launcher.setAttribute('aria-expanded', String(open));
    if (open) { ensureSession().then(connect); input.focus(); }
  }
  launcher.addEventListener('click', function () { setOpen(root.getAttribute('data-state') !== 'open'); });
  closeBtn.addEventListener('click', function () { setOpen(false); });

  function api(path, options) {
    options = options || {};
    var headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(origin + '/api/webchat' + path, { method: options.method || 'GET', headers: headers, body: options.body }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) { var err = new Error((body.error && body.error.message) || res.statusText); err.status = res.status; throw err; }
        return body;
      });
    });
  }

  // The server refused the token (expired, or signed by a secret that has been retired): the
  // old conversation is out of reach, so start over with a new session and an empty log.
  function resetSession() {
    window.localStorage.removeItem(TOKEN_KEY);
    token = null;
    lastSeq = -1;
    rendered.clear();
    noticed.clear();
    log.textContent = '';
    showAgent(null);
    showTyping(null);
    showChoices([]);
    if (socket) { socket.close(); socket = null; }
  }

  function ensureSession() {
    if (token) return Promise.resolve();
    token = window.localStorage.getItem(TOKEN_KEY);
    if (token) return loadHistory();
    return api('/sessions', { method: 'POST', body: '{}' }).then(function (s) {
      token = s.token;
      window.localStorage.setItem(TOKEN_KEY, token);
    });
  }

  function loadHistory() {
    return api('/messages?after=' + lastSeq).then(function (body) {
      body.messages.forEach(render);
      if (body.conversationId) showAgent(body.agent ? body.agent.name : null);
    }).catch(function (err) {
      if (err.status === 401) { resetSession(); return ensureSession().then(connect); }
      status.textContent = 'Could not load the conversation. Retrying…';
    });
  }

  function safeUrl(url) {
    try { var u = new URL(url, origin); return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null; } catch { return null; }
  }

  function render(entry) {
    if (rendered.has(entry.seq)) return;
    rendered.add(entry.seq);
    // Replies can arrive on the socket before the POST that caused them answers: only the
    // newest message decides which quick replies are shown.
    var newest = entry.seq > lastSeq;
    if (newest) lastSeq = entry.seq;
    var m = entry.message;
    var bubble = el('div', { class: 'sb-msg sb-' + entry.author, 'data-seq': String(entry.seq) });
    var who = entry.author === 'customer' ? 'You' : entry.author === 'agent' ? 'Agent' : 'Bot';
    bubble.appendChild(el('span', { class: 'sb-visually-hidden' }, who + ': '));
    if (m.kind === 'text' || m.kind === 'choice') bubble.appendChild(el('p', {}, m.text));
    if (m.kind === 'card') {
      bubble.appendChild(el('p', { class: 'sb-card-title' }, m.title));
      bubble.appendChild(el('p', {}, m.text));
      var href = m.link && safeUrl(m.link.url);
      if (href) bubble.appendChild(el('a', { href: href, target: '_blank', rel: 'noopener noreferrer' }, m.link.title));
    }
    if (m.kind === 'media') {
      var mediaUrl = safeUrl(m.url);
      if (mediaUrl) bubble.appendChild(el('a', { href: mediaUrl, target: '_blank', rel: 'noopener noreferrer' }, m.caption || 'Attachment'));
    }
    if (m.kind === 'location') bubble.appendChild(el('p', {}, (m.name ? m.name + ' ' : '') + '(' + m.latitude + ', ' + m.longitude + ')'));
    place(bubble, entry.seq);
    // Their message is what they were typing.
    if (entry.author === 'agent') showTyping(null);
    if (newest) showChoices(m.kind === 'choice' ? m.options : []);
  }

  // In seq order: a push can overtake the answer of the request that caused it.
  function place(node, seq) {
    var after = Array.prototype.find.call(log.children, function (c) { return Number(c.getAttribute('data-seq')) > seq; });
    log.insertBefore(node, after || null);
    log.scrollTop = log.scrollHeight;
  }

  // Who the customer is talking to: a person's first name in the header, or nobody (the bot).
  function showAgent(name) {
    withWhom.textContent = name ? 'You are chatting with ' + name : '';
    if (!name) showTyping(null);
  }

  // A person took the chat (frame `agent`, at the seq of the change): said once in the log, and in the header.
  function agentJoined(frame) {
    showAgent(frame.name);
    if (!frame.name || noticed.has(frame.seq)) return;
    noticed.add(frame.seq);
    place(el('p', { class: 'sb-notice', 'data-seq': String(frame.seq) }, frame.name + ' has joined'), frame.seq);
  }

  function showTyping(name) {
    if (typingTimer) { window.clearTimeout(typingTimer); typingTimer = null; }
    typing.textContent = name ? name + ' is typing…' : '';
    if (name) typingTimer = window.setTimeout(function () { showTyping(null); }, TYPING_SHOWN_MS);
  }

  function showChoices(options) {
    choices.textContent = '';
    options.forEach(function (o) {
      var b = el('button', { type: 'button', class: 'sb-choice' }, o.label);
      b.addEventListener('click', function () { post(o.label, o.value); });
      choices.appendChild(b);
    });
  }

  function newId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  // The browser's IANA time zone, so replies show times on the customer's own clock. Sent only
  // when it has the shape the server accepts: an unknown zone would get the message refused.
  function browserTimeZone() {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      return typeof zone === 'string' && /^(UTC|[A-Za-z][A-Za-z_+-]*(\/[A-Za-z0-9][A-Za-z0-9_+-]*){1,2})$/.test(zone) && zone.length <= 64 ? zone : null;
    } catch {
      return null;
    }
  }

  function post(text, payload) {
    showChoices([]);
    status.textContent = '';
    var body = { id: newId(), text: text };
    if (payload) body.payload = payload;
    var timeZone = browserTimeZone();
    if (timeZone) body.timeZone = timeZone;
    send.disabled = true;
    function deliver() { return api('/messages', { method: 'POST', body: JSON.stringify(body) }); }
    return ensureSession()
      .then(deliver)
      .catch(function (err) {
        if (err.status !== 401) throw err;
        resetSession();
        return ensureSession().then(function () { connect(); return deliver(); });
      })
      .then(function (res) {
        if (typeof res.userSeq === 'number') render({ seq: res.userSeq, author: 'customer', message: { kind: 'text', text: text } });
        res.messages.forEach(render);
      })
      .catch(function (err) {
        if (err.status === 429) {
          // The server's message says why and for how long (e.g. verification paused); what the
          // bot said about it is in the transcript.
          status.textContent = err.message || 'Please wait a moment and try again.';
          return loadHistory();
        }
        status.textContent = 'Your message could not be sent. Please try again.';
      })
      .then(function () { send.disabled = false; });
  }

  // The customer's typing, for the agent handling the chat ("Customer is typing…"): at most one
  // signal every 2 s, over the socket only (never stored; lost when it is down, as a hint may be).
  var lastTypingSent = 0;
  input.addEventListener('input', function () {
    var now = Date.now();
    if (!socket || socket.readyState !== 1 || input.value.trim() === '' || now - lastTypingSent < 2000) return;
    lastTypingSent = now;
    socket.send(JSON.stringify({ type: 'typing' }));
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    // The message ends this bout of typing: the next keystroke is a new one.
    lastTypingSent = 0;
    post(text);
  });

  function connect() {
    if (socket || !token) return;
    var wsUrl = origin.replace(/^http/, 'ws') + '/api/webchat/socket?token=' + encodeURIComponent(token);
    var ws = new WebSocket(wsUrl);
    var ready = false;
    socket = ws;
    ws.addEventListener('message', function (event) {
      var data = JSON.parse(event.data);
      if (data.type === 'message') render(data);
      if (data.type === 'agent' && typeof data.seq === 'number') agentJoined(data);
      if (data.type === 'typing' && typeof data.name === 'string') showTyping(data.name);
      if (data.type === 'ready') { ready = true; reconnectDelay = 500; loadHistory(); }
    });
    ws.addEventListener('close', function () {
      if (socket === ws) socket = null;
      // Refused before it was ready: maybe the token is no longer valid; the history request
      // finds out (401 starts a new session) before the next attempt.
      if (!ready && token) loadHistory();
      setTimeout(connect, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 15000);
    });
  }

  function mount() {
    document.body.appendChild(root);
    if (startOpen) setOpen(true);
  }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
