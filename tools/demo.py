# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's playbooks against the local Confluent Cloud simulator (``make demo``).

Steps:
  1. .venv/demo: a virtual environment with ansible-core and requests (a stamp file skips reinstalling)
  2. build the collection and install the tarball into build/demo/collections
  3. start tests/simulator/confluent_sim.py with tests/simulator/seeds/demo.json
  4. part 1, examples/teardown.yml, three times: preview (--check --diff), teardown, re-run (idempotence)
  5. part 2, the cleanup playbook from the installed tarball (ansible-playbook kafkaops.confluent_cloud.cleanup), with
     its sweeps inside the environments it keeps (SWEEP_INSIDE), three times: preview (its default), apply
     (cleanup_apply=true), re-run (nothing left to select)
  6. check each run; print for each part a summary and the organisation before and after it; end with one verdict

What a part deleted is taken from what happened, never from the playbook's variables or the seed: the resources its
tasks reported changed (the task_results callback of tests/support), the DELETE requests the simulator carried out (its
request log) and the organisation before and after (its state). tests/support/evidence.py checks that they agree,
that each preview predicted what its apply then did, that a re-run changes nothing and that the cleanup's own summary
file says what the API did. The evidence and the checks' findings are kept in WORK_DIR/demo-evidence.json, each
playbook's own output in WORK_DIR/logs/ (shown as it runs with -v, or make demo V=1).

Usage: python3 tools/demo.py [-v] [--venv DIR] [--work-dir DIR]
Exit status: 0 demo OK, 1 a run or a check failed, 2 setup failed, 130 interrupted.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shlex
import signal
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(ROOT, "tools"), os.path.join(ROOT, "tests")]

# pylint: disable=wrong-import-position
from demo_report import Printer, organisation_table, run_lines, verdict  # noqa: E402
from support import collection, evidence, playbook  # noqa: E402
from support.simulator import SimulatorError, SimulatorProcess  # noqa: E402

SEED = "tests/simulator/seeds/demo.json"
DEMO_KEY = "DEMOKEY"
DEMO_SECRET = "demo-secret"
# An API key of the Kafka cluster lkc-prod1, for its Kafka REST (the topics the teardown's connector takes along).
DEMO_KAFKA_KEY = "PRODKAFKAKEY01"
DEMO_KAFKA_SECRET = "demo-kafka-secret"
DELETE_DELAY = 1
RUN_TIMEOUT = 300
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
RECAP_LINE = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)")

# A run of a playbook. mode: "preview" (must change nothing; its tasks' changed results are predictions), "apply"
# (deletes) or "again" (after the apply: nothing is left to change). deletes: the DELETE requests it may send
# (evidence.DELETES): "none", "gone only" (each answered 404, already gone) or "any".
Run = collections.namedtuple("Run", "name title mode args deletes")
# A part of the demo: a playbook run several times with common arguments. summary_var names the playbook's variable
# that makes it write its own summary as JSON, which is then checked against the API as well. shows: the kinds of
# resource the part is there to show deleting; a part that deletes none of a kind shows nothing of it and fails.
Part = collections.namedtuple("Part", "name title playbook args runs summary_var shows hint")

# The cleanup's sweeps inside the environments it keeps (docs/docsite/rst/cleanup.rst).
SWEEP_INSIDE = ["-e", "cleanup_kafka_clusters=true", "-e", "cleanup_connectors=true", "-e", "cleanup_connector_states=FAILED"]
TEARDOWN_TITLE = ("examples/teardown.yml deletes named connectors, a Kafka cluster with what uses it (cascade: true) "
                  "and environments")
PARTS = (
    Part("teardown", TEARDOWN_TITLE, "examples/teardown.yml", [], (
        Run("preview", "preview: check mode with diff, only GET requests, nothing is deleted", "preview",
            ["--check", "--diff"], "none"),
        Run("teardown", "teardown: delete for real", "apply", [], "any"),
        Run("re-run", "re-run: everything is already gone, so nothing changes", "again", [], "gone only"),
    ), None, ("environment", "Kafka cluster", "connector"), (
        "# my-teardown.yml sets retired_connectors, retired_kafka_clusters and retired_environments (examples/teardown.yml)",
        "ansible-playbook examples/teardown.yml -e @my-teardown.yml --check --diff   # preview first: GET requests only",
        "ansible-playbook examples/teardown.yml -e @my-teardown.yml                  # then delete",
    )),
    Part("cleanup", "the collection's cleanup playbook sweeps ci- environments and service accounts by name and age, "
         "and inside the environments it keeps ci- Kafka clusters (cascade) and FAILED ci- connectors",
         "kafkaops.confluent_cloud.cleanup", ["-e", "cleanup_display_name_regex=^ci-"] + SWEEP_INSIDE, (
             Run("preview", "preview: the default, only GET requests, nothing is deleted", "preview", [], "none"),
             Run("apply", "apply: delete what the preview showed", "apply", ["-e", "cleanup_apply=true"], "any"),
             Run("re-run", "re-run: nothing is left to select, so nothing changes and no DELETE is sent", "again",
                 ["-e", "cleanup_apply=true"], "none"),
         ), "cleanup_summary_file", ("environment", "service account", "Kafka cluster", "connector"), (
             "ansible-playbook kafkaops.confluent_cloud.cleanup -e cleanup_display_name_regex='^ci-' %s   # preview first"
             % " ".join(SWEEP_INSIDE),
             "ansible-playbook kafkaops.confluent_cloud.cleanup -e cleanup_display_name_regex='^ci-' %s -e cleanup_apply=true"
             % " ".join(SWEEP_INSIDE),
         )),
)


def rel(path):
    """Path relative to the repository root when inside it, for display."""
    path = os.path.abspath(path)
    inside = os.path.commonpath([path, ROOT]) == ROOT
    return os.path.relpath(path, ROOT) if inside else path


def check_venv(out, venv):
    """Fail unless venv has ansible-playbook and ansible-galaxy, and its Python imports ansible, requests and yaml."""
    for name in ("python", "ansible-playbook", "ansible-galaxy"):
        if not os.access(os.path.join(venv, "bin", name), os.X_OK):
            raise collection.SetupError("%s has no bin/%s" % (rel(venv), name))
    code = "import ansible.release, requests, yaml; print(ansible.release.__version__)"
    version = collection.run_quiet([os.path.join(venv, "bin", "python"), "-c", code], "checking %s" % rel(venv))
    out.say("==> using %s: ansible-core %s" % (rel(venv), version.strip()))


def extra_var(name, value):
    """An -e argument setting name to value: name=value when that parses back unchanged, JSON otherwise."""
    if re.match(r"^[^\s'\"\\]+$", value):
        return "%s=%s" % (name, value)
    return json.dumps({name: value})


def show_args(args):
    """The arguments as a shell would need them, quoting only the value of name=value."""
    shown = []
    for arg in args:
        match = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", arg)
        if match and not arg.startswith("{"):
            value = rel(match.group(2)) if os.path.isabs(match.group(2)) else match.group(2)
            shown.append("%s=%s" % (match.group(1), shlex.quote(value)))
        else:
            shown.append(shlex.quote(arg))
    return " ".join(shown)


def recap_totals(output):
    """A Counter of the PLAY RECAP totals; "items" counts the "changed:" lines (one per host and loop item that
    changed; PLAY RECAP counts tasks) and "recap" is 1 once the PLAY RECAP was seen."""
    totals = collections.Counter()
    for line in output.splitlines():
        plain = ANSI_ESCAPE.sub("", line)
        if plain.startswith("changed: ["):
            totals["items"] += 1
        elif plain.startswith("PLAY RECAP"):
            totals["recap"] = 1
        match = RECAP_LINE.match(plain) if totals["recap"] else None
        if match:
            for field, value in zip(("ok", "changed", "unreachable", "failed"), match.groups()[1:]):
                totals[field] += int(value)
    return totals


def read_summary(path):
    """The playbook's summary file: (parsed JSON or None, its text or "")."""
    if not os.path.exists(path):
        return None, ""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        return json.loads(text), text
    except ValueError:
        return None, text


def api_summary(log):
    """One phrase about the simulator's request log of a run."""
    methods = collections.Counter(entry["method"] for entry in log)
    parts = ["%d %s" % (methods.pop(method, 0), method) for method in ("GET", "DELETE")]
    parts += ["%d %s" % (count, method) for method, count in sorted(methods.items())]
    errors = collections.Counter(entry["status"] for entry in log if entry["status"] is None or entry["status"] >= 400)
    labels = {None: "no answer", 404: "404 (already gone)"}
    problems = ", ".join("%d x %s" % (count, labels.get(status, status))
                         for status, count in sorted(errors.items(), key=lambda item: item[0] or 0)) or "none"
    return "API: %s (%s), 4xx/5xx: %s" % (evidence.plural(len(log), "request"), ", ".join(parts), problems)


def summary_note(summary, mode):
    """What a run's summary file says, in a few words."""
    done = "would_delete" if mode == "preview" else "deleted"
    try:
        counts = [evidence.plural(len(summary[kind][done]), word) for kind, word in zip(
            evidence.SUMMARY_KINDS, ("environment", "service account", "Kafka cluster", "connector"))
            if kind in evidence.TOP_SUMMARY or kind in summary]
        failed = evidence.summary_failed(summary)
    except (KeyError, TypeError):
        return " | summary file: not what the playbook writes"
    return " | summary file: %s %s, %d failed" % (done, ", ".join(counts), failed)


def play(out, ctx, part, index, run):
    """One run of a part: run the playbook, capture its evidence, check it; return (problems, summary line, evidence)."""
    name = "%s (%s)" % (part.playbook, run.name)
    sim, work = ctx["sim"], ctx["work"]
    sim.clear_log()
    clock, before = sim.clock(), sim.state()
    args = part.args + run.args
    summary_file = None
    if part.summary_var:
        summary_file = os.path.join(work, "%s-summary-%s.json" % (part.name, run.name))
        if os.path.exists(summary_file):
            os.unlink(summary_file)
        args = args + ["-e", extra_var(part.summary_var, summary_file)]
    cmd = [os.path.join(ctx["venv"], "bin", "ansible-playbook"), part.playbook] + args
    out.heading("%s, run %d of %d: %s" % (part.name.capitalize(), index, len(part.runs), run.title), "=")
    out.say("$ " + " ".join([os.path.join(rel(ctx["venv"]), "bin", "ansible-playbook"), part.playbook]
                            + ([show_args(args)] if args else [])))
    log_path = os.path.join(work, "logs", "%s-%s.log" % (part.name, run.name))
    result = playbook.run_playbook(cmd, ctx["env"], os.path.join(work, "results-%s-%s.json" % (part.name, run.name)),
                                   cwd=ROOT, timeout=RUN_TIMEOUT, echo=out.detail)
    with open(log_path, "w", encoding="utf-8") as handle:
        handle.write(result.stdout)
    if result.timed_out:
        out.say("!!! ansible-playbook did not finish within %d s and was stopped" % RUN_TIMEOUT)
    records = playbook.collection_results(result.records)
    summary, summary_text = read_summary(summary_file) if summary_file else (None, "")
    captured = evidence.capture(before, sim.state(), sim.log(), records,
                                summary if summary_file else evidence.NO_SUMMARY)
    recap = recap_totals(result.stdout)
    problems = evidence.check_run(name, run.mode, captured, run.deletes)
    if result.returncode != 0 or recap["failed"] or recap["unreachable"] or not recap["recap"]:
        problems.append("%s failed (exit %d, failed=%d, unreachable=%d%s)" % (
            name, result.returncode, recap["failed"], recap["unreachable"], "" if recap["recap"] else ", no PLAY RECAP"))
    shown = result.stdout + json.dumps(result.records) + summary_text
    if DEMO_SECRET in shown or DEMO_KAFKA_SECRET in shown:
        problems.append("%s: the demo key's secret appears in its output, results or summary file" % name)
    for line in run_lines(records, run.mode, evidence.key_owners(before)):
        out.say("  " + line)
    note = ""
    if run.mode == "preview":
        note = " | simulator state unchanged" if evidence.snapshot(before) == evidence.snapshot(captured["after"]) \
            else " | SIMULATOR STATE CHANGED"
    elif run.mode == "again":
        note = " | collection's tasks changed %d" % sum(1 for record in records or [] if record["changed"])
    if summary_file and summary is not None:
        note += summary_note(summary, run.mode)
    line = "%-9s exit %d, ok=%d changed=%d (%s) failed=%d | %s%s" % (
        run.name + ":", result.returncode, recap["ok"], recap["changed"], evidence.plural(recap["items"], "item"),
        recap["failed"], api_summary(captured["log"]), note)
    out.say("--> " + line)
    out.say("    its output: %s" % rel(log_path), detail_only=True)
    captured.update(clock=clock.get("now"), exit=result.returncode, mode=run.mode, deletes=run.deletes)
    return problems, line, captured


def shown_problems(part, tally):
    """A part that deleted something but none of a kind it is there to show fails: it shows nothing of it."""
    return ["the %s deleted no %s, which it is there to show" % (part.name, kind) for kind in part.shows
            if tally["deleted"] and not tally["deleted"].get(kind)]


def run_part(out, ctx, number, part):
    """The runs of one part, their checks and the cycle's; print its summary and table; return its evidence."""
    out.heading("Part %d of %d: %s" % (number, len(PARTS), part.title), "#")
    problems, lines, runs = [], [], {}
    for index, run in enumerate(part.runs, 1):
        found, line, runs[run.name] = play(out, ctx, part, index, run)
        problems += found
        lines.append(line)
    preview, applied = (runs[next(run.name for run in part.runs if run.mode == mode)] for mode in ("preview", "apply"))
    first, last = runs[part.runs[0].name], runs[part.runs[-1].name]
    problems += ["the %s: %s" % (part.name, problem) for problem in
                 evidence.check_cycle(part.playbook, preview, applied, last)]
    # What the tasks deleted, and the topics their connectors took along (delete_topics).
    direct = (applied.get("deleted") or set()) | (applied.get("along") or set())
    tally = evidence.tally(direct, first["before"], last["after"])
    problems += shown_problems(part, tally)
    if out.verbose:
        out.heading("Summary of the %s, %s (PLAY RECAP and the simulator's request log, GET /_sim/log):"
                    % (part.name, part.playbook), "=")
        for line in lines:
            out.say("  " + line)
    out.heading("Organisation before and after the %s (GET /_sim/state; age from created_at):" % part.name, "=")
    for line in organisation_table(first["before"], last["after"], direct, "the " + part.name, first.get("clock")):
        out.say(line)
    for run in runs.values():
        for field in ("deleted", "along", "predicted"):
            if field in run:
                run[field] = sorted(run[field])
    # The cleanup's sweep inside the environments it keeps: what it deleted in an environment still there after it.
    kept = evidence.resources(last["after"])
    inside = sorted({kept[key[:1]].label for key in direct if len(key) > 1 and key[:1] in kept}) if part.summary_var else []
    return {"playbook": part.playbook, "runs": runs, "tally": tally, "problems": problems, "swept_inside": inside}


def setup(out, venv, work, install):
    """The virtual environment, the environment of the playbooks and the installed collection."""
    if install:
        collection.ensure_venv(venv, collection.requirements_txt(), say=out.say)
    check_venv(out, venv)
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("CONFLUENT_CLOUD_", "CONFLUENT_KAFKA_")) and name not in ("ANSIBLE_CALLBACK_PLUGINS", "ANSIBLE_CALLBACKS_ENABLED")}
    env.update(ANSIBLE_COLLECTIONS_PATH=os.path.join(work, "collections"), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
               ANSIBLE_STDOUT_CALLBACK="default", ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    if out.colour:
        env.update(ANSIBLE_FORCE_COLOR="true")
    else:
        env.update(ANSIBLE_FORCE_COLOR="false", ANSIBLE_NOCOLOR="true")
    tarball, files = collection.build_and_install(os.path.join(venv, "bin", "ansible-galaxy"), work, env=env)
    out.say("==> built %s (%d files) and installed it into %s" % (rel(tarball), files, rel(os.path.join(work, "collections"))))
    os.makedirs(os.path.join(work, "logs"), exist_ok=True)
    return env


def demo(out, venv, work, install):
    """Everything after argument parsing; return the exit status."""
    start = time.monotonic()
    env = setup(out, venv, work, install)
    parts = {}
    with SimulatorProcess(os.path.join(ROOT, SEED), delete_delay=DELETE_DELAY) as sim:
        out.say("==> simulator at %s (python3 tests/simulator/confluent_sim.py --port 0 --seed %s --delete-delay %s)"
                % (sim.url, SEED, DELETE_DELAY))
        # So that a reader can poke the simulator from another shell while the demo runs. These credentials come from
        # a seed in the repository and guard nothing; it is the playbooks' output that must never show a secret
        # (play() checks that).
        env.update(CONFLUENT_CLOUD_API_ENDPOINT=sim.url, CONFLUENT_CLOUD_API_KEY=DEMO_KEY,
                   CONFLUENT_CLOUD_API_SECRET=DEMO_SECRET, CONFLUENT_KAFKA_API_KEY=DEMO_KAFKA_KEY,
                   CONFLUENT_KAFKA_API_SECRET=DEMO_KAFKA_SECRET)
        out.say("    the playbooks run with: export %s" % " ".join(
            "%s=%s" % (name, env[name]) for name in ("CONFLUENT_CLOUD_API_ENDPOINT", "CONFLUENT_CLOUD_API_KEY",
                                                     "CONFLUENT_CLOUD_API_SECRET")))
        out.say("    and, for the Kafka REST of lkc-prod1: export CONFLUENT_KAFKA_API_KEY=%s CONFLUENT_KAFKA_API_SECRET=%s"
                % (DEMO_KAFKA_KEY, DEMO_KAFKA_SECRET))
        out.say("    and ANSIBLE_COLLECTIONS_PATH=%s (the installed tarball); their output goes to %s%s" % (
            rel(env["ANSIBLE_COLLECTIONS_PATH"]), rel(os.path.join(work, "logs")),
            "" if out.verbose else " (shown with make demo V=1)"))
        out.say("    what is left: curl -s %s/_sim/state   (to rehearse at your own pace: make rehearse)" % sim.url)
        ctx = {"sim": sim, "venv": venv, "work": work, "env": env}
        for number, part in enumerate(PARTS, 1):
            parts[part.name] = run_part(out, ctx, number, part)
    problems = [problem for part in parts.values() for problem in part["problems"]]
    with open(os.path.join(work, "demo-evidence.json"), "w", encoding="utf-8") as handle:
        json.dump({"ok": not problems, "problems": problems, "seed": SEED, "parts": parts}, handle, indent=1)
    out.say()
    out.say("To run the same playbooks against Confluent Cloud:")
    out.say("  ansible-galaxy collection install kafkaops.confluent_cloud   # and: pip install 'requests>=2.25'")
    out.say("  export CONFLUENT_CLOUD_API_KEY=<Cloud API key> CONFLUENT_CLOUD_API_SECRET=<its secret>")
    out.say("  export CONFLUENT_KAFKA_API_KEY=<API key of the connector's Kafka cluster> CONFLUENT_KAFKA_API_SECRET=<its secret>")
    out.say("  unset CONFLUENT_CLOUD_API_ENDPOINT                            # default: https://api.confluent.cloud")
    for part in PARTS:
        for line in part.hint:
            out.say("  " + line)
    out.say()
    out.say("Finished in %.0f s; the evidence and the checks' findings: %s"
            % (time.monotonic() - start, rel(os.path.join(work, "demo-evidence.json"))))
    out.verdict(*verdict(parts, problems))
    return 1 if problems else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-v", "--verbose", action="store_true", default=bool(os.environ.get("V")),
                        help="also show each playbook's own output as it runs (make demo V=1)")
    parser.add_argument("--venv", help="use this virtual environment (with ansible-core and requests) as it is, "
                                       "instead of creating .venv/demo")
    parser.add_argument("--work-dir", default=os.path.join(ROOT, "build", "demo"),
                        help="where to build and install the collection (default: build/demo)")
    args = parser.parse_args(argv)
    venv = os.path.abspath(args.venv or os.path.join(ROOT, ".venv", "demo"))
    work = os.path.abspath(args.work_dir)
    out = Printer(sys.stdout, args.verbose)

    def on_sigterm(signum, frame):  # pylint: disable=unused-argument
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        return demo(out, venv, work, install=args.venv is None)
    except (collection.SetupError, SimulatorError) as exc:
        out.verdict(False, ["Demo FAILED: %s" % exc])
        return 2
    except KeyboardInterrupt:
        out.say()
        out.say("Demo interrupted; the simulator was stopped.")
        return 130


if __name__ == "__main__":
    sys.exit(main())
