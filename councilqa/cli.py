"""The `councilqa` command: a thin shell over the plain functions."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .settings import get_settings


def _index_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", type=Path, default=None,
                        help="index folder (default: settings, overridable with COUNCILQA_INDEX)")


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest.pipeline import ingest

    settings = get_settings()
    index_dir = args.index or settings.index
    try:
        report = ingest(args.paths, index_dir, settings, progress=not args.quiet)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report.summary())
    print(f"index: {index_dir}")
    return 1 if report.failed and not (report.added or report.updated or report.unchanged or report.duplicates) else 0


def cmd_search(args: argparse.Namespace) -> int:
    from .index.search import Filters, Searcher
    from .index.store import IndexNotFound

    settings = get_settings()
    try:
        searcher = Searcher(args.index or settings.index, settings)
    except IndexNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    filters = Filters(committee=args.committee, doc_type=args.doc_type, date_from=args.date_from, date_to=args.date_to)
    passages = searcher.search(args.query, k=args.k, filters=filters)
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


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .api.app import create_app

    settings = get_settings()
    app = create_app(args.index or settings.index, settings)
    uvicorn.run(app, host=args.host or settings.host, port=args.port or settings.port, log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="councilqa", description="Ask council committee papers questions.")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="add files or folders of papers to the index")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--quiet", action="store_true", help="no progress bars")
    _index_arg(ingest)
    ingest.set_defaults(func=cmd_ingest)

    search = sub.add_parser("search", help="show the passages that best match a query")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=10)
    search.add_argument("--json", action="store_true")
    search.add_argument("--committee")
    search.add_argument("--doc-type", choices=["agenda", "minutes", "report", "appendix", "decision", "other"])
    search.add_argument("--date-from", help="yyyy-mm-dd")
    search.add_argument("--date-to", help="yyyy-mm-dd")
    _index_arg(search)
    search.set_defaults(func=cmd_search)

    serve = sub.add_parser("serve", help="start the web service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    _index_arg(serve)
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
