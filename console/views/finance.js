// Staff: what finance must invoice (learners synced or changed since a date, with enrolments), as CSV.
import { busy, h, section, table } from "../ui.js";

export async function financeScreen(ctx) {
  const { api, main, notice, failed } = ctx;
  const since = h("input", { id: "finance-since", name: "since", type: "date", required: true,
    value: new Date(Date.now() - 7 * 86400000).toISOString().slice(0, 10) });
  const preview = h("div", { id: "finance-preview", "aria-live": "polite" });
  const download = h("button", { type: "submit", id: "finance-csv" }, "Download CSV");
  const form = h("form", { class: "form" },
    h("div", { class: "field" }, h("label", { for: "finance-since" }, "Learners synced or changed since"), since),
    h("div", { class: "actions" }, download));

  async function showPreview() {
    // The first page's first 20: the report comes a page at a time, so the count says when more follow.
    const report = await api.get("/v1/reports/finance?limit=20&since=" + encodeURIComponent(since.value));
    const learners = report.learners || [];
    preview.replaceChildren(table(`${learners.length}${report.nextCursor ? " or more" : ""} learners to look at`,
      ["Learner", "Name", "Sync state", "Enrolments"],
      learners.slice(0, 20).map((l) => [l.learnerId, `${l.firstName || ""} ${l.lastName || ""}`.trim(), l.syncState || l.state || "—",
        (l.enrolments || []).map((e) => `${e.course} (${e.startDate || "?"}, ${e.status || "?"})`).join("; ") || "—"]),
      "No learner synced or changed since then."));
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    busy(download, async () => {
      try {
        // Every page, one after the other (X-Next-Cursor names the next), as one file with one header row.
        const parts = [];
        let cursor = null;
        do {
          const page = await api.raw("/v1/reports/finance?since=" + encodeURIComponent(since.value)
            + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""), "text/csv");
          const text = await page.text();
          parts.push(parts.length ? text.slice(text.indexOf("\r\n") + 2) : text);
          cursor = page.headers.get("x-next-cursor");
        } while (cursor);
        const blob = new Blob(parts, { type: "text/csv" });
        const link = h("a", { href: URL.createObjectURL(blob), download: `finance-since-${since.value}.csv` });
        document.body.append(link);
        link.click();
        link.remove();
        notice(`Downloaded finance-since-${since.value}.csv.`);
      } catch (err) {
        failed(err);
      }
    });
  });
  since.addEventListener("change", () => showPreview().catch(failed));
  main.append(section("Finance report", h("p", { class: "muted" },
    "The learners synced or changed since a date, with their enrolments: what finance must invoice."), form, preview));
  await showPreview();
}
