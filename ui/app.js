// The gateway's built-in inbox page: a working example of the API for frontend developers.
// Plain JS, no build step, no dependencies. Every call goes through `api()`, every failure is
// shown as the problem document (RFC 9457) the gateway sent. What a browser cannot send
// headers with (EventSource, iframe, download links) gets a single-use ticket from POST /tickets.
'use strict';

// Served by the gateway: same origin. Served from elsewhere: <meta name="gateway" content="...">.
const API = (document.querySelector('meta[name="gateway"]')?.content || '').replace(/\/$/, '');
const PAGE_SIZE = 25;

const state = {
  auth: null,        // the Authorization header value, in memory only
  folders: [],
  folder: null,      // the folder object shown (from GET /folders)
  cursor: null,
  done: false,
  loadingFor: null,  // the folder whose next page is being fetched
  message: null,     // the message JSON shown
  events: null,      // the EventSource of the shown folder
  eventsRetry: null,
};

const $ = (id) => document.getElementById(id);

/** A failed call: the gateway's problem document, or one made up for a network failure. */
class ProblemError extends Error {
  constructor(problem, requestId) {
    super(problem.detail || problem.title || 'Request failed');
    this.problem = problem;
    this.requestId = requestId;
  }
}

/** Calls the gateway; resolves to the Response when it is 2xx/304, else throws ProblemError. */
async function api(path, { method = 'GET', json, body, contentType } = {}) {
  const headers = { Authorization: state.auth };
  let payload = body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  } else if (contentType) {
    headers['Content-Type'] = contentType;
  }
  let response;
  try {
    // credentials 'omit': the Authorization header is ours; and a 401 then never opens the
    // browser's own login dialog (it does for same-origin requests that carry credentials).
    response = await fetch(API + path, { method, headers, body: payload, cache: 'no-store', credentials: 'omit' });
  } catch (error) {
    throw new ProblemError({ title: 'Gateway unreachable', detail: `${API || location.origin}: ${error.message}` }, null);
  }
  if (response.ok) return response;
  let problem = { title: response.statusText || 'Error', status: response.status };
  if ((response.headers.get('Content-Type') || '').includes('json')) {
    try { problem = await response.json(); } catch { /* keep the status line */ }
  }
  throw new ProblemError(problem, response.headers.get('X-Request-ID'));
}

/** Shows a problem document as it is: title, detail, status, type, the other members, request id. */
function showError(error) {
  const box = $('error');
  if (!(error instanceof ProblemError)) {
    console.error(error);
    error = new ProblemError({ title: 'Unexpected error', detail: String(error) }, null);
  }
  const { type, title, status, detail, ...members } = error.problem;
  box.replaceChildren();
  const head = document.createElement('div');
  head.className = 'title';
  head.textContent = `${title || 'Error'}${status ? ` (${status})` : ''}`;
  box.append(head);
  if (detail) box.append(Object.assign(document.createElement('div'), { className: 'detail', textContent: detail }));
  const meta = [];
  if (type && type !== 'about:blank') meta.push(`type: ${type}`);
  for (const [name, value] of Object.entries(members)) meta.push(`${name}: ${JSON.stringify(value)}`);
  if (error.requestId) meta.push(`request id: ${error.requestId}`);
  if (meta.length) box.append(Object.assign(document.createElement('div'), { className: 'meta', textContent: meta.join('\n') }));
  box.hidden = false;
}

function clearError() { $('error').hidden = true; }

/** Runs an action, showing its failure. */
async function attempt(action) {
  try {
    clearError();
    return await action();
  } catch (error) {
    showError(error);
    return undefined;
  }
}

/** A single-use URL for `path` (EventSource, iframe, download), valid for seconds. */
async function ticketURL(path) {
  const response = await api('/tickets', { method: 'POST', json: { path } });
  return API + (await response.json()).url;
}

// ---- login ----------------------------------------------------------------------------

function utf8Base64(text) {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

$('login-scheme').addEventListener('change', () => {
  $('login-user-label').hidden = $('login-scheme').value === 'bearer';
});

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  attempt(async () => {
    const secret = $('login-password').value;
    state.auth = $('login-scheme').value === 'bearer'
      ? `Bearer ${secret}`
      : `Basic ${utf8Base64(`${$('login-user').value}:${secret}`)}`;
    try {
      await loadFolders();
    } catch (error) {
      state.auth = null;
      throw error;
    }
    $('login-password').value = '';
    $('account').textContent = $('login-scheme').value === 'bearer' ? 'API key' : $('login-user').value;
    $('login').hidden = true;
    $('app').hidden = false;
    $('logout').hidden = false;
    const inbox = state.folders.find((folder) => folder.name.toUpperCase() === 'INBOX') || state.folders[0];
    if (inbox) await openFolder(inbox);
  });
});

$('logout').addEventListener('click', () => location.reload());

// ---- folders --------------------------------------------------------------------------

async function loadFolders() {
  const response = await api('/folders?status=true');
  const { folders } = await response.json();
  state.folders = folders.filter((folder) => folder.selectable);
  state.folders.sort((a, b) => (a.name === 'INBOX' ? -1 : b.name === 'INBOX' ? 1 : a.name.localeCompare(b.name)));
  const nav = $('folders');
  nav.replaceChildren(...state.folders.map((folder) => {
    const row = document.createElement('div');
    row.className = 'folder' + (state.folder?.name === folder.name ? ' current' : '');
    row.dataset.name = folder.name;
    const unseen = folder.status?.unseen ?? 0;
    row.append(Object.assign(document.createElement('span'), { className: 'name', textContent: folder.name }),
      Object.assign(document.createElement('span'), { className: 'unread', textContent: unseen > 0 ? String(unseen) : '' }));
    row.addEventListener('click', () => attempt(() => openFolder(folder)));
    return row;
  }));
  $('move-target').replaceChildren(...state.folders.map((folder) =>
    Object.assign(document.createElement('option'), { value: folder.name, textContent: folder.name })));
}

async function openFolder(folder) {
  state.folder = folder;
  state.cursor = null;
  state.done = false;
  $('folder-title').textContent = folder.name;
  for (const row of document.querySelectorAll('.folder')) row.classList.toggle('current', row.dataset.name === folder.name);
  $('messages').replaceChildren();
  closeMessage();
  startEvents();
  await loadMore();
}

// ---- message list, infinite scroll on the cursor ---------------------------------------

function messageRow(summary) {
  const row = document.createElement('li');
  row.className = 'message-row';
  row.dataset.uid = summary.uid;
  const from = summary.from?.[0];
  row.append(
    Object.assign(document.createElement('div'), { className: 'subject', textContent: summary.subject || '(no subject)' }),
    Object.assign(document.createElement('div'), { className: 'from', textContent: from ? (from.name || from.email) : '' }),
    Object.assign(document.createElement('div'), { className: 'date', textContent: summary.sentAt || summary.receivedAt || '' }),
  );
  row.addEventListener('click', () => attempt(() => openMessage(summary.uid)));
  updateRowFlags(row, summary.flags || []);
  return row;
}

function updateRowFlags(row, flags) {
  row.classList.toggle('unread', !flags.includes('\\Seen'));
  row.dataset.flags = flags.join(' ');
  let star = row.querySelector('.flagged');
  if (flags.includes('\\Flagged') && !star) {
    star = Object.assign(document.createElement('span'), { className: 'flagged', textContent: '★ ' });
    row.firstChild.prepend(star);
  } else if (!flags.includes('\\Flagged') && star) {
    star.remove();
  }
}

async function loadMore() {
  // Per folder: a page still coming for the folder just left must not stop the new one loading.
  const folder = state.folder;
  if (!folder || state.done || state.loadingFor === folder) return;
  state.loadingFor = folder;
  try {
    let path = `${folder.href}/messages?limit=${PAGE_SIZE}`;
    if (state.cursor) path += `&cursor=${encodeURIComponent(state.cursor)}`;
    const page = await (await api(path)).json();
    if (folder !== state.folder) return;
    const list = $('messages');
    for (const summary of page.messages) {
      if (!list.querySelector(`[data-uid="${summary.uid}"]`)) list.append(messageRow(summary));
    }
    state.cursor = page.nextCursor;
    state.done = !page.nextCursor;
  } finally {
    if (state.loadingFor === folder) state.loadingFor = null;
  }
  // The end marker may still be in view (a tall window): keep filling.
  if (folder === state.folder && !state.done && isVisible($('list-end'))) await loadMore();
}

function isVisible(element) {
  const pane = $('list-pane').getBoundingClientRect();
  const box = element.getBoundingClientRect();
  return box.top < pane.bottom && box.bottom > pane.top;
}

new IntersectionObserver((entries) => {
  if (entries.some((entry) => entry.isIntersecting)) attempt(loadMore);
}, { root: $('list-pane') }).observe($('list-end'));

/** Adds messages newer than the newest shown (after an event or an upload). */
async function refreshNewest() {
  const folder = state.folder;
  const page = await (await api(`${folder.href}/messages?limit=${PAGE_SIZE}`)).json();
  if (folder !== state.folder) return;
  const list = $('messages');
  for (const summary of [...page.messages].reverse()) {
    if (!list.querySelector(`[data-uid="${summary.uid}"]`)) list.prepend(messageRow(summary));
  }
  await loadFolders();
}

// ---- one message ----------------------------------------------------------------------

function closeMessage() {
  state.message = null;
  $('message').hidden = true;
  $('message-html').removeAttribute('src');
}

async function openMessage(uid, { remoteImages = false } = {}) {
  const folder = state.folder;
  const path = `${folder.href}/messages/${uid}`;
  const message = await (await api(path)).json();
  state.message = message;
  for (const row of document.querySelectorAll('.message-row')) row.classList.toggle('current', row.dataset.uid === String(uid));
  $('message-subject').textContent = message.subject || '(no subject)';
  const meta = $('message-meta');
  meta.replaceChildren();
  const people = (list) => (list || []).map((a) => (a.name ? `${a.name} <${a.email}>` : a.email)).join(', ');
  for (const [label, value] of [['From', people(message.from)], ['To', people(message.to)], ['Cc', people(message.cc)], ['Date', message.sentAt || '']]) {
    if (!value) continue;
    meta.append(Object.assign(document.createElement('dt'), { textContent: label }), Object.assign(document.createElement('dd'), { textContent: value }));
  }
  const frame = $('message-html');
  if (message.htmlBody !== null) {
    // The gateway serves the HTML under a policy that blocks scripts and remote loads; the
    // frame's sandbox (no allow-scripts, no allow-same-origin) is a second wall.
    frame.src = await ticketURL(`${path}/html${remoteImages ? '?remote=allow' : ''}`);
    frame.hidden = false;
    $('message-text').hidden = true;
    $('remote-images').hidden = remoteImages || !/<img[^>]+src\s*=\s*["']?https?:/i.test(message.htmlBody);
  } else {
    frame.removeAttribute('src');
    frame.hidden = true;
    $('message-text').textContent = message.textBody || '';
    $('message-text').hidden = false;
    $('remote-images').hidden = true;
  }
  const attachments = $('attachments');
  attachments.replaceChildren(...message.attachments.filter((part) => part.disposition !== 'inline' || !part.contentId).map((part) => {
    const item = document.createElement('li');
    const link = Object.assign(document.createElement('a'), {
      className: 'attachment', textContent: `${part.filename || `part ${part.partId}`} (${part.contentType}, ${part.size} bytes)`,
    });
    link.addEventListener('click', () => attempt(() => download(part.href)));
    item.append(link);
    return item;
  }));
  showFlags(message.flags);
  $('message').hidden = false;
  if (!message.flags.includes('\\Seen')) await setFlag('\\Seen', true);
}

function showFlags(flags) {
  $('toggle-seen').textContent = flags.includes('\\Seen') ? 'Mark unread' : 'Mark read';
  $('toggle-flagged').textContent = flags.includes('\\Flagged') ? 'Unflag' : 'Flag';
  $('toggle-flagged').dataset.flagged = String(flags.includes('\\Flagged'));
}

async function setFlag(flag, on) {
  const message = state.message;
  const path = `${state.folder.href}/messages/${message.uid}`;
  const result = await (await api(path, { method: 'PATCH', json: { flags: { [on ? 'add' : 'remove']: [flag] } } })).json();
  message.flags = result.flags;
  showFlags(result.flags);
  const row = document.querySelector(`.message-row[data-uid="${message.uid}"]`);
  if (row) updateRowFlags(row, result.flags);
  if (flag === '\\Seen') await loadFolders();
}

$('toggle-seen').addEventListener('click', () => attempt(() => setFlag('\\Seen', !state.message.flags.includes('\\Seen'))));
$('toggle-flagged').addEventListener('click', () => attempt(() => setFlag('\\Flagged', !state.message.flags.includes('\\Flagged'))));
$('allow-remote').addEventListener('click', () => attempt(() => openMessage(state.message.uid, { remoteImages: true })));

function removeRow(uid) {
  document.querySelector(`.message-row[data-uid="${uid}"]`)?.remove();
  if (state.message?.uid === uid) closeMessage();
}

$('move').addEventListener('click', () => attempt(async () => {
  const uid = state.message.uid;
  await api(`${state.folder.href}/messages/${uid}/move`, { method: 'POST', json: { to: $('move-target').value } });
  removeRow(uid);
  await loadFolders();
}));

$('delete').addEventListener('click', () => attempt(async () => {
  const uid = state.message.uid;
  await api(`${state.folder.href}/messages/${uid}`, { method: 'DELETE' });
  removeRow(uid);
  await loadFolders();
}));

/** A download through a ticket: the browser saves it under the Content-Disposition filename. */
async function download(href) {
  const link = Object.assign(document.createElement('a'), { href: await ticketURL(href), rel: 'noopener' });
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}

// ---- upload ---------------------------------------------------------------------------

$('upload-input').addEventListener('change', () => attempt(async () => {
  const file = $('upload-input').files[0];
  if (!file) return;
  await api(`${state.folder.href}/messages`, { method: 'POST', body: file, contentType: 'message/rfc822' });
  $('upload-input').value = '';
  await refreshNewest();
}));

// ---- live updates ---------------------------------------------------------------------

function setLive(live) {
  $('live-status').textContent = live ? 'live' : 'offline';
  $('live-status').classList.toggle('live', live);
}

/** Opens the shown folder's event stream; a ticket is good once, so every reconnect asks anew. */
async function startEvents() {
  state.events?.close();
  state.events = null;
  clearTimeout(state.eventsRetry);
  setLive(false);
  const folder = state.folder;
  let source;
  try {
    source = new EventSource(await ticketURL(`${folder.href}/events`));
  } catch (error) {
    showError(error);
    return;
  }
  if (folder !== state.folder) { source.close(); return; }
  state.events = source;
  source.addEventListener('ready', () => setLive(true));
  source.addEventListener('new', () => attempt(refreshNewest));
  source.addEventListener('flags', (event) => {
    const { uid, flags } = JSON.parse(event.data);
    const row = document.querySelector(`.message-row[data-uid="${uid}"]`);
    if (row) updateRowFlags(row, flags);
    if (state.message?.uid === uid) { state.message.flags = flags; showFlags(flags); }
  });
  source.addEventListener('expunged', (event) => {
    const data = JSON.parse(event.data);
    if (data.uids) data.uids.forEach(removeRow); else attempt(() => openFolder(folder));
    attempt(loadFolders);
  });
  source.addEventListener('reset', () => attempt(() => openFolder(folder)));
  source.addEventListener('error', (event) => {
    // `event: error` from the gateway carries a problem document; a bare error is the connection.
    if (event.data) showError(new ProblemError(JSON.parse(event.data), null));
    if (source.readyState === EventSource.CLOSED || event.data) {
      source.close();
      setLive(false);
      if (state.events === source) state.eventsRetry = setTimeout(() => { if (state.folder === folder) startEvents(); }, 3000);
    } else {
      setLive(false);
    }
  });
}
