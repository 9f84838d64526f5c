# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run ansible-playbook and collect its task results through the one callback, callback_plugins/task_results.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time

CALLBACK_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback_plugins")
CALLBACK = "task_results"
RESULTS_VARIABLE = "TASK_RESULTS_FILE"
COLLECTION_PREFIX = "kafkaops.confluent_cloud."


def callback_env(env, results_file):
    """env (a dict) with the task_results callback enabled next to the callbacks it already enables, writing to
    results_file."""
    env = dict(env)
    for name, value, separator in (("ANSIBLE_CALLBACK_PLUGINS", CALLBACK_DIR, os.pathsep),
                                   ("ANSIBLE_CALLBACKS_ENABLED", CALLBACK, ",")):
        env[name] = separator.join([item for item in [env.get(name)] if item] + [value])
    env[RESULTS_VARIABLE] = results_file
    return env


def read_results(path):
    """The callback's document ({"tasks": [...], "results": [...], ...}), or None when the file is not there."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def collection_results(records):
    """The results of this collection's modules, one per host, task and loop item: without loop summaries (their items
    are there one by one) and skipped tasks. None stays None."""
    if records is None:
        return None
    return [record for record in records if record["action"].startswith(COLLECTION_PREFIX)
            and record["status"] != "skipped" and (record["item"] or "results" not in record["result"])]


class PlaybookRun:
    """What a run left: cmd, returncode (negative: killed by that signal, as on a timeout), timed_out, stdout (with
    stderr unless kept apart), stderr, records (the callback's results; None if it wrote none), tasks, started (epoch
    seconds) and duration (seconds)."""

    def __init__(self, cmd, returncode, stdout, stderr, document, started, duration, timed_out):
        self.cmd = cmd
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.records = document["results"] if document else None
        self.tasks = document["tasks"] if document else []
        self.started = started
        self.duration = duration
        self.timed_out = timed_out

    def output(self):
        return self.stdout + ("\n" + self.stderr if self.stderr else "")


def run_playbook(cmd, env, results_file, cwd=None, timeout=600, echo=None, separate_stderr=False):
    """Run cmd (ansible-playbook and its arguments) in a process group of its own, with the callback writing to
    results_file; stop the whole group after timeout seconds. echo, if given, is called with each line of output as
    it comes (stderr merged into stdout); separate_stderr keeps stderr apart instead."""
    if os.path.exists(results_file):
        os.unlink(results_file)
    started, timed_out = time.time(), []
    process = subprocess.Popen(cmd, cwd=cwd, env=callback_env(env, results_file), stdout=subprocess.PIPE,  # pylint: disable=consider-using-with
                               stderr=subprocess.PIPE if separate_stderr else subprocess.STDOUT, text=True,
                               errors="replace", start_new_session=True)

    def kill(reason=None):
        if process.poll() is None:
            if reason:
                timed_out.append(reason)
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    timer = threading.Timer(timeout, kill, ("timeout",))
    timer.start()
    try:
        if echo is None:
            stdout, stderr = process.communicate()
        else:
            lines = []
            for line in process.stdout:
                lines.append(line)
                echo(line)
            stdout, stderr = "".join(lines), ""
            process.wait()
    finally:
        timer.cancel()
        kill()
        process.wait()
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    return PlaybookRun(cmd, process.returncode, stdout, stderr or "", read_results(results_file), started,
                       time.time() - started, bool(timed_out))
