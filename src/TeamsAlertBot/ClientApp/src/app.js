// The alerts dashboard tab: open alerts (filters, sort, SLA clocks, totals, CSV export, bulk
// verdicts for the triage role), an alert's detail, a customer's alerts and the response-time
// panel, kept live by the server-sent events stream.
import '@fluentui/web-components/button/define.js';
import '@fluentui/web-components/badge/define.js';
import '@fluentui/web-components/progress-bar/define.js';
import { setTheme } from '@fluentui/web-components';
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/tokens';
import { ApiError, download, getJson, postJson, subscribeEvents } from './api.js';
import { clear, h, put, s } from './dom.js';
import { dateTime, hours, label, slaText } from './format.js';
import { connect, loadSettings, notifySuccess, onThemeChange, useLocalDevelopment } from './host.js';
import { languageOf, setLanguage, t } from './i18n.js';

const VERDICTS = ['legitimate', 'fraud', 'ignore', 'investigating'];
const SEVERITIES = ['high', 'medium', 'low', 'informational'];
const STATUSES = ['active', 'investigating', 'resolved'];
const SORTS = [['id', null], ['type', 'type'], ['severity', 'severity'], ['status', 'status'], ['customer', 'customer'], ['reseller', null], ['detected', 'detected'], ['sla', 'sla'], ['verdict', null]];
const PAGE = 50;

const state = {
  me: null,
  view: 'list',
  filters: { customer: '', reseller: '', type: '', severity: '', status: '', minAgeDays: '', maxAgeDays: '' },
  sort: 'detected',
  desc: true,
  skip: 0,
  list: null,
  selected: new Set(),
  detailId: null,
  customerId: null,
  run: null,
  local: false,
};

const root = document.getElementById('app');
const liveRegion = document.getElementById('live');

function announce(text) {
  liveRegion.textContent = '';
  // A fresh text node so screen readers announce a repeated message too.
  setTimeout(() => {
    liveRegion.textContent = text;
  }, 50);
}

function applyTheme(theme) {
  const tokens = theme === 'dark' ? teamsDarkTheme : theme === 'contrast' ? teamsHighContrastTheme : teamsLightTheme;
  setTheme(tokens);
  document.body.dataset.theme = theme === 'dark' || theme === 'contrast' ? theme : 'default';
}

function errorText(error) {
  if (error instanceof ApiError) {
    if (error.status === 401) {
      return t('unauthorized');
    }

    if (error.status === 403) {
      return t('forbidden');
    }

    if (error.body?.code === 'graph-unavailable') {
      return t('graphUnavailable');
    }

    return t('apiFailed', error.status);
  }

  return t('apiFailed', error?.message ?? String(error));
}

function query(extra) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state.filters)) {
    if (value !== '') {
      params.set(key, value);
    }
  }

  for (const [key, value] of Object.entries(extra ?? {})) {
    params.set(key, String(value));
  }

  return params.toString();
}

// ---- the frame of the page ----

async function start() {
  setLanguage(languageOf(navigator.language));
  applyTheme('default');
  const settings = await loadSettings();
  const context = await connect(settings);
  if (context) {
    setLanguage(languageOf(context.app?.locale));
    applyTheme(context.app?.theme);
    onThemeChange(applyTheme);
    notifySuccess();
  } else if (settings.localDevelopment === true) {
    useLocalDevelopment();
    state.local = true;
  } else {
    showOutsideTeams();
    return;
  }

  document.title = t('title');
  try {
    state.me = await getJson('/api/dashboard/me');
  } catch (error) {
    showFatal(errorText(error));
    return;
  }

  renderFrame();
  await showList();
  let wasLost = false;
  subscribeEvents(onEvent, (connected) => {
    document.getElementById('live-state').textContent = connected ? t('live') : t('liveLost');
    // Events sent while the stream was down are lost: read the open view again.
    if (connected && wasLost) {
      refreshCurrent();
    }

    wasLost = !connected;
  });
  setInterval(tickClocks, 30000);
}

function showOutsideTeams() {
  document.title = t('title');
  put(root, h('div', { class: 'notice', role: 'alert', id: 'outside-teams' }, h('h1', {}, t('title')), h('p', {}, t('openInTeams'))));
}

function showFatal(text) {
  put(root, h('div', { class: 'notice', role: 'alert' }, h('h1', {}, t('title')), h('p', {}, text)));
}

function renderFrame() {
  put(root, 
    h('header', { class: 'top' },
      h('h1', {}, t('title')),
      h('p', { class: 'who' }, t('signedInAs', state.me.name ?? '')),
      h('p', { class: 'live-state', id: 'live-state', role: 'status' }, '')),
    h('nav', { 'aria-label': t('title') },
      h('fluent-button', { role: 'button', id: 'nav-alerts', appearance: 'subtle', onclick: () => showList() }, t('navAlerts')),
      h('fluent-button', { role: 'button', id: 'nav-score', appearance: 'subtle', onclick: () => showScore() }, t('navScore'))),
    state.local ? h('p', { class: 'read-only', id: 'local-mode' }, t('localMode')) : null,
    state.me.canTriage ? null : h('p', { class: 'read-only', id: 'read-only' }, t('readOnly')),
    h('main', { id: 'view' }));
}

function view() {
  return document.getElementById('view');
}

function focusHeading() {
  view().querySelector('h2')?.focus();
}

// ---- live updates ----

let refreshTimer = null;

function onEvent(name, data) {
  if (name === 'alert' && data && typeof data.id === 'string') {
    announce(t(`alertChanged_${data.change}`) === `alertChanged_${data.change}` ? t('alertChanged_updated', data.id) : t(`alertChanged_${data.change}`, data.id));
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshCurrent, 250);
  } else if (name === 'bulk' && data && state.run && data.runId === state.run.runId) {
    showRunProgress({ total: data.total, updated: data.updated, done: false });
  }
}

function refreshCurrent() {
  if (state.view === 'list') {
    loadList(false);
  } else if (state.view === 'detail') {
    showDetail(state.detailId, false);
  } else if (state.view === 'customer') {
    showCustomer(state.customerId, false);
  }
}

function tickClocks() {
  const now = Date.now();
  for (const cell of document.querySelectorAll('[data-sla-due]')) {
    const item = { sla: cell.dataset.sla, slaDueAt: cell.dataset.slaDue };
    cell.querySelector('.sla-text').textContent = slaText(item, now);
  }
}

// ---- the open alerts ----

async function showList() {
  state.view = 'list';
  put(view(),
    h('h2', { tabindex: '-1' }, t('navAlerts')),
    filtersForm(),
    h('div', { id: 'totals', class: 'totals', 'aria-live': 'polite' }),
    state.me.canTriage ? bulkBar() : null,
    h('div', { id: 'run', class: 'run', role: 'status' }),
    h('div', { id: 'list' }),
    h('div', { id: 'pager', class: 'pager' }));
  await loadList(true);
  focusHeading();
}

function field(name, text, control) {
  control.id = `f-${name}`;
  control.name = name;
  return h('div', { class: 'field' }, h('label', { for: control.id }, text), control);
}

function selectOf(name, options, emptyText) {
  const select = h('select', {}, h('option', { value: '' }, emptyText), options.map(([value, text]) => h('option', { value }, text)));
  select.value = state.filters[name];
  return select;
}

function filtersForm() {
  const input = (name, type) => {
    const element = h('input', { type: type ?? 'text', autocomplete: 'off' });
    if (type === 'number') {
      element.min = '0';
      element.step = '1';
    }

    element.value = state.filters[name];
    return element;
  };
  const form = h('form', { class: 'filters', 'aria-label': t('filters'), onsubmit: (event) => { event.preventDefault(); applyFilters(form); } },
    field('customer', t('customer'), input('customer')),
    field('reseller', t('reseller'), input('reseller')),
    field('type', t('type'), input('type')),
    field('severity', t('severity'), selectOf('severity', SEVERITIES.map((v) => [v, label('sev', v)]), t('any'))),
    field('status', t('status'), selectOf('status', [...STATUSES.map((v) => [v, label('st', v)]), ['all', t('allStatuses')]], t('openOnly'))),
    field('minAgeDays', t('minAge'), input('minAgeDays', 'number')),
    field('maxAgeDays', t('maxAge'), input('maxAgeDays', 'number')),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'apply-filters' }, t('applyFilters')),
      h('button', { type: 'button', id: 'reset-filters', onclick: () => { for (const key of Object.keys(state.filters)) { state.filters[key] = ''; } showList(); } }, t('resetFilters')),
      h('fluent-button', { role: 'button', id: 'export-csv', onclick: exportCsv }, t('exportCsv'))));
  return form;
}

function applyFilters(form) {
  const data = new FormData(form);
  for (const key of Object.keys(state.filters)) {
    state.filters[key] = String(data.get(key) ?? '').trim();
  }

  state.skip = 0;
  state.selected.clear();
  loadList(true);
}

async function exportCsv() {
  const button = document.getElementById('export-csv');
  button.disabled = true;
  announce(t('exporting'));
  try {
    const name = await download(`/api/dashboard/alerts.csv?${query({ sort: state.sort, desc: state.desc })}`, 'alerts.csv');
    announce(t('exported', name));
  } catch (error) {
    announce(errorText(error));
  } finally {
    button.disabled = false;
  }
}

async function loadList(announceTotals) {
  const list = document.getElementById('list');
  if (!list) {
    return;
  }

  list.setAttribute('aria-busy', 'true');
  try {
    state.list = await getJson(`/api/dashboard/alerts?${query({ sort: state.sort, desc: state.desc, skip: state.skip, top: PAGE })}`);
  } catch (error) {
    put(list, h('p', { role: 'alert' }, errorText(error)));
    list.removeAttribute('aria-busy');
    return;
  }

  const ids = new Set(state.list.items.map((item) => item.id));
  for (const id of [...state.selected]) {
    if (!ids.has(id)) {
      state.selected.delete(id);
    }
  }

  renderTotals(announceTotals);
  put(list, alertTable(state.list.items, state.me.canTriage, true));
  list.removeAttribute('aria-busy');
  renderPager();
  updateSelection();
}

function renderTotals() {
  const totals = document.getElementById('totals');
  const data = state.list;
  const chips = [];
  for (const [key, count] of Object.entries(data.totals?.bySeverity ?? {})) {
    chips.push(h('fluent-badge', { appearance: 'tint', class: `sev-${key}` }, `${label('sev', key)}: ${count}`));
  }

  for (const [key, count] of Object.entries(data.totals?.byStatus ?? {})) {
    chips.push(h('fluent-badge', { appearance: 'outline' }, `${label('st', key)}: ${count}`));
  }

  put(totals, h('strong', { id: 'total-count' }, t('total', data.total)), ' ', chips);
}

function renderPager() {
  const pager = clear(document.getElementById('pager'));
  const total = state.list.total;
  if (total === 0) {
    return;
  }

  const first = state.skip + 1;
  const last = Math.min(state.skip + state.list.items.length, total);
  put(pager,
    h('button', { type: 'button', disabled: state.skip === 0, onclick: () => { state.skip = Math.max(0, state.skip - PAGE); loadList(false); } }, t('previous')),
    h('span', {}, t('showing', first, last, total)),
    h('button', { type: 'button', disabled: last >= total, onclick: () => { state.skip += PAGE; loadList(false); } }, t('next')));
}

function headerCell(column, sortKey) {
  const names = { id: t('colAlert'), type: t('type'), severity: t('severity'), status: t('status'), customer: t('customer'), reseller: t('reseller'), detected: t('colDetected'), sla: t('colSla'), verdict: t('colVerdict') };
  if (!sortKey) {
    return h('th', { scope: 'col' }, names[column]);
  }

  const active = state.sort === sortKey;
  return h('th', { scope: 'col', 'aria-sort': active ? (state.desc ? 'descending' : 'ascending') : 'none' },
    h('button', {
      type: 'button',
      class: 'sort',
      'aria-label': t('sortBy', names[column]),
      onclick: () => {
        state.desc = active ? !state.desc : sortKey === 'detected' || sortKey === 'severity';
        state.sort = sortKey;
        state.skip = 0;
        loadList(false);
      },
    }, names[column], active ? (state.desc ? ' ↓' : ' ↑') : ''));
}

function alertTable(items, selectable, sortable) {
  if (items.length === 0) {
    return h('p', { class: 'empty' }, t('noAlerts'));
  }

  const head = h('tr', {},
    selectable ? h('th', { scope: 'col' }, h('input', { type: 'checkbox', id: 'select-all', 'aria-label': t('selectAll'), onchange: (event) => selectAll(items, event.target.checked) })) : null,
    SORTS.map(([column, key]) => headerCell(column, sortable ? key : null)));
  const now = Date.now();
  const rows = items.map((item) => h('tr', { 'data-alert-id': item.id, class: state.selected.has(item.id) ? 'selected' : null },
    selectable ? h('td', {}, h('input', {
      type: 'checkbox',
      class: 'select',
      'aria-label': t('selectAlert', item.id),
      checked: state.selected.has(item.id),
      onchange: (event) => {
        if (event.target.checked) {
          state.selected.add(item.id);
        } else {
          state.selected.delete(item.id);
        }

        event.target.closest('tr').classList.toggle('selected', event.target.checked);
        updateSelection();
      },
    })) : null,
    h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => showDetail(item.id, true) }, item.id)),
    h('td', {}, item.type ?? ''),
    h('td', {}, h('fluent-badge', { appearance: 'tint', class: `sev-${item.severity}` }, label('sev', item.severity))),
    h('td', { class: 'status' }, label('st', item.status)),
    h('td', {}, item.customerTenantId
      ? h('button', { type: 'button', class: 'link', onclick: () => showCustomer(item.customerTenantId, true) }, item.customerName || item.customerTenantId)
      : item.customerName ?? ''),
    h('td', {}, item.resellerName ?? ''),
    h('td', {}, h('span', { title: dateTime(item.detectedAt) }, t('ageHours', hours(item.ageHours)))),
    h('td', { class: `sla sla-${item.sla}`, 'data-sla': item.sla, 'data-sla-due': item.slaDueAt ?? '' }, h('span', { class: 'sla-text' }, slaText(item, now))),
    h('td', { class: 'verdict' }, verdictText(item))));
  return h('table', { class: 'alerts' }, h('thead', {}, head), h('tbody', {}, rows));
}

/** "Fraud by Aiko", or the verdict alone when nobody is named (Graph's own status), or Undecided. */
function verdictText(item) {
  if (!item.verdict) {
    return t('undecided');
  }

  return item.decidedBy ? t('decidedBy', label('v', item.verdict), item.decidedBy) : label('v', item.verdict);
}

function selectAll(items, checked) {
  for (const item of items) {
    if (checked) {
      state.selected.add(item.id);
    } else {
      state.selected.delete(item.id);
    }
  }

  for (const box of document.querySelectorAll('table.alerts input.select')) {
    box.checked = checked;
    box.closest('tr').classList.toggle('selected', checked);
  }

  updateSelection();
}

// ---- bulk verdicts (triage role only) ----

function bulkBar() {
  return h('div', { class: 'bulk', role: 'group', 'aria-label': t('bulkGroup') },
    h('span', { id: 'selected-count', 'aria-live': 'polite' }, t('selected', 0)),
    h('label', { for: 'bulk-verdict' }, t('verdict')),
    h('select', { id: 'bulk-verdict' }, h('option', { value: '' }, '—'), VERDICTS.map((v) => h('option', { value: v }, label('v', v)))),
    h('fluent-button', { role: 'button', id: 'bulk-apply', appearance: 'primary', onclick: proposeBulk }, t('apply')));
}

function updateSelection() {
  const count = document.getElementById('selected-count');
  if (count) {
    count.textContent = t('selected', state.selected.size);
  }

  const all = document.getElementById('select-all');
  if (all && state.list) {
    all.checked = state.list.items.length > 0 && state.list.items.every((item) => state.selected.has(item.id));
  }
}

async function proposeBulk() {
  const verdict = document.getElementById('bulk-verdict').value;
  const run = document.getElementById('run');
  if (!verdict) {
    put(run, t('chooseVerdict'));
    return;
  }

  if (state.selected.size === 0) {
    put(run, t('chooseAlerts'));
    return;
  }

  let proposal;
  try {
    proposal = await postJson('/api/dashboard/bulk', { verdict, alertIds: [...state.selected] });
  } catch (error) {
    put(run, bulkErrorText(error));
    return;
  }

  confirmBulk(proposal);
}

/** The bulk endpoints' refusals: nothing left to decide (409), no Redis behind the bulk runs (503, code bulk-needs-redis). */
function bulkErrorText(error) {
  if (error instanceof ApiError && error.status === 409) {
    return t('nothingToDecide');
  }

  if (error instanceof ApiError && error.body?.code === 'bulk-needs-redis') {
    return t('bulkNeedsRedis');
  }

  return errorText(error);
}

function confirmBulk(proposal) {
  const verdictText = label('v', proposal.verdict);
  const opener = document.getElementById('bulk-apply');
  const dialog = h('dialog', { id: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
    h('h2', { id: 'confirm-title' }, t('confirmTitle')),
    h('p', { id: 'confirm-text' }, t('confirmText', proposal.count, verdictText)),
    proposal.verdict === 'fraud' ? h('p', { class: 'warning', id: 'confirm-fraud' }, t('confirmFraud')) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'confirm-cancel', onclick: () => dialog.close() }, t('cancel')),
      h('button', { type: 'button', id: 'confirm-apply', class: proposal.verdict === 'fraud' ? 'danger' : 'primary', onclick: () => { dialog.close(); runBulk(proposal); } }, t('confirm', proposal.count))));
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector('#confirm-cancel').focus();
}

async function runBulk(proposal) {
  const run = document.getElementById('run');
  let accepted;
  try {
    accepted = await postJson(`/api/dashboard/bulk/${encodeURIComponent(proposal.proposalId)}/confirm`, {});
  } catch (error) {
    if (error instanceof ApiError && error.status === 409 && error.body?.busy) {
      const progress = error.body.progress;
      const text = typeof progress === 'object' && progress ? t('bulkProgress', progress.updated ?? 0, progress.total ?? 0) : String(progress ?? '');
      put(run, t('bulkBusy', error.body.runningBy ?? '', text));
    } else if (error instanceof ApiError && error.status === 404) {
      put(run, t('bulkExpired'));
    } else {
      put(run, bulkErrorText(error));
    }

    return;
  }

  state.run = { runId: accepted.runId, total: proposal.count };
  showRunProgress({ total: proposal.count, updated: 0, done: false });
  await pollRun(accepted.runId);
}

function showRunProgress(progress) {
  const run = document.getElementById('run');
  if (!run) {
    return;
  }

  const total = progress.total ?? 0;
  const done = (progress.updated ?? 0) + (progress.skipped ?? 0) + (progress.failed?.length ?? 0);
  if (progress.done) {
    put(run, h('p', { id: 'run-done' }, t('bulkDone', progress.updated ?? 0, progress.skipped ?? 0, progress.failed?.length ?? 0)),
      (progress.failed ?? []).length > 0
        ? h('ul', { class: 'failed' }, progress.failed.map((f) => h('li', {}, `${f.alertId}: ${f.reason}`)))
        : null);
    return;
  }

  put(run,
    h('fluent-progress-bar', { id: 'run-progress', max: String(Math.max(total, 1)), value: String(done), 'aria-label': t('bulkProgress', done, total) }),
    h('p', {}, t('bulkProgress', progress.updated ?? 0, total)));
}

async function pollRun(runId) {
  for (;;) {
    let progress;
    try {
      progress = await getJson(`/api/dashboard/bulk/runs/${encodeURIComponent(runId)}`);
    } catch (error) {
      const run = document.getElementById('run');
      if (run) {
        put(run, errorText(error));
      }

      return;
    }

    if (state.run?.runId !== runId) {
      return;
    }

    showRunProgress(progress);
    if (progress.done) {
      state.run = null;
      state.selected.clear();
      announce(t('bulkDone', progress.updated ?? 0, progress.skipped ?? 0, progress.failed?.length ?? 0));
      await loadList(false);
      return;
    }

    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

// ---- an alert's detail ----

function backButton() {
  return h('button', { type: 'button', class: 'back', onclick: () => showList() }, t('back'));
}

function section(title, ...content) {
  return h('section', {}, h('h3', {}, title), ...content);
}

function table(columns, rows) {
  if (!rows || rows.length === 0) {
    return h('p', {}, t('none'));
  }

  return h('table', {}, h('thead', {}, h('tr', {}, columns.map(([, text]) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map(([key]) => h('td', {}, key === 'at' || key === 'doneAt' ? dateTime(row[key]) : row[key] ?? ''))))));
}

async function showDetail(id, focus) {
  state.view = 'detail';
  state.detailId = id;
  let data;
  try {
    data = await getJson(`/api/dashboard/alerts/${encodeURIComponent(id)}`);
  } catch (error) {
    put(view(), backButton(), h('p', { role: 'alert' }, error instanceof ApiError && error.status === 404 ? t('notFound') : errorText(error)));
    return;
  }

  if (state.view !== 'detail' || state.detailId !== id) {
    return;
  }

  const alert = data.alert ?? {};
  const checklist = data.checklist;
  put(view(), 
    backButton(),
    h('h2', { tabindex: '-1', id: 'detail-title' }, t('detailTitle', alert.id ?? id)),
    alert.title ? h('p', { class: 'alert-title' }, alert.title) : null,
    h('dl', { class: 'facts' },
      fact(t('type'), alert.type),
      fact(t('severity'), label('sev', alert.severity)),
      fact(t('status'), label('st', alert.status)),
      fact(t('customer'), alert.customerName),
      fact(t('reseller'), alert.resellerName),
      fact(t('subscription'), alert.subscriptionId),
      fact(t('colDetected'), dateTime(alert.detectedAt)),
      fact(t('colSla'), slaText(alert, Date.now())),
      fact(t('colVerdict'), verdictText(alert))),
    alert.description ? section(t('description'), h('p', {}, alert.description)) : null,
    section(t('affected'), (alert.affectedResources ?? []).length > 0
      ? h('ul', {}, alert.affectedResources.map((r) => h('li', {}, r.resourceType ? `${r.resourceType}: ${r.resourceId}` : r.resourceId)))
      : h('p', {}, t('none'))),
    section(t('graphHistory'), table([['at', t('at')], ['by', t('by')], ['status', t('status')], ['comment', t('comment')]],
      (data.graphHistory ?? []).map((g) => ({ ...g, status: label('st', g.status), comment: g.fromStatus ? t('fromStatus', label('st', g.fromStatus)) : '' })))),
    section(t('audit'), table([['at', t('at')], ['by', t('by')], ['action', t('action')], ['outcome', t('outcome')], ['comment', t('comment')]],
      (data.audit ?? []).map((e) => ({ ...e, action: e.actionText ?? e.action, outcome: e.outcomeText ?? e.outcome })))),
    section(t('checklist'), checklist
      ? [h('fluent-progress-bar', { max: String(Math.max(checklist.total, 1)), value: String(checklist.done), 'aria-label': t('checklistProgress', checklist.done, checklist.total) }),
        h('p', {}, t('checklistProgress', checklist.done, checklist.total)),
        table([['text', t('checklist')], ['doneBy', t('by')], ['doneAt', t('at')]], checklist.steps)]
      : h('p', {}, t('noChecklist'))),
    section(t('cards'), (data.cards ?? []).length > 0
      ? h('ul', {}, data.cards.filter((c) => /^https:\/\//.test(c.deepLink ?? '')).map((c) => h('li', {}, h('a', { href: c.deepLink, target: '_blank', rel: 'noopener noreferrer' }, t('openCard', c.conversationName || t('aCard'))))))
      : h('p', {}, t('none'))));
  if (focus) {
    focusHeading();
  }
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value ?? '')];
}

// ---- a customer's alerts ----

async function showCustomer(tenantId, focus) {
  state.view = 'customer';
  state.customerId = tenantId;
  let data;
  try {
    data = await getJson(`/api/dashboard/customers/${encodeURIComponent(tenantId)}`);
  } catch (error) {
    put(view(), backButton(), h('p', { role: 'alert' }, errorText(error)));
    return;
  }

  if (state.view !== 'customer' || state.customerId !== tenantId) {
    return;
  }

  const customer = data.customer ?? {};
  put(view(), 
    backButton(),
    h('h2', { tabindex: '-1' }, t('customerTitle', customer.name ?? tenantId)),
    h('dl', { class: 'facts' },
      fact(t('domain'), customer.domain),
      fact(t('reseller'), typeof customer.reseller === 'object' && customer.reseller ? customer.reseller.name : customer.reseller),
      fact(t('openCount'), data.open),
      fact(t('decidedCount'), data.decided)),
    alertTable(data.alerts ?? [], false, false));
  if (focus) {
    focusHeading();
  }
}

// ---- the response-time panel ----

async function showScore() {
  state.view = 'score';
  put(view(), h('h2', { tabindex: '-1' }, t('scoreTitle')), h('p', { 'aria-busy': 'true' }, t('loading')));
  focusHeading();
  let data;
  try {
    data = await getJson('/api/dashboard/score');
  } catch (error) {
    put(view(), h('h2', { tabindex: '-1' }, t('scoreTitle')), h('p', { role: 'alert' }, errorText(error)));
    return;
  }

  if (state.view !== 'score') {
    return;
  }

  const partner = data.partner ?? {};
  const team = data.team ?? {};
  const requirement = partner.requirement ?? {};
  put(view(), 
    h('h2', { tabindex: '-1' }, t('scoreTitle')),
    h('div', { class: 'panels' },
      h('section', { class: 'panel', id: 'partner-score' },
        h('h3', {}, t('partnerScore')),
        partner.available
          ? [h('p', { class: 'big' }, t('scoreValue', partner.score ?? '–', partner.maxScore ?? '–')),
            h('p', {}, t('compliance', requirement.compliance ?? '–')),
            h('p', {}, t('partnerAverage', hours(requirement.averageResponseTimeInHours)))]
          : h('p', {}, t('scoreUnavailable', label('reason', partner.reason) || '–'))),
      h('section', { class: 'panel', id: 'team-score' },
        h('h3', {}, t('teamTitle')),
        h('p', { class: 'big' }, t('teamSummary', team.count ?? 0, hours(team.medianHours), hours(team.p90Hours))),
        partner.available && requirement.averageResponseTimeInHours !== undefined
          ? h('p', {}, t('teamVsPartner', hours(requirement.averageResponseTimeInHours), hours(team.medianHours)))
          : null)),
    section(t('trend'), trendChart(team.weeks ?? [], partner.available ? requirement.history ?? [] : []),
      table([['weekStart', t('week')], ['count', t('count')], ['medianHours', t('median')], ['p90Hours', t('p90')]],
        (team.weeks ?? []).map((w) => ({ ...w, weekStart: (w.weekStart ?? '').slice(0, 10), medianHours: hours(w.medianHours), p90Hours: hours(w.p90Hours) })))),
    section(t('byType'), table([['type', t('type')], ['count', t('count')], ['medianHours', t('median')], ['p90Hours', t('p90')]],
      (team.byType ?? []).map((row) => ({ ...row, medianHours: hours(row.medianHours), p90Hours: hours(row.p90Hours) })))),
    section(t('slowest'), (team.slowest ?? []).length > 0
      ? h('ol', { id: 'slowest' }, team.slowest.map((a) => h('li', {},
        h('button', { type: 'button', class: 'link', onclick: () => showDetail(a.id, true) }, a.id),
        ` — ${a.type ?? ''}, ${a.customerName ?? ''}: ${hours(a.hours)} ${t('hours')}`)))
      : h('p', {}, t('none'))));
}

/** A small SVG line chart: the team's weekly median and p90, and Microsoft's average history. */
function trendChart(weeks, history) {
  const width = 480;
  const height = 160;
  const pad = 28;
  const series = [
    ['median', weeks.map((w) => [Date.parse(w.weekStart), w.medianHours])],
    ['p90', weeks.map((w) => [Date.parse(w.weekStart), w.p90Hours])],
    ['partner', history.map((p) => [Date.parse(p.at), p.averageResponseTimeInHours])],
  ].map(([name, points]) => [name, points.filter(([x, y]) => Number.isFinite(x) && y !== null && y !== undefined && Number.isFinite(Number(y)))]);
  const all = series.flatMap(([, points]) => points);
  if (all.length === 0) {
    return h('p', {}, t('none'));
  }

  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => Number(y));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const y1 = Math.max(1, ...ys);
  const px = (x) => (x1 === x0 ? width / 2 : pad + ((x - x0) / (x1 - x0)) * (width - 2 * pad));
  const py = (y) => height - pad - (Number(y) / y1) * (height - 2 * pad);
  const names = { median: t('legendMedian'), p90: t('legendP90'), partner: t('legendPartner') };
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'trend-title', class: 'trend', id: 'trend-chart' },
    s('title', { id: 'trend-title' }, t('trendLabel')),
    s('line', { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: 'axis' }),
    s('line', { x1: pad, y1: pad, x2: pad, y2: height - pad, class: 'axis' }),
    s('text', { x: 2, y: pad, class: 'tick' }, `${hours(y1)} h`),
    s('text', { x: 2, y: height - pad, class: 'tick' }, '0'),
    series.filter(([, points]) => points.length > 0).map(([name, points]) => [
      s('polyline', { class: `series series-${name}`, points: points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ') }),
      points.map(([x, y]) => s('circle', { class: `series-${name}`, cx: px(x).toFixed(1), cy: py(y).toFixed(1), r: 3 })),
    ]));
  const legend = h('ul', { class: 'legend' }, series.filter(([, points]) => points.length > 0).map(([name]) => h('li', { class: `legend-${name}` }, names[name])));
  return h('figure', {}, svg, legend);
}

start();
