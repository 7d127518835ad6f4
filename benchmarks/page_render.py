"""Benchmark (not a test): the time and memory of drawing a PDF page image (api/pages.py) when
the page is as big as a PDF page may be: 14,400 x 14,400 pt (200 inches square).

    .venv/bin/python benchmarks/page_render.py [--concurrent 10] [--scale 1.5]

Makes the PDF with reportlab (text over the whole page, a grid of lines, a quote to highlight),
then, each in a fresh process so each peak is its own, draws the page once, and draws it
`--concurrent` times at once from as many threads (each with a different highlight, so none is
served from the cache). Prints the wall time, the peak resident memory of the process (its
RSS after imports alone for comparison), the image size, and how many requests were told to
retry (RenderBusy, a 503 in the service). Targets: one render under 3 s and 500 MB; ten at once
under 2 GB."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIDE = 14_400  # pt: the largest page PDF 1.7 allows without UserUnit
QUOTE = "The Cabinet approved a budget of 2.5 million pounds for new family hubs."


def make_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(SIDE, SIDE))
    c.setFont("Helvetica", 24)
    for y in range(SIDE - 200, 100, -600):  # a line of text every 600 pt, over the whole page
        for x in range(100, SIDE - 2000, 3600):
            c.drawString(x, y, f"Row {y} column {x}: the council noted the report on family hubs.")
    for i in range(0, SIDE, 400):  # a grid, so there is drawing everywhere
        c.line(i, 0, i, SIDE)
        c.line(0, i, SIDE, i)
    for n in range(10):
        c.drawString(200, 400 + 60 * n, f"{n}. {QUOTE}")
    c.showPage()
    c.save()
    return path


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run(pdf: Path, concurrent: int, scale: float) -> dict:
    """In this process: draw the page once (concurrent == 1) or `concurrent` times at once."""
    import resource
    import threading

    from councilqa.api import pages

    base = _rss_kb()
    results, busy = [], []

    def one(n: int) -> None:
        quote = f"{n}. {QUOTE}" if concurrent > 1 else QUOTE
        started = time.perf_counter()
        try:
            image = pages.page_image(pdf, 1, quote, scale)
            results.append((time.perf_counter() - started, image.width, image.height, image.boxes, len(image.png)))
        except pages.RenderBusy:
            busy.append(time.perf_counter() - started)

    started = time.perf_counter()
    threads = [threading.Thread(target=one, args=(n,)) for n in range(concurrent)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"concurrent": concurrent, "wall_s": round(wall, 2), "slowest_s": round(max(r[0] for r in results), 2) if results else None,
            "peak_rss_mb": round(peak / 1024), "rss_after_imports_mb": round(base / 1024),
            "drawn": len(results), "told_to_retry": len(busy),
            "image": f"{results[0][1]}x{results[0][2]}" if results else None,
            "boxes": results[0][3] if results else None, "png_kb": round(results[0][4] / 1024) if results else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrent", type=int, default=10)
    parser.add_argument("--scale", type=float, default=1.5, help="pixels per point asked for (the service's default)")
    parser.add_argument("--child", nargs=2, metavar=("PDF", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(Path(args.child[0]), int(args.child[1]), args.scale)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        pdf = make_pdf(Path(tmp) / "huge-page.pdf")
        print(f"{pdf.name}: one {SIDE} x {SIDE} pt page, {pdf.stat().st_size // 1024} kB; scale asked {args.scale}")
        for n in (1, args.concurrent):
            out = subprocess.run([sys.executable, __file__, "--scale", str(args.scale), "--child", str(pdf), str(n)],
                                 capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{n:>2} at once: wall {r['wall_s']} s (slowest request {r['slowest_s']} s), peak RSS {r['peak_rss_mb']} MB "
                  f"({r['rss_after_imports_mb']} MB after imports), image {r['image']} px, {r['png_kb']} kB PNG, "
                  f"{r['boxes']} highlight boxes, {r['drawn']} drawn, {r['told_to_retry']} told to retry")
    return 0


if __name__ == "__main__":
    sys.exit(main())
