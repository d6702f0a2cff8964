"""`make test`'s proof that the suite leaves other users of its Redis database alone (it may be the one a
`make run` uses). `set KEY` before the suite stores KEY, outside the suite's key prefix, in REDIS_URL's
database; `check KEY` after it deletes KEY and fails, with one line, unless KEY was still there."""

import os
import sys
from urllib.parse import urlsplit

import redis

# Longer than any run: a run stopped half-way leaves the key behind for a while only.
TTL_SECONDS = 3 * 60 * 60


def shown(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


def main(action: str, key: str) -> int:
    url = os.environ["REDIS_URL"]
    client = redis.Redis.from_url(url, socket_timeout=5)
    if action == "set":
        client.set(key, "someone else's key: the test suite must leave it", ex=TTL_SECONDS)
        return 0
    if client.delete(key) == 1:
        return 0
    print(
        f"make test: the key {key} set in {shown(url)} before the suite is gone: the suite deleted a key that was "
        "not its own (it may delete only keys under settings.TEST_REDIS_KEY_PREFIX).",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in {"set", "check"}:
        sys.exit("usage: redis_sentinel.py set|check KEY")
    sys.exit(main(sys.argv[1], sys.argv[2]))
