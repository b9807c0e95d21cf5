// Steward dashboard: the rules page's enhancements. The page works without
// this script (the backtest page has a refresh link).
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  // A running backtest: poll its progress every second, then reload the
  // page once it is done to show the report the server renders.
  const bar = document.querySelector('progress[data-backtest]');
  if (!bar || bar.dataset.status !== 'running') return;
  const id = bar.dataset.backtest;
  const done = document.getElementById('backtest-done');
  const total = document.getElementById('backtest-total');
  let timer = null;
  const poll = async () => {
    let job;
    try {
      const response = await fetch(`/api/v1/backtests/${encodeURIComponent(id)}`, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      if (!response.ok) {
        window.clearInterval(timer);
        return;
      }
      job = await response.json();
    } catch (_) {
      return; // A network hiccup: try again on the next tick.
    }
    const max = Math.max(job.total_events, 1);
    bar.max = max;
    bar.value = Math.min(job.done_events, max);
    bar.textContent = `${job.done_events} / ${job.total_events}`;
    if (done) done.textContent = String(job.done_events);
    if (total) total.textContent = String(job.total_events);
    if (job.status !== 'running') {
      window.clearInterval(timer);
      window.location.reload();
    }
  };
  timer = window.setInterval(poll, 1000);
});
