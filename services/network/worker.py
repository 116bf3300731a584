"""A daemon thread that sleeps on a condition until work arrives or it is stopped."""
import threading


class Worker:
    """Subclasses implement ``_work`` (the thread's loop) and wait on ``_wakeup``,
    leaving the loop once ``_stopped`` is set."""

    thread_name = "worker"

    def __init__(self) -> None:
        self._wakeup = threading.Condition()
        self._stopped = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._work, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._wakeup:
            self._stopped = True
            self._wakeup.notify()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _work(self) -> None:
        raise NotImplementedError
