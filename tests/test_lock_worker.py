"""A worker process asking for the lock its parent holds is told why at once, instead of both
waiting for ever (what a script without a `__main__` guard did when its parse worker imported it
again)."""

from __future__ import annotations

import multiprocessing

from councilqa.index.lock import writer_lock


def _ask_for_lock(index_dir: str, answers) -> None:
    try:
        with writer_lock(index_dir):
            answers.put("got the lock")
    except RuntimeError as exc:
        answers.put(str(exc))


def test_a_worker_asking_for_its_parents_lock_is_refused_with_the_reason(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    answers = ctx.Queue()
    with writer_lock(tmp_path):
        worker = ctx.Process(target=_ask_for_lock, args=(str(tmp_path), answers))
        worker.start()
        answer = answers.get(timeout=60)
        worker.join(timeout=10)
    assert "which its parent holds" in answer and "__main__" in answer
