'use strict';
// The run page's Log panel: the run's kept output (a command trial's log lines and standard error, and the silo's notes
// about its program), followed while the run runs. The output comes from the user's program: it reaches the page as
// text nodes only, never as HTML.

const LOG_POLL_MS = 1500;
const LOG_CHUNK = 65536;
// The most the panel holds: older text leaves from the top, as the silo itself keeps only a run's newest output.
const LOG_KEEP = 1 << 20;

class RunLogPanel {
  // url: the run's log endpoint; fetchJson: the page's GET (with its token); isCurrent: false once the page shows another view.
  constructor(url, fetchJson, isCurrent) {
    this.url = url;
    this.fetchJson = fetchJson;
    this.isCurrent = isCurrent;
    this.next = 0; // where the next request starts, in characters since the run's first output
    this.first = null; // the offset of the first character shown, once older text was dropped
    this.finished = false;
    this.failure = '';
    this.note = document.createElement('p');
    this.note.id = 'log-note';
    this.note.className = 'muted';
    this.pre = document.createElement('pre');
    this.pre.id = 'run-log';
    this.pre.className = 'log';
    this.pre.hidden = true;
    const title = document.createElement('h2');
    title.textContent = 'Log';
    this.element = document.createElement('div');
    this.element.className = 'card';
    this.element.id = 'log-card';
    this.element.append(title, this.note, this.pre);
  }

  start() { this.poll(); }

  async poll() {
    if (!this.isCurrent()) return;
    try {
      let piece;
      // A piece as long as was asked for means more is waiting: read on before waiting.
      do {
        piece = await this.fetchJson(this.url + '?from=' + this.next + '&max=' + LOG_CHUNK);
        if (!this.isCurrent()) return;
        this.add(piece);
      } while (piece.text.length >= LOG_CHUNK);
      this.finished = piece.finished;
      this.failure = '';
    } catch (e) {
      this.failure = 'Log update failed: ' + (e.message || e);
    }
    this.describe();
    if (!this.finished) setTimeout(() => this.poll(), LOG_POLL_MS);
  }

  add(piece) {
    if (piece.start > this.next) this.first = piece.start;
    this.next = piece.next;
    if (!piece.text) return;
    const pre = this.pre;
    // Follow the end only when the reader is there: someone scrolled up to read keeps their place.
    const atEnd = pre.hidden || pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.hidden = false;
    pre.append(document.createTextNode(piece.text));
    const length = pre.textContent.length;
    if (length > LOG_KEEP) {
      const text = pre.textContent;
      const newline = text.indexOf('\n', length - LOG_KEEP);
      const cut = newline < 0 ? length - LOG_KEEP : newline + 1;
      pre.textContent = text.slice(cut);
      this.first = this.next - (length - cut);
    }
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  }

  describe() {
    const parts = [];
    if (this.first !== null) parts.push('Older output was dropped (a run keeps its newest output): this shows it from character ' + this.first + '.');
    if (this.pre.hidden) parts.push(this.finished ? 'No output.' : 'No output yet.');
    if (this.failure) parts.push(this.failure);
    this.note.textContent = parts.join(' ');
    this.note.hidden = parts.length === 0;
  }
}
