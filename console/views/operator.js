// Operator (the integration vendor's support staff): every organisation's connection health,
// budget, failing learners and running re-sync; dead letters by queue, organisation and reason,
// with replay (dry run first). Built against the proposed operator routes:
//   GET  /v1/operator/organisations
//        -> {organisations: [{orgId, status, tenantId, tenantName, connectedAt, lastError,
//            budget: {minuteRemaining, dayRemaining, at}, failingLearners,
//            resync: null | {jobId, state, from, to, eta}}]}
//   GET  /v1/operator/organisations/{orgId}/failing-learners
//        -> {orgId, learners: [{learnerId, refInternal, firstName, lastName, error, updatedAt}]}
//   GET  /v1/operator/dead-letters?queue=&orgId=&reason=
//        -> {total, groups: [{queue, orgId, reason, count, oldestAt,
//            samples: [{messageId, kind, orgId, learnerId, reason, sentAt, receiveCount}]}]}
//   POST /v1/operator/dead-letters:replay {queue, orgId?, reason?, dryRun}
//        -> {dryRun, queue, orgId, reason, matched, replayed}
import { ApiError } from "../api.js";
import { badge, busy, h, section, table, when } from "../ui.js";

/** Until the operator routes are deployed, the screen says so in words instead of failing. */
function notYet(e) {
  return e instanceof ApiError && (e.status === 404 || e.status === 501);
}

const NOT_YET = "The operator routes (GET /v1/operator/organisations, …/failing-learners, /v1/operator/dead-letters, "
  + "POST /v1/operator/dead-letters:replay) are not available on this API yet.";

export async function operatorScreen(ctx) {
  const { api, main, notice, failed } = ctx;
  const orgs = h("div", { id: "operator-orgs", "aria-live": "polite" });
  const failing = h("div", { id: "operator-failing", "aria-live": "polite" });
  const letters = h("div", { id: "operator-dead-letters", "aria-live": "polite" });
  const replayResult = h("div", { id: "operator-replay", "aria-live": "polite" });

  async function showFailing(orgId) {
    try {
      const r = await api.get(`/v1/operator/organisations/${encodeURIComponent(orgId)}/failing-learners`);
      failing.replaceChildren(table(`Failing learners of ${orgId}`, ["Learner", "Name", "Xero said / what to do", "Since"],
        r.learners.map((l) => [l.learnerId, `${l.firstName || ""} ${l.lastName || ""} (${l.refInternal || "?"})`,
          h("span", { class: "xero-words" }, l.error || "—"), when(l.updatedAt)]), "No failing learner."));
    } catch (e) {
      failed(e);
    }
  }

  async function showOrganisations() {
    const r = await api.get("/v1/operator/organisations");
    orgs.replaceChildren(table("Organisations", ["Organisation", "Xero", "Status", "Calls left (minute / day)",
      "Failing learners", "Re-sync"],
    r.organisations.map((o) => [o.orgId, o.tenantName || "—",
      h("div", {}, badge(o.status), o.lastError ? h("p", { class: "muted" }, o.lastError) : null),
      o.budget ? `${o.budget.minuteRemaining ?? "?"} / ${o.budget.dayRemaining ?? "?"}` : "—",
      o.failingLearners > 0
        ? h("button", { type: "button", class: "link", onclick: () => showFailing(o.orgId),
          "aria-label": `Show the ${o.failingLearners} failing learners of ${o.orgId}` }, String(o.failingLearners))
        : "0",
      o.resync ? h("span", {}, badge(o.resync.state), ` ${o.resync.from || ""}–${o.resync.to || ""}`) : "none"]),
    "No organisation is connected."));
  }

  const queue = h("select", { id: "dl-queue", name: "queue" },
    ["", "learner-sync", "invoice-events", "resync-pages", "pdf-fetch"].map((q) => h("option", { value: q }, q || "every queue")));
  const orgId = h("input", { id: "dl-org", name: "orgId", autocomplete: "off" });
  const reason = h("input", { id: "dl-reason", name: "reason", autocomplete: "off" });
  const search = h("button", { type: "submit", id: "dl-search" }, "Show dead letters");
  const dryRun = h("button", { type: "button", id: "dl-dry-run", class: "secondary", disabled: true }, "Replay: dry run");
  const replay = h("button", { type: "button", id: "dl-replay", class: "danger", disabled: true }, "Replay");
  const filter = () => {
    const f = {};
    for (const [k, el] of [["queue", queue], ["orgId", orgId], ["reason", reason]]) {
      if (el.value.trim()) {
        f[k] = el.value.trim();
      }
    }
    return f;
  };

  async function showDeadLetters() {
    const r = await api.get("/v1/operator/dead-letters?" + new URLSearchParams(filter()));
    letters.replaceChildren(h("p", {}, `${r.total} dead letters.`),
      table("Dead letters by queue, organisation and reason", ["Queue", "Organisation", "Reason", "Count", "Oldest", "Samples"],
        r.groups.map((g) => [g.queue, g.orgId || "—", g.reason, String(g.count), when(g.oldestAt),
          h("ul", {}, (g.samples || []).map((s) => h("li", {}, `${s.kind || "?"} ${s.learnerId || ""} ${s.messageId} `
            + `(received ${s.receiveCount}×, ${when(s.sentAt)})`)))]), "No dead letters."));
    dryRun.disabled = !filter().queue;
    replay.disabled = true;
    return r;
  }

  const form = h("form", { class: "form", "aria-label": "Dead letters" },
    h("div", { class: "field" }, h("label", { for: "dl-queue" }, "Queue"), queue),
    h("div", { class: "field" }, h("label", { for: "dl-org" }, "Organisation"), orgId),
    h("div", { class: "field" }, h("label", { for: "dl-reason" }, "Reason"), reason),
    h("div", { class: "actions" }, search, dryRun, replay),
    h("p", { class: "muted" }, "Pick a queue to replay: a dry run says what would be replayed; only then can you replay."));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(search, () => showDeadLetters().catch((err) => (notYet(err) ? notice(NOT_YET) : failed(err))));
  });
  dryRun.addEventListener("click", () => busy(dryRun, async () => {
    try {
      const r = await api.post("/v1/operator/dead-letters:replay", { ...filter(), dryRun: true });
      replayResult.replaceChildren(h("p", {}, `Dry run: ${r.matched} messages would be replayed to ${r.queue}.`));
      replay.disabled = r.matched === 0;
      replay.textContent = `Replay ${r.matched} messages`;
    } catch (err) {
      failed(err);
    }
  }));
  replay.addEventListener("click", () => {
    if (!confirm(replay.textContent + "? Each is processed again as if new.")) {
      return;
    }
    busy(replay, async () => {
      try {
        const r = await api.post("/v1/operator/dead-letters:replay", { ...filter(), dryRun: false });
        replayResult.replaceChildren(h("p", {}, `Replayed ${r.replayed} of ${r.matched} messages to ${r.queue}.`));
        replay.disabled = true;
        await showDeadLetters();
      } catch (err) {
        failed(err);
      }
    });
  });

  main.append(
    section("Organisations", h("p", { class: "muted" }, "Every organisation's connection, Xero budget, failing learners "
      + "and running re-sync. Your actions here are logged with your name."), orgs, failing),
    section("Dead letters", form, letters, replayResult));
  try {
    await showOrganisations();
  } catch (e) {
    if (!notYet(e)) {
      throw e;
    }
    orgs.replaceChildren(h("div", { class: "guidance", role: "note", id: "operator-not-yet" }, h("p", {}, NOT_YET),
      h("p", {}, "This screen is ready for them; until they are deployed it can show nothing.")));
  }
}
