'use strict';
// The sweep page's "Edits" card: a small form that changes a running or paused sweep (PATCH /api/sweeps/{id}, the same document as
// `excl edit --file`), the list of every change made (GET /api/sweeps/{id}/edits), and the mark on leaderboard rows whose
// run lies outside the current space. The sweep checks the edit; its error (naming the setting) shows under the form.
// Uses app.js's helpers (el, api, getJson, parseSweepFile); every value reaches the DOM as text.

class SweepEditsPanel {
  constructor(id, onEdited) {
    this.id = id;
    this.onEdited = onEdited;
    this.base = '/api/sweeps/' + encodeURIComponent(id);
    this.outside = new Set();
    this.formFor = null;
    this.events = el('tbody');
    this.note = el('p', { class: 'muted', id: 'edit-outside' });
    // novalidate: the sweep checks the edit and its error names the field; the browser's own checks would say less.
    this.form = el('form', { id: 'edit-form', class: 'edit-form', novalidate: true });
    this.message = el('p', { id: 'edit-message' });
    this.element = el('div', { class: 'card', id: 'edits' }, el('h2', {}, 'Edits'),
      el('table', { id: 'edit-events' }, el('thead', {}, el('tr', {}, ['Edit', 'Time', 'From run', 'Setting', 'Old', 'New'].map((h) => el('th', {}, h)))), this.events),
      this.note, this.form, this.message);
  }

  // Called on every poll of the sweep page: the events and the marks follow the sweep; the form is rebuilt only when the
  // sweep file changed (an edit), so a poll never erases what the user is typing.
  async refresh(sweep, board) {
    const log = await getJson(this.base + '/edits');
    this.outside = new Set(log.outside_runs);
    this.events.replaceChildren(...(log.events.length === 0
      ? [el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No edits: the sweep runs as submitted.'))]
      : log.events.map((e) => el('tr', { class: 'edit-event' },
        el('td', { class: 'num' }, String(e.edit)),
        el('td', {}, new Date(e.at).toLocaleString()),
        el('td', { class: 'num' }, String(e.first_run)),
        el('td', {}, e.path),
        el('td', {}, e.old === null ? '–' : e.old),
        el('td', {}, e.new === null ? '–' : e.new)))));
    this.note.textContent = this.outside.size
      ? 'Runs outside the current space (kept in the history): ' + [...this.outside].join(', ')
      : '';
    this.mark(board);
    const running = sweep.status === 'running' || sweep.status === 'paused';
    if (!running) this.form.replaceChildren(el('p', { class: 'muted' }, 'Only a running sweep can be edited.'));
    else if (this.formFor !== log.spec_json) this.buildForm(parseSweepFile(log.spec_json));
    this.formFor = running ? log.spec_json : null;
  }

  mark(board) {
    for (const row of board.querySelectorAll('tr.run-row')) {
      const outside = this.outside.has(Number(row.dataset.run));
      row.classList.toggle('outside-space', outside);
      const cell = row.children[2];
      const tag = cell && cell.querySelector('.outside-tag');
      if (outside && cell && !tag) cell.append(' ', el('span', { class: 'muted outside-tag' }, 'outside the current space'));
      if (!outside && tag) tag.remove();
    }
  }

  buildForm(spec) {
    const search = spec.search || {};
    const inputs = [];
    const field = (label, input) => { inputs.push(input); return el('label', {}, label + ' ', input); };
    const number = (name, value) => el('input', { type: 'number', name, placeholder: value === undefined ? '' : String(value), min: 1, step: 1 });
    const rows = [
      el('div', { class: 'controls' },
        field('max runs', number('max_runs', spec.max_runs)),
        field('concurrency', number('concurrency', spec.concurrency === undefined ? 8 : spec.concurrency)),
        // The sweep file's own text ("2h"); "none" removes the limit.
        field('time budget', el('input', { type: 'text', name: 'time_budget', size: 8, placeholder: spec.time_budget || 'e.g. 2h' })))];
    for (const [name, domain] of Object.entries(search.space || {})) {
      const [kind, arg] = Object.entries(domain)[0];
      if (kind === 'values') {
        rows.push(el('div', { class: 'controls', 'data-parameter': name }, el('b', {}, name), ' ', el('span', { class: 'muted' }, JSON.stringify(arg)),
          field('add', el('input', { type: 'text', name: 'add:' + name, placeholder: 'values, comma-separated' })),
          field('remove', el('input', { type: 'text', name: 'remove:' + name, placeholder: 'values, comma-separated' }))));
      } else {
        rows.push(el('div', { class: 'controls', 'data-parameter': name }, el('b', {}, name), ' ', el('span', { class: 'muted' }, kind),
          field('low', el('input', { type: 'text', name: 'low:' + name, value: String(arg[0]) })),
          field('high', el('input', { type: 'text', name: 'high:' + name, value: String(arg[1]) }))));
      }
    }
    rows.push(el('div', { class: 'controls' },
      field('stopping setting', el('input', { type: 'text', name: 'stop-key', placeholder: 'e.g. warmup_epochs' })),
      field('=', el('input', { type: 'text', name: 'stop-value' }))));
    const submit = el('button', { type: 'submit', id: 'edit-submit' }, 'Apply edit');
    this.form.replaceChildren(...rows, submit);
    this.form.onsubmit = async (event) => {
      event.preventDefault();
      const edit = SweepEditsPanel.document(spec, this.form);
      if (Object.keys(edit).length === 0) { this.message.textContent = 'Nothing to change.'; return; }
      submit.disabled = true;
      try {
        await api(this.base, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(edit) });
        this.message.className = 'muted';
        this.message.textContent = 'Edit applied.';
        this.formFor = null;
        await this.onEdited();
      } catch (e) {
        this.message.className = 'error';
        this.message.textContent = e.message;
      } finally {
        submit.disabled = false;
      }
    };
  }

  // The edit document from the form: only what the user changed. A range is sent when either end differs from the file.
  static document(spec, form) {
    const edit = {};
    const value = (name) => { const input = form.elements.namedItem(name); return input ? input.value.trim() : ''; };
    if (value('max_runs')) edit.max_runs = Number(value('max_runs'));
    if (value('concurrency')) edit.concurrency = Number(value('concurrency'));
    if (value('time_budget')) edit.time_budget = value('time_budget') === 'none' ? null : value('time_budget');
    const space = {};
    for (const [name, domain] of Object.entries((spec.search || {}).space || {})) {
      const [kind, arg] = Object.entries(domain)[0];
      if (kind === 'values') {
        const change = {};
        if (value('add:' + name)) change.add = SweepEditsPanel.values(value('add:' + name));
        if (value('remove:' + name)) change.remove = SweepEditsPanel.values(value('remove:' + name));
        if (Object.keys(change).length) space[name] = change;
      } else if (value('low:' + name) !== String(arg[0]) || value('high:' + name) !== String(arg[1])) {
        space[name] = { range: [Number(value('low:' + name)), Number(value('high:' + name))] };
      }
    }
    if (Object.keys(space).length) edit.search = { space };
    if (value('stop-key')) edit.early_stopping = { settings: { [value('stop-key')]: SweepEditsPanel.parse(value('stop-value')) } };
    return edit;
  }

  // Comma-separated values; a comma inside brackets belongs to its value ([64,64]).
  static values(text) {
    const out = [];
    let depth = 0, start = 0;
    for (let i = 0; i <= text.length; i++) {
      const c = text[i];
      if (i === text.length || (c === ',' && depth === 0)) { out.push(SweepEditsPanel.parse(text.slice(start, i).trim())); start = i + 1; }
      else if (c === '[' || c === '{') depth++;
      else if (c === ']' || c === '}') depth--;
    }
    return out;
  }

  static parse(text) {
    try { return JSON.parse(text); } catch (e) { return text; }
  }
}
