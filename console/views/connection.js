// The connection (Xero's certification checkpoint 3, "Connection"): the connected organisation's
// name, the connection's status, Connect when disconnected, Disconnect, a disconnection made on
// Xero's side shown with guidance to reconnect; the scopes granted (and any missing) and the
// budget left this minute and today.
import { badge, busy, gauge, h, section, when } from "../ui.js";

/** Xero's limits per organisation; an organisation on a smaller plan may have a lower day limit. */
const MINUTE_LIMIT = 60;
const DAY_LIMIT = 5000;

export async function connectionScreen(ctx) {
  const { api, claims, main, notice, failed } = ctx;
  const isAdmin = claims.role === "admin";
  const c = await api.get("/v1/xero/connection");

  const status = h("p", { class: "status-line" }, "Status: ", badge(c.status));
  const body = [status];

  if (c.status === "CONNECTED") {
    body.push(h("p", {}, "Connected to the Xero organisation ", h("strong", { "data-test": "tenant-name" }, c.tenantName || "?"),
      c.connectedAt ? ` since ${when(c.connectedAt)}.` : "."));
  } else if (c.status === "NEEDS_RECONNECT") {
    body.push(h("div", { class: "guidance", role: "note" },
      h("p", {}, h("strong", {}, "The connection to Xero was removed or has expired"),
        c.tenantName ? ` (organisation ${c.tenantName}).` : "."),
      h("p", {}, "Learners are no longer sent to Xero and invoices no longer come back. This happens when someone "
        + "disconnects the app in Xero (Settings > Connected apps), or when nobody used the connection for 60 days."),
      h("p", {}, "Press Reconnect and choose the same organisation in Xero: everything missed meanwhile is caught up."),
      c.lastError ? h("p", { class: "muted" }, `Xero said: ${c.lastError}`) : null));
  } else {
    body.push(h("p", {}, "Not connected to Xero. Connecting lets learners be sent to Xero as contacts and their "
      + "invoices come back here."));
  }
  if (c.lastError && c.status === "CONNECTED") {
    body.push(h("p", { class: "muted" }, `Last problem: ${c.lastError} (${when(c.lastErrorAt)})`));
  }
  if (c.xeroFailingSince) {
    body.push(h("div", { class: "guidance", role: "status", "data-test": "xero-failing" },
      h("p", {}, h("strong", {}, "Xero is not answering"), ` since ${when(c.xeroFailingSince)}.`),
      h("p", {}, "Nothing is lost: learners and invoices wait and go through by themselves when Xero answers again. "
        + "Nothing to do unless this lasts more than a day."),
      c.lastXeroError ? h("p", { class: "muted" }, `Last failure: ${c.lastXeroError}`) : null));
  }

  const actions = h("div", { class: "actions" });
  if (isAdmin && c.status !== "CONNECTED") {
    const connect = h("button", { type: "button", id: "connect" }, c.status === "NEEDS_RECONNECT" ? "Reconnect to Xero" : "Connect to Xero");
    connect.addEventListener("click", () => busy(connect, async () => {
      try {
        if (window.top !== window.self) {
          // Embedded: Xero's pages refuse to be framed, and the cookie that binds the connect to this
          // browser is only kept for the console's own top-level pages (in a frame of the LRM it would be
          // a third-party cookie). So the console continues in a tab of its own, where Connect is pressed.
          window.open(location.origin + location.pathname + "#token=" + encodeURIComponent(ctx.token())
            + "&then=connect", "_blank", "noopener");
          notice("Connecting continues in a new tab: press Connect to Xero there.");
          return;
        }
        // Xero's consent is a page of its own: the browser goes there and comes back here. The answer
        // sets the connect's cookie (same origin), which Xero's redirect brings back to the callback.
        const returnTo = location.origin + location.pathname;
        const { authorizeUrl } = await api.get("/v1/xero/connect?returnTo=" + encodeURIComponent(returnTo));
        notice("Opening Xero's consent page…");
        location.assign(authorizeUrl);
      } catch (e) {
        failed(e);
      }
    }));
    actions.append(connect);
  }
  if (isAdmin && c.status !== "DISCONNECTED") {
    const disconnect = h("button", { type: "button", id: "disconnect", class: "danger" }, "Disconnect");
    disconnect.addEventListener("click", () => {
      if (!confirm(`Disconnect ${c.tenantName || "Xero"}? Learners stop syncing until someone connects again.`)) {
        return;
      }
      busy(disconnect, async () => {
        try {
          await api.del("/v1/xero/connection");
          notice("Disconnected from Xero.");
          main.replaceChildren();
          await connectionScreen(ctx);
        } catch (e) {
          failed(e);
        }
      });
    });
    actions.append(disconnect);
  }
  if (!isAdmin) {
    body.push(h("p", { class: "muted" }, "Only an LRM admin can connect or disconnect."));
  }
  body.push(actions);

  const scopes = c.scopes || [];
  const missing = c.missingScopes || [];
  const scopePanel = section("Permissions granted in Xero",
    scopes.length === 0 ? h("p", { class: "empty" }, "None yet.")
      : h("ul", { class: "chips", "aria-label": "Scopes granted" }, scopes.map((s) => h("li", {}, s))),
    missing.length === 0 ? null : h("div", { class: "guidance", role: "note" },
      h("p", {}, h("strong", {}, "Missing: "), missing.join(", ")),
      h("p", {}, "Some features cannot work without these. Reconnect and allow every permission Xero asks for.")));

  const budget = c.budget || {};
  const budgetPanel = section("Xero calls left",
    h("p", { class: "muted" }, "Xero allows each organisation 60 calls a minute and 5,000 a day; "
      + "bulk work leaves a share of the day for people who are waiting."),
    gauge("This minute", budget.minuteRemaining, MINUTE_LIMIT),
    gauge("Today", budget.dayRemaining, DAY_LIMIT),
    h("p", { class: "muted" }, budget.at ? `As Xero last said, ${when(budget.at)}.` : "Known after the first call to Xero."));

  main.append(section("Connection to Xero", ...body), scopePanel, budgetPanel);
}

