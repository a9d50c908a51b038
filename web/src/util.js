// What every view shares: reading the JSON API, building elements, the URL.

/** An error the API answered, with its message (the API's own words). */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** `path` with `params` as its query string, empty ones left out. */
function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") query.set(k, v);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** The shape a date field asks for (`2013`, `2013-09`, `2013-09-15`); the API checks the date itself. */
export const DATE_PATTERN = "-?\\d{4}(-\\d{2}(-\\d{2})?)?";

/** GETs `path` with `params` (empty ones left out) and reads its JSON. */
export async function api(path, params = {}) {
  const url = withQuery(path, params);
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    const text = (await response.text()).trim();
    throw new ApiError(response.status, text || `${response.status} ${response.statusText}`);
  }
  const body = await response.json();
  // Asked what was known by a date, the API says how many claims it left
  // out for want of a dated source.
  const leftOut = response.headers.get("interlock-undated-left-out");
  if (leftOut !== null) Object.defineProperty(body, "undatedLeftOut", { value: Number(leftOut) });
  return body;
}

/** An element: `h("a", {href: "/"}, "home")`; children may be nested arrays. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG = "http://www.w3.org/2000/svg";

/** An SVG element, as `h` makes HTML ones. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces `el`'s children with `children` (nested arrays flattened, empty ones left out). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Appends `children` to `el` as `h` does. */
export function add(el, ...children) {
  append(el, children);
  return el;
}

/** A link to another view of the page (followed without reloading). */
export function link(params, ...children) {
  return h("a", { href: urlOf(params), "data-nav": true }, ...children);
}

/** The page URL of a view's state. */
export function urlOf(params) {
  return withQuery("/", params);
}

/** The message block for an error, in the API's own words. */
export function errorBlock(e) {
  return h("p", { class: "error", role: "alert" }, e instanceof ApiError ? e.message : `Something went wrong: ${e.message}`);
}

/** A claim status as a small label. */
export function statusTag(status) {
  return h("span", { class: `status ${status}`, title: `claim status: ${status}` }, status);
}

/** A certainty as a word people read. */
export function certaintyTag(certainty) {
  return h("span", { class: `certainty ${certainty}` }, certainty);
}

/** `data-sharing-agreement` → `data sharing agreement`. */
export function words(kind) {
  return String(kind).replace(/-/g, " ");
}

/** `Company` → `company`, `GovernmentBody` → `government body`. */
export function kindWords(term) {
  return term ? term.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase() : "";
}

/** Downloads `blob` as `name`. */
export function download(blob, name) {
  const a = h("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** A date as a fractional year, for drawing (`2013-08-31` → 2013.66). */
export function yearOf(day) {
  const [, y, m, d] = /^(-?\d+)-(\d\d)-(\d\d)$/.exec(day);
  return Number(y) + (Number(m) - 1) / 12 + (Number(d) - 1) / 365;
}

/** The notice of an answer asked "as known by" a date: how many claims it left out for want of a dated source; nothing when none. */
export function leftOutNotice(n) {
  if (!(n > 0)) return null;
  const one = n === 1;
  return h("p", { class: "notice" },
    `${n} claim${one ? " was" : "s were"} left out: none of ${one ? "its" : "their"} sources has a publication date, so no one can say whether ${one ? "it was" : "they were"} public by then.`);
}

/** The chain's window as the API gives it, in words; a side the API leaves open is unbounded. */
export function windowWords(w) {
  const side = (from, to) => from && to ? `${from} – ${to}` : from ? `from ${from} on` : to ? `until ${to}` : "at any time";
  const definite = w.definitely_from || w.definitely_to ? `definitely ${side(w.definitely_from, w.definitely_to)}; ` : "";
  return `${definite}possibly ${side(w.possibly_from, w.possibly_to)}`;
}

/** `text` cut with an ellipsis to about `width` pixels at `size` (capitals are wider). */
export function fitted(text, width, size) {
  let used = 0;
  for (const [i, ch] of [...text].entries()) {
    used += size * (/[A-Z0-9MW]/.test(ch) ? 0.68 : 0.55);
    if (used > width) return `${[...text].slice(0, Math.max(1, i - 1)).join("")}…`;
  }
  return text;
}
