'use strict';
// Pausing, resuming and retrying from the sweep's page: buttons that app.js places, and what they send.
// `api`, `el`, `badge` and `schedule` are app.js's; a change re-reads the sweep and polls again (a retried run of a
// finished sweep makes it live again).

const SweepActions = {
  // The pause button: enabled while the sweep runs. Resume (app.js's button) continues a paused sweep.
  pauseButton(id, note, changed) {
    const button = el('button', { id: 'pause' }, 'Pause');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await api('/api/sweeps/' + encodeURIComponent(id) + '/pause', { method: 'POST' });
        note.textContent = 'paused: running runs stop at their next checkpoint';
        await changed();
      } catch (e) { note.textContent = e.message; button.disabled = false; }
    });
    return button;
  },

  update(pauseButton, resumeButton, status) {
    pauseButton.disabled = status !== 'running';
    // Resume wakes a paused sweep, and a running one whose runs lost their silo.
    resumeButton.disabled = status !== 'running' && status !== 'paused';
  },

  finished(status) { return ['completed', 'stopped', 'diverged', 'failed', 'cancelled'].includes(status); },

  // A leaderboard row's retry button, for a finished run of a sweep that can train again.
  retryButton(id, number, status, sweepStatus, note, changed) {
    if (!SweepActions.finished(status) || sweepStatus === 'cancelled') return '';
    const button = el('button', { class: 'small retry', 'data-retry': number, title: 'train this run again from scratch as a new attempt' }, 'Retry');
    button.addEventListener('click', async (event) => {
      event.stopPropagation();
      button.disabled = true;
      try {
        await api('/api/sweeps/' + encodeURIComponent(id) + '/retry', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ runs: [number] }) });
        note.textContent = 'run ' + number + ' retried as a new attempt';
        await changed();
      } catch (e) { note.textContent = e.message; button.disabled = false; }
    });
    return button;
  },

  // The run page's facts about attempts: which one this is, and how the earlier ones ended.
  attemptRows(run, earlier, row) {
    if (!earlier || earlier.length === 0) return [];
    return [row('attempt', String(run.attempt)), ...earlier.map((a) => row('attempt ' + a.attempt,
      el('span', { class: 'earlier-attempt', 'data-attempt': a.attempt }, badge(a.status), ' ', a.epochs.length + ' epochs', a.reason ? ' · ' + a.reason : '')))];
  },
};
