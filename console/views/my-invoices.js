// The learner: their own invoices and PDFs, nothing else (the API answers 404 for anyone else's).
import { busy, h, section } from "../ui.js";
import { invoicesPanel } from "./invoices.js";

export async function myInvoicesScreen(ctx) {
  const { claims, main, failed } = ctx;
  if (!claims.learner) {
    main.append(section("My invoices", h("p", {}, "Your sign-in names no learner: ask your training organisation.")));
    return;
  }
  const holder = h("div", { id: "my-invoices" });
  const refresh = h("button", { type: "button", class: "secondary", id: "refresh-invoices" }, "Refresh");
  const show = async () => holder.replaceChildren((await invoicesPanel(ctx, claims.learner)).element);
  refresh.addEventListener("click", () => busy(refresh, () => show().catch(failed)));
  main.append(section("My invoices", h("p", { class: "muted" }, "Invoices your training organisation raised in Xero, "
    + "with what you paid and any credit. Open a PDF to keep or print it."), h("div", { class: "actions" }, refresh), holder));
  await show();
}
