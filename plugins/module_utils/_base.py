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
    DEFAULT_RATE_LIMIT_TIMEOUT,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    ConfluentCloudClient,
    basic_authorization,
    bearer_authorization,
    validate_id_prefix,
    validate_path_value,
    validate_text_value,
)
from ._endpoint import DEFAULT_ENDPOINT, validate_endpoint
from ._errors import ApiError, ConfluentCloudError, TaskFailure
from ._rate_limit import SharedRateLimit
from ._version import COLLECTION_NAME, COLLECTION_VERSION

ENV_API_KEY = "CONFLUENT_CLOUD_API_KEY"
ENV_API_SECRET = "CONFLUENT_CLOUD_API_SECRET"
ENV_ACCESS_TOKEN = "CONFLUENT_CLOUD_ACCESS_TOKEN"
ENV_API_ENDPOINT = "CONFLUENT_CLOUD_API_ENDPOINT"
ENV_API_RATE_LIMIT_TIMEOUT = "CONFLUENT_CLOUD_API_RATE_LIMIT_TIMEOUT"
ENV_KAFKA_API_KEY = "CONFLUENT_KAFKA_API_KEY"
ENV_KAFKA_API_SECRET = "CONFLUENT_KAFKA_API_SECRET"
ENV_KAFKA_ACCESS_TOKEN = "CONFLUENT_KAFKA_ACCESS_TOKEN"
# Paths of Kafka REST v3, served by each Kafka cluster at its own endpoint and opened by the cluster's credential.
KAFKA_REST_PATHS = "/kafka/"


class Credential:
    """Which options (and environment variables) carry one kind of credential, and what a 401 means for it.

    The Cloud API takes a Cloud API key or an access token; Kafka REST (the data plane of one cluster) takes that
    cluster's API key or an OAuth token, under other option names, so that a play can hold both.
    """

    def __init__(self, what, key_kind, key_option, secret_option, token_option, key_variable, secret_variable,
                 token_variable, unauthorized_hint, missing_hint=""):
        self.what = what
        self.key_kind = key_kind
        # Ends the message for no credential at all.
        self.missing_hint = missing_hint
        self.key_option, self.secret_option, self.token_option = key_option, secret_option, token_option
        self.variables = {key_option: key_variable, secret_option: secret_variable, token_option: token_variable}
        # Added to the API's answer of 401, which says only "Authentication Required", not which setting to check.
        self.unauthorized_hint = unauthorized_hint

    def named(self, option):
        """The option as messages name it, with its environment variable."""
        return "%s (or %s)" % (option, self.variables[option])

    def argument_spec(self):
        return {
            self.key_option: dict(type="str", no_log=False, fallback=(env_fallback, [self.variables[self.key_option]])),
            self.secret_option: dict(type="str", no_log=True,
                                     fallback=(env_fallback, [self.variables[self.secret_option]])),
            self.token_option: dict(type="str", no_log=True,
                                    fallback=(env_fallback, [self.variables[self.token_option]])),
        }


CLOUD_CREDENTIAL = Credential(
    "Confluent Cloud", "Cloud API key", "api_key", "api_secret", "access_token", ENV_API_KEY, ENV_API_SECRET, ENV_ACCESS_TOKEN,
    "Confluent Cloud did not accept the credentials. Check api_key and api_secret (or %s and %s): they must be a "
    "Cloud API key and its secret, not a Kafka cluster API key; or access_token (or %s)"
    % (ENV_API_KEY, ENV_API_SECRET, ENV_ACCESS_TOKEN))
KAFKA_CREDENTIAL = Credential(
    "Kafka cluster", "Kafka cluster API key", "kafka_api_key", "kafka_api_secret", "kafka_access_token",
    ENV_KAFKA_API_KEY, ENV_KAFKA_API_SECRET, ENV_KAFKA_ACCESS_TOKEN,
    "Kafka REST did not accept the credentials. Check kafka_api_key and kafka_api_secret (or %s and %s): they must "
    "be an API key of this Kafka cluster and its secret; a Cloud API key, the usual mistake, is not accepted there. "
    "Or kafka_access_token (or %s)" % (ENV_KAFKA_API_KEY, ENV_KAFKA_API_SECRET, ENV_KAFKA_ACCESS_TOKEN),
    missing_hint=" Kafka REST takes an API key of the Kafka cluster itself, not the Cloud API key (api_key).")


def confluent_argument_spec():
    """Options shared by every module; documented once in the doc fragments auth and retries."""
    return dict(
        CLOUD_CREDENTIAL.argument_spec(),
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
        # Clients besides self.client that the task sends requests through (Kafka REST beside the Cloud API).
        self.other_clients = []

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
                self.client = self.make_client()
            self.work()
        except ConfluentCloudError as exc:
            if isinstance(exc, ApiError) and exc.status == 401:
                exc.add_hint(self.unauthorized_hint(exc))
            self.fail(exc)

    def make_client(self):
        """The client the task's requests go through (its statistics are the result's); built after validate()."""
        return build_client(self.module)

    def unauthorized_hint(self, exc):
        """What to check when the API answered 401 to ``exc``'s request: the Cloud credential, or the cluster's."""
        credential = KAFKA_CREDENTIAL if exc.path.startswith(KAFKA_REST_PATHS) else CLOUD_CREDENTIAL
        return credential.unauthorized_hint

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

    def clients(self):
        return [client for client in [self.client] + self.other_clients if client is not None]

    def client_statistics(self):
        clients = self.clients()
        return dict(retries=sum(client.retries_made for client in clients),
                    retry_wait=round(sum(client.seconds_waited for client in clients), 3),
                    rate_limit_wait=round(sum(client.seconds_paced for client in clients), 3))

    def warn_about_waits(self):
        clients = self.clients()
        retries = sum(client.retries_made for client in clients)
        if retries:
            self.module.warn(
                "Retried %d time(s) after %s and waited %.1f s in all."
                % (retries, _reasons([reason for client in clients for reason in client.retry_reasons]),
                   sum(client.seconds_waited for client in clients))
            )
        seconds_paced = sum(client.seconds_paced for client in clients)
        if seconds_paced >= 0.05:
            self.module.warn(
                "Waited %.1f s before sending, for the rate-limit budget of this API key: used up by runs sharing it "
                "on this host, or paced because runs elsewhere spend it too." % seconds_paced
            )


def build_client(module, endpoint=None, credential=CLOUD_CREDENTIAL):
    """The client for a module's options; raises TaskFailure, before any request, on bad settings.

    By default the Cloud API's: api_endpoint and the Cloud credential. ``endpoint`` is an endpoint already validated,
    such as a Kafka cluster's REST endpoint, to reach with ``credential``; the api_* options apply to every client.
    """
    if not HAS_REQUESTS:
        raise TaskFailure(missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    params = module.params
    if endpoint is None:
        endpoint = checked_endpoint(params["api_endpoint"], _endpoint_setting(module))
    for option, minimum in (("api_timeout", 1), ("api_retries", 0), ("api_retry_max_delay", 0),
                            ("api_rate_limit_timeout", 0)):
        if params[option] < minimum:
            raise TaskFailure("%s must be at least %d, got %d" % (option, minimum, params[option]))
    authorization = authorization_header(module, credential)
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


def checked_endpoint(url, setting, example=DEFAULT_ENDPOINT):
    """validate_endpoint(), its refusal as a TaskFailure."""
    try:
        return validate_endpoint(url, setting, example)
    except ValueError as exc:
        raise TaskFailure(str(exc))


def _endpoint_setting(module):
    """Where the endpoint came from, as messages name it: the task's api_endpoint, or the environment variable."""
    given = getattr(module, "params_given", module.params)
    if given.get("api_endpoint") is None and ENV_API_ENDPOINT in os.environ:
        return "%s (an environment variable; the task sets no api_endpoint)" % ENV_API_ENDPOINT
    return "api_endpoint"


def authorization_header(module, credential=CLOUD_CREDENTIAL):
    """Basic auth from the key and secret or a Bearer token; options given in the task beat the environment."""
    given = getattr(module, "params_given", module.params)
    token_option, key_option, secret_option = credential.token_option, credential.key_option, credential.secret_option
    token, key, secret = (_credential(module, option) for option in (token_option, key_option, secret_option))
    if given.get(token_option) and (given.get(key_option) or given.get(secret_option)):
        raise TaskFailure("parameters are mutually exclusive: %s and %s/%s" % (token_option, key_option, secret_option))
    if token and (key or secret):
        if given.get(token_option):
            key = secret = None
        elif given.get(key_option) or given.get(secret_option):
            token = None
        else:
            variables = credential.variables
            raise TaskFailure(
                "Both %s and %s/%s are set; unset one, or pass the credential to use as an option."
                % (variables[token_option], variables[key_option], variables[secret_option])
            )
    if token:
        return bearer_authorization(token)
    if key and secret:
        return basic_authorization(key, secret)
    if key or secret:
        missing = credential.named(secret_option if key else key_option)
        raise TaskFailure("Incomplete %s credentials: %s is missing." % (credential.key_kind, missing))
    raise TaskFailure(
        "No %s credentials: set %s and %s (or the environment variables %s and %s), or %s (or %s)."
        % (credential.what, key_option, secret_option, credential.variables[key_option],
           credential.variables[secret_option], token_option, credential.variables[token_option])
        + credential.missing_hint
    )


def _credential(module, option):
    """A credential without the surrounding whitespace a file or vault often adds; refused if it cannot be sent.

    The messages never quote the value: it may be a secret.
    """
    value = (module.params[option] or "").strip()
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise TaskFailure("%s contains control characters; it cannot be sent in an HTTP header." % option)
    if option.endswith("access_token"):
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise TaskFailure("%s contains characters that cannot be sent in an HTTP header." % option)
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
