# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collects one row per test of the reliability suite and renders them as Markdown (docs/reliability.md)."""

from __future__ import annotations

import platform

SECTIONS = [
    ("faults", "Fault matrix",
     "Each row is one task of `ansible-playbook` against the simulator, with the fault injected on the requests of "
     "its own resource only. *Requests* is what the simulator received (`DEL`/`GET` and the status it answered, "
     "`drop` for no answer). *Waits* compares the time between two attempts, taken from the simulator's log, with "
     "what the headers asked (plus the module's jitter) or with the backoff ceiling; *overshoot* is how much later "
     "than the latest allowed moment the retry came (negative: in time). The `retry_wait` each task reports must "
     "agree with the waits measured there; a refused connection never reaches the simulator, so for it the task's "
     "duration, taken outside the module, stands in. *Final* is the resource in the simulator after the task.",
     ["module", "phase", "fault", "expected", "got", "requests", "waits: asked -> measured", "overshoot",
      "final", "row"]),
    ("load", "Load", "Many forks, many connectors, one API key, a low rate limit.",
     ["run", "hosts x connectors", "forks", "rate limit", "api_retries", "requests", "429s", "dropped", "changed",
      "failed",
      "left", "changed twice", "time", "row"]),
    ("tls", "TLS", "A loopback HTTPS simulator with a certificate from a throw-away CA (trustme).",
     ["case", "expected", "got", "requests", "message", "row"]),
    ("secrets", "Secret hygiene",
     "The API secret and the access token, in every form they could take (as is, JSON-escaped, URL-encoded, inside "
     "a Basic header), searched for in everything a run leaves.",
     ["run", "credentials from", "tasks (failed)", "searched", "secrets found", "row"]),
    ("fuzz", "Fuzzed input",
     "Hypothesis examples run through the module's `main()` in-process against the simulator over HTTP.",
     ["target", "examples", "refused before any request", "one request, path round-trips", "other", "tracebacks",
      "row"]),
]

NOTES = [
    "The simulator has no fault that fires with a probability, so the load test drops 5% of the connections with "
    "one-shot `drop`/`apply_then_drop` faults whose `skip` counts hit every 20th DELETE. A `probability` key (with a "
    "seed, for repeatable runs) on faults would let the test say so directly.",
    "The load runs use the default `api_retries`. Before the first answer no fork knows the key's budget, so each "
    "fork's first request may meet a 429 in the first rate-limit window; after it, the forks share the budget and "
    "the suite allows at most one answer of 429 per 20 tasks.",
    "Credentials given through a task's `environment:` keyword are printed by ansible-core itself at `-vvv` and "
    "above, in the `EXEC /bin/sh -c 'CONFLUENT_CLOUD_API_SECRET=... python ...'` line of the local (and ssh) "
    "connection; that is not the modules' doing. The suite sets the variables in the environment of "
    "`ansible-playbook` or of the ansible-runner job (`env/envvars`, as AWX injects a credential), which reaches the "
    "module without being printed.",
    "ansible-runner writes the job's whole environment, injected credentials included, to `artifacts/<ident>/command` "
    "by design; that file is neither output nor a job event, and the suite does not search it.",
    "With ansible-core 2.19 an option templated to `omit` also drops the value `module_defaults` gives it, so the "
    "fault matrix passes credentials as task options; module_defaults are covered by the secret-hygiene and load "
    "playbooks.",
]

LABELS = {"passed": "pass", "failed": "FAIL", "xfailed": "xfail (bug)", "xpassed": "XPASS", "error": "ERROR",
          "skipped": "skipped", None: "not run"}


def known_note(count):
    return " (and %d in the xfail rows of known bugs)" % count if count else ""


class Report:
    def __init__(self):
        self.rows = []
        self.outcomes = {}
        self.meta = {}

    def add(self, section, nodeid, cells, bug=None, **figures):
        self.rows.append({"section": section, "nodeid": nodeid, "cells": [str(c) for c in cells], "bug": bug,
                          "figures": figures})

    def set_outcome(self, nodeid, outcome):
        # The worst phase wins: an error in teardown spoils a passed call.
        if self.outcomes.get(nodeid) in ("failed", "error") and outcome in ("passed", "skipped"):
            return
        self.outcomes[nodeid] = outcome

    def outcome(self, nodeid):
        return self.outcomes.get(nodeid)

    def figures(self):
        rows = self.rows
        waits = [w for row in rows for w in row["figures"].get("waits", [])]
        worst = max(waits, key=lambda w: w["overshoot"], default=None)
        counted = [row for row in rows if self.outcome(row["nodeid"]) is not None]
        known = [row for row in counted if self.outcome(row["nodeid"]) == "xfailed"]
        return {
            "scenarios": len(counted),
            "passed": sum(1 for row in counted if self.outcome(row["nodeid"]) == "passed"),
            "xfailed": sum(1 for row in counted if self.outcome(row["nodeid"]) == "xfailed"),
            "failed": sum(1 for row in counted if self.outcome(row["nodeid"]) in ("failed", "error", "xpassed")),
            "survived": sum(int(row["figures"].get("survived", 0)) for row in counted
                            if self.outcome(row["nodeid"]) == "passed"),
            "clean_failures": sum(1 for row in counted if row["figures"].get("clean_failure")
                                  and self.outcome(row["nodeid"]) == "passed"),
            "requests": sum(row["figures"].get("requests", 0) for row in counted),
            "waits": len(waits),
            "worst": worst,
            "early": sum(1 for w in waits if w["measured"] < w["low"] - 0.05),
            "secrets": sum(row["figures"].get("secrets", 0) for row in counted if row not in known),
            "secrets_known": sum(row["figures"].get("secrets", 0) for row in known),
            "searched": sum(row["figures"].get("searched", 0) for row in counted),
            "tracebacks": sum(row["figures"].get("tracebacks", 0) for row in counted if row not in known),
            "tracebacks_known": sum(row["figures"].get("tracebacks", 0) for row in known),
            "examples": sum(row["figures"].get("examples", 0) for row in counted),
            "module_runs": sum(row["figures"].get("module_runs", 0) for row in counted),
        }

    def bugs(self):
        return sorted({row["bug"] for row in self.rows if row["bug"] and self.outcome(row["nodeid"]) == "xfailed"})

    def render(self, duration, command):
        fig = self.figures()
        worst = fig["worst"]
        worst_text = "n/a"
        if worst:
            worst_text = "%+.2f s (%s; %s, measured %.2f s)" % (
                worst["overshoot"], worst["scenario"], worst["asked"], worst["measured"])
        lines = [
            "# Reliability of the teardown modules",
            "",
            "<!-- Written by the reliability suite (tests/reliability) at the end of `%s`; do not edit. -->" % command,
            "",
            "The suite in `tests/reliability` builds the collection from the working tree, installs it into a private "
            "collections path and drives the real modules through `ansible-playbook` (and, for fuzzing, through their "
            "`main()` in-process) against the Confluent Cloud simulator in `tests/simulator`. It asserts on the "
            "simulator's state and request log, not only on task results. Run it with `make reliability` (figures in "
            "`build/reliability/reliability.md`); `make reliability-report` also rewrites `docs/reliability.md`.",
            "",
            "Last run: ansible-core %s, Python %s, collection %s, %.0f s." % (
                self.meta.get("ansible_core", "?"), platform.python_version(), self.meta.get("collection", "?"),
                duration),
            "",
            "## Summary",
            "",
            "| figure | value |",
            "| --- | --- |",
            "| scenarios run | %d (%d pass, %d xfail for known bugs, %d failed) |" % (
                fig["scenarios"], fig["passed"], fig["xfailed"], fig["failed"]),
            "| faults survived (retried, then the right result; a dropped connection under load counts once) | %d |"
            % fig["survived"],
            "| faults that failed the task cleanly, as they must | %d |" % fig["clean_failures"],
            "| module runs | %d through ansible-playbook, %d fuzzed in-process |" % (
                fig["module_runs"], fig["examples"]),
            "| requests the simulator received | %d |" % fig["requests"],
            "| waits measured | %d |" % fig["waits"],
            "| worst wait overshoot | %s |" % worst_text,
            "| retries earlier than asked | %d |" % fig["early"],
            "| tracebacks | %d%s |" % (fig["tracebacks"], known_note(fig["tracebacks_known"])),
            "| secrets found | %d in %d searched outputs, job events and results%s |" % (
                fig["secrets"], fig["searched"], known_note(fig["secrets_known"])),
            "",
        ]
        bugs = self.bugs()
        if bugs:
            lines += ["## Known bugs (xfail rows)", "",
                      "These rows fail today and are marked `xfail(strict=True)`; once the module is fixed they "
                      "pass, pytest reports XPASS and the marker must go.", ""]
            lines += ["- %s" % bug for bug in bugs]
            lines.append("")
        for key, title, intro, columns in SECTIONS:
            rows = [row for row in self.rows if row["section"] == key]
            if not rows:
                continue
            lines += ["## %s" % title, "", intro, "", "| %s |" % " | ".join(columns),
                      "|%s" % "".join(" --- |" for column in columns)]
            for row in rows:
                cells = row["cells"] + [LABELS.get(self.outcome(row["nodeid"]), "?")]
                lines.append("| %s |" % " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells))
            lines.append("")
            notes = self.meta.get("notes_" + key)
            if notes:
                lines += notes + [""]
        lines += ["## Notes", ""] + ["- " + note for note in NOTES] + [""]
        return "\n".join(lines).rstrip() + "\n"
