// The chat page: ask, show the answer with numbered citation chips, open a citation in the
// source panel, copy an answer with its references. Follow-up context (the questions actually
// searched so far) is kept here and sent with each question as `history`.
"use strict";

const MAX_HISTORY = 5;
const state = {history: [], busy: false, maxChars: 1000, lastTrigger: null};

const $ = (id) => document.getElementById(id);

function filters() {
  return {
    committee: $("committee").value || null,
    doc_type: $("doc-type").value || null,
    date_from: $("date-from").value || null,
    date_to: $("date-to").value || null,
  };
}

function describeFilters() {
  const f = filters();
  const parts = [];
  if (f.committee) parts.push(f.committee);
  if (f.doc_type) parts.push(TYPE_NAMES[f.doc_type] || f.doc_type);
  if (f.date_from) parts.push(`from ${spokenDate(f.date_from)}`);
  if (f.date_to) parts.push(`up to ${spokenDate(f.date_to)}`);
  $("filter-summary").textContent = parts.length ? parts.join(" · ") : "none";
  $("filter-summary").classList.toggle("active", parts.length > 0);
}

// "Cabinet, meeting of 4 March 2025, page 3": where a quote can be found.
function whereText(item) {
  return [item.committee, item.meeting_date ? `meeting of ${spokenDate(item.meeting_date)}` : null,
    item.page ? `page ${item.page}` : null].filter(Boolean).join(", ");
}

function reference(n, c) {
  const where = whereText(c);
  // A restricted source copied into an email or a report carries its marking with it.
  const marking = c.access === "restricted" ? " RESTRICTED: not for publication." : "";
  let line = `[${n}] ${c.title}${where ? `. ${where}` : ""}. Document: ${c.document}.${marking}`;
  if (c.section) line += ` Section: ${c.section}.`;
  if (c.quote) line += `\n    "${c.quote.replace(/\s+/g, " ").trim()}"`;
  return line;
}

function closestDocuments(answer) {
  const seen = new Set();
  const out = [];
  for (const p of answer.passages || []) {
    if (seen.has(p.document)) continue;
    seen.add(p.document);
    out.push(p);
    if (out.length === 5) break;
  }
  return out;
}

function copyText(question, answer) {
  const lines = [`Question: ${answer.searched_for || question}`, "", answer.answer, ""];
  if (answer.note) lines.push(`Note: ${answer.note}`, "");
  if (answer.citations.length) {
    lines.push("References:");
    answer.citations.forEach((c) => lines.push(reference(c.n, c)));
  } else if (answer.abstained) {
    lines.push("Closest documents searched:");
    closestDocuments(answer).forEach((p, i) => lines.push(reference(i + 1, {...p, quote: ""})));
  }
  return lines.join("\n").trim() + "\n";
}

async function copyToClipboard(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (err) {
    // Older browsers, or a page not served over a secure origin: the hidden-textarea way.
    const area = el("textarea", {class: "visually-hidden", "aria-hidden": "true", tabindex: "-1"});
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

function chip(c, label) {
  return el("button", {
    type: "button", class: c.access === "restricted" ? "chip chip-restricted" : "chip",
    "aria-label": `Source ${c.n}: ${c.title}${c.page ? `, page ${c.page}` : ""}${c.access === "restricted" ? ", restricted" : ""}`,
    title: `${c.title}${c.page ? `, page ${c.page}` : ""}`,
    onclick: (event) => openCitation(c, event.currentTarget),
  }, label || String(c.n));
}

// The answer text with each "[n]" made a chip that opens citation n.
function answerParagraph(answer) {
  const byN = new Map(answer.citations.map((c) => [c.n, c]));
  const p = el("p", {class: "answer-text"});
  answer.answer.split(/(\[\d+\])/).forEach((piece) => {
    const match = piece.match(/^\[(\d+)\]$/);
    const citation = match && byN.get(Number(match[1]));
    p.append(citation ? chip(citation) : document.createTextNode(piece));
  });
  return p;
}

function sourcesList(answer) {
  const list = el("ol", {class: "sources", "aria-label": "Sources"});
  for (const c of answer.citations) {
    list.append(el("li", {},
      chip(c),
      el("div", {class: "source-text"},
        el("span", {class: "source-title"}, c.title, c.access === "restricted" ? restrictedLabel() : null),
        el("span", {class: "source-meta"}, whereText(c) || c.document),
        c.section ? el("span", {class: "source-section"}, c.section) : null)));
  }
  return list;
}

function closestList(answer) {
  const list = el("ul", {class: "closest"});
  for (const p of closestDocuments(answer)) {
    list.append(el("li", {},
      el("button", {type: "button", class: "link-button", onclick: (e) => openPassage(p, e.currentTarget)}, p.title),
      el("span", {class: "source-meta"}, ` ${whereText(p) || p.document}`)));
  }
  return list;
}

function renderAnswer(container, question, answer) {
  container.replaceChildren();
  container.removeAttribute("aria-busy");
  if (answer.searched_for && answer.searched_for !== question) {
    container.append(el("p", {class: "searched-for"}, "Read as: ", el("q", {}, answer.searched_for)));
  }
  if (answer.abstained) {
    container.classList.add("abstained");
    container.append(el("p", {class: "abstain-flag"}, "Not answered by the papers"),
      el("p", {class: "answer-text"}, answer.answer));
    if (answer.passages && answer.passages.length) {
      container.append(el("h3", {class: "small-heading"}, "Closest documents searched"), closestList(answer));
    }
  } else {
    container.append(answerParagraph(answer));
    // Who wrote the answer, or why the language model's answer is not the one shown: said
    // beside the answer, never in it (the answer's figures are the checked ones).
    if (answer.note) container.append(el("p", {class: "answer-note"}, answer.note));
    container.append(el("h3", {class: "small-heading"}, "Sources"), sourcesList(answer));
  }
  const status = el("span", {class: "copy-status", role: "status"});
  const button = el("button", {
    type: "button", class: "secondary copy-button",
    onclick: async () => {
      const ok = await copyToClipboard(copyText(question, answer));
      status.textContent = ok ? "Copied, with references" : "Could not copy: select the text instead";
      button.classList.toggle("copied", ok);
    },
  }, "Copy answer with references");
  container.append(el("div", {class: "answer-actions"}, button, status));
}

async function ask(question) {
  const conversation = $("conversation");
  $("intro").hidden = true;
  const answerBox = el("div", {class: "answer", "aria-busy": "true"},
    el("p", {class: "searching", role: "status"}, el("span", {class: "spinner", "aria-hidden": "true"}), "Searching…"));
  const turn = el("article", {class: "turn"},
    el("p", {class: "question"}, el("span", {class: "visually-hidden"}, "You asked: "), question),
    answerBox);
  conversation.append(turn);
  turn.scrollIntoView({block: "end"});
  state.busy = true;
  $("ask-button").disabled = true;
  try {
    const answer = await fetchJSON("/api/ask", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({question, history: state.history.slice(-MAX_HISTORY), ...filters()}),
    });
    renderAnswer(answerBox, question, answer);
    state.history.push(answer.searched_for || question);
  } catch (err) {
    answerBox.removeAttribute("aria-busy");
    answerBox.replaceChildren(el("p", {class: "error"}, `Sorry, no answer: ${err.message}`));
  } finally {
    state.busy = false;
    $("ask-button").disabled = false;
    // The question at the top of the view and as much of its answer as fits under it.
    turn.scrollIntoView({block: "start"});
  }
}

// --- source panel ------------------------------------------------------------------------

// A PDF paragraph arrives with the line breaks of its printed lines: show it reflowed, keeping
// blank lines and table rows (tabs). One character for one, so highlight offsets still hold.
function reflow(text) {
  return text.replace(/([^\n\t])\n(?=[^\n\t])/g, "$1 ");
}

function passageBlock(view) {
  const text = view.passage.kind === "table_row" ? view.passage.text : reflow(view.passage.text);
  const quote = el("blockquote", {class: "passage"});
  if (view.highlight) {
    const [start, end] = view.highlight;
    quote.append(text.slice(0, start), el("mark", {}, text.slice(start, end)), text.slice(end));
  } else {
    quote.append(text);
  }
  return quote;
}

function pageFigure(view, citation) {
  const doc = view.document;
  const page = view.passage.page;
  const params = new URLSearchParams({passage: view.passage.id});
  if (citation) {
    params.set("start", citation.start);
    params.set("end", citation.end);
  }
  const caption = el("figcaption", {}, `Page ${page}${doc.pages ? ` of ${doc.pages}` : ""}` +
    (citation ? ", with the quoted words highlighted." : ", with the passage highlighted."));
  const url = `/api/documents/${docPath(doc.id)}/pages/${page}.png?${params}`;
  const restricted = doc.access === "restricted";
  const image = el("img", {
    class: "page-image", src: restricted ? null : url,
    alt: `Page ${page} of ${doc.title}${citation ? ", with the quoted words highlighted" : ""}`,
  });
  const failed = () => {
    image.remove();
    caption.textContent = "The page image cannot be shown: the original file has moved or changed since it was indexed.";
  };
  image.addEventListener("error", failed);
  if (restricted) fetchBlob(url).then(blobToDataURL).then((data) => { image.src = data; }, failed);
  return el("figure", {class: "page-figure"}, image, caption);
}

function renderViewer(view, heading, citation, trigger) {
  const doc = view.document;
  const p = view.passage;
  const meta = el("dl", {class: "meta"});
  const row = (term, value) => value && meta.append(el("div", {}, el("dt", {}, term), el("dd", {}, value)));
  row("Committee or body", doc.committee);
  row("Meeting date", spokenDate(doc.meeting_date));
  row("Document type", TYPE_NAMES[doc.doc_type] || doc.doc_type);
  row("Section", p.section);
  row("Page", p.page ? `${p.page}${doc.pages ? ` of ${doc.pages}` : ""}` : null);
  row("Document", doc.id);
  if (doc.access === "restricted") row("Access", "Restricted: members and officers only, not for publication");

  const body = $("viewer-body");
  body.replaceChildren(el("h3", {class: "doc-title"}, doc.title), meta);
  if (p.kind === "table_row" && p.context) {
    body.append(el("p", {class: "table-context"}, el("span", {class: "label"}, "Table: "), p.context.replace(/\n/g, " · ")));
  }
  body.append(el("h4", {class: "small-heading"}, citation ? "The passage, with the quote highlighted" : "The passage"),
    passageBlock(view));
  if (p.kind === "table_row" && p.reading) {
    body.append(el("p", {class: "table-context"}, el("span", {class: "label"}, "Read with its column headers: "), p.reading));
  }
  if (doc.has_original && doc.access === "restricted") {
    if (doc.format === "pdf" && p.page) body.append(el("h4", {class: "small-heading"}, "On the page"), pageFigure(view, citation));
    body.append(el("p", {}, el("button", {type: "button", class: "link-button original-link",
      onclick: () => downloadRestricted(`/api/documents/${docPath(doc.id)}/file`, doc.id.split("/").pop())},
    "Download the original file (restricted)")));
  } else if (doc.format === "pdf" && p.page && doc.has_original) {
    body.append(el("h4", {class: "small-heading"}, "On the page"), pageFigure(view, citation),
      el("p", {}, el("a", {class: "original-link", href: `/api/documents/${docPath(doc.id)}/file#page=${p.page}`,
        target: "_blank", rel: "noopener"}, `Open the original PDF at page ${p.page}`)));
  } else if (doc.has_original) {
    body.append(el("p", {}, el("a", {class: "original-link", href: `/api/documents/${docPath(doc.id)}/file`,
      target: "_blank", rel: "noopener"}, "Open the original file")));
  }
  $("viewer-heading").textContent = heading;
  const viewer = $("viewer");
  viewer.hidden = false;
  document.body.classList.add("viewer-open");
  state.lastTrigger = trigger || null;
  $("viewer-heading").focus();
  const mark = body.querySelector("mark");
  if (mark) mark.scrollIntoView({block: "nearest"});
}

async function openCitation(c, trigger) {
  const params = new URLSearchParams({start: c.start, end: c.end});
  try {
    const view = await fetchJSON(`/api/passages/${encodeURIComponent(c.passage_id)}?${params}`);
    renderViewer(view, `Source [${c.n}]`, c, trigger);
  } catch (err) {
    showViewerError(err, trigger);
  }
}

async function openPassage(p, trigger) {
  try {
    const view = await fetchJSON(`/api/passages/${encodeURIComponent(p.id)}`);
    renderViewer(view, "Closest passage", null, trigger);
  } catch (err) {
    showViewerError(err, trigger);
  }
}

function showViewerError(err, trigger) {
  $("viewer-body").replaceChildren(el("p", {class: "error"}, `The source cannot be shown: ${err.message}`));
  $("viewer-heading").textContent = "Source";
  $("viewer").hidden = false;
  state.lastTrigger = trigger || null;
  $("viewer-heading").focus();
}

function closeViewer() {
  $("viewer").hidden = true;
  document.body.classList.remove("viewer-open");
  if (state.lastTrigger && document.contains(state.lastTrigger)) state.lastTrigger.focus();
  else $("question").focus();
}

// --- start -------------------------------------------------------------------------------

async function loadChoices() {
  try {
    const health = await fetchJSON("/api/health");
    state.maxChars = health.max_question_chars || state.maxChars;
    $("question").maxLength = state.maxChars;
    const catalog = await fetchJSON("/api/documents");
    const committees = [...new Set(catalog.documents.map((d) => d.committee).filter(Boolean))].sort();
    for (const name of committees) $("committee").append(el("option", {value: name}, name));
  } catch (err) {
    $("question-error").textContent = `The index is not ready: ${err.message}`;
  }
}

function submit(event) {
  if (event) event.preventDefault();
  const box = $("question");
  const question = box.value.trim();
  $("question-error").textContent = "";
  if (state.busy) return;
  if (!question) {
    $("question-error").textContent = "Type a question first.";
    box.focus();
    return;
  }
  if (question.length > state.maxChars) {
    $("question-error").textContent = `Questions can be up to ${state.maxChars} characters long.`;
    return;
  }
  box.value = "";
  ask(question);
}

document.addEventListener("DOMContentLoaded", () => {
  $("ask-form").addEventListener("submit", submit);
  $("question").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
  });
  for (const id of ["committee", "doc-type", "date-from", "date-to"]) $(id).addEventListener("change", describeFilters);
  $("clear-filters").addEventListener("click", () => {
    for (const id of ["committee", "doc-type", "date-from", "date-to"]) $(id).value = "";
    describeFilters();
  });
  $("new-conversation").addEventListener("click", () => {
    state.history = [];
    $("conversation").querySelectorAll(".turn").forEach((t) => t.remove());
    $("intro").hidden = false;
    $("question").focus();
  });
  $("close-viewer").addEventListener("click", closeViewer);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("viewer").hidden) closeViewer();
  });
  describeFilters();
  loadChoices();
  $("question").focus();
});
