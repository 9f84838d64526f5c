# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module shares: options, credentials, the client, and how a task ends."""

from __future__ import annotations

import os
import platform
import unicodedata
from copy import deepcopy

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION
from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ._client import (
    DEFAULT_ENDPOINT,
    DEFAULT_RATE_LIMIT_TIMEOUT,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    ConfluentCloudClient,
    basic_authorization,
    bearer_authorization,
    validate_endpoint,
    validate_id_prefix,
    validate_path_value,
    validate_text_value,
)
from ._errors import ApiError, ConfluentCloudError, TaskFailure
from ._rate_limit import SharedRateLimit
from ._version import COLLECTION_NAME, COLLECTION_VERSION

ENV_API_KEY = "CONFLUENT_CLOUD_API_KEY"
ENV_API_SECRET = "CONFLUENT_CLOUD_API_SECRET"
ENV_ACCESS_TOKEN = "CONFLUENT_CLOUD_ACCESS_TOKEN"
ENV_API_ENDPOINT = "CONFLUENT_CLOUD_API_ENDPOINT"
ENV_API_RATE_LIMIT_TIMEOUT = "CONFLUENT_CLOUD_API_RATE_LIMIT_TIMEOUT"
# Added to the API's answer of 401: the API says only "Authentication Required", not which setting to check.
UNAUTHORIZED_HINT = (
    "Confluent Cloud did not accept the credentials. Check api_key and api_secret (or %s and %s): they must be a "
    "Cloud API key and its secret, not a Kafka cluster API key; or access_token (or %s)"
    % (ENV_API_KEY, ENV_API_SECRET, ENV_ACCESS_TOKEN)
)


def confluent_argument_spec():
    """Options shared by every module; documented once in the doc fragments auth and retries."""
    return dict(
        api_key=dict(type="str", no_log=False, fallback=(env_fallback, [ENV_API_KEY])),
        api_secret=dict(type="str", no_log=True, fallback=(env_fallback, [ENV_API_SECRET])),
        access_token=dict(type="str", no_log=True, fallback=(env_fallback, [ENV_ACCESS_TOKEN])),
        api_endpoint=dict(type="str", default=DEFAULT_ENDPOINT, fallback=(env_fallback, [ENV_API_ENDPOINT])),
        api_timeout=dict(type="int", default=30),
        api_retries=dict(type="int", default=5),
        api_retry_max_delay=dict(type="int", default=60),
        api_rate_limit_timeout=dict(type="int", default=DEFAULT_RATE_LIMIT_TIMEOUT,
                                    fallback=(env_fallback, [ENV_API_RATE_LIMIT_TIMEOUT])),
        validate_certs=dict(type="bool", default=True),
    )


class ConfluentAnsibleModule(AnsibleModule):
    """Keeps the parameters as the task gave them, to tell an option from its environment fallback."""

    def _load_params(self):
        super()._load_params()
        self.params_given = deepcopy(self.params)


class ConfluentModule:
    """A module's work on top of the shared client: options, validation, and how the task ends.

    A subclass (a workflow such as AbsentResource or InfoQuery, then the module's own small class) adds its options
    with argument_spec() and does its work in ``work()``. Every failure, from bad input to an API error, ends in
    fail(), so every result carries the client's statistics and the warnings about waits.
    """

    # Options that travel as a URL path segment: refused before any request unless they are one sane segment.
    path_options = ()
    # Other names and IDs, such as a display name to match: refused when blank or with control characters.
    text_options = ()
    # Options holding a Confluent ID, with the prefix of every ID of that kind ({"environment_id": "env-"}): a value
    # without it is a typo, refused before any request instead of being reported as a resource that does not exist.
    id_prefixes = {}
    # Ends the refusal of a mistyped ID, for a module that would have deleted something.
    refusal_ending = ""

    def __init__(self, module, client=None):
        self.module = module
        self.params = module.params
        self.client = client
        # Set once the API accepted a change, so that a later failure still reports it.
        self.changed = False

    @classmethod
    def argument_spec(cls):
        raise NotImplementedError

    @classmethod
    def module_kwargs(cls):
        return {}

    @classmethod
    def module_spec(cls):
        """The argument spec and the checks across options, as AnsibleModule takes them."""
        spec = confluent_argument_spec()
        spec.update(cls.argument_spec())
        return spec, cls.module_kwargs()

    @classmethod
    def run_module(cls):
        spec, checks = cls.module_spec()
        module = ConfluentAnsibleModule(argument_spec=spec, supports_check_mode=True, **checks)
        cls(module).run()

    def run(self):
        try:
            self.validate()
            if self.client is None:
                self.client = build_client(self.module)
            self.work()
        except ConfluentCloudError as exc:
            if isinstance(exc, ApiError) and exc.status == 401:
                exc.add_hint(UNAUTHORIZED_HINT)
            self.fail(exc)

    def validate(self):
        """Refuse bad input before any request; raise TaskFailure naming the option."""
        for options, check in ((self.path_options, validate_path_value), (self.text_options, validate_text_value)):
            for option in options:
                if self.params.get(option) is not None:
                    problem = check(option, self.params[option])
                    if problem:
                        raise TaskFailure(problem)
        for option, prefix in self.id_prefixes.items():
            if self.params.get(option) is not None:
                problem = validate_id_prefix(option, self.params[option], prefix)
                if problem:
                    raise TaskFailure(problem + "." + self.refusal_ending)

    def work(self):
        raise NotImplementedError

    def credential_api_key(self):
        """The ID of the Cloud API key the client authenticates with, without surrounding whitespace; None with an
        access token."""
        if self.client.authorization_scheme != "Basic":
            return None
        return (self.params.get("api_key") or "").strip() or None

    def exit(self, **result):
        result.setdefault("changed", False)
        result.update(self.client_statistics())
        self.warn_about_waits()
        self.module.exit_json(**result)

    def fail(self, exc):
        result = self.client_statistics()
        result.update(self.failure_result())
        result.update(exc.to_result())
        msg = str(exc)
        if self.changed:
            msg = "The API accepted the deletion, but then: " + msg
        self.warn_about_waits()
        self.module.fail_json(msg=msg, changed=self.changed, **result)

    def failure_result(self):
        """Keys the module documents as always returned, for a failed task."""
        return {}

    def client_statistics(self):
        if self.client is None:
            return dict(retries=0, retry_wait=0.0, rate_limit_wait=0.0)
        return dict(retries=self.client.retries_made, retry_wait=round(self.client.seconds_waited, 3),
                    rate_limit_wait=round(self.client.seconds_paced, 3))

    def warn_about_waits(self):
        if self.client is None:
            return
        if self.client.retries_made:
            self.module.warn(
                "Retried %d time(s) after %s and waited %.1f s in all."
                % (self.client.retries_made, _reasons(self.client.retry_reasons), self.client.seconds_waited)
            )
        if self.client.seconds_paced >= 0.05:
            self.module.warn(
                "Waited %.1f s before sending, for the rate-limit budget of this API key: used up by runs sharing it "
                "on this host, or paced because runs elsewhere spend it too." % self.client.seconds_paced
            )


def build_client(module):
    """The client for a module's options; raises TaskFailure, before any request, on bad settings."""
    if not HAS_REQUESTS:
        raise TaskFailure(missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    params = module.params
    try:
        endpoint = validate_endpoint(params["api_endpoint"], _endpoint_setting(module))
    except ValueError as exc:
        raise TaskFailure(str(exc))
    for option, minimum in (("api_timeout", 1), ("api_retries", 0), ("api_retry_max_delay", 0),
                            ("api_rate_limit_timeout", 0)):
        if params[option] < minimum:
            raise TaskFailure("%s must be at least %d, got %d" % (option, minimum, params[option]))
    authorization = authorization_header(module)
    if not params["validate_certs"] and endpoint.startswith("https://"):
        module.warn("validate_certs is false: the endpoint's TLS certificate is not verified.")
        _silence_insecure_request_warnings()
    return ConfluentCloudClient(
        endpoint=endpoint,
        authorization=authorization,
        user_agent=user_agent(),
        rate_limit=SharedRateLimit(endpoint, authorization),
        timeout=params["api_timeout"],
        retries=params["api_retries"],
        retry_max_delay=params["api_retry_max_delay"],
        rate_limit_timeout=params["api_rate_limit_timeout"],
        validate_certs=params["validate_certs"],
    )


def _endpoint_setting(module):
    """Where the endpoint came from, as messages name it: the task's api_endpoint, or the environment variable."""
    given = getattr(module, "params_given", module.params)
    if given.get("api_endpoint") is None and ENV_API_ENDPOINT in os.environ:
        return "%s (an environment variable; the task sets no api_endpoint)" % ENV_API_ENDPOINT
    return "api_endpoint"


def authorization_header(module):
    """Basic auth from api_key/api_secret or a Bearer access_token; options given in the task beat the environment."""
    params = module.params
    given = getattr(module, "params_given", params)
    token, key, secret = (_credential(module, option) for option in ("access_token", "api_key", "api_secret"))
    if given.get("access_token") and (given.get("api_key") or given.get("api_secret")):
        raise TaskFailure("parameters are mutually exclusive: access_token and api_key/api_secret")
    if token and (key or secret):
        if given.get("access_token"):
            key = secret = None
        elif given.get("api_key") or given.get("api_secret"):
            token = None
        else:
            raise TaskFailure(
                "Both %s and %s/%s are set; unset one, or pass the credential to use as an option."
                % (ENV_ACCESS_TOKEN, ENV_API_KEY, ENV_API_SECRET)
            )
    if token:
        return bearer_authorization(token)
    if key and secret:
        return basic_authorization(key, secret)
    if key or secret:
        missing = "api_secret (or %s)" % ENV_API_SECRET if key else "api_key (or %s)" % ENV_API_KEY
        raise TaskFailure("Incomplete Cloud API key credentials: %s is missing." % missing)
    raise TaskFailure(
        "No Confluent Cloud credentials: set api_key and api_secret (or the environment variables %s and %s), "
        "or access_token (or %s)." % (ENV_API_KEY, ENV_API_SECRET, ENV_ACCESS_TOKEN)
    )


def _credential(module, option):
    """A credential without the surrounding whitespace a file or vault often adds; refused if it cannot be sent.

    The messages never quote the value: it may be a secret.
    """
    value = (module.params[option] or "").strip()
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise TaskFailure("%s contains control characters; it cannot be sent in an HTTP header." % option)
    if option == "access_token":
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise TaskFailure("access_token contains characters that cannot be sent in an HTTP header.")
    return value or None


def _reasons(reasons):
    """The reasons of the retries, each once with its count, in the order they first came."""
    counts = {}
    for reason in reasons:
        counts[reason] = counts.get(reason, 0) + 1
    return ", ".join(reason if count == 1 else "%s (%d times)" % (reason, count) for reason, count in counts.items())


def user_agent():
    return "%s/%s (ansible-core/%s; python/%s)" % (
        COLLECTION_NAME, COLLECTION_VERSION, ANSIBLE_VERSION, platform.python_version())


def _silence_insecure_request_warnings():
    # The module has already warned once through Ansible; urllib3's per-request copies would only add noise.
    try:
        import urllib3
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    except ImportError:
        pass
