'use strict';
// Presents the token once: the silo answers with a read-only session cookie (for the dashboard and page loads),
// and the token itself stays in this tab's sessionStorage for the API calls that change things.
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = document.getElementById('token').value.trim();
  const error = document.getElementById('error');
  const response = await fetch('/api/session', { method: 'POST', headers: { Authorization: 'Bearer ' + token } });
  if (!response.ok) {
    error.textContent = response.status === 401 ? 'That token is not right.' : 'The silo answered ' + response.status + '.';
    error.hidden = false;
    return;
  }
  sessionStorage.setItem('excl.token', token);
  location.replace('/' + location.hash);
});
