'use strict';
// Deleting a sweep from its page: a button that app.js places, shown only while the sweep is not running (a running
// sweep is cancelled or paused first, as the API insists). One confirm(), then the sweep and everything stored for it
// is gone, and the page goes back to the list. `api`, `el` and `stopPolling` are app.js's.

const SweepDelete = {
  button(id, note) {
    const button = el('button', { class: 'danger', id: 'delete', hidden: true, title: 'remove this sweep and its runs, trajectories, checkpoints and logs' }, 'Delete');
    button.addEventListener('click', async () => {
      const runs = Number(button.dataset.runs || 0);
      if (!confirm('Delete sweep ' + id + ' and its ' + runs + ' runs? This cannot be undone.')) return;
      button.disabled = true;
      try {
        await api('/api/sweeps/' + encodeURIComponent(id), { method: 'DELETE' });
        // Nothing to poll any more: the next read of this sweep would be a 404.
        stopPolling();
        location.hash = '#/';
      } catch (e) { note.textContent = e.message; button.disabled = false; }
    });
    return button;
  },

  update(button, sweep) {
    button.hidden = sweep.status === 'running';
    button.dataset.runs = String(Object.values(sweep.counts || {}).reduce((a, b) => a + b, 0));
  },
};
