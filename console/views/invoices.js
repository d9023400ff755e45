// A learner's invoices as the API gives them, with payments, credit notes, prepayments,
// overpayments and the PDF: for staff (a learner's page) and for the learner themself.
import { busy, h, money, when } from "../ui.js";

function lines(label, items, amountOf, describe) {
  if (!items || items.length === 0) {
    return null;
  }
  return h("div", { class: "sub" }, h("h4", {}, label),
    h("ul", {}, items.map((i) => h("li", {}, describe(i), " ", h("span", { class: "amount" }, amountOf(i))))));
}

export async function invoicesPanel(ctx, learnerId) {
  const { api, failed, notice } = ctx;
  const { invoices } = await api.get(`/v1/learners/${encodeURIComponent(learnerId)}/invoices`);
  const list = h("div", { class: "invoices" });
  if (invoices.length === 0) {
    list.append(h("p", { class: "empty" }, "No invoices from Xero yet."));
  }
  for (const inv of invoices) {
    const cur = inv.currency;
    const pdf = h("button", { type: "button", class: "secondary", "data-pdf": inv.invoiceId,
      "aria-label": `Open the PDF of invoice ${inv.invoiceNumber || inv.invoiceId}` },
      inv.pdf && inv.pdf.available ? "Open PDF" : "Fetch PDF from Xero");
    pdf.addEventListener("click", () => busy(pdf, async () => {
      try {
        // A short-lived link: the browser opens it, no token goes with it.
        const { url } = await api.get(`/v1/learners/${encodeURIComponent(learnerId)}/invoices/${encodeURIComponent(inv.invoiceId)}/pdf`);
        const opened = window.open(url, "_blank");
        if (opened) {
          opened.opener = null;
        } else {
          notice("Your browser blocked the new tab: use the link below.");
          pdf.after(h("a", { href: url, target: "_blank", rel: "noopener" }, "Open the PDF"));
        }
      } catch (e) {
        failed(e);
      }
    }));
    list.append(h("article", { class: "invoice", "data-invoice": inv.invoiceNumber || inv.invoiceId,
      "aria-label": `Invoice ${inv.invoiceNumber || ""}` },
      h("header", {},
        h("h3", {}, inv.invoiceNumber || "(no number)", " ", h("span", { class: "badge" }, inv.status)),
        pdf),
      h("dl", { class: "facts" },
        h("dt", {}, "Reference"), h("dd", {}, inv.reference || "—"),
        h("dt", {}, "Dated"), h("dd", {}, inv.date || "—"),
        h("dt", {}, "Due"), h("dd", {}, inv.dueDate || "—"),
        h("dt", {}, "Total"), h("dd", {}, money(inv.total, cur)),
        h("dt", {}, "Paid"), h("dd", {}, money(inv.amountPaid, cur)),
        h("dt", {}, "Credited"), h("dd", {}, money(inv.amountCredited, cur)),
        h("dt", {}, "Due now"), h("dd", { class: inv.amountDue > 0 ? "due" : "" }, money(inv.amountDue, cur))),
      lines("Payments", inv.payments, (p) => money(p.amount, cur), (p) => `Paid ${p.date || ""}`),
      lines("Credit notes", inv.creditNotes, (c) => money(c.amount, cur), (c) => `Credit note ${c.number || c.creditNoteId}`),
      lines("Prepayments", inv.prepayments, (p) => money(p.amount, cur), () => "Prepayment applied"),
      lines("Overpayments", inv.overpayments, (o) => money(o.amount, cur), () => "Overpayment applied"),
      h("p", { class: "muted" }, `Updated in Xero ${when(inv.updatedAt)}`)));
  }
  return { element: list, count: invoices.length };
}

