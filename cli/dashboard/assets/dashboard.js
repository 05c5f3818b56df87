// The dashboard's only script: keeps the overview current (server-sent events), runs actions and streams their
// steps. Plain browser JavaScript, no build step.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const status = $("status");
  const refreshSeconds = Number(status.dataset.refresh) || 15;
  let lastEvent = Date.now();

  const events = new EventSource("/events");
  events.addEventListener("overview", (e) => {
    lastEvent = Date.now();
    $("overview").innerHTML = e.data;
    status.textContent = `live, updated ${new Date().toLocaleTimeString()}`;
    status.classList.remove("stale");
  });
  events.onerror = () => {
    status.textContent = "connection to the dashboard lost; showing the last data (stale), retrying…";
    status.classList.add("stale");
  };
  // Mark the page stale if no update arrives for a while, even when the connection looks open.
  setInterval(() => {
    if (Date.now() - lastEvent > refreshSeconds * 2500) {
      status.textContent = `stale: no update for ${Math.round((Date.now() - lastEvent) / 1000)}s`;
      status.classList.add("stale");
    }
  }, 5000);

  const dialog = $("action-dialog");
  if (!dialog) return; // read-only
  const form = $("action-form");
  const show = (selector, visible) => form.querySelectorAll(selector).forEach((el) => (el.hidden = !visible));

  document.addEventListener("click", (e) => {
    const button = e.target.closest("button[data-action]");
    if (!button) return;
    const { action, stack, service, kind, environment } = button.dataset;
    form.reset();
    form.elements.stack.value = stack;
    form.elements.service.value = service;
    form.elements.action.value = action;
    $("action-title").textContent = `${action} ${service} on ${stack}`;
    $("action-error").textContent = "";
    show(".deploy-only", action === "deploy");
    if (action === "deploy") {
      show(".containers-only", kind === "containers");
      show(".instances-only", kind === "instances");
    }
    show(".production-only", environment === "production");
    dialog.showModal();
    const first = form.querySelector("p:not([hidden]) input");
    if (first) first.focus();
  });
  $("action-cancel").addEventListener("click", () => dialog.close());

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = new URLSearchParams(new FormData(form));
    const response = await fetch("/actions", { method: "POST", body, credentials: "same-origin" });
    const answer = await response.json().catch(() => ({ error: `the dashboard answered ${response.status}` }));
    if (!response.ok) {
      $("action-error").textContent = answer.error;
      return;
    }
    dialog.close();
    follow(answer.id, $("action-title").textContent);
  });

  function follow(id, title) {
    const run = $("run");
    run.hidden = false;
    $("run-title").textContent = title;
    const steps = $("steps");
    const output = $("output");
    const final = $("final");
    steps.replaceChildren();
    output.textContent = "";
    final.textContent = "running…";
    let current;
    const stream = new EventSource(`/actions/${id}/events`);
    stream.addEventListener("line", (e) => {
      const line = e.data;
      output.textContent += `${line}\n`;
      output.scrollTop = output.scrollHeight;
      const step = /^([▶✔✖]) (.*?)(?: \([^)]*\))?$/.exec(line);
      if (step && step[1] === "▶") {
        current = document.createElement("li");
        current.className = "running";
        current.textContent = step[2];
        steps.append(current);
      } else if (step && current) {
        current.className = step[1] === "✔" ? "done" : "failed";
        current.textContent = step[2] + line.slice(step[1].length + 1 + step[2].length);
      }
    });
    stream.addEventListener("done", (e) => {
      stream.close();
      const done = JSON.parse(e.data);
      final.textContent = `${done.result}: ${done.summary}`;
      final.dataset.result = done.result;
      run.focus();
    });
  }
})();
