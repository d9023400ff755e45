// Small DOM helpers: elements are built with text nodes only (never HTML from data).

/** h("button", {onclick, "aria-label": "…"}, "text", child…) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      el.className = value;
    } else if (name in el && typeof value !== "string") {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) {
    el.firstChild.remove();
  }
  return el;
}

export function section(title, ...children) {
  const id = "h-" + title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return h("section", { class: "panel", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

/** A table with a caption; rows are arrays of cells (text or elements). */
export function table(caption, columns, rows, empty = "Nothing to show.") {
  if (rows.length === 0) {
    return h("p", { class: "empty" }, empty);
  }
  return h("table", {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((cell) => h("td", {}, cell))))));
}

/** A gauge of what is left: a labelled <meter>, with the numbers in words beside it. */
export function gauge(label, value, max) {
  const known = typeof value === "number";
  const top = Math.max(max, known ? value : 0);
  const id = "g-" + label.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return h("div", { class: "gauge" },
    h("label", { for: id }, label),
    h("meter", { id, min: 0, max: top, low: top * 0.2, high: top * 0.5, optimum: top, value: known ? value : 0 }),
    h("span", { class: "gauge-value" }, known ? `${value} of ${top}` : "not known yet"));
}

export function badge(state) {
  return h("span", { class: "badge badge-" + String(state).toLowerCase() }, state);
}

export function when(iso) {
  if (!iso) {
    return "—";
  }
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** "in about 3 min" from now to an instant. */
export function fromNow(iso) {
  if (!iso) {
    return "not known yet";
  }
  const seconds = Math.round((new Date(iso) - Date.now()) / 1000);
  if (seconds <= 5) {
    return "any moment";
  }
  if (seconds < 90) {
    return `in about ${seconds} s`;
  }
  if (seconds < 90 * 60) {
    return `in about ${Math.round(seconds / 60)} min`;
  }
  if (seconds < 36 * 3600) {
    return `in about ${Math.round(seconds / 3600)} h`;
  }
  return `in about ${Math.round(seconds / 86400)} days`;
}

export function money(amount, currency) {
  if (amount === null || amount === undefined) {
    return "—";
  }
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "AUD" }).format(amount);
  } catch (e) {
    return String(amount);
  }
}

/** Runs `work` with the control disabled and marked busy, so nothing is sent twice. */
export async function busy(control, work) {
  control.disabled = true;
  control.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    control.disabled = false;
    control.removeAttribute("aria-busy");
  }
}

export function today() {
  return new Date().toISOString().slice(0, 10);
}
