// The console: one static page for the LRM's admins, staff and learners and the vendor's operators.
// It calls only the integration's documented API, with the bearer token it is given:
//  - embedded in the LRM: the LRM posts {type: "lrm-xero-console:token", token} to this frame
//    (answering its "lrm-xero-console:ready"), or opens the console with #token=<JWT>;
//  - in the local run: a picker mints the local tokens (POST /local/tokens, local gateway only).
// The token is kept for this tab only (sessionStorage), so that it survives Xero's consent round trip.
import { ApiError, createApi } from "./api.js";
import { clear, h, section } from "./ui.js";
import { connectionScreen } from "./views/connection.js";
import { resyncScreen } from "./views/resync.js";
import { learnersScreen, learnerScreen } from "./views/learners.js";
import { financeScreen } from "./views/finance.js";
import { myInvoicesScreen } from "./views/my-invoices.js";
import { operatorScreen } from "./views/operator.js";

const TOKEN_KEY = "lrm-xero-console.token";
const main = document.getElementById("main");

let token = null;

const api = createApi(() => token, (on) => { document.getElementById("working").hidden = !on; });

/** The screens each role sees, in the order of the navigation. */
const SCREENS = {
  admin: [["connection", "Connection"], ["resync", "Re-sync"], ["learners", "Learners"], ["finance", "Finance report"]],
  staff: [["learners", "Learners"], ["finance", "Finance report"], ["resync", "Re-syncs"], ["connection", "Connection"]],
  learner: [["invoices", "My invoices"]],
  operator: [["operator", "Operations"]],
};

function claimsOf(jwt) {
  try {
    const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(decodeURIComponent(escape(atob(part))));
  } catch (e) {
    return null;
  }
}

export function notice(text) {
  const el = document.getElementById("notice");
  el.textContent = text;
  el.hidden = !text;
}

export function alertText(text) {
  const el = document.getElementById("alert");
  el.textContent = text;
  el.hidden = !text;
}

/** Shows an error in words: the API's problem, or what went wrong. */
export function failed(error) {
  alertText(error instanceof ApiError ? error.message : "Something went wrong in the console: " + error);
}

function useToken(value) {
  const claims = value ? claimsOf(value) : null;
  if (!claims || !SCREENS[claims.role]) {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    return false;
  }
  token = value;
  sessionStorage.setItem(TOKEN_KEY, value);
  return true;
}

function signOut() {
  useToken(null);
  history.replaceState(null, "", location.pathname);
  start();
}

function renderSession(claims, local) {
  const who = document.getElementById("who");
  const session = clear(document.getElementById("session"));
  if (!claims) {
    who.textContent = "";
    clear(document.getElementById("nav"));
    return;
  }
  who.textContent = `Signed in as ${claims.sub || "?"} (${claims.role}${claims.learner ? ", learner " + claims.learner : ""})`
    + (claims.org ? ` · organisation ${claims.org}` : "");
  if (local) {
    session.append(h("button", { type: "button", class: "secondary", onclick: signOut }, "Switch role"));
  }
  const nav = clear(document.getElementById("nav"));
  const list = h("ul", {});
  for (const [route, label] of SCREENS[claims.role]) {
    list.append(h("li", {}, h("a", { href: "#/" + route, "data-route": route }, label)));
  }
  nav.append(list);
}

function markCurrent(route) {
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.route === route) {
      a.setAttribute("aria-current", "page");
    } else {
      a.removeAttribute("aria-current");
    }
  }
}

let stopScreen = () => {};
let generation = 0;

async function route() {
  const mine = ++generation;
  stopScreen();
  stopScreen = () => {};
  alertText("");
  const claims = token ? claimsOf(token) : null;
  if (!claims) {
    return;
  }
  if (claims.exp && claims.exp * 1000 < Date.now()) {
    alertText("Your sign-in has expired: open the console again from the LRM" + (isLocal ? ", or pick a role again." : "."));
    return;
  }
  const allowed = SCREENS[claims.role].map(([r]) => r);
  const [, first, second] = (location.hash || "").split("/");
  const current = allowed.includes(first) ? first : allowed[0];
  markCurrent(current);
  // Each screen renders into a view of its own: a later navigation replaces it, and an earlier
  // screen still loading fills a view no longer shown (and its timers are stopped).
  const view = h("div", { class: "view" });
  main.replaceChildren(view);
  const onLeave = (stop) => {
    if (mine === generation) {
      stopScreen = stop;
    } else {
      stop();
    }
  };
  const ctx = { api, claims, main: view, notice, failed, onLeave, token: () => token };
  try {
    if (current === "connection") {
      await connectionScreen(ctx);
    } else if (current === "resync") {
      await resyncScreen(ctx);
    } else if (current === "learners" && second) {
      await learnerScreen(ctx, decodeURIComponent(second));
    } else if (current === "learners") {
      await learnersScreen(ctx);
    } else if (current === "finance") {
      await financeScreen(ctx);
    } else if (current === "invoices") {
      await myInvoicesScreen(ctx);
    } else if (current === "operator") {
      await operatorScreen(ctx);
    }
  } catch (e) {
    failed(e);
  }
}

let isLocal = false;

/** The local run's picker: a role, a learner id for a learner, and the gateway mints the token. */
async function picker(desk) {
  clear(main);
  const learnerInput = h("input", { id: "pick-learner", name: "learnerId", value: desk.learnerId || "L-1",
    autocomplete: "off", required: true });
  const buttons = desk.roles.map((role) => h("button", {
    type: "button", "data-role": role,
    onclick: async (e) => {
      try {
        const minted = await api.post("/local/tokens", role === "learner"
          ? { role, learnerId: learnerInput.value.trim() } : { role });
        useToken(minted.token);
        history.replaceState(null, "", location.pathname + "#/");
        start();
      } catch (err) {
        failed(err);
      }
    },
  }, `Sign in as ${role}`));
  main.append(section("Local run: pick a role",
    h("p", {}, `The local gateway mints a token for organisation ${desk.orgId}; in the LRM, the LRM passes its own.`),
    h("div", { class: "field" }, h("label", { for: "pick-learner" }, "Learner id (for the learner role)"), learnerInput),
    h("div", { class: "actions", role: "group", "aria-label": "Roles" }, buttons)));
  main.focus();
}

function askTheLrm() {
  clear(main);
  main.append(section("Open from the LRM",
    h("p", {}, "This console is opened from the LRM (Settings > Connected Apps > Xero, or a learner's Xero tab), "
      + "which signs you in. Open it from there.")));
}

async function start() {
  alertText("");
  const claims = token ? claimsOf(token) : null;
  renderSession(claims, isLocal);
  if (claims) {
    await route();
    return;
  }
  try {
    const desk = await (await fetch("/local/tokens", { headers: { Accept: "application/json" } })).json();
    isLocal = Array.isArray(desk.roles);
    if (isLocal) {
      await picker(desk);
      return;
    }
  } catch (e) {
    // not the local run
  }
  askTheLrm();
}

/** Xero's consent sends the admin back here with ?xero=connected or ?xero=error&reason=…; say so, then tidy the URL. */
function readReturnFromXero() {
  const query = new URLSearchParams(location.search);
  if (!query.has("xero")) {
    return;
  }
  if (query.get("xero") === "connected") {
    notice(`Connected to Xero${query.get("tenantName") ? ": " + query.get("tenantName") : ""}.`);
  } else {
    alertText(`Connecting to Xero did not complete: ${query.get("reason") || "unknown reason"}. Press Connect to try again.`);
  }
  history.replaceState(null, "", location.pathname + "#/connection");
}

function readTokenFromFragment() {
  const m = /^#token=([^&]+)(&then=connect)?/.exec(location.hash);
  if (m) {
    useToken(decodeURIComponent(m[1]));
    // Opened by an embedded console to connect at top level: straight to the Connection screen.
    history.replaceState(null, "", location.pathname + location.search + (m[2] ? "#/connection" : "#/"));
  }
}

function listenToTheLrm() {
  if (window.parent === window) {
    return;
  }
  const lrmOrigin = document.referrer ? new URL(document.referrer).origin : null;
  window.addEventListener("message", (e) => {
    if (e.source !== window.parent || (lrmOrigin && e.origin !== lrmOrigin)) {
      return;
    }
    if (e.data && e.data.type === "lrm-xero-console:token" && useToken(e.data.token)) {
      start();
    }
  });
  window.parent.postMessage({ type: "lrm-xero-console:ready" }, lrmOrigin || "*");
}

async function boot() {
  readTokenFromFragment();
  if (!token) {
    useToken(sessionStorage.getItem(TOKEN_KEY));
  }
  readReturnFromXero();
  listenToTheLrm();
  window.addEventListener("hashchange", async () => {
    await route();
    main.focus({ preventScroll: true }); // a screen reader starts reading the new screen
  });
  if (token) {
    // The picker is offered again ("Switch role") only where the local gateway answers.
    try {
      const r = await fetch("/local/tokens", { headers: { Accept: "application/json" } });
      isLocal = r.ok && Array.isArray((await r.json()).roles);
    } catch (e) {
      isLocal = false;
    }
  }
  await start();
}

boot();
