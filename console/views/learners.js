// Staff: the organisation's learners with their sync state (for a failure, Xero's words and what to
// do), and a learner's page: Manual Sync, their invoices with the PDF, and their logbook.
import { badge, busy, h, section, table, when } from "../ui.js";
import { invoicesPanel } from "./invoices.js";

const STATES = ["", "FAILED", "PENDING", "SYNCED", "NOT_SYNCED"];
const SYNC_POLL_MS = 1500;

/** What staff do about a state, beside what Xero said. */
function advice(learner) {
  switch (learner.state) {
    case "FAILED":
      return "Correct the learner in the LRM and save, then press Manual Sync.";
    case "PENDING":
      return "Queued: it reaches Xero within moments, or when Xero's limits allow.";
    case "NOT_SYNCED":
      return "Sync to Xero is off for this learner.";
    default:
      return "";
  }
}

export async function learnersScreen(ctx) {
  const { api, main } = ctx;
  const state = h("select", { id: "learner-state", name: "state" },
    STATES.map((s) => h("option", { value: s }, s ? s.replace("_", " ").toLowerCase() : "all states")));
  const results = h("div", { id: "learner-list", "aria-live": "polite" });
  const more = h("button", { type: "button", class: "secondary", hidden: true }, "Show more");
  let cursor = null;
  let rows = [];

  async function load(reset) {
    if (reset) {
      cursor = null;
      rows = [];
    }
    const query = new URLSearchParams();
    if (state.value) {
      query.set("state", state.value);
    }
    if (cursor) {
      query.set("cursor", cursor);
    }
    const page = await api.get("/v1/learners" + (query.toString() ? "?" + query : ""));
    rows = rows.concat(page.learners);
    cursor = page.nextCursor || null;
    more.hidden = !cursor;
    results.replaceChildren(table("Learners", ["Learner", "Name", "Sync state", "Xero contact", "Last synced", "Xero said / what to do"],
      rows.map((l) => [
        h("a", { href: "#/learners/" + encodeURIComponent(l.learnerId) }, l.learnerId),
        `${l.firstName || ""} ${l.lastName || ""}`.trim() + (l.refInternal ? ` (${l.refInternal})` : ""),
        badge(l.state),
        l.contactName || "—",
        when(l.lastSyncedAt),
        h("div", {}, l.error ? h("p", { class: "xero-words" }, l.error) : null, h("p", { class: "muted" }, advice(l))),
      ]), "No learners in this state."));
  }

  state.addEventListener("change", () => load(true).catch(ctx.failed));
  more.addEventListener("click", () => busy(more, () => load(false).catch(ctx.failed)));
  main.append(section("Learners",
    h("div", { class: "field inline" }, h("label", { for: "learner-state" }, "Show"), state),
    results, more));
  await load(true);
}

export async function learnerScreen(ctx, learnerId) {
  const { api, main, notice, failed, onLeave } = ctx;
  const path = "/v1/learners/" + encodeURIComponent(learnerId);
  const status = h("div", { id: "learner-status", "aria-live": "polite" });
  const invoices = h("div", { id: "learner-invoices" });
  const logbook = h("div", { id: "learner-logbook" });
  let timer = null;
  onLeave(() => clearTimeout(timer));

  async function showStatus() {
    const s = await api.get(path + "/xero");
    status.replaceChildren(h("dl", { class: "facts" },
      h("dt", {}, "State"), h("dd", { "data-test": "sync-state" }, badge(s.state)),
      h("dt", {}, "Sync to Xero"), h("dd", {}, s.syncToXero ? "on" : "off"),
      h("dt", {}, "Xero contact"), h("dd", {}, s.contactName ? `${s.contactName} (${s.contactNumber || "no number"})` : "—"),
      h("dt", {}, "Last synced"), h("dd", {}, when(s.lastSyncedAt)),
      s.error ? [h("dt", {}, "Xero said"), h("dd", { class: "xero-words" }, s.error)] : null,
      s.mergedInto ? [h("dt", {}, "Merged into"), h("dd", {}, s.mergedInto)] : null,
      advice(s) ? [h("dt", {}, "What to do"), h("dd", {}, advice(s))] : null));
    return s;
  }

  async function showInvoices() {
    const { element } = await invoicesPanel(ctx, learnerId);
    invoices.replaceChildren(element);
  }

  async function showLogbook() {
    const { entries } = await api.get(path + "/logbook");
    logbook.replaceChildren(table("Logbook, newest first", ["When", "What", "Summary"],
      entries.slice(0, 50).map((e) => [when(e.at), e.kind, e.summary]), "Nothing logged yet."));
  }

  const sync = h("button", { type: "button", id: "manual-sync" }, "Manual Sync");
  const syncProgress = h("progress", { hidden: true, "aria-label": "Manual Sync in progress" });
  sync.addEventListener("click", () => busy(sync, async () => {
    try {
      await api.post(path + "/sync");
      notice("Manual Sync queued: sending the learner to Xero and fetching their invoices.");
      syncProgress.hidden = false;
      const deadline = Date.now() + 120000;
      // Follow it until Xero has answered (or two minutes have passed: it then stays queued).
      const poll = async () => {
        const s = await showStatus();
        if (s.state === "PENDING" && Date.now() < deadline) {
          timer = setTimeout(() => poll().catch(failed), SYNC_POLL_MS);
          return;
        }
        syncProgress.hidden = true;
        notice(s.state === "SYNCED" ? "Learner synced to Xero." : `Manual Sync: ${s.state.toLowerCase()}.`);
        await showInvoices();
        await showLogbook();
      };
      await poll();
    } catch (e) {
      syncProgress.hidden = true;
      failed(e);
    }
  }));
  const refresh = h("button", { type: "button", class: "secondary", id: "refresh-invoices" }, "Refresh invoices");
  refresh.addEventListener("click", () => busy(refresh, () => showInvoices().catch(failed)));

  main.append(
    h("p", {}, h("a", { href: "#/learners" }, "← All learners")),
    section(`Learner ${learnerId}`, status, h("div", { class: "actions" }, sync, syncProgress)),
    section("Invoices from Xero", h("div", { class: "actions" }, refresh), invoices),
    section("Logbook", logbook));
  await showStatus();
  await showInvoices();
  await showLogbook();
}
