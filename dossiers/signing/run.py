"""pyHanko's signing and validation are coroutines; its blocking wrappers call `asyncio.run`, which refuses to
start inside a thread whose event loop is already running (an ASGI server, a Playwright session in the tests).
`run_coroutine` runs them to completion either way: on a fresh loop of its own in this thread when none runs, in
a short-lived worker thread otherwise."""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[object, object, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as worker:
        return worker.submit(asyncio.run, coroutine).result()
