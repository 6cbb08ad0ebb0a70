/* MemberCare chat and contact widget. Paste on a page:
   <script src="https://care.example/widget.js" data-key="SITE-KEY" defer></script>
   Plain JavaScript, no framework, no build step. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__memberCareWidget) { return; }
  window.__memberCareWidget = true;
  var key = script.getAttribute("data-key") || "";
  var base = new URL(script.src, location.href).origin;
  var title = script.getAttribute("data-title") || "Chat with us";
  var store = "membercare-chat-" + key;
  var state = { token: null, after: 0, timer: null, seen: {} };
  try { state.token = localStorage.getItem(store); } catch (e) { state.token = null; }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) { node.textContent = text; }
    return node;
  }
  function api(method, path, body) {
    return fetch(base + "/api/v1/chat" + path, {
      method: method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined
    }).catch(function () {
      throw new Error("Could not reach customer care. Check your connection and try again.");
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (json) {
        if (!r.ok) { throw new Error(json.detail || json.title || ("Error " + r.status)); }
        return json;
      });
    });
  }

  var css = ".mc-w{position:fixed;right:16px;bottom:16px;z-index:2147483000;font:15px/1.4 system-ui,sans-serif;color:#1d1d1f}" +
    ".mc-w button{font:inherit;cursor:pointer;border-radius:6px;border:1px solid #1d1d1f;padding:8px 12px;background:#1d1d1f;color:#fff}" +
    ".mc-w button:focus-visible,.mc-w input:focus-visible,.mc-w textarea:focus-visible{outline:3px solid #0a64d6;outline-offset:2px}" +
    ".mc-p{width:320px;max-width:calc(100vw - 32px);background:#fff;border:1px solid #888;border-radius:8px;padding:12px;box-shadow:0 4px 24px rgba(0,0,0,.2)}" +
    ".mc-p[hidden]{display:none}.mc-log{height:220px;overflow-y:auto;border:1px solid #ccc;padding:6px;margin:8px 0}" +
    ".mc-me{text-align:right}.mc-agent{color:#0a3d7a}.mc-w label{display:block;margin-top:6px}" +
    ".mc-w input,.mc-w textarea{width:100%;box-sizing:border-box;font:inherit;padding:6px;border:1px solid #666;border-radius:4px}" +
    ".mc-hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}.mc-err{color:#b00020}";
  document.head.appendChild(el("style", {}, css));

  var root = el("div", { "class": "mc-w" });
  var open = el("button", { type: "button", "aria-expanded": "false", "aria-controls": "mc-panel" }, title);
  var panel = el("div", { id: "mc-panel", "class": "mc-p", role: "dialog", "aria-labelledby": "mc-title", hidden: "" });
  var heading = el("h2", { id: "mc-title", style: "font-size:17px;margin:0" }, title);
  var close = el("button", { type: "button", "aria-label": "Close chat", style: "float:right;padding:2px 8px" }, "×");
  var log = el("div", { "class": "mc-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
  var form = el("form", { novalidate: "" });
  var nameLabel = el("label", { "for": "mc-name" }, "Name (optional)");
  var name = el("input", { id: "mc-name", name: "name", autocomplete: "name", maxlength: "200" });
  var emailLabel = el("label", { "for": "mc-email" }, "E-mail (for an answer by mail)");
  var email = el("input", { id: "mc-email", name: "email", type: "email", autocomplete: "email", maxlength: "320" });
  var textLabel = el("label", { "for": "mc-text" }, "Message");
  var text = el("textarea", { id: "mc-text", name: "text", rows: "3", required: "", maxlength: "4000" });
  // The honeypot: people never see or reach it; form-filling bots do.
  var trap = el("div", { "class": "mc-hp", "aria-hidden": "true" });
  var trapLabel = el("label", { "for": "mc-website" }, "Website");
  var website = el("input", { id: "mc-website", name: "website", tabindex: "-1", autocomplete: "off" });
  trap.appendChild(trapLabel); trap.appendChild(website);
  var error = el("p", { "class": "mc-err", role: "alert" });
  var send = el("button", { type: "submit" }, "Send");
  [nameLabel, name, emailLabel, email, textLabel, text, trap, error, send].forEach(function (n) { form.appendChild(n); });
  [close, heading, log, form].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(panel); root.appendChild(open);
  document.body.appendChild(root);

  function show(line) {
    if (state.seen[line.id]) { return; }
    state.seen[line.id] = true;
    state.after = Math.max(state.after, line.id);
    var p = el("p", { "class": line.from === "agent" ? "mc-agent" : "mc-me" });
    p.appendChild(el("strong", {}, line.from === "agent" ? (line.author || "Care") + ": " : "You: "));
    p.appendChild(document.createTextNode(line.text));
    log.appendChild(p);
    log.scrollTop = log.scrollHeight;
  }
  function poll() {
    if (!state.token) { return; }
    api("GET", "/" + state.token + "/messages?key=" + encodeURIComponent(key) + "&after=" + state.after)
      .then(function (lines) { lines.forEach(show); })
      .catch(function () { /* the next tick tries again */ });
  }
  function ensureToken() {
    if (state.token) { return Promise.resolve(state.token); }
    return api("POST", "/sessions", { key: key, website: website.value }).then(function (r) {
      state.token = r.token;
      try { localStorage.setItem(store, r.token); } catch (e) { /* private mode: the chat lasts this page */ }
      return r.token;
    });
  }
  function toggle(show) {
    panel.hidden = !show;
    open.setAttribute("aria-expanded", show ? "true" : "false");
    if (show) {
      text.focus(); poll();
      state.timer = state.timer || setInterval(poll, 3000);
    } else {
      clearInterval(state.timer); state.timer = null; open.focus();
    }
  }
  open.addEventListener("click", function () { toggle(panel.hidden); });
  close.addEventListener("click", function () { toggle(false); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { toggle(false); } });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    error.textContent = "";
    var body = text.value.trim();
    if (!body) { error.textContent = "Write a message first."; text.focus(); return; }
    send.disabled = true;
    var clientId = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    ensureToken().then(function (token) {
      return api("POST", "/" + token + "/messages", {
        key: key, clientId: clientId, text: body, name: name.value, email: email.value, website: website.value
      });
    }).then(function () { text.value = ""; poll(); })
      .catch(function (err) { error.textContent = err.message; })
      .then(function () { send.disabled = false; });
  });
})();
