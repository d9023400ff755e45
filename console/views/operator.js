// Operator (the integration vendor's support staff): every organisation's connection health,
// budget, failed learners and latest re-sync; dead letters by queue, organisation and reason,
// with replay (dry run first). The operator routes (api/openapi.yaml, tag Operations):
//   GET  /v1/operator/organisations?cursor=&limit=
//        -> {organisations: [{orgId, status, tenantId, tenantName, connectedAt, lastError, lastErrorAt,
//            budget: {minuteRemaining, dayRemaining, at}, scopes, missingScopes, xeroFailingSince, lastXeroError, failingLearners,
//            resync: null | {jobId, kind, state, from, to, since, eta, …}}], nextCursor?}
//   GET  /v1/operator/organisations/{orgId}/failing-learners?cursor=&limit=
//        -> {orgId, learners: [{learnerId, refInternal, firstName, lastName, error, updatedAt}], nextCursor?}
//   GET  /v1/operator/dead-letters?queue=&orgId=&reason=
//        -> {total, complete, groups: [{queue, orgId, reason, count, oldestAt,
//            samples: [{messageId, kind, orgId, learnerIds, reason, sentAt, receiveCount}]}]}
//   POST /v1/operator/dead-letters:replay {queue, orgId?, reason?, dryRun}
//        -> {dryRun, queue, orgId, kind, reason, matched, replayed}
import { enc } from "../api.js";
import { badge, busy, h, section, table, when } from "../ui.js";

export async function operatorScreen(ctx) {
  const { api, main, failed } = ctx;
  const orgs = h("div", { id: "operator-orgs", "aria-live": "polite" });
  const failing = h("div", { id: "operator-failing", "aria-live": "polite" });
  const letters = h("div", { id: "operator-dead-letters", "aria-live": "polite" });
  const replayResult = h("div", { id: "operator-replay", "aria-live": "polite" });

  /** A "show more" button for a paged list: calls `next` with the cursor, and goes away once pressed. */
  function more(label, cursor, next) {
    if (!cursor) {
      return null;
    }
    const button = h("button", { type: "button", class: "secondary" }, label);
    button.addEventListener("click", () => busy(button, async () => {
      try {
        await next(cursor);
        button.remove();
      } catch (e) {
        failed(e);
      }
    }));
    return h("div", { class: "actions" }, button);
  }

  async function showFailing(orgId, cursor) {
    const r = await api.get(`/v1/operator/organisations/${enc(orgId)}/failing-learners`
      + (cursor ? "?cursor=" + enc(cursor) : ""));
    const rows = table(`Failed learners of ${orgId}`, ["Learner", "Name", "Xero said / what to do", "Since"],
      r.learners.map((l) => [l.learnerId, `${l.firstName || ""} ${l.lastName || ""} (${l.refInternal || "?"})`,
        h("span", { class: "xero-words" }, l.error || "—"), when(l.updatedAt)]), "No failed learner.");
    const page = h("div", {}, rows, more("Show more failed learners", r.nextCursor, (c) => showFailing(orgId, c)));
    if (cursor) {
      failing.append(page);
    } else {
      failing.replaceChildren(page);
    }
  }

  function resync(job) {
    if (!job) {
      return "none";
    }
    const range = job.kind === "NIGHTLY" ? `nightly, since ${when(job.since)}` : `${job.from || ""}–${job.to || ""}`;
    return h("span", {}, badge(job.state), ` ${range}`);
  }

  async function showOrganisations(cursor) {
    const r = await api.get("/v1/operator/organisations" + (cursor ? "?cursor=" + enc(cursor) : ""));
    const rows = table("Organisations", ["Organisation", "Xero", "Status", "Calls left (minute / day)",
      "Failed learners", "Latest re-sync"],
    r.organisations.map((o) => [o.orgId, o.tenantName || "—",
      h("div", {}, badge(o.status), o.lastError ? h("p", { class: "muted" }, o.lastError) : null,
        o.missingScopes && o.missingScopes.length ? h("p", { class: "muted" }, "Missing scopes: " + o.missingScopes.join(", ")) : null,
        o.xeroFailingSince ? h("p", { class: "muted" }, "Xero failing since " + o.xeroFailingSince + ": " + (o.lastXeroError || "")) : null),
      o.budget && o.budget.at ? `${o.budget.minuteRemaining ?? "?"} / ${o.budget.dayRemaining ?? "?"} (${when(o.budget.at)})` : "not known yet",
      o.failingLearners > 0
        ? h("button", { type: "button", class: "link", onclick: () => showFailing(o.orgId).catch(failed),
          "aria-label": `Show the ${o.failingLearners} failed learners of ${o.orgId}` }, String(o.failingLearners))
        : "0",
      resync(o.resync)]),
    "No organisation has connected Xero yet.");
    const page = h("div", {}, rows, more("Show more organisations", r.nextCursor, showOrganisations));
    if (cursor) {
      orgs.append(page);
    } else {
      orgs.replaceChildren(page);
    }
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
  /** A replay follows a dry run of the same selection: changing the selection asks for a dry run again. */
  function needDryRun() {
    replay.disabled = true;
    replay.textContent = "Replay";
    dryRun.disabled = !filter().queue;
  }
  for (const field of [queue, orgId, reason]) {
    field.addEventListener("input", needDryRun);
    field.addEventListener("change", needDryRun);
  }

  async function showDeadLetters() {
    const r = await api.get("/v1/operator/dead-letters?" + new URLSearchParams(filter()));
    letters.replaceChildren(h("p", {}, `${r.total} dead letters.`
      + (r.complete ? "" : " A queue holds more than the 1,000 read from it: replay these, then look again.")),
    table("Dead letters by queue, organisation and reason", ["Queue", "Organisation", "Reason", "Count", "Oldest", "Oldest few"],
      r.groups.map((g) => [g.queue, g.orgId, h("span", { class: "xero-words" }, g.reason), String(g.count), when(g.oldestAt),
        h("ul", {}, (g.samples || []).map((s) => h("li", {}, `${s.kind} ${s.learnerIds.length ? "of " + s.learnerIds.join(", ") + " " : ""}`
          + `${s.messageId} (handed out ${s.receiveCount}×, dead-lettered ${when(s.sentAt)})`)))]), "No dead letters."));
    needDryRun();
    return r;
  }

  const form = h("form", { class: "form", "aria-label": "Dead letters" },
    h("div", { class: "field" }, h("label", { for: "dl-queue" }, "Queue"), queue),
    h("div", { class: "field" }, h("label", { for: "dl-org" }, "Organisation"), orgId),
    h("div", { class: "field" }, h("label", { for: "dl-reason" }, "Reason (words it contains)"), reason),
    h("div", { class: "actions" }, search, dryRun, replay),
    h("p", { class: "muted" }, "Pick a queue to replay: a dry run says what would be replayed; only then can you replay."));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(search, () => showDeadLetters().catch(failed));
  });
  dryRun.addEventListener("click", () => busy(dryRun, async () => {
    try {
      const r = await api.post("/v1/operator/dead-letters:replay", { ...filter(), dryRun: true });
      replay.disabled = r.matched === 0;
      replay.textContent = `Replay ${r.matched} messages`;
      replayResult.replaceChildren(h("p", {}, `Dry run: ${r.matched} messages would be replayed to ${r.queue}.`));
    } catch (err) {
      failed(err);
    }
  }));
  replay.addEventListener("click", async () => {
    if (!confirm(replay.textContent + "? Each is processed again as if new.")) {
      return;
    }
    await busy(replay, async () => {
      try {
        const r = await api.post("/v1/operator/dead-letters:replay", { ...filter(), dryRun: false });
        replayResult.replaceChildren(h("p", {}, `Replayed ${r.replayed} of ${r.matched} messages to ${r.queue}.`));
        await showDeadLetters();
      } catch (err) {
        failed(err);
      }
    });
    needDryRun();
  });

  main.append(
    section("Organisations", h("p", { class: "muted" }, "Every organisation's connection, Xero budget, failed learners "
      + "and latest re-sync. Your actions here are logged with your name."), orgs, failing),
    section("Dead letters", form, letters, replayResult));
  await showOrganisations();
}
