# Copyright: (c) 2026, kafkaops.confluent_cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The idempotent 'absent' workflow: check mode, diff, safety guards, a preview of what goes along, and waiting."""

from __future__ import annotations

import time

from ._api import display_name, is_being_deleted, missing_parent
from ._base import ConfluentModule
from ._errors import ApiError, TaskFailure

POLL_FIRST_INTERVAL = 1.0
POLL_MAX_INTERVAL = 10.0
POLL_GROWTH = 1.5


def wait_argument_spec():
    """Options of a module whose resource Confluent Cloud deletes asynchronously (doc fragment ``wait``)."""
    return dict(
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
    )


class AbsentResource(ConfluentModule):
    """Ensures that one Confluent Cloud resource is absent.

    A subclass names the resource (``resource_key``, ``collection``), says how to find it (fetch) and what is known
    without asking (identity). In normal mode, without diff and when no look-up is needed, the DELETE is the only
    request. In check mode and with diff the resource is fetched first, and preview() may list what its deletion
    would take along (result key ``contents``).
    """

    resource_key = None
    # The _api.Collection of the resource; its scope, if any, comes from the option of the same name plus "_id".
    collection = None
    # Options that, given beside the ID, must equal the resource's value, or nothing is deleted.
    guard_options = ()
    # Options naming where the resource lives, outermost first, as missing_parent() takes them (environment_id, then
    # kafka_cluster_id): when the API says the resource is not there, the task warns if one of them does not exist.
    parent_options = ()
    refusal_ending = " Nothing was deleted."

    def __init__(self, module, client=None):
        super().__init__(module, client)
        self.resource = None
        self.contents = None
        # Set once an answer proved that the parents exist (the resource was found, or a fetch() listed the parent's
        # contents), to spare the GETs of warn_if_parent_missing().
        self.parents_exist = False

    # Subclass hooks ---------------------------------------------------------------------------

    def identity(self):
        """What is known of the resource without asking the API, returned when nothing was fetched."""
        raise NotImplementedError

    def fetch(self):
        """The resource as the API shows it, or None when it does not exist."""
        return self.collection.get(self.client, self.params["id"], self.scope_id())

    def needs_lookup(self):
        """Whether normal mode must fetch before deleting (a name look-up or a safety guard)."""
        return any(self.params.get(option) is not None for option in self.guard_options)

    def delete(self, resource):
        return self.collection.delete(self.client, self.resource_id(resource), self.scope_id())

    def guarded_value(self, resource, option):
        """The resource's value of a guard option."""
        if option == "display_name":
            return display_name(resource)
        return resource.get(option)

    def preview(self, resource):
        """What deleting ``resource`` would take along with it, for check mode and diff; None for nothing."""
        return None

    def result_extras(self):
        """Keys the module adds to every result, failures included."""
        return {}

    def ensure_deletable(self, resource):
        """Raise TaskFailure when the resource must stay; called in check mode too, before any DELETE.

        ``resource`` is None when normal mode did not look it up: the ID is then the task's.
        """

    # Helpers for subclasses -------------------------------------------------------------------

    def resource_id(self, resource):
        return resource["id"] if resource else self.params["id"]

    def scope_id(self):
        scope = self.collection.scope if self.collection else None
        return self.params[scope + "_id"] if scope else None

    def only_match(self, matches):
        """The one resource of ``matches`` (those named display_name), None for none; more than one fails."""
        if len(matches) > 1:
            raise TaskFailure(
                "%d %ss are named %r (%s); give id as well to choose one. Nothing was deleted."
                % (len(matches), self.collection.kind, self.params["display_name"],
                   ", ".join(sorted(str(match.get("id")) for match in matches)))
            )
        return matches[0] if matches else None

    # Workflow ---------------------------------------------------------------------------------

    def work(self):
        refusal = self.collection.refusal(self.client) if self.collection else None
        if refusal:
            raise TaskFailure("%s. Nothing was deleted." % refusal)
        previewing = self.module.check_mode or self.module._diff
        resource = None
        if previewing or self.needs_lookup():
            resource = self.look_up()
            if resource is None:
                self.finish(changed=False, resource=self.identity())
        self.ensure_deletable(resource)
        # A subclass's delete() may fill it in normal mode too: what it deleted along with the resource.
        self.contents = self.preview(resource) if previewing else None
        if self.module.check_mode:
            self.finish(changed=True, resource=resource, contents=self.contents)

        try:
            response = self.delete(resource)
        except ApiError as exc:
            if not self.parent_missing_explains(exc):
                raise
            self.finish(changed=False, resource=resource or self.identity())
        changed = response.status != 404
        if not changed and response.earlier_attempt_may_have_applied:
            changed = True
            self.module.warn(
                "An earlier attempt of %s %s got no complete answer and the retry found the %s gone: "
                "reported as changed, since that attempt most likely deleted it."
                % (response.method, response.path, self.collection.kind if self.collection else self.resource_key)
            )
        elif not changed:
            self.warn_if_parent_missing()
        if changed:
            self.changed = True
            if self.params.get("wait"):
                self.wait_until_gone(resource)
        self.finish(changed=changed, resource=resource or self.identity(), contents=self.contents)

    def look_up(self):
        """The resource to delete, or None when there is nothing to do; checks the guards."""
        try:
            resource = self.fetch()
        except ApiError as exc:
            if not self.parent_missing_explains(exc):
                raise
            return None
        if resource is None:
            self.warn_if_parent_missing()
            return None
        self.resource = resource
        self.parents_exist = True
        for option in self.guard_options:
            expected = self.params.get(option)
            actual = self.guarded_value(resource, option)
            if expected is not None and actual != expected:
                raise TaskFailure(
                    "Safety guard: %s %s has %s %r, not %r; nothing was deleted."
                    % (self.collection.kind, resource.get("id"), option, actual, expected),
                    **{self.resource_key: resource}
                )
        if is_being_deleted(resource):
            # The API already accepted its deletion: nothing for this task to change.
            if self.params.get("wait") and not self.module.check_mode:
                self.wait_until_gone(resource)
            return None
        return resource

    def warn_if_parent_missing(self):
        """Once the API said the resource is not there, warn if a parent the task names does not exist either: a
        mistyped ID would otherwise look just like a resource already deleted. One GET per parent, only on this path;
        True when it warned."""
        if not self.parent_options or self.parents_exist:
            return False
        missing = missing_parent(self.client, *(self.params[option] for option in self.parent_options))
        if missing is None:
            return False
        self.module.warn("%s, so nothing was deleted; if that is a typo, check %s."
                         % (missing, " and ".join(self.parent_options)))
        return True

    def parent_missing_explains(self, exc):
        """Whether an answer of 403 only means that a parent the task names does not exist (and was warned about).

        Confluent answers a request in an unknown environment with 403 as well as 404.
        """
        return exc.status == 403 and self.warn_if_parent_missing()

    def finish(self, changed, resource, contents=None):
        result = {"changed": changed, self.resource_key: resource}
        result.update(self.result_extras())
        if contents is not None:
            result["contents"] = contents
        if self.module._diff:
            before = {}
            if changed:
                before = dict(resource, contents=contents) if contents is not None else resource
            result["diff"] = dict(before=before, after={})
        self.exit(**result)

    def failure_result(self):
        return dict(self.result_extras(), **{self.resource_key: self.resource or self.identity()})

    def wait_until_gone(self, resource):
        """Poll the resource with growing intervals until the API no longer shows it, or fail after wait_timeout."""
        resource_id = self.resource_id(resource)
        deadline = time.monotonic() + self.params["wait_timeout"]
        interval = POLL_FIRST_INTERVAL
        while not self._is_gone(resource_id):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                kind = self.collection.kind
                raise TaskFailure(
                    "%s %s is still being deleted after wait_timeout (%d s); its deletion goes on in Confluent "
                    "Cloud. Raise wait_timeout, or run the task again later."
                    % (kind[0].upper() + kind[1:], resource_id, self.params["wait_timeout"])
                )
            time.sleep(min(interval, remaining))
            interval = min(POLL_MAX_INTERVAL, interval * POLL_GROWTH)

    def _is_gone(self, resource_id):
        try:
            return self.collection.get(self.client, resource_id, self.scope_id()) is None
        except ApiError as exc:
            # Deleted a moment ago, so a 403 now means it is gone with its permissions.
            if exc.status == 403:
                return True
            raise

    def validate(self):
        super().validate()
        if self.params.get("wait_timeout") is not None and self.params["wait_timeout"] < 0:
            raise TaskFailure("wait_timeout must be at least 0, got %d" % self.params["wait_timeout"])


class InEnvironmentAbsent(AbsentResource):
    """A resource that lives in an environment (cmk/v2, ksqldbcm/v2, fcpm/v2): named by ``id`` with ``environment_id``,
    guarded by its display name, deleted asynchronously.

    A subclass names ``resource_key``, ``collection`` and ``id_prefixes``.
    """

    path_options = ("id", "environment_id")
    parent_options = ("environment_id",)
    guard_options = ("display_name",)
    text_options = ("display_name",)

    @classmethod
    def argument_spec(cls):
        return dict(
            id=dict(type="str", required=True),
            environment_id=dict(type="str", required=True),
            display_name=dict(type="str"),
            state=dict(type="str", required=True, choices=["absent"]),
            **wait_argument_spec()
        )

    def identity(self):
        return dict(id=self.params["id"], environment_id=self.params["environment_id"])
