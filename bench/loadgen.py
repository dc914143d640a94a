"""A small HTTP/1.1 load generator, and throughput measured as a ratio to a baseline.

The client is deliberately lean (pre-encoded request bytes, raw sockets, one thread
per connection) because on a 2-core machine it shares the CPU with the server: the
less it spends per request, the less it distorts what it measures. Connections are
kept alive when the server allows it; gunicorn's sync workers answer
``Connection: close``, and then the client reconnects for the next request.

Absolute requests/second on a shared, noisy machine mean little, so every page is
measured *interleaved* with a cheap baseline (``/healthz``): baseline, page,
baseline, page, ... and each page round is divided by the mean of the two baseline
rounds either side of it. The report is the median of those per-round ratios.
"""

import itertools
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bench.core import median


@dataclass(frozen=True)
class Target:
    """One URL to load, with the headers (cookies) every request carries.

    A GET of the same bytes every time, unless ``stream`` is given: then
    ``stream(n)`` gives connection ``n`` its requests one by one (a POST whose
    body changes, say); it is called again at each round, so it keeps its own
    state across rounds."""

    name: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    stream: Callable[[int], Iterator[bytes]] | None = None

    def request_bytes(self, host: str, port: int) -> bytes:
        lines = [
            f"GET {self.path} HTTP/1.1",
            f"Host: {host}:{port}",
            "User-Agent: coursesite-bench",
            "Accept: text/html,*/*",
            *(f"{name}: {value}" for name, value in self.headers),
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass
class Measurement:
    """One fixed-duration round against one target."""

    target: str
    ok: int
    seconds: float
    statuses: Counter = field(default_factory=Counter)
    failures: int = 0  # connection errors and non-2xx answers
    client_cpu: float = 0.0  # CPU seconds this process spent, all threads
    server_cpu: float | None = None  # CPU seconds the server's workers spent

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


class _ServerClosed(ConnectionError):
    pass


def _read_response(sock: socket.socket, buffer: bytes) -> tuple[int, bool, bytes]:
    """Read one response; return (status, connection reusable, bytes left over)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise _ServerClosed("server closed the connection")
        buffer += chunk
    head, _, body = buffer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(None, 2)[1])
    keep_alive = lines[0].startswith(b"HTTP/1.1")
    length, chunked = None, False
    for header in lines[1:]:
        name, _, value = header.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            keep_alive = value != b"close"
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
    if chunked:  # enough for a benchmark: read up to the terminating chunk
        while not body.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection mid-body")
            body += chunk
        return status, keep_alive, b""
    if length is None:  # body runs to the end of the connection
        while chunk := sock.recv(65536):
            body += chunk
        return status, False, b""
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection mid-body")
        body += chunk
    return status, keep_alive, body[length:]


def _connection_loop(
    host, port, requests, deadline, tickets, max_requests, totals, lock
) -> None:
    sock, buffer, reused = None, b"", False
    ok, failures, statuses = 0, 0, Counter()
    request = None
    while time.perf_counter() < deadline and next(tickets) < max_requests:
        if request is None:  # a request that met a closed connection is resent
            request = next(requests)
        try:
            if sock is None:
                sock = socket.create_connection((host, port), timeout=30)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                buffer, reused = b"", False
            sock.sendall(request)
            status, keep_alive, buffer = _read_response(sock, buffer)
        except _ServerClosed:
            sock.close()
            sock = None
            if not reused:  # a kept-alive connection may time out; a new one not
                failures += 1
            continue
        except OSError:
            if sock is not None:
                sock.close()
            sock = None
            failures += 1
            continue
        request = None
        statuses[status] += 1
        if 200 <= status < 300:
            ok += 1
        else:
            failures += 1
        if keep_alive:
            reused = True
        else:
            sock.close()
            sock = None
    if sock is not None:
        sock.close()
    with lock:
        totals["ok"] += ok
        totals["failures"] += failures
        totals["statuses"].update(statuses)


def measure(
    host: str,
    port: int,
    target: Target,
    *,
    seconds: float,
    connections: int,
    max_requests: int = 100_000,
    server_cpu: Callable[[], float | None] | None = None,
) -> Measurement:
    """Load ``target`` from ``connections`` concurrent connections for ``seconds``.

    Stops early after ``max_requests``; throughput counts 2xx answers only.
    ``server_cpu``, if given, reads the server's CPU seconds so far (before and
    after the round).
    """
    server_start = server_cpu() if server_cpu else None
    if target.stream is None:
        request = target.request_bytes(host, port)
        streams = [itertools.repeat(request) for _ in range(connections)]
    else:
        streams = [target.stream(n) for n in range(connections)]
    tickets = itertools.count()  # next() on it is atomic under the GIL
    totals = {"ok": 0, "failures": 0, "statuses": Counter()}
    lock = threading.Lock()
    cpu_start, start = time.process_time(), time.perf_counter()
    deadline = start + seconds
    threads = [
        threading.Thread(
            target=_connection_loop,
            args=(host, port, stream, deadline, tickets, max_requests, totals, lock),
            daemon=True,
        )
        for stream in streams
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    server_end = server_cpu() if server_cpu else None
    return Measurement(
        target=target.name,
        ok=totals["ok"],
        seconds=elapsed,
        statuses=totals["statuses"],
        failures=totals["failures"],
        client_cpu=time.process_time() - cpu_start,
        server_cpu=None
        if server_start is None or server_end is None
        else server_end - server_start,
    )


@dataclass
class RatioResult:
    """A target's throughput rounds and their ratios to the neighbouring baseline."""

    target: str
    rounds: list[Measurement] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)

    @property
    def median_rps(self) -> float:
        return median([m.rps for m in self.rounds])

    @property
    def median_ratio(self) -> float:
        return median(self.ratios)

    @property
    def failures(self) -> int:
        return sum(m.failures for m in self.rounds)

    @property
    def server_cpu_ms(self) -> float | None:
        """Server CPU per answered request, in ms (immune to CPU stolen by others)."""
        if any(m.server_cpu is None for m in self.rounds):
            return None
        ok = sum(m.ok for m in self.rounds)
        return sum(m.server_cpu for m in self.rounds) / ok * 1000 if ok else None

    @property
    def client_cpu_share(self) -> float:
        """Share of one core the load generator itself used during the rounds."""
        return sum(m.client_cpu for m in self.rounds) / sum(
            m.seconds for m in self.rounds
        )


def measure_interleaved(
    host: str,
    port: int,
    baseline: Target,
    targets: list[Target],
    *,
    rounds: int,
    seconds: float,
    connections: int,
    warmup_seconds: float = 0.5,
    server_cpu: Callable[[], float | None] | None = None,
) -> tuple[RatioResult, dict[str, RatioResult]]:
    """Baseline, target 1, baseline, target 2, ..., baseline; ``rounds`` times over.

    Each target round's ratio is its rps over the mean rps of the baseline rounds
    just before and just after it, so slow drifts of the machine cancel out.
    """
    for target in [baseline, *targets]:  # fill per-worker caches, start lessons
        measure(host, port, target, seconds=warmup_seconds, connections=connections)
    base = RatioResult(baseline.name)
    results = {target.name: RatioResult(target.name) for target in targets}

    def run(target: Target) -> Measurement:
        return measure(
            host,
            port,
            target,
            seconds=seconds,
            connections=connections,
            server_cpu=server_cpu,
        )

    before = run(baseline)
    base.rounds.append(before)
    for _ in range(rounds):
        for target in targets:
            page = run(target)
            after = run(baseline)
            base.rounds.append(after)
            reference = (before.rps + after.rps) / 2
            result = results[target.name]
            result.rounds.append(page)
            result.ratios.append(page.rps / reference if reference else float("nan"))
            before = after
    return base, results
