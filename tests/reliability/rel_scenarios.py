# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault matrix: which fault, on which request of which module, and what must come of it.

Every scenario works on a resource of its own (a connector or an environment named after it), and its faults match
only that resource's path, so the scenarios of one playbook run in parallel as hosts without disturbing each other.
Display-name look-ups all share the list path, so they run one at a time (``serial``). What the test makes of a
scenario's run (observe, problems) is in rel_checks.py.
"""

from __future__ import annotations

import email.utils
import json
import time

import rel_harness as h

ENV = "env-rel"
CLUSTER = "lkc-rel"
CONNECTOR_PATH = "/connect/v1/environments/%s/clusters/%s/connectors/%%s" % (ENV, CLUSTER)
ENVIRONMENT_PATH = "/org/v2/environments/%s"
LIST_PATH = "/org/v2/environments?page_size=100"
API_TIMEOUT = 2
HANG_SECONDS = 5
DATE_OFFSET = 20
DELETE_DELAY = 1.0

OK = "ok"  # placeholder for the status the API gives on success (200 or 204)

COMMON_OPTIONS = ("api_key", "api_secret", "access_token", "api_endpoint", "api_timeout", "api_retries",
                  "api_retry_max_delay", "api_rate_limit_timeout", "validate_certs", "state")
MODULE_OPTIONS = {
    "connector": COMMON_OPTIONS + ("name", "environment_id", "kafka_cluster_id"),
    "environment": COMMON_OPTIONS + ("id", "display_name", "wait", "wait_timeout"),
}

HTML_403 = ("<html><head><title>403 Forbidden</title></head>"
            "<body><h1>403 Forbidden</h1><p>Access denied by proxy rel-gw</p></body></html>")
HTML_503 = ("<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head>"
            "<body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>")
HTML_200 = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in to continue</body></html>"


def org_body(status, code, title, detail):
    return {"errors": [{"id": "rel-%d" % status, "status": str(status), "code": code, "title": title, "detail": detail}]}


def connect_body(status, message):
    return {"error": {"code": status, "message": message}}


def flat_body(status, message):
    return {"error_code": status, "message": message}


def native_body(module, status, title, text):
    """The error body each API really sends: org/v2 for environments, connect/v1 for connectors."""
    if module == "environment":
        return org_body(status, title.lower().replace(" ", "_"), title, text)
    return connect_body(status, text)


def respond(status, **extra):
    fault = {"action": "respond", "status": status}
    fault.update(extra)
    return fault


class Fault:
    """One entry of the catalogue: the simulator faults and what the module must make of them."""

    def __init__(self, key, title, faults, kind, statuses, waits=(), options=None, msg=(), methods=("GET", "DELETE"),
                 warning=None, bug=None, error_none=False, date=False):
        self.key = key
        self.title = title
        self.faults = faults  # list, or a function (module) -> list
        self.kind = kind  # "transient" (retried, then success), "fail" (clean failure), "ok" (reported absent)
        self.statuses = statuses  # statuses of the requests the simulator sees; None = no answer; OK = success
        self.waits = list(waits)
        self.options = options or {}
        self.msg = msg  # list, or a function (module) -> list
        self.methods = methods
        self.warning = warning
        self.bug = bug
        self.error_none = error_none
        self.date = date

    def faults_for(self, module):
        return self.faults(module) if callable(self.faults) else self.faults

    def msg_for(self, module):
        return self.msg(module) if callable(self.msg) else self.msg


def _status_fault(status, title, text):
    def faults(module):
        return [respond(status, body=native_body(module, status, title, text))]
    return faults


def catalogue():
    entries = [
        Fault("ra-seconds", "429, Retry-After: 2 (seconds)", [respond(429, headers={"Retry-After": "2"})],
              "transient", [429, OK], waits=[("server", 2)], warning="Retried 1 time"),
        Fault("ra-date", "429, Retry-After as an HTTP-date", [respond(429, headers={"Retry-After": "DATE"})],
              "transient", [429, OK], waits=[("date",)], date=True),
        Fault("reset-only", "429, only X-RateLimit-Reset: 2",
              [respond(429, headers={"X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "0",
                                     "X-RateLimit-Reset": "2"})],
              "transient", [429, OK], waits=[("server", 2)]),
        Fault("429-bare", "429 with no header at all", [respond(429)], "transient", [429, OK],
              waits=[("backoff", 1)]),
        Fault("ra-too-long", "429, Retry-After: 30 > api_retry_max_delay 5",
              [respond(429, headers={"Retry-After": "30"})], "fail", [429], options={"api_retry_max_delay": 5},
              msg=["wait 30 seconds", "api_retry_max_delay (5)"]),
        Fault("reset-too-long", "429, X-RateLimit-Reset: 30 > api_retry_max_delay 5",
              [respond(429, headers={"X-RateLimit-Reset": "30"})], "fail", [429], options={"api_retry_max_delay": 5},
              msg=["wait 30 seconds"]),
        Fault("429-endless", "429 forever (Retry-After: 1), api_rate_limit_timeout 3",
              [respond(429, headers={"Retry-After": "1"}, count=-1)], "fail", [429, 429, 429],
              waits=[("server", 1), ("server", 1)], options={"api_rate_limit_timeout": 3},
              msg=["Gave up on the rate limit", "3 answers of HTTP 429", "api_rate_limit_timeout (3 s)"]),
    ]
    for status in (500, 502, 503, 504):
        entries.append(Fault("%d-once" % status, "%d once" % status, [respond(status)], "transient", [status, OK],
                             waits=[("backoff", 1)]))
    for status in (500, 502, 503, 504):
        entries.append(Fault("%d-endless" % status, "%d forever, api_retries 2" % status,
                             [respond(status, count=-1)], "fail", [status] * 3,
                             waits=[("backoff", 1), ("backoff", 2)], options={"api_retries": 2},
                             msg=["Gave up after 2 retries", "HTTP %d" % status]))
    for status, title, text in ((400, "Bad Request", "rel-400 invalid request"),
                                (401, "Unauthorized", "rel-401 credentials rejected"),
                                (403, "Forbidden", "rel-403 not allowed"),
                                (409, "Conflict", "rel-409 still has resources")):
        entries.append(Fault("%d" % status, "%d (no retry)" % status, _status_fault(status, title, text), "fail",
                             [status], msg=["HTTP %d" % status, text]))
    entries += [
        Fault("refused", "connection refused, api_retries 2", [], "fail", [], waits=[("refused", 1, 2)],
              options={"api_retries": 2, "api_endpoint": "REFUSED"}, msg=["could not connect"]),
        Fault("drop-before", "connection dropped before the request was applied", [{"action": "drop"}],
              "transient", [None, OK], waits=[("backoff", 1)]),
        Fault("drop-after", "connection dropped after the request was applied", [{"action": "apply_then_drop"}],
              "transient", [None, "after"], waits=[("backoff", 1)]),
        Fault("hang-once", "hangs past api_timeout 2 once",
              [{"action": "hang", "seconds": HANG_SECONDS, "then": "drop"}], "transient", [None, OK],
              waits=[("timeout", API_TIMEOUT, 1)], options={"api_timeout": API_TIMEOUT}),
        Fault("hang-endless", "hangs past api_timeout 2 forever, api_retries 1",
              [{"action": "hang", "seconds": HANG_SECONDS, "then": "drop", "count": -1}], "fail", [None, None],
              waits=[("timeout", API_TIMEOUT, 1)], options={"api_timeout": API_TIMEOUT, "api_retries": 1},
              msg=["no response within api_timeout (2 s)", "Gave up after 1 retries"]),
        Fault("html-503", "503 with an HTML page once", [respond(503, body=HTML_503, content_type="text/html")],
              "transient", [503, OK], waits=[("backoff", 1)]),
        Fault("html-403", "403 with an HTML page", [respond(403, body=HTML_403, content_type="text/html")], "fail",
              [403], msg=["HTTP 403", "Access denied by proxy rel-gw"], error_none=True),
        Fault("empty-400", "400 with an empty body", [respond(400)], "fail", [400],
              msg=["HTTP 400 Bad Request (X-Request-Id:"], error_none=True),
        Fault("truncated-400", "400 with truncated JSON",
              [respond(400, body='{"error": {"code": 400, "message": "rel-trunc', content_type="application/json")],
              "fail", [400], msg=["HTTP 400", "not JSON", "rel-trunc"], error_none=True),
        Fault("html-200", "200 with an HTML page instead of JSON",
              [respond(200, body=HTML_200, content_type="text/html")], "fail", [200],
              msg=["with a body that is not a JSON object", "Please sign in"], methods=("GET",)),
        Fault("empty-200", "200 with an empty body", [respond(200)], "fail", [200],
              msg=["with a body that is not a JSON object", "(empty body)"], methods=("GET",)),
        Fault("truncated-200", "200 with truncated JSON",
              [respond(200, body='{"name": "rel", "config": {"connector.cl', content_type="application/json")],
              "fail", [200], msg=["with a body that is not a JSON object"], methods=("GET",)),
        Fault("short-read", "answer cut short (Content-Length 400, 15 bytes sent)",
              [respond(200, body='{"error": null}', content_length=400)], "transient", [200, OK],
              waits=[("backoff", 1)]),
        Fault("bad-gzip", "Content-Encoding: gzip on a body that is not gzip",
              [respond(200, body='{"error": null}', headers={"Content-Encoding": "gzip"})], "transient", [200, OK],
              waits=[("backoff", 1)]),
        Fault("redirect", "307 redirect", [respond(307, headers={"Location": "https://elsewhere.invalid/"})],
              "fail", [307], msg=["HTTP 307"]),
        Fault("shape-org", 'error body {"errors":[...]} (org), 403',
              [respond(403, body=org_body(403, "forbidden", "Forbidden", "rel-org-shape detail"))], "fail", [403],
              msg=["Forbidden: rel-org-shape detail"]),
        Fault("shape-connect", 'error body {"error":{code,message}} (connect), 403',
              [respond(403, body=connect_body(403, "rel-connect-shape message"))], "fail", [403],
              msg=["rel-connect-shape message"]),
        Fault("shape-flat", 'error body {"error_code":403,"message":...} (flat), 403',
              [respond(403, body=flat_body(403, "rel-flat-shape message"))], "fail", [403],
              msg=["rel-flat-shape message"]),
        Fault("shape-flat-404", 'error body {"error_code":404,"message":...} (flat), 404',
              [respond(404, body=flat_body(404, "rel-flat-404 not found"))], "ok", [404]),
    ]
    return entries


class Scenario:
    """One row of the matrix: a fault on one request of one module."""

    def __init__(self, module, phase, key, title, faults, kind, requests, waits=(), options=None, msg=(),
                 warning=None, bug=None, error_none=False, date=False, final=None, expect_changed=None):
        self.module = module
        self.phase = phase
        self.key = key
        self.title = title
        self.host = "%s-%s-%s" % (module[:3], phase, key)
        self.resource = ("rc-" if module == "connector" else "env-") + "%s-%s" % (phase, key)
        self.faults = faults
        self.kind = kind
        self.requests = requests  # [(method, status)], None when the count is not fixed (wait polling)
        self.waits = list(waits)
        self.options = dict(options or {})
        self.msg = list(msg)
        self.warning = warning
        self.bug = bug
        self.error_none = error_none
        self.date = date
        self.outcome = {"transient": "changed", "fail": "failed", "ok": "ok"}[kind]
        self.final = final or ("deleted" if phase != "check" and self.outcome == "changed" else "present")
        self.expect_changed = expect_changed
        self.display_name = None

    @property
    def test_id(self):
        return "%s-%s-%s" % (self.module, self.phase, self.key)

    @property
    def path(self):
        if self.module == "connector":
            return CONNECTOR_PATH % self.resource
        return ENVIRONMENT_PATH % self.resource

    def path_regex(self):
        return "^%s$" % self.path.replace("?", "\\?")

    @property
    def api_key(self):
        """Each scenario has an API key of its own: runs sharing a key take turns after a 429, which would make one
        scenario's fault delay the retries of all the others."""
        return "%s-%s" % (h.API_KEY, self.host)

    def args(self, endpoint_for_refused):
        args = {"state": "absent", "api_key": self.api_key}
        if self.module == "connector":
            args.update(name=self.resource, environment_id=ENV, kafka_cluster_id=CLUSTER)
        elif self.display_name:
            args.update(display_name=self.display_name)
        else:
            args.update(id=self.resource)
        args.update(self.options)
        if args.get("api_endpoint") == "REFUSED":
            args["api_endpoint"] = endpoint_for_refused
        return args

    def cost(self):
        """Rough seconds the scenario takes, to start the long ones first."""
        total = 0.0
        for wait in self.waits:
            if wait is None:
                continue
            total += {"server": lambda w: w[1], "date": lambda w: DATE_OFFSET, "backoff": lambda w: 2 ** (w[1] - 1),
                      "timeout": lambda w: w[1] + 1, "refused": lambda w: 2 ** w[2] - 1,
                      "wait_timeout": lambda w: w[1]}[wait[0]](wait)
        return total + (100 if self.date else 0)


def _method_statuses(method, statuses, ok_status, after_status):
    out = []
    for status in statuses:
        if status == OK:
            status = ok_status
        elif status == "after":
            status = after_status
        out.append((method, status))
    return out


def ok_status(module, method):
    return 204 if (module, method) == ("environment", "DELETE") else 200


class AnyOf(tuple):
    """Statuses that are all right for one request, because which of them comes is a race."""

    def __repr__(self):
        return "/".join(str(status) for status in self)


def after_status(module, method):
    """What the retry of a request whose first attempt was applied sees."""
    if method == "GET":
        return 200
    if module == "connector":
        return 404  # a deleted connector is gone at once
    # An environment stays visible, and accepts DELETE with 204, for DELETE_DELAY seconds while it is deleted. The
    # retry comes after a jittered backoff of up to 1 s plus the time to notice the dropped connection: before or
    # after the environment is gone, a race. Either answer is right; what must hold (the task reports changed, the
    # environment goes, nothing else does) is checked on its own.
    return AnyOf((204, 404))


def applied_deletes(log):
    """Paths of the DELETEs the simulator carried out (answered, or applied before the connection was dropped)."""
    return [e["path"] for e in log if e["method"] == "DELETE"
            and (e["status"] in (200, 204) or e.get("effect_status") in (200, 204))]


def matrix_scenarios():
    """Every fault of the catalogue on the DELETE (normal mode) and on the GET (check mode) of both modules."""
    scenarios = []
    for module in ("connector", "environment"):
        for phase, method in (("delete", "DELETE"), ("check", "GET")):
            for fault in catalogue():
                if method not in fault.methods:
                    continue
                statuses = _method_statuses(method, fault.statuses, ok_status(module, method),
                                            after_status(module, method))
                faults = [dict(f, method=method) for f in fault.faults_for(module)]
                warning = fault.warning
                if fault.key == "drop-after" and (module, method) == ("connector", "DELETE"):
                    warning = "reported as changed"
                scenarios.append(Scenario(module, phase, fault.key, fault.title, faults, fault.kind, statuses,
                                          waits=fault.waits, options=fault.options, msg=fault.msg_for(module),
                                          warning=warning, bug=fault.bug, error_none=fault.error_none,
                                          date=fault.date))
    scenarios += diff_scenarios() + wait_scenarios()
    return scenarios


def diff_scenarios():
    out = []
    for module in ("connector", "environment"):
        deleted = ok_status(module, "DELETE")
        out += [
            Scenario(module, "diff", "get-429", "--diff: 429 (Retry-After: 1) on the GET",
                     [respond(429, method="GET", headers={"Retry-After": "1"})], "transient",
                     [("GET", 429), ("GET", 200), ("DELETE", deleted)], waits=[("server", 1), None]),
            Scenario(module, "diff", "get-drop", "--diff: connection dropped on the GET",
                     [{"action": "drop", "method": "GET"}], "transient",
                     [("GET", None), ("GET", 200), ("DELETE", deleted)], waits=[("backoff", 1), None]),
            Scenario(module, "diff", "delete-503", "--diff: 503 on the DELETE after the GET",
                     [respond(503, method="DELETE")], "transient",
                     [("GET", 200), ("DELETE", 503), ("DELETE", deleted)], waits=[None, ("backoff", 1)]),
            Scenario(module, "diff", "delete-dropped-after", "--diff: DELETE applied, then connection dropped",
                     [{"action": "apply_then_drop", "method": "DELETE"}], "transient",
                     [("GET", 200), ("DELETE", None), ("DELETE", after_status(module, "DELETE"))],
                     waits=[None, ("backoff", 1)]),
            Scenario(module, "diff", "get-401", "--diff: 401 on the GET", [respond(401, method="GET")], "fail",
                     [("GET", 401)], msg=["HTTP 401"]),
        ]
    return out


def deleting_body(env_id):
    return {"api_version": "org/v2", "kind": "Environment", "id": env_id, "display_name": env_id,
            "metadata": {"created_at": "2026-01-01T00:00:00Z", "deleted_at": "2026-01-01T00:00:01Z"}}


def wait_scenarios():
    """environment with wait=true: faults on the polling GETs that follow the accepted DELETE."""
    wait = {"wait": True, "wait_timeout": 30}
    out = [
        Scenario("environment", "wait", "poll-429", "wait: 429 (Retry-After: 1) on a poll",
                 [respond(429, method="GET", headers={"Retry-After": "1"})], "transient", None,
                 waits=[None, ("server", 1)], options=wait),
        Scenario("environment", "wait", "poll-503", "wait: 503 on a poll", [respond(503, method="GET")], "transient",
                 None, waits=[None, ("backoff", 1)], options=wait),
        Scenario("environment", "wait", "poll-drop", "wait: connection dropped on a poll",
                 [{"action": "drop", "method": "GET"}], "transient", None, waits=[None, ("backoff", 1)],
                 options=wait),
        Scenario("environment", "wait", "poll-hang", "wait: a poll hangs past api_timeout 2",
                 [{"action": "hang", "method": "GET", "seconds": HANG_SECONDS, "then": "drop"}], "transient", None,
                 waits=[None, ("timeout", API_TIMEOUT, 1)], options=dict(wait, api_timeout=API_TIMEOUT)),
        Scenario("environment", "wait", "poll-403", "wait: 403 on a poll (gone with its permissions)",
                 [respond(403, method="GET")], "transient", [("DELETE", 204), ("GET", 403)], options=wait),
        Scenario("environment", "wait", "poll-401", "wait: 401 on a poll after the DELETE was accepted",
                 [respond(401, method="GET")], "fail", [("DELETE", 204), ("GET", 401)], options=wait,
                 msg=["The API accepted the deletion", "HTTP 401"], final="deleted", expect_changed=True),
        Scenario("environment", "wait", "poll-503-endless", "wait: 503 forever on the polls, api_retries 1",
                 [respond(503, method="GET", count=-1)], "fail", [("DELETE", 204), ("GET", 503), ("GET", 503)],
                 options=dict(wait, api_retries=1), msg=["Gave up after 1 retries"], waits=[None, ("backoff", 1)],
                 final="deleted", expect_changed=True),
    ]
    never = Scenario("environment", "wait", "never-gone", "wait: still being deleted after wait_timeout 3",
                     [], "fail", None, options=dict(wait, wait_timeout=3),
                     msg=["still being deleted after wait_timeout (3 s)"], final="deleted", expect_changed=True,
                     waits=[("wait_timeout", 3)])
    never.faults = [respond(200, method="GET", count=-1, body=deleting_body(never.resource))]
    out.append(never)
    return out


def lookup_scenarios():
    """environment by display_name: faults on the list pages (shared path, so one scenario at a time)."""
    page1 = "^/org/v2/environments\\?page_size=100$"
    page2 = "^/org/v2/environments\\?page_size=100&page_token="
    specs = [
        ("list-429", "display_name: 429 (Retry-After: 1) on the first list page",
         [respond(429, method="GET", path=page1, headers={"Retry-After": "1"})], "transient",
         [("GET", 429), ("GET", 200), ("GET", 200), ("DELETE", 204)], [("server", 1), None, None], {}, []),
        ("list-503-page2", "display_name: 503 on the second list page",
         [respond(503, method="GET", path=page2)], "transient",
         [("GET", 200), ("GET", 503), ("GET", 200), ("DELETE", 204)], [None, ("backoff", 1), None], {}, []),
        ("list-drop", "display_name: connection dropped on a list page",
         [{"action": "drop", "method": "GET", "path": page1}], "transient",
         [("GET", None), ("GET", 200), ("GET", 200), ("DELETE", 204)], [("backoff", 1), None, None], {}, []),
        ("list-401", "display_name: 401 on the list", [respond(401, method="GET", path=page1)], "fail",
         [("GET", 401)], [], {}, ["HTTP 401"]),
        ("list-html", "display_name: 200 with an HTML page on the list",
         [respond(200, method="GET", path=page1, body=HTML_200, content_type="text/html")], "fail",
         [("GET", 200)], [], {}, ["with a body that is not a JSON object"]),
        ("list-truncated", "display_name: 200 with truncated JSON on the second page",
         [respond(200, method="GET", path=page2, body='{"api_version": "org/v2", "data": [{"id": "env-',
                  content_type="application/json")], "fail",
         [("GET", 200), ("GET", 200)], [], {}, ["with a body that is not a JSON object"]),
        ("list-502-endless", "display_name: 502 forever on the list, api_retries 1",
         [respond(502, method="GET", path=page1, count=-1)], "fail", [("GET", 502), ("GET", 502)],
         [("backoff", 1)], {"api_retries": 1}, ["Gave up after 1 retries"]),
        ("lookup-delete-429", "display_name: 429 (Retry-After: 1) on the DELETE after the look-up",
         [respond(429, method="DELETE", headers={"Retry-After": "1"})], "transient",
         [("GET", 200), ("GET", 200), ("DELETE", 429), ("DELETE", 204)], [None, None, ("server", 1), None], {}, []),
    ]
    out = []
    for key, title, faults, kind, requests, waits, options, msg in specs:
        scenario = Scenario("environment", "lookup", key, title, faults, kind, requests, waits=waits,
                            options=options, msg=msg)
        scenario.display_name = "rel %s" % key
        for fault in scenario.faults:
            fault.setdefault("path", scenario.path_regex())
        out.append(scenario)
    return out


def http_date(epoch):
    return email.utils.formatdate(epoch, usegmt=True)


def simulator_faults(scenarios, now=None):
    """The faults of the given scenarios, scoped to their paths; returns (faults, {host: Retry-After date})."""
    now = time.time() if now is None else now
    date_epoch = int(now) + DATE_OFFSET
    faults, dates = [], {}
    for scenario in scenarios:
        for fault in scenario.faults:
            fault = json.loads(json.dumps(fault))
            fault.setdefault("path", scenario.path_regex())
            headers = fault.get("headers") or {}
            if headers.get("Retry-After") == "DATE":
                headers["Retry-After"] = http_date(date_epoch)
                dates[scenario.host] = date_epoch
            faults.append(fault)
    return faults, dates


def seed(scenarios, filler_environments=0):
    environments = [{"id": ENV, "display_name": "reliability", "clusters": [
        {"id": CLUSTER, "connectors": [{"name": s.resource, "type": "sink", "config": {"connector.class": "S3_SINK"}}
                                       for s in scenarios if s.module == "connector"]}]}]
    for index in range(filler_environments):
        environments.append({"id": "env-filler-%03d" % index, "display_name": "filler %d" % index})
    environments += [{"id": s.resource, "display_name": s.display_name or s.resource}
                     for s in scenarios if s.module == "environment"]
    credentials = h.CREDENTIALS + [{"api_key": s.api_key, "api_secret": h.API_SECRET} for s in scenarios]
    return {"credentials": credentials, "delete_delay": DELETE_DELAY, "environments": environments}


CREDENTIAL_DEFAULTS = {"api_key": "rel_api_key", "api_secret": "rel_api_secret", "api_endpoint": "rel_endpoint"}


def module_task(module):
    # Not module_defaults: with ansible-core 2.19 an option templated to omit also drops its module_defaults value.
    args = {option: "{{ rel_args.%s | default(%s) }}" % (option, CREDENTIAL_DEFAULTS.get(option, "omit"))
            for option in MODULE_OPTIONS[module]}
    return {
        "name": module,
        "kafkaops.confluent_cloud.confluent_" + module: args,
        "check_mode": "{{ rel_check }}",
        "diff": "{{ rel_diff }}",
        "ignore_errors": True,
    }


def play_vars(endpoint):
    return {"rel_api_key": h.API_KEY, "rel_api_secret": h.API_SECRET, "rel_endpoint": endpoint}


def host_vars(scenario, refused_endpoint):
    return {"rel_module": scenario.module, "rel_args": scenario.args(refused_endpoint),
            "rel_check": scenario.phase == "check", "rel_diff": scenario.phase == "diff",
            "rel_faults": scenario.faults}


def parallel_play(endpoint, module):
    """One task for every host: a second task would start on no host before the first had been queued on all."""
    return [{"name": "fault matrix of the %s module" % module, "hosts": "all", "gather_facts": False,
             "vars": play_vars(endpoint), "tasks": [module_task(module)]}]


def serial_play(endpoint):
    return [{"name": "display-name look-ups", "hosts": "all", "gather_facts": False, "serial": 1,
             "vars": play_vars(endpoint),
             "tasks": [
                 {"name": "add this scenario's faults", "ansible.builtin.uri": {
                     "url": endpoint + "/_sim/faults", "method": "POST", "body": "{{ rel_faults }}",
                     "body_format": "json"}},
                 module_task("environment"),
                 {"name": "remove what is left of the faults", "ansible.builtin.uri": {
                     "url": endpoint + "/_sim/faults", "method": "DELETE"}},
             ]}]
