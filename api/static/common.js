// Helpers shared by the chat page and the documents page. Every piece of document text goes
// into the page through textContent (via el()), never as HTML: papers can contain markup.
"use strict";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

// el("p", {class: "x"}, "text", childNode, ...): strings become text nodes.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// "2024-01-25" -> "25 January 2024", as a council writes it.
function spokenDate(iso) {
  if (!iso) return "";
  const [year, month, day] = iso.split("-").map(Number);
  if (!year || !month || !day) return iso;
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

// Document ids are paths relative to the ingested folder: encode each part, keep the slashes.
function docPath(id) {
  return id.split("/").map(encodeURIComponent).join("/");
}

// --- signing in --------------------------------------------------------------------------
// A member's or officer's token is kept in sessionStorage (this tab only, gone when it closes)
// and sent as "Authorization: Bearer" with each request; without one the service answers as
// for the public, which never sees restricted (exempt) papers.
const TOKEN_KEY = "councilqa-token";

function authToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || "";
  } catch (err) {
    return "";
  }
}

function withAuth(options) {
  const token = authToken();
  if (!token) return options || {};
  return {...(options || {}), headers: {Authorization: `Bearer ${token}`, ...((options && options.headers) || {})}};
}

// A restricted paper's page image or file needs the token too, which an <img src> or a link
// cannot send: such files are fetched here and handed over as a data: URL (the page's policy
// allows images from data:) or a download.
async function fetchBlob(url) {
  const response = await fetch(url, withAuth());
  if (!response.ok) throw new Error(`the service answered ${response.status}`);
  return response.blob();
}

function blobToDataURL(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

async function downloadRestricted(url, filename) {
  const link = el("a", {href: URL.createObjectURL(await fetchBlob(url)), download: filename});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

// "Restricted": a paper for members and officers only (exempt under Schedule 12A).
function restrictedLabel() {
  return el("span", {class: "restricted-label", title: "Exempt: for members and officers only, not for publication"},
    "Restricted");
}

async function showAccount() {
  const token = authToken();
  document.getElementById("signed-in").hidden = !token;
  document.getElementById("sign-in").hidden = Boolean(token);
  if (!token) return;
  try {
    const me = await fetchJSON("/api/me");
    document.getElementById("signed-in-as").textContent = `Signed in as ${me.name} (${me.role})`;
  } catch (err) {
    signOut(`Signed out: ${err.message}`);
  }
}

function signOut(message) {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch (err) { /* storage refused: nothing was kept */ }
  if (message) {
    document.getElementById("sign-in-error").textContent = message;
    document.getElementById("sign-in").open = true;
  }
  document.getElementById("signed-in").hidden = true;
  document.getElementById("sign-in").hidden = false;
}

async function signIn(event) {
  event.preventDefault();
  const box = document.getElementById("token");
  const token = box.value.trim();
  const error = document.getElementById("sign-in-error");
  error.textContent = "";
  if (!token) {
    error.textContent = "Paste your token first.";
    return;
  }
  try {
    await fetchJSON("/api/me", {headers: {Authorization: `Bearer ${token}`}});
  } catch (err) {
    error.textContent = err.status === 401 ? "That token is not recognised." : `Cannot sign in: ${err.message}`;
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  box.value = "";
  window.location.reload();  // the lists and answers on the page were the public's
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("sign-in-form").addEventListener("submit", signIn);
  document.getElementById("sign-out").addEventListener("click", () => {
    signOut();
    window.location.reload();
  });
  showAccount();
});

async function fetchJSON(url, options) {
  const response = await fetch(url, withAuth(options));
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    body = null;
  }
  if (!response.ok) {
    const detail = body && body.detail;
    const message = typeof detail === "string" ? detail
      : Array.isArray(detail) ? detail.map((d) => d.msg).join("; ") : `the service answered ${response.status}`;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

const TYPE_NAMES = {agenda: "Agenda", minutes: "Minutes", report: "Report", appendix: "Appendix",
  decision: "Decision", other: "Other"};
