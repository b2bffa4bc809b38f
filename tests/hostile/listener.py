"""A TCP listener on 127.0.0.1 that records every connection: proof that nothing was sent.

Used by the hostile tests (issue 16): a request that must not leave neurokg is pointed at a
``Listener``, and the test asserts it saw no connection; the test that allows the request asserts
it saw one, so the listener is known to work. It answers nothing and closes each connection.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType


class Listener:
    """Accepts connections on a free loopback port in a thread; ``received``: what each sent."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)
        self.port: int = self._socket.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="listener", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(1.0)
                try:
                    self.received.append(connection.recv(65536))
                except OSError:
                    self.received.append(b"")

    def quiet(self, settle: float = 0.3) -> bool:
        """Whether no connection arrived (after ``settle`` seconds for a late one)."""
        time.sleep(settle)
        return not self.received

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.close()
