"""E-mail throughput: queued confirmations, with their PDF, sent by two Celery workers to a local SMTP sink."""

from __future__ import annotations

import subprocess
import sys
import time

from django.conf import settings

from prefecture.deploy.layout import ROOT, Layout, free_port, wait_for_port

from . import data


def measure(layout: Layout, target: data.SlotTarget, *, count: int, workers: int, max_seconds: float) -> dict:
    """Queue `count` confirmations, let `workers` workers send them, for at most `max_seconds`."""
    from booking.tasks import send_email_task
    from prefecture.celery import app

    smtp_port = free_port()
    sink = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}", "-c", "aiosmtpd.handlers.Sink"]
    processes = [subprocess.Popen(sink, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        wait_for_port(smtp_port)
        ids = data.queue_confirmations(target, count)
        app.conf.broker_url, app.conf.task_always_eager = settings.CELERY_BROKER_URL, False
        app.control.purge()  # what an earlier, interrupted run left in this broker database
        with app.producer_or_acquire() as producer:
            for email_id in ids:
                send_email_task.apply_async(args=[email_id], producer=producer)
        env = layout.django_env(direct=True)  # the layout, PgBouncer included, is stopped by now
        env.update({"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "EMAIL_USE_TLS": "false"})
        env.pop("EMAIL_FILE_PATH", None)
        started = time.perf_counter()
        for n in range(workers):
            command = [sys.executable, "-m", "celery", "-A", "prefecture", "worker", "--pool=solo"]
            command += [f"--hostname=bench{n}@%h", "--loglevel=WARNING", "--without-gossip", "--without-mingle"]
            log = open(layout.run_dir / f"email-worker-{n}.log", "ab")  # noqa: SIM115 - the child keeps it
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        sent, first = 0, None  # counted from the first e-mail sent: worker start-up is not throughput
        while sent < count and time.perf_counter() - started < max_seconds:
            time.sleep(1)
            sent = data.count_sent(ids)
            if first is None and sent:
                first = (time.perf_counter(), sent)
        elapsed = time.perf_counter() - (first[0] if first else started)
        rate = (sent - first[1]) / elapsed if first and elapsed > 0 else 0.0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
        app.control.purge()
    return {
        "queued": count,
        "sent": sent,
        "workers": workers,
        "seconds": round(time.perf_counter() - started, 1),
        "per_s": round(rate, 1),
        "all_sent": sent == count,
    }
