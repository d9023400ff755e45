// Re-sync of a date range (admin) with its live state, progress and ETA, and the history of jobs
// (staff see the history and follow a running job).
import { ApiError } from "../api.js";
import { badge, busy, fromNow, h, section, table, today, when } from "../ui.js";

const POLL_MS = 2000;
const FINISHED = ["DONE", "FAILED"];

const CHECKED_LABELS = [["invoices", "invoices"], ["payments", "payments"], ["creditNotes", "credit notes"],
  ["prepayments", "prepayments"], ["overpayments", "overpayments"], ["learners", "learners"], ["pdfs", "PDFs"]];

/** "120 invoices, 45 payments, …": what a job examined, the records that were zero left out. */
export function checkedWords(checked) {
  if (!checked) {
    return "—";
  }
  const parts = CHECKED_LABELS.filter(([k]) => checked[k] > 0).map(([k, label]) => `${checked[k]} ${label}`);
  return parts.length ? parts.join(", ") : "nothing yet";
}

function changedWords(counts) {
  if (!counts) {
    return "—";
  }
  return `${counts.invoices} invoice records, ${counts.pdfs} PDFs, ${counts.learners} learners`
    + (counts.failed ? `, ${counts.failed} failed` : "");
}

function range(job) {
  return job.kind === "NIGHTLY" ? `nightly, changes since ${when(job.since)}` : `${job.from} to ${job.to}`;
}

/** The live view of one job: state, a progress bar, what changed and was checked, the ETA. */
function jobView(job) {
  const total = job.pages && job.pages.total;
  const done = job.pages ? job.pages.done : 0;
  const finished = FINISHED.includes(job.state);
  const bar = finished
    ? h("progress", { max: 1, value: 1, "aria-label": "Re-sync progress" })
    : total ? h("progress", { max: total, value: Math.min(done, total), "aria-label": "Re-sync progress" })
      : h("progress", { "aria-label": "Re-sync progress" });
  return h("div", { class: "job", "data-job": job.jobId, "data-state": job.state },
    h("p", { class: "status-line" }, "State: ", badge(job.state), " ", h("span", { class: "muted" }, range(job))),
    bar,
    h("dl", { class: "facts" },
      h("dt", {}, "Invoice pages"), h("dd", {}, total ? `${done} of ${total}` : `${done} so far`),
      h("dt", {}, "Changed"), h("dd", { "data-test": "changed" }, changedWords(job.counts)),
      h("dt", {}, "Checked"), h("dd", { "data-test": "checked" }, checkedWords(job.checked)),
      job.state === "WAITING_FOR_XERO_LIMIT"
        ? [h("dt", {}, "Waiting"), h("dd", {}, `for Xero's limit until ${when(job.resumesAt)} (${fromNow(job.resumesAt)})`)]
        : null,
      h("dt", {}, finished ? "Finished" : "Expected to end"),
      h("dd", {}, finished ? when(job.finishedAt) : `${fromNow(job.eta)} (${when(job.eta)})`),
      job.reasons ? [h("dt", {}, "Why it failed"), h("dd", {}, job.reasons.join("; "))] : null));
}

export async function resyncScreen(ctx) {
  const { api, claims, main, notice, failed, onLeave } = ctx;
  const isAdmin = claims.role === "admin";
  const live = h("div", { id: "resync-live", "aria-live": "polite" });
  const history = h("div", { id: "resync-history" });
  let timer = null;
  let stopped = false;
  onLeave(() => { stopped = true; clearTimeout(timer); });

  async function follow(jobId) {
    clearTimeout(timer);
    try {
      const job = await api.get("/v1/xero/resync/" + encodeURIComponent(jobId));
      live.replaceChildren(jobView(job));
      if (FINISHED.includes(job.state)) {
        notice(job.state === "DONE" ? `Re-sync ${range(job)} done: checked ${checkedWords(job.checked)}.`
          : `Re-sync ${range(job)} failed.`);
        await showHistory();
      } else if (!stopped) {
        timer = setTimeout(() => follow(jobId), POLL_MS);
      }
    } catch (e) {
      failed(e);
    }
  }

  async function showHistory() {
    const { jobs } = await api.get("/v1/xero/resync");
    history.replaceChildren(table("Latest re-syncs, newest first",
      ["Started", "Range", "State", "Changed", "Checked", "Finished", ""],
      jobs.map((j) => [when(j.createdAt), range(j), badge(j.state), changedWords(j.counts), checkedWords(j.checked),
        when(j.finishedAt),
        h("button", { type: "button", class: "link", onclick: () => follow(j.jobId), "aria-label": `Show re-sync ${j.jobId}` },
          "Show")]),
      "No re-sync yet."));
    return jobs;
  }

  const panels = [];
  if (isAdmin) {
    const to = today();
    const from = new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10);
    const form = h("form", { class: "form", id: "resync-form" },
      h("div", { class: "field" }, h("label", { for: "resync-from" }, "From"),
        h("input", { id: "resync-from", name: "from", type: "date", value: from, required: true, max: to })),
      h("div", { class: "field" }, h("label", { for: "resync-to" }, "To"),
        h("input", { id: "resync-to", name: "to", type: "date", value: to, required: true, max: to })),
      h("div", { class: "field check" }, h("input", { id: "resync-invoices", name: "invoices", type: "checkbox", checked: true }),
        h("label", { for: "resync-invoices" }, "Invoices, payments, credit notes and PDFs")),
      h("div", { class: "field check" }, h("input", { id: "resync-learners", name: "learners", type: "checkbox" }),
        h("label", { for: "resync-learners" }, "Send every learner with Sync to Xero again")),
      h("div", { class: "actions" }, h("button", { type: "submit", id: "resync-start" }, "Start re-sync")));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const button = form.querySelector("#resync-start");
      busy(button, async () => {
        try {
          const started = await api.post("/v1/xero/resync", {
            from: form.from.value, to: form.to.value, invoices: form.invoices.checked, learners: form.learners.checked,
          });
          notice("Re-sync started.");
          await follow(started.jobId);
        } catch (err) {
          if (err instanceof ApiError && err.problem && err.problem.runningJobId) {
            notice("A re-sync is already running: showing it.");
            await follow(err.problem.runningJobId);
          } else {
            failed(err);
          }
        }
      });
    });
    panels.push(section("Re-sync a date range",
      h("p", { class: "muted" }, "Brings the range's invoices, with their payments, credit notes, prepayments, "
        + "overpayments and PDFs, back in line with Xero. Changed counts what was updated; checked counts what was "
        + "looked at, changed or not."), form));
  }
  panels.push(section("Current re-sync", live), section("History", history));
  main.append(...panels);
  const jobs = await showHistory();
  const running = jobs.find((j) => !FINISHED.includes(j.state));
  if (running) {
    await follow(running.jobId);
  } else {
    live.replaceChildren(h("p", { class: "empty" }, "No re-sync is running."));
  }
}
