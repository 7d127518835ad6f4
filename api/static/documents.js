// The documents page: what is indexed, and what could not be, with the reason.
"use strict";

function documentRow(d) {
  const restricted = d.access === "restricted";
  const file = `/api/documents/${docPath(d.id)}/file`;
  // A restricted file needs the token, which a plain link cannot send: it is downloaded instead.
  const title = !d.has_original ? el("span", {}, d.title)
    : restricted ? el("button", {type: "button", class: "link-button",
      onclick: () => downloadRestricted(file, d.id.split("/").pop())}, d.title)
      : el("a", {href: file, target: "_blank", rel: "noopener"}, d.title);
  return el("tr", {dataset: {search: [d.title, d.committee, d.id, restricted ? "restricted" : ""].join(" ").toLowerCase()}},
    el("td", {}, title, restricted ? restrictedLabel() : null, el("span", {class: "doc-id"}, d.id),
      restricted ? el("span", {class: "doc-id"}, `Restricted because: ${d.access_reason}`) : null),
    el("td", {}, d.committee || "–"),
    el("td", {}, d.meeting_date ? spokenDate(d.meeting_date) : "undated"),
    el("td", {}, TYPE_NAMES[d.doc_type] || d.doc_type),
    el("td", {class: "num"}, d.pages === null ? "–" : String(d.pages)),
    el("td", {class: "num"}, String(d.passages)));
}

async function load() {
  const counts = document.getElementById("counts");
  let catalog;
  try {
    catalog = await fetchJSON("/api/documents");
  } catch (err) {
    counts.textContent = `The index cannot be read: ${err.message}`;
    return;
  }
  const passages = catalog.documents.reduce((sum, d) => sum + d.passages, 0);
  const restricted = catalog.documents.filter((d) => d.access === "restricted").length;
  counts.textContent = `${catalog.documents.length} documents` +
    (restricted ? ` (${restricted} restricted: members and officers only)` : "") + `, ${passages} passages; ` +
    `${catalog.failures.length} file${catalog.failures.length === 1 ? "" : "s"} could not be ingested.`;
  document.querySelector("#documents tbody").replaceChildren(...catalog.documents.map(documentRow));
  const failures = document.querySelector("#failures tbody");
  failures.replaceChildren(...catalog.failures.map((f) => el("tr", {}, el("td", {}, f.path), el("td", {}, f.reason))));
  document.getElementById("failures-wrap").hidden = catalog.failures.length === 0;
  document.getElementById("no-failures").hidden = catalog.failures.length > 0;
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("doc-filter").addEventListener("input", (event) => {
    const words = event.target.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const row of document.querySelectorAll("#documents tbody tr")) {
      row.hidden = !words.every((w) => row.dataset.search.includes(w));
    }
  });
  load();
});
