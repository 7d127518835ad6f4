"""The `councilqa` command: a thin shell over the plain functions."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
from pathlib import Path

from .settings import get_settings


def _index_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", type=Path, default=None,
                        help="index folder (default: settings, overridable with COUNCILQA_INDEX)")


# Exit statuses of `councilqa ingest`: 0 every file found was read (or was unchanged); 1 one or
# more failed (each is listed with its reason; the rest are indexed); 2 a path given does not
# exist; 3 nothing was done because another writer held the index. Files of formats we do not
# read (Word, spreadsheets) are listed as not supported and do not count as failures.
EXIT_FILES_FAILED = 1
EXIT_NO_SUCH_PATH = 2
EXIT_INDEX_BUSY = 3
EXIT_OTHER_MODEL = 4  # the index was built with another embedding model


def _waiting(args: argparse.Namespace, index_dir: Path):
    """What a writer kept waiting for the index's lock tells the user, on stderr."""
    from .index.lock import describe

    def waiting(holder: dict | None) -> None:
        limit = f" (at most {args.wait:g} s)" if args.wait is not None else ""
        print(f"waiting{limit} for {describe(holder)} to finish with the index {index_dir}", file=sys.stderr, flush=True)
    return waiting


def cmd_ingest(args: argparse.Namespace) -> int:
    from .index.lock import IndexBusy
    from .ingest.pipeline import OtherEmbeddingModel, ingest

    settings = get_settings()
    index_dir = args.index or settings.index
    try:
        report = ingest(args.paths, index_dir, settings, progress=not args.quiet,
                        wait=0 if args.no_wait else args.wait, on_wait=_waiting(args, index_dir),
                        include_withdrawn=args.include_withdrawn)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NO_SUCH_PATH
    except IndexBusy as exc:
        print(f"error: {exc}; nothing was ingested. Run again when it has finished.", file=sys.stderr)
        return EXIT_INDEX_BUSY
    except OtherEmbeddingModel as exc:
        print(f"error: {exc}; nothing was ingested.", file=sys.stderr)
        return EXIT_OTHER_MODEL
    print(report.summary())
    if report.files == 0:
        print("no PDF, HTML, text or Markdown files found in " + ", ".join(str(p) for p in args.paths))
    print(f"index: {index_dir}" if report.index_written or (Path(index_dir) / "CURRENT").exists() else
          f"index: {index_dir} (not written: nothing to index)")
    if report.failed:
        print(f"error: {len(report.failed)} of {report.files} files could not be ingested (listed above as FAILED)",
              file=sys.stderr)
        return EXIT_FILES_FAILED
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from .index.lock import IndexBusy, writer_lock
    from .index.store import IndexNotFound
    from .ingest.maintenance import UnknownDocuments, remove_documents

    index_dir = Path(args.index or get_settings().index)
    if not (index_dir / "CURRENT").is_file():  # checked first: taking the lock would make the folder
        print(f"error: no index in {index_dir}", file=sys.stderr)
        return EXIT_NO_SUCH_PATH
    try:
        # The lock ingest and the admin routes take, held here so a wait is reported like theirs;
        # remove_documents takes it again (re-entrant) from its read to its write.
        with writer_lock(index_dir, wait=0 if args.no_wait else args.wait, on_wait=_waiting(args, index_dir)):
            removed = remove_documents(index_dir, args.doc_ids, all_or_none=True)
    except (UnknownDocuments, IndexNotFound) as exc:
        print(f"error: {exc}; nothing was removed", file=sys.stderr)
        return EXIT_NO_SUCH_PATH
    except IndexBusy as exc:
        print(f"error: {exc}; nothing was removed. Run again when it has finished.", file=sys.stderr)
        return EXIT_INDEX_BUSY
    for doc_id in removed:
        print(f"removed {doc_id}")
    print(f"index: {index_dir} (the files are left where they are, and stay out of the index while unchanged: "
          f"`councilqa restore DOC_ID` brings one back)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .index.lock import IndexBusy
    from .ingest.pipeline import NotWithdrawn, restore

    settings = get_settings()
    index_dir = Path(args.index or settings.index)
    if not (index_dir / "CURRENT").is_file():
        print(f"error: no index in {index_dir}", file=sys.stderr)
        return EXIT_NO_SUCH_PATH
    try:
        report, missing = restore(args.doc_ids, index_dir, settings, progress=False,
                                  wait=0 if args.no_wait else args.wait, on_wait=_waiting(args, index_dir))
    except NotWithdrawn as exc:
        print(f"error: {exc}; nothing was restored", file=sys.stderr)
        return EXIT_NO_SUCH_PATH
    except IndexBusy as exc:
        print(f"error: {exc}; nothing was restored. Run again when it has finished.", file=sys.stderr)
        return EXIT_INDEX_BUSY
    print(report.summary())
    for doc_id in missing:
        print(f"{doc_id}: no longer withdrawn, but its file is not where it was read from: ingest its folder when "
              f"the file is back")
    print(f"index: {index_dir}")
    return EXIT_FILES_FAILED if report.failed else 0


def cmd_compact(args: argparse.Namespace) -> int:
    from .index.lock import IndexBusy, writer_lock
    from .ingest.maintenance import compact

    settings = get_settings()
    index_dir = Path(args.index or settings.index)
    if not (index_dir / "CURRENT").is_file():  # checked first: taking the lock would make the folder
        print(f"error: no index in {index_dir}", file=sys.stderr)
        return EXIT_NO_SUCH_PATH
    try:
        with writer_lock(index_dir, wait=0 if args.no_wait else args.wait, on_wait=_waiting(args, index_dir)):
            written = compact(index_dir, settings)
    except IndexBusy as exc:
        print(f"error: {exc}; nothing was compacted. Run again when it has finished.", file=sys.stderr)
        return EXIT_INDEX_BUSY
    print(f"index: {index_dir} " + ("written again as one segment" if written else "is one segment already: nothing to do"))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from .index.search import Searcher
    from .index.store import IndexNotFound

    settings = get_settings()
    try:
        searcher = Searcher(args.index or settings.index, settings)
    except IndexNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    passages = searcher.search(args.query, k=args.k, filters=_filters(args))
    if args.json:
        print(json.dumps([p.model_dump() for p in passages], indent=2, ensure_ascii=False))
        return 0
    if not passages:
        print("no passages found")
    for rank, p in enumerate(passages, 1):
        where = f"p. {p.page}" if p.page else "no page"
        print(f"{rank:2d}. [{p.score:.4f}] {p.document} ({where}; {p.meeting_date or 'undated'})")
        if p.section:
            print(f"    section: {p.section}")
        body = p.reading or p.text
        print("    " + " ".join(body.split())[:400])
    return 0


def _filters(args: argparse.Namespace):
    from .index.search import Filters

    # Whoever runs the command line can read the index files themselves: restricted papers are
    # searched unless --public asks for what the public would be given.
    return Filters(committee=args.committee, doc_type=args.doc_type, date_from=args.date_from, date_to=args.date_to,
                   include_restricted=not args.public)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _wait_args(parser: argparse.ArgumentParser) -> None:
    busy = parser.add_mutually_exclusive_group()
    busy.add_argument("--wait", type=float, metavar="SECONDS",
                      help="if another ingest is changing the index, wait at most this long for it "
                           "(default: as long as it takes), then give up with exit status 3")
    busy.add_argument("--no-wait", action="store_true",
                      help="if another ingest is changing the index, give up at once with exit status 3")


def _by_id(sub, func, name: str, **texts) -> None:
    """A command that changes the index by document ids (remove, restore)."""
    parser = sub.add_parser(name, **texts)
    parser.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    _wait_args(parser)
    _index_arg(parser)
    parser.set_defaults(func=func)


def _filter_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--committee", help="only papers of this committee or body (part of its name)")
    parser.add_argument("--doc-type", choices=["agenda", "minutes", "report", "appendix", "decision", "other"])
    parser.add_argument("--date-from", help="only meetings on or after this date (yyyy-mm-dd)")
    parser.add_argument("--date-to", help="only meetings on or before this date (yyyy-mm-dd)")
    parser.add_argument("--public", action="store_true",
                        help="leave out restricted (exempt) papers, as for a caller without a token")


def format_answer(answer) -> str:
    lines = [answer.answer, ""]
    if answer.note:  # which generator wrote it, or why the language model's answer was not used
        lines += [f"Note: {answer.note}", ""]
    if answer.citations:
        lines.append("Sources:")
    for c in answer.citations:
        where = ", ".join(x for x in [c.committee, c.meeting_date, f"page {c.page}" if c.page else None] if x)
        lines.append(f"[{c.n}] {c.title} ({c.document}{'; ' + where if where else ''})")
        if c.section:
            lines.append(f"    section: {c.section}")
        lines.append(f"    \"{' '.join(c.quote.split())}\"")
    if answer.abstained and answer.passages:
        lines.append("Searched:")
        for p in answer.passages[:5]:
            lines.append(f"  - {p.title} ({p.document}{', page ' + str(p.page) if p.page else ''})")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    from .index.store import IndexNotFound
    from .qa.service import QAService

    settings = get_settings()
    if not args.question.strip() or len(args.question) > settings.max_question_chars:
        print(f"error: the question must be 1 to {settings.max_question_chars} characters", file=sys.stderr)
        return 2
    try:
        answer = QAService(args.index or settings.index, settings).ask(args.question, top_k=args.k, filters=_filters(args),
                                                                     history=args.after)
    except IndexNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.json and answer.searched_for and answer.searched_for != args.question.strip():
        print(f"(read as: {answer.searched_for})\n")
    print(answer.model_dump_json(indent=2) if args.json else format_answer(answer))
    return 0


def cmd_documents(args: argparse.Namespace) -> int:
    from .index import catalog
    from .index.search import Searcher
    from .index.store import IndexNotFound

    settings = get_settings()
    try:
        searcher = Searcher(args.index or settings.index, settings)
        listing = catalog.catalog(searcher)
    except IndexNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    withdrawn = searcher.index.withdrawn()
    if args.json:
        # The listing the API gives, plus where each document was read from: whoever runs the
        # command line can read the index's files anyway (the API keeps server paths to itself).
        files = {doc_id: doc.locations[0] if doc.locations else None for doc_id, doc in searcher.index.documents.items()}
        body = listing.model_dump(mode="json")
        for d in body["documents"]:
            d["file"] = files[d["id"]]
        body["withdrawn"] = [w.model_dump() for w in withdrawn]
        print(json.dumps(body, indent=2, ensure_ascii=False))
        return 0
    for d in listing.documents:
        pages = f"{d.pages} pages, " if d.pages else ""
        print(f"{d.meeting_date or 'undated':10s}  {d.doc_type:8s}  {d.id}")
        print(f"{'':22s}{d.title} ({d.committee or 'no body'}; {pages}{d.passages} passages)")
        if d.access == "restricted" or d.access_reason.startswith("set in"):
            print(f"{'':22s}{d.access.upper()}: {d.access_reason}")
    restricted = sum(d.access == "restricted" for d in listing.documents)
    print(f"{len(listing.documents)} documents ({restricted} restricted: members and officers only)")
    for f in listing.failures:
        print(f"FAILED {f.path}: {f.reason}")
    for w in withdrawn:
        print(f"WITHDRAWN {w.document}: {w.reason()}; `councilqa restore {shlex.quote(w.document)}` brings it back")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .eval.harness import GENERATION_METRICS, METRICS, check_thresholds, evaluate

    settings = get_settings()
    index_dir = args.index or settings.index
    baselines = [b for b in (args.baselines or "").split(",") if b]
    generator = args.generator or settings.generator
    result = evaluate(args.questions, index_dir, args.corpus, args.out, baselines, settings, args.paraphrases,
                      access=args.access, generator=generator)
    print(f"asked as {result['access']}, embeddings in {result['precision']}, answers by the {generator} generator"
          + (f" ({settings.llm_model} at {settings.llm_base_url})" if generator == "llm" else ""))
    columns = {**result["overall"], **{f"councilqa {k}": v for k, v in result["splits"].items()},
               **{f"councilqa {k}": v for k, v in result.get("paraphrases", {}).items()}}
    print("metric".ljust(26) + "".join(name.rjust(max(12, len(name) + 2)) for name in columns))
    for metric in METRICS + (GENERATION_METRICS if generator == "llm" else []):
        print(metric.ljust(26) + "".join(
            ("–" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)).rjust(max(12, len(name) + 2))
            for name, v in ((name, m.get(metric)) for name, m in columns.items())))
    print("\nby type (councilqa): type, n, accuracy, cited, hit@5")
    for kind, m in result["by_type"].items():
        print(f"  {kind:13s} {m['questions']:3d}  {m['answer_accuracy']}  {m['citation_support']}  {m['hit@5']}")
    if args.out:
        print(f"\nresponses and report written to {args.out}")
    if args.thresholds:
        bars = json.loads(Path(args.thresholds).read_text(encoding="utf-8"))
        failures = check_thresholds(result, bars.get(args.set or Path(args.questions).stem, {}))
        for failure in failures:
            print(f"BELOW THRESHOLD: {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0


def cmd_new_token(args: argparse.Namespace) -> int:
    """A new random token for a user, and the entry that lets it in, for the users file."""
    import secrets

    from .api.callers import token_hash

    token = secrets.token_urlsafe(24)
    print(f"token (give it to {args.name}; it is not stored anywhere): {token}", file=sys.stderr)
    print(f'[[users]]\nname = {json.dumps(args.name)}\nrole = "{args.role}"\ntoken_sha256 = "{token_hash(token)}"')
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .api.app import create_app

    settings = get_settings()
    index_dir = Path(args.index or settings.index).resolve()
    workers = args.workers or settings.workers
    # Built here in any case, so a broken setting (a users file that cannot be read) stops us
    # with its reason rather than in every worker, which uvicorn would start again and again.
    app = create_app(index_dir, settings)
    where = {"host": args.host or settings.host, "port": args.port or settings.port, "log_level": "info"}
    if workers == 1:
        uvicorn.run(app, **where)
        return 0
    # Each worker process builds its own app from the settings, read from the environment
    # (api/app.py, app_from_settings): the index given here is handed down as COUNCILQA_INDEX.
    os.environ["COUNCILQA_INDEX"] = str(index_dir)
    uvicorn.run("councilqa.api.app:app_from_settings", factory=True, workers=workers, **where)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="councilqa", description="Ask council committee papers questions.")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser(
        "ingest", help="add files or folders of papers to the index",
        description="Add files or folders of papers (PDF, HTML, text, Markdown) to the index. Folders are read "
                    "recursively; hidden files are skipped, and links that lead out of a folder are refused. "
                    "Word documents, spreadsheets and images are listed as not supported. A folder is read as it "
                    "is now: documents read from it before whose files are gone from it are removed (and listed); "
                    "papers from other folders and uploads are left alone. Files of documents removed with "
                    "`councilqa remove` are skipped (listed as WITHDRAWN) while their content is unchanged.",
        epilog="exit status: 0 every file was read (or was unchanged); 1 one or more files failed, each listed "
               "with its reason (the others are indexed); 2 a path given does not exist; 3 another ingest "
               "holds the index (see --wait, --no-wait)")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--quiet", action="store_true", help="no progress bars")
    ingest.add_argument("--include-withdrawn", action="store_true",
                        help="read the files of withdrawn documents too, and end their withdrawal")
    _wait_args(ingest)
    _index_arg(ingest)
    ingest.set_defaults(func=cmd_ingest)

    _by_id(
        sub, cmd_remove, "remove", help="remove documents (by id, as `councilqa documents` lists them) from the index",
        description="Remove documents, their passages and vectors from the index, and record them as withdrawn: "
                    "the files are left alone, and ingesting their folder again skips them (listed as WITHDRAWN) "
                    "while their content is unchanged; a changed file is read as a new paper. `councilqa restore` "
                    "brings a removed document back. (A document whose file is deleted from its folder is removed "
                    "by ingesting that folder again.)",
        epilog="exit status: 0 removed; 2 an id is not in the index (nothing is removed) or there is no index; "
               "3 another ingest holds the index (see --wait, --no-wait)")
    _by_id(
        sub, cmd_restore, "restore", help="bring back documents removed with `councilqa remove` (by the id they had)",
        description="End the withdrawal of documents removed with `councilqa remove` (or DELETE through the API) "
                    "and read their files again from where they were read, under the same ids. `councilqa "
                    "documents` lists the withdrawn documents. A document whose file is gone is no longer "
                    "withdrawn either: ingesting its folder reads the file when it is back.",
        epilog="exit status: 0 restored; 1 a file failed to ingest; 2 an id is not withdrawn (nothing is done) or "
               "there is no index; 3 another ingest holds the index (see --wait, --no-wait)")

    compact_parser = sub.add_parser(
        "compact", help="write the index again as one segment (merge the papers added or removed since)",
        description="Ingests and removals of a few papers write only a delta segment beside the index's base "
                    "(COUNCILQA_DELTA_SHARE sets how large it may grow before the whole index is written again). "
                    "This writes the whole index now: the delta merged into the base, the passages of removed "
                    "papers dropped, BM25's word statistics exact again. Searches go on meanwhile.",
        epilog="exit status: 0 compacted (or nothing to do); 2 there is no index; 3 another ingest holds the index "
               "(see --wait, --no-wait)")
    _wait_args(compact_parser)
    _index_arg(compact_parser)
    compact_parser.set_defaults(func=cmd_compact)

    search = sub.add_parser("search", help="show the passages that best match a query")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=10)
    search.add_argument("--json", action="store_true")
    _filter_args(search)
    _index_arg(search)
    search.set_defaults(func=cmd_search)

    ask = sub.add_parser("ask", help="answer a question from the papers, with citations")
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=10, help="passages to return for inspection")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--after", action="append", metavar="QUESTION",
                     help="an earlier question this one follows up (repeatable, oldest first)")
    _filter_args(ask)
    _index_arg(ask)
    ask.set_defaults(func=cmd_ask)

    documents = sub.add_parser("documents", help="list the indexed documents, the files that failed and the "
                                                 "documents withdrawn")
    documents.add_argument("--json", action="store_true",
                           help='as JSON: {"documents": [{"id", "title", "committee", "meeting_date", "doc_type", '
                                '"access", "file", ...}], "failures": [{"path", "reason"}], "withdrawn": '
                                '[{"document", "title", "locations", "removed", "by", "content_hash"}]}')
    _index_arg(documents)
    documents.set_defaults(func=cmd_documents)

    evaluate = sub.add_parser("eval", help="run a known-answer question set and print the metrics")
    evaluate.add_argument("--questions", type=Path, required=True, help="JSONL question set")
    evaluate.add_argument("--corpus", type=Path, help="ingest this folder into the index first")
    evaluate.add_argument("--out", type=Path, help="write raw responses and a Markdown report here")
    evaluate.add_argument("--baselines", help="comma-separated: bm25,dense,search,naive")
    evaluate.add_argument("--paraphrases", type=Path, help="the same questions reworded (JSONL with paraphrase_of): "
                          "reported beside the originals")
    evaluate.add_argument("--thresholds", type=Path, help="fail when a metric is below its bar in this JSON file")
    evaluate.add_argument("--set", help="name of the set in the thresholds file (default: questions file stem)")
    evaluate.add_argument("--generator", choices=["extractive", "llm"],
                          help="who writes councilqa's answers (default: COUNCILQA_GENERATOR); llm reports what the "
                               "checks dropped and how often it fell back")
    evaluate.add_argument("--as", dest="access", choices=["public", "member"], default="member",
                          help="ask as the public (restricted papers left out of every search) or as a member "
                               "(every paper searched; the default)")
    _index_arg(evaluate)
    evaluate.set_defaults(func=cmd_eval)

    new_token = sub.add_parser("new-token", help="make a token for a user and print its users-file entry (TOML)")
    new_token.add_argument("--name", required=True)
    new_token.add_argument("--role", required=True, choices=["public", "member", "officer", "admin"])
    new_token.set_defaults(func=cmd_new_token)

    serve = sub.add_parser("serve", help="start the web service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=_positive, metavar="N",
                       help="server processes sharing the index folder, each with its own models (about 0.5 GB "
                            "each) and each picking up a new index generation on its next request "
                            "(default: settings, overridable with COUNCILQA_WORKERS; 1)")
    _index_arg(serve)
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
