// Keeps a job's progress page live between its meta-refresh reloads.
//
// The page works without this script: it reloads itself every few seconds. With it, the
// progress line and bar update every second, and the page reloads as soon as the job
// finishes so the download link appears at once.

const POLL_MILLISECONDS = 1000;

function watch(container) {
  const statusUrl = container.dataset.statusUrl;
  const text = container.querySelector("[data-job-progress]");
  const bar = container.querySelector("[data-job-bar]");
  if (!statusUrl || container.dataset.status === "done" || container.dataset.status === "failed") {
    return;
  }
  async function poll() {
    try {
      const response = await fetch(statusUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const status = await response.json();
      if (status.finished) {
        window.location.reload();
        return;
      }
      const percent = status.percent === null ? "" : ` (${status.percent}%)`;
      text.textContent = `${status.progress}${percent}`;
      if (bar && status.percent !== null) bar.value = status.percent;
    } catch {
      // The next reload tries again.
    }
    window.setTimeout(poll, POLL_MILLISECONDS);
  }
  window.setTimeout(poll, POLL_MILLISECONDS);
}

for (const container of document.querySelectorAll('[data-module="app-job-progress"]')) {
  watch(container);
}
